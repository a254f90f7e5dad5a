"""The workflow table: every allowed move for each role works and leaves its event; every
other move raises and changes nothing."""

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from portal.accounts.permissions import Role
from portal.cases import workflow
from portal.cases.models import Actor, Case, CaseStatus
from portal.cases.workflow import CITIZEN, TRANSITIONS, IllegalMove

S = CaseStatus
ROLES = [str(r) for r in Role] + [CITIZEN]
PAIRS = sorted(TRANSITIONS)


def user(role: str):
    """Who moves: a staff member of that role, or None for the citizen."""
    return None if role == CITIZEN else SimpleNamespace(id=42, role=role)


def a_case(status) -> Case:
    return Case(number="KH-2026-000001", kind="complaint", status=str(status), events=[])


@pytest.mark.parametrize("from_status, to_status", PAIRS)
def test_every_allowed_move_moves_and_appends_its_event(app_ctx, from_status, to_status):
    for role in sorted(TRANSITIONS[(from_status, to_status)]):
        case = a_case(from_status)
        by = user(role)
        when = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
        event = workflow.move(case, to_status, by=by, note="Ghi chú", public=False, now=when)
        assert case.status == to_status
        assert case.events == [event]
        assert (event.from_status, event.to_status) == (str(from_status), str(to_status))
        assert event.note == "Ghi chú" and event.public is False
        assert event.occurred_at == when
        assert event.action == f"status:{to_status}"
        if by is None:
            assert (event.actor, event.staff_user_id) == (Actor.CITIZEN, None)
        else:
            assert (event.actor, event.staff_user_id) == (Actor.STAFF, 42)


@pytest.mark.parametrize("from_status", list(S))
def test_every_other_move_raises_and_changes_nothing(app_ctx, from_status):
    refused = [
        (to, role)
        for to in S
        for role in ROLES
        if role not in TRANSITIONS.get((from_status, to), frozenset())
    ]
    assert refused
    for to_status, role in refused:
        case = a_case(from_status)
        with pytest.raises(IllegalMove) as error:
            workflow.move(case, to_status, by=user(role))
        assert case.status == from_status, (to_status, role)
        assert case.events == [], (to_status, role)
        assert (error.value.from_status, error.value.to_status) == (from_status, to_status)
        assert error.value.role == role


def test_the_table_refuses_a_realistic_sample():
    # Spelled out, so a wrong edit of the table shows as a named rule.
    assert not workflow.allowed(S.CLASSIFIED, S.ACCEPTED, Role.HANDLER)  # heads accept
    assert not workflow.allowed(S.CLASSIFIED, S.NOT_ACCEPTED, Role.HANDLER)
    assert not workflow.allowed(S.CLASSIFIED, S.TRANSFERRED, Role.HANDLER)
    assert not workflow.allowed(S.RECEIVED, S.MERGED, Role.HANDLER)
    assert not workflow.allowed(S.ACCEPTED, S.ASSIGNED, Role.HANDLER)
    assert not workflow.allowed(S.DRAFTED, S.APPROVED, Role.HANDLER)  # heads approve
    assert not workflow.allowed(S.CLOSED, S.REOPENED, Role.HANDLER)
    assert not workflow.allowed(S.RECEIVED, S.ACCEPTED, Role.HEAD)  # classify first
    assert not workflow.allowed(S.RECEIVED, S.CLOSED, Role.HEAD)
    assert not workflow.allowed(S.RESPONDED, S.WITHDRAWN, CITIZEN)  # concluded
    assert not workflow.allowed(S.CLOSED, S.WITHDRAWN, CITIZEN)
    assert workflow.allowed(S.VERIFYING, S.WITHDRAWN, CITIZEN)


@pytest.mark.parametrize("role", [Role.LEADER, Role.EDITOR, Role.ADMIN])
def test_roles_that_do_not_work_cases_can_make_no_move(role):
    assert all(workflow.moves_from(status, role) == [] for status in S)


def test_only_the_citizen_withdraws():
    for (_from, to), roles in TRANSITIONS.items():
        assert (to == S.WITHDRAWN) == (roles == {CITIZEN}), (_from, to)


def test_final_statuses_have_no_way_out_but_reopening():
    for status in workflow.FINAL:
        for role in ROLES:
            assert set(workflow.moves_from(status, role)) <= {S.REOPENED}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("role", ROLES)
def test_moves_from_lists_exactly_the_allowed_moves_in_the_enum_order(status, role):
    expected = [to for to in S if role in TRANSITIONS.get((status, to), frozenset())]
    assert workflow.moves_from(status, role) == expected


def test_unknown_statuses_are_never_allowed():
    assert not workflow.allowed("lost", S.CLASSIFIED, Role.HEAD)
    assert not workflow.allowed(S.RECEIVED, "lost", Role.HEAD)
    assert workflow.moves_from("lost", Role.HEAD) == []


def test_record_appends_an_internal_event_without_moving(app_ctx):
    case = a_case(S.VERIFYING)
    event = workflow.record(case, "note", by=user(Role.HANDLER), note="Đã gọi điện")
    assert case.status == S.VERIFYING
    assert case.events == [event]
    assert (event.from_status, event.to_status) == (S.VERIFYING, S.VERIFYING)
    assert (event.action, event.note, event.public) == ("note", "Đã gọi điện", False)
    assert (event.actor, event.staff_user_id) == (Actor.STAFF, 42)


def test_record_can_make_a_public_event(app_ctx):
    case = a_case(S.VERIFYING)
    event = workflow.record(case, "extended", by=user(Role.HEAD), note="Phức tạp", public=True)
    assert event.public is True


def test_a_move_keeps_the_earlier_events(app_ctx):
    case = a_case(S.RECEIVED)
    head = user(Role.HEAD)
    workflow.move(case, S.CLASSIFIED, by=head, public=False)
    workflow.move(case, S.ACCEPTED, by=head)
    workflow.move(case, S.ASSIGNED, by=head, public=False)
    assert [(e.from_status, e.to_status) for e in case.events] == [
        ("received", "classified"),
        ("classified", "accepted"),
        ("accepted", "assigned"),
    ]
    assert [e.public for e in case.events] == [False, True, False]


def test_role_of_names_the_citizen_for_no_user():
    assert workflow.role_of(None) == CITIZEN
    assert workflow.role_of(user(Role.HEAD)) == "head"
