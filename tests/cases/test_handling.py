"""Working a case from its page: each action's effect, who may take it, in which state, the
optimistic lock that keeps two people from overwriting each other, and the audit trail."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import text

from portal.accounts.models import User
from portal.cases import deadlines, handling, handling_work
from portal.cases.models import (
    Case,
    CaseConsultation,
    CaseExtension,
    CaseMessage,
    CaseStatus,
    Complexity,
)
from portal.core.audit import AuditEvent
from portal.extensions import db
from tests.auth import sign_in
from tests.cases import test_case_page
from tests.cases.factories import create_case
from tests.cases.test_case_page import audits, page_url, today
from tests.cases.wording import say
from tests.factories import create_user

team = test_case_page.team  # the same staff fixture as the case page's tests

STALE = (
    "This case was changed by someone else while you were working: review the changes and "
    "try again."
)
NOT_NOW = "This cannot be done while the case is “%(status)s”."

# Every action URL, with data that would be valid for it.
ACTIONS = {
    "classify": {"kind": "complaint", "processable": "yes", "within_competence": "yes"},
    "accept": {},
    "not-accept": {"reason": "anonymous"},
    "transfer": {"transferred_to": "UBND xã Tân Thanh"},
    "merge": {"target": "KH-2026-999999"},
    "assign": {"assignee": "1"},
    "complexity": {"complexity": "1"},
    "extensions": {"reason": "Phức tạp", "decided_on": "2026-01-05"},
    "verify": {},
    "notes": {"note": "Ghi chú"},
    "messages": {"body": "Lời nhắn"},
    "consultations": {"unit": "1", "question": "Câu hỏi", "due_on": "2030-01-01"},
    "close": {},
    "reopen": {"ground": "new-evidence", "note": "Có chứng cứ mới"},
}
HEAD_ONLY = {
    "accept",
    "not-accept",
    "transfer",
    "merge",
    "assign",
    "complexity",
    "extensions",
    "reopen",
}


def load(app, case) -> Case:
    """The case as stored now (detached, with its events, extensions and requests loaded)."""
    with app.app_context():
        found = db.session.get(Case, case.id)
        for relation in ("events", "extensions", "consultations", "messages"):
            getattr(found, relation)
        db.session.expunge(found)
        return found


def act(app, client, case, action, data=None, *, version=None, expect=None):
    """Send an action form of the case page, drawn at `version` (the current one by default)."""
    if version is None:
        version = load(app, case).version
    return client.submit(
        f"/staff/cases/{case.number}/{action}",
        {"version": str(version), **(data or {})},
        token_from="/staff/",
        expect=expect,
    )


def the_case(app, team, **fields) -> Case:
    fields.setdefault("kind", "complaint")
    fields.setdefault("handling_unit_id", team.unit.id)
    with app.app_context():
        case, _ = create_case(**fields)
    return case


def not_now(app, status) -> str:
    with app.test_request_context():
        label = say(app, str(CaseStatus(status).label))
    return say(app, NOT_NOW, status=label)


def page(response) -> str:
    return response.get_data(as_text=True)


# --- Who may act -------------------------------------------------------------------------------


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize(
    "who, expect",
    [
        ("leader", 403),  # reads, never changes
        ("editor", 403),
        ("other_head", 404),  # another unit's case: as if it did not exist
        ("other_handler", 404),  # the same, or 403 at once for a head's action
        ("handler2", 403),  # same unit, not assigned to them
    ],
)
def test_who_may_not_act_is_refused_and_nothing_changes(app, client, team, action, who, expect):
    if who == "other_handler" and action in HEAD_ONLY:
        expect = 403
    case = the_case(app, team, status="classified", assignee_id=team.handler.id)
    before = load(app, case).version
    sign_in(client, getattr(team, who))
    act(app, client, case, action, ACTIONS[action], version=before, expect=expect)
    after = load(app, case)
    assert after.version == before
    assert after.status == "classified"


def test_the_leader_reads_the_case(app, client, team):
    case = the_case(app, team)
    sign_in(client, team.leader)
    client.get(page_url(case), expect=200)


# --- Classification ------------------------------------------------------------------------------


def test_the_assigned_handler_classifies_and_corrects_the_kind(app, client, team):
    case = the_case(app, team, assignee_id=team.handler.id, name="Lê Văn C", email="c@x.vn")
    sign_in(client, team.handler)
    response = act(
        app,
        client,
        case,
        "classify",
        {
            "kind": "denunciation",
            "processable": "yes",
            "within_competence": "yes",
            "several_places": "y",
            "second_time": "y",  # a complaint's flag: dropped for a denunciation
            "resolving_authority": "Giám đốc Sở",
            "note": "Nội dung là tố cáo cán bộ",
        },
        expect=302,
    )
    assert response.headers["Location"] == page_url(case)
    stored = load(app, case)
    assert (stored.kind, stored.status, stored.number) == (
        "denunciation",
        "classified",
        case.number,
    )
    assert stored.submitted_kind == "complaint"
    assert stored.confidential is True  # a denouncer's identity is secret
    assert (stored.processable, stored.within_competence) == (True, True)
    assert (stored.several_places, stored.second_time) == (True, False)
    assert stored.resolving_authority == "Giám đốc Sở"
    assert stored.classified_at is not None
    with app.app_context():
        expected = deadlines.acceptance_due_on(
            "denunciation", stored.received_on, several_places=True
        )
    assert stored.acceptance_due_on == stored.due_on == expected
    moved = stored.events[-1]
    assert (moved.from_status, moved.to_status, moved.public) == ("received", "classified", False)
    assert (moved.staff_user_id, moved.note) == (team.handler.id, "Nội dung là tố cáo cán bộ")
    assert "kind-corrected" in [e.action for e in stored.events]
    (entry,) = audits(app, "case.classified")
    assert entry.actor_id == team.handler.id and entry.target_id == case.number
    assert entry.detail["kind"] == "denunciation" and entry.detail["previous_kind"] == "complaint"
    assert "Lê Văn C" not in str(entry.detail) and "tố cáo cán bộ" not in str(entry.detail)


def test_the_head_classifies_an_unassigned_case_as_not_processable(app, client, team):
    case = the_case(app, team, kind="petition")
    sign_in(client, team.head)
    act(
        app,
        client,
        case,
        "classify",
        {"kind": "petition", "processable": "no", "within_competence": "yes"},
        expect=302,
    )
    assert load(app, case).processable is False


def test_classification_needs_the_two_decisions(app, client, team):
    case = the_case(app, team)
    sign_in(client, team.head)
    response = act(app, client, case, "classify", {"kind": "complaint"}, expect=400)
    assert say(app, "Choose whether the case can be processed") in page(response)
    assert load(app, case).status == "received"


def test_a_case_past_triage_cannot_be_classified(app, client, team):
    case = the_case(app, team, status="assigned", assignee_id=team.handler.id)
    sign_in(client, team.handler)
    response = act(app, client, case, "classify", ACTIONS["classify"], expect=409)
    assert not_now(app, "assigned") in page(response)
    assert load(app, case).status == "assigned"


# --- Accept, not accept, transfer, merge ---------------------------------------------------------


def test_the_head_accepts_a_classified_case(app, client, team):
    case = the_case(app, team, status="classified", processable=True, within_competence=True)
    sign_in(client, team.head)
    act(app, client, case, "accept", expect=302)
    stored = load(app, case)
    assert stored.status == "accepted"
    assert stored.accepted_on == today()
    with app.app_context():
        expected = deadlines.resolution_due_on("complaint", today())
    assert stored.resolution_due_on == stored.due_on == expected
    assert stored.events[-1].public is True
    assert len(audits(app, "case.accepted")) == 1


def test_a_case_is_classified_before_it_is_accepted(app, client, team):
    case = the_case(app, team)
    sign_in(client, team.head)
    response = act(app, client, case, "accept", expect=409)
    assert not_now(app, "received") in page(response)
    assert load(app, case).status == "received"


def test_a_case_classified_not_processable_is_not_accepted(app, client, team):
    case = the_case(app, team, status="classified", processable=False, within_competence=True)
    sign_in(client, team.head)
    act(app, client, case, "accept", expect=409)
    assert load(app, case).status == "classified"


def test_a_handler_cannot_accept_even_their_own_case(app, client, team):
    case = the_case(app, team, status="classified", assignee_id=team.handler.id)
    sign_in(client, team.handler)
    act(app, client, case, "accept", expect=403)
    assert load(app, case).status == "classified"


def test_the_head_does_not_accept_with_a_legal_reason(app, client, team):
    case = the_case(app, team, status="classified")
    sign_in(client, team.head)
    act(
        app,
        client,
        case,
        "not-accept",
        {"reason": "not-within-time-limit", "note": "Quá 90 ngày"},
        expect=302,
    )
    stored = load(app, case)
    assert (stored.status, stored.refusal_reason, stored.due_on) == (
        "not-accepted",
        "not-within-time-limit",
        None,
    )
    assert stored.events[-1].public is True and stored.events[-1].note == "Quá 90 ngày"
    assert stored.retain_until == today() + timedelta(days=365)
    (entry,) = audits(app, "case.not-accepted")
    assert entry.detail == {"reason": "not-within-time-limit"}


def test_another_reason_needs_an_explanation(app, client, team):
    case = the_case(app, team, status="classified")
    sign_in(client, team.head)
    response = act(app, client, case, "not-accept", {"reason": "other"}, expect=400)
    assert say(app, "Enter the reason for not accepting the case") in page(response)
    act(app, client, case, "not-accept", {"reason": "invented"}, expect=400)
    assert load(app, case).status == "classified"


def test_the_head_transfers_a_case_which_keeps_its_number(app, client, team):
    case = the_case(app, team, status="classified", within_competence=False)
    sign_in(client, team.head)
    act(
        app,
        client,
        case,
        "transfer",
        {"transferred_to": "UBND xã Tân Thanh", "note": "Thuộc thẩm quyền xã"},
        expect=302,
    )
    stored = load(app, case)
    assert (stored.status, stored.transferred_to, stored.number) == (
        "transferred",
        "UBND xã Tân Thanh",
        case.number,
    )
    assert stored.retain_until is not None
    html = page(client.get(page_url(case)))
    assert "UBND xã Tân Thanh" in html


def test_a_transfer_names_the_body(app, client, team):
    case = the_case(app, team, status="classified")
    sign_in(client, team.head)
    response = act(app, client, case, "transfer", {"transferred_to": "  "}, expect=400)
    assert say(app, "Enter the body the case is transferred to") in page(response)


def test_the_head_merges_a_duplicate_into_another_case(app, client, team):
    duplicate = the_case(app, team)
    original = the_case(app, team, status="classified")
    sign_in(client, team.head)
    act(app, client, duplicate, "merge", {"target": original.number.lower()}, expect=302)
    merged = load(app, duplicate)
    assert (merged.status, merged.merged_into_id) == ("merged", original.id)
    assert merged.events[-1].action == "merged-into"
    assert original.number in merged.events[-1].note
    kept = load(app, original)
    assert kept.status == "classified"
    assert kept.events[-1].action == "merged-from" and duplicate.number in kept.events[-1].note
    assert audits(app, "case.merged")[0].detail == {"into": original.number}
    html = page(client.get(page_url(duplicate)))
    assert f'href="/staff/cases/{original.number}"' in html


@pytest.mark.parametrize("target", ["itself", "other-unit", "merged", "unknown"])
def test_a_merge_needs_a_visible_case_that_is_not_merged(app, client, team, target):
    case = the_case(app, team)
    elsewhere = the_case(app, team, handling_unit_id=team.other.id)
    gone = the_case(app, team, status="merged")
    number = {
        "itself": case.number,
        "other-unit": elsewhere.number,
        "merged": gone.number,
        "unknown": "KH-2026-999999",
    }[target]
    sign_in(client, team.head)
    act(app, client, case, "merge", {"target": number}, expect=409)
    assert load(app, case).status == "received"


# --- Assignment ----------------------------------------------------------------------------------


def test_the_head_assigns_an_accepted_case_then_reassigns_it(app, client, team, smtp):
    case = the_case(app, team, status="accepted", accepted_on=today())
    sign_in(client, team.head)
    act(app, client, case, "assign", {"assignee": str(team.handler.id)}, expect=302)
    stored = load(app, case)
    assert (stored.status, stored.assignee_id) == ("assigned", team.handler.id)
    assert stored.assigned_at is not None
    first = stored.events[-1]
    assert (first.from_status, first.to_status, first.public) == ("accepted", "assigned", False)
    act(app, client, case, "assign", {"assignee": str(team.handler2.id)}, expect=302)
    stored = load(app, case)
    assert (stored.status, stored.assignee_id) == ("assigned", team.handler2.id)
    assert (stored.events[-1].action, stored.events[-1].public) == ("reassigned", False)
    entries = audits(app, "case.assigned")
    assert [e.detail["assignee_id"] for e in entries] == [team.handler.id, team.handler2.id]
    assert entries[1].detail["previous_assignee_id"] == team.handler.id


def test_a_case_can_be_given_to_a_handler_for_triage_before_acceptance(app, client, team):
    case = the_case(app, team)
    sign_in(client, team.head)
    act(app, client, case, "assign", {"assignee": str(team.handler.id)}, expect=302)
    stored = load(app, case)
    assert (stored.status, stored.assignee_id) == ("received", team.handler.id)


@pytest.mark.parametrize("who", ["other_handler", "inactive", "leader", "nobody"])
def test_only_an_active_handler_of_the_unit_can_be_assigned(app, client, team, who):
    case = the_case(app, team, status="accepted", accepted_on=today())
    with app.app_context():
        inactive = create_user(role="handler", unit_id=team.unit.id, active=False)
    assignee = {
        "other_handler": team.other_handler.id,
        "inactive": inactive.id,
        "leader": team.leader.id,
        "nobody": 99999,
    }[who]
    sign_in(client, team.head)
    act(app, client, case, "assign", {"assignee": str(assignee)}, expect=409)
    stored = load(app, case)
    assert (stored.status, stored.assignee_id) == ("accepted", None)


def test_a_closed_case_is_not_assigned(app, client, team):
    case = the_case(app, team, status="closed")
    sign_in(client, team.head)
    act(app, client, case, "assign", {"assignee": str(team.handler.id)}, expect=409)


def flashes(client) -> list[tuple[str, str]]:
    with client.session_transaction() as session:
        return list(session.get("_flashes", []))


def test_bulk_assignment_assigns_what_it_may_and_says_what_it_skipped(app, client, team):
    first = the_case(app, team, status="accepted", accepted_on=today())
    second = the_case(app, team, kind="petition")
    done = the_case(app, team, status="closed")
    already = the_case(app, team, status="assigned", assignee_id=team.handler.id)
    theirs = the_case(app, team, handling_unit_id=team.other.id)
    sign_in(client, team.head)
    response = client.submit(
        "/staff/cases/assign",
        {
            "numbers": [first.number, second.number, done.number, already.number, theirs.number],
            "assignee": str(team.handler.id),
            "next": "/staff/cases?status=open&sort=deadline",
        },
        token_from="/staff/",
        expect=302,
    )
    assert response.headers["Location"] == "/staff/cases?status=open&sort=deadline"
    assert load(app, first).assignee_id == team.handler.id
    assert load(app, first).status == "assigned"
    assert load(app, second).assignee_id == team.handler.id
    assert load(app, done).assignee_id is None
    assert load(app, theirs).assignee_id is None
    messages = flashes(client)
    ok = [m for c, m in messages if c == "success"]
    skipped = [m for c, m in messages if c == "error"]
    assert len(ok) == 1 and first.number in ok[0] and second.number in ok[0]
    assert len(skipped) == 3
    for number in (done.number, already.number, theirs.number):
        assert len([m for m in skipped if number in m]) == 1, number
    assert len(audits(app, "case.assigned")) == 2


def test_bulk_assignment_goes_back_to_the_inbox_only_on_this_site(app, client, team):
    case = the_case(app, team, status="accepted", accepted_on=today())
    sign_in(client, team.head)
    response = client.submit(
        "/staff/cases/assign",
        {"numbers": [case.number], "assignee": str(team.handler.id), "next": "//evil.example/"},
        token_from="/staff/",
        expect=302,
    )
    assert response.headers["Location"] == "/staff/cases"


def test_bulk_assignment_keeps_the_inbox_filters_from_the_page_it_came_from(app, client, team):
    case = the_case(app, team, status="accepted", accepted_on=today())
    sign_in(client, team.head)
    response = client.submit(
        "/staff/cases/assign",
        {"numbers": [case.number], "assignee": str(team.handler.id)},
        token_from="/staff/",
        headers={"Referer": "http://localhost/staff/cases?kind=complaint"},
        expect=302,
    )
    assert response.headers["Location"] == "/staff/cases?kind=complaint"


@pytest.mark.parametrize("who", ["handler", "leader"])
def test_only_heads_assign_in_bulk(app, client, team, who):
    case = the_case(app, team, status="accepted", accepted_on=today())
    sign_in(client, getattr(team, who))
    client.submit(
        "/staff/cases/assign",
        {"numbers": [case.number], "assignee": str(team.handler.id)},
        token_from="/staff/",
        expect=403,
    )
    assert load(app, case).assignee_id is None


def test_bulk_assignment_with_nothing_ticked_says_so(app, client, team):
    sign_in(client, team.head)
    client.submit(
        "/staff/cases/assign",
        {"assignee": str(team.handler.id)},
        token_from="/staff/",
        expect=302,
    )
    assert flashes(client) == [("error", say(app, "Choose at least one case"))]


# --- Complexity and extensions -------------------------------------------------------------------


def test_the_head_sets_the_complexity_and_the_deadline_follows(app, client, team):
    accepted = today() - timedelta(days=3)
    case = the_case(app, team, status="assigned", accepted_on=accepted, assignee_id=team.handler.id)
    sign_in(client, team.head)
    act(app, client, case, "complexity", {"complexity": "1"}, expect=302)
    stored = load(app, case)
    assert stored.complexity == Complexity.COMPLEX
    with app.app_context():
        expected = deadlines.resolution_due_on("complaint", accepted, complexity=1)
        normal = deadlines.resolution_due_on("complaint", accepted)
    assert stored.resolution_due_on == stored.due_on == expected
    assert expected > normal
    assert stored.events[-1].action == "complexity" and stored.events[-1].public is False


def test_a_handler_cannot_set_the_complexity(app, client, team):
    case = the_case(app, team, status="assigned", accepted_on=today(), assignee_id=team.handler.id)
    sign_in(client, team.handler)
    act(app, client, case, "complexity", {"complexity": "2"}, expect=403)


def denunciation(app, team, *, complexity=Complexity.COMPLEX, accepted_days_ago=10):
    return the_case(
        app,
        team,
        kind="denunciation",
        status="verifying",
        accepted_on=today() - timedelta(days=accepted_days_ago),
        assignee_id=team.handler.id,
        complexity=int(complexity),
    )


def test_the_head_extends_a_complex_denunciation_once(app, client, team):
    case = denunciation(app, team)
    sign_in(client, team.head)
    act(
        app,
        client,
        case,
        "extensions",
        {"reason": "Cần xác minh thêm ở hai xã", "decided_on": today().strftime("%d/%m/%Y")},
        expect=302,
    )
    stored = load(app, case)
    (extension,) = stored.extensions
    with app.app_context():
        expected = deadlines.resolution_due_on(
            "denunciation", stored.accepted_on, complexity=1, extensions=1
        )
    assert (extension.ordinal, extension.due_on, extension.decided_on) == (1, expected, today())
    assert extension.approved_by_id == team.head.id
    assert stored.resolution_due_on == stored.due_on == expected
    event = stored.events[-1]
    assert (event.action, event.public, event.note) == (
        "extended",
        True,
        "Cần xác minh thêm ở hai xã",
    )
    assert audits(app, "case.extended")[0].detail["ordinal"] == 1
    # A complex denunciation has no second extension.
    response = act(
        app,
        client,
        case,
        "extensions",
        {"reason": "Lần nữa", "decided_on": today().isoformat()},
        expect=409,
    )
    assert "Lần nữa" in page(response)
    assert len(load(app, case).extensions) == 1


def test_an_especially_complex_denunciation_is_extended_twice(app, client, team):
    case = denunciation(app, team, complexity=Complexity.ESPECIALLY_COMPLEX)
    sign_in(client, team.head)
    for n in (1, 2):
        act(
            app,
            client,
            case,
            "extensions",
            {"reason": f"Lần {n}", "decided_on": today().isoformat()},
            expect=302,
        )
    stored = load(app, case)
    assert [x.ordinal for x in stored.extensions] == [1, 2]
    with app.app_context():
        expected = deadlines.resolution_due_on(
            "denunciation", stored.accepted_on, complexity=2, extensions=2
        )
    assert stored.resolution_due_on == expected
    act(
        app,
        client,
        case,
        "extensions",
        {"reason": "Lần 3", "decided_on": today().isoformat()},
        expect=409,
    )


def test_only_denunciations_are_extended(app, client, team):
    case = the_case(
        app,
        team,
        status="verifying",
        accepted_on=today(),
        assignee_id=team.handler.id,
        complexity=2,
    )
    sign_in(client, team.head)
    response = act(
        app,
        client,
        case,
        "extensions",
        {"reason": "Phức tạp", "decided_on": today().isoformat()},
        expect=409,
    )
    assert say(app, "Only the resolution period of a denunciation can be extended.") in page(
        response
    )


def test_an_extension_is_not_decided_in_the_future(app, client, team):
    case = denunciation(app, team)
    sign_in(client, team.head)
    later = (today() + timedelta(days=2)).isoformat()
    act(app, client, case, "extensions", {"reason": "Sớm", "decided_on": later}, expect=409)
    act(app, client, case, "extensions", {"reason": "Sớm", "decided_on": "31/02/2026"}, expect=400)
    assert load(app, case).extensions == []


def test_lowering_the_complexity_below_the_extensions_given_is_refused(app, client, team):
    case = denunciation(app, team)
    with app.app_context():
        db.session.add(
            CaseExtension(
                case_id=case.id, ordinal=1, reason="Đã gia hạn", decided_on=today(), due_on=today()
            )
        )
        db.session.commit()
    sign_in(client, team.head)
    act(app, client, case, "complexity", {"complexity": "0"}, expect=409)
    assert load(app, case).complexity == Complexity.COMPLEX


# --- Working: verify, notes, messages --------------------------------------------------------------


def test_the_assigned_handler_starts_verifying(app, client, team):
    case = the_case(app, team, status="assigned", accepted_on=today(), assignee_id=team.handler.id)
    sign_in(client, team.handler)
    act(app, client, case, "verify", expect=302)
    stored = load(app, case)
    assert stored.status == "verifying"
    assert (stored.events[-1].from_status, stored.events[-1].to_status) == (
        "assigned",
        "verifying",
    )
    response = act(app, client, case, "verify", expect=409)
    assert not_now(app, "verifying") in page(response)


def test_an_internal_note_is_kept_apart_from_the_audit(app, client, team):
    case = the_case(app, team, status="verifying", accepted_on=today(), assignee_id=team.handler.id)
    sign_in(client, team.handler)
    act(app, client, case, "notes", {"note": "Đã làm việc với xã"}, expect=302)
    event = load(app, case).events[-1]
    assert (event.action, event.public, event.note) == ("note", False, "Đã làm việc với xã")
    assert event.staff_user_id == team.handler.id
    (entry,) = audits(app, "case.note-added")
    assert entry.detail is None
    html = page(client.get(page_url(case)))
    notes = html[html.index('id="notes-title"') : html.index('id="messages-title"')]
    assert "Đã làm việc với xã" in notes and "Cán bộ Bình" in notes


def test_an_empty_note_is_refused(app, client, team):
    case = the_case(app, team, assignee_id=team.handler.id)
    sign_in(client, team.handler)
    response = act(app, client, case, "notes", {"note": "   "}, expect=400)
    assert say(app, "Enter the note") in page(response)


def test_a_message_to_the_citizen_is_stored_and_shown_to_them(app, client, team):
    case = the_case(app, team, status="verifying", accepted_on=today(), assignee_id=team.handler.id)
    sign_in(client, team.handler)
    act(app, client, case, "messages", {"body": "Xin gửi bản sao quyết định."}, expect=302)
    with app.app_context():
        (message,) = db.session.scalars(
            db.select(CaseMessage).where(CaseMessage.case_id == case.id)
        )
        assert (message.author, message.staff_user_id) == ("staff", team.handler.id)
        assert message.body == "Xin gửi bản sao quyết định."
    event = load(app, case).events[-1]
    assert (event.action, event.public, event.note) == ("staff-message", True, "")
    assert len(audits(app, "case.message-sent")) == 1


def test_no_message_is_sent_in_a_merged_case(app, client, team):
    case = the_case(app, team, status="merged", assignee_id=team.handler.id)
    sign_in(client, team.head)
    act(app, client, case, "messages", {"body": "Xin chào"}, expect=409)


# --- Requests for input ----------------------------------------------------------------------------


def test_a_request_for_input_goes_to_the_other_unit_and_is_answered_there(app, client, team):
    case = the_case(app, team, status="verifying", accepted_on=today(), assignee_id=team.handler.id)
    due = today() + timedelta(days=7)
    sign_in(client, team.handler)
    act(
        app,
        client,
        case,
        "consultations",
        {
            "unit": str(team.other.id),
            "question": "Dự án có trong kế hoạch vốn?",
            "due_on": due.isoformat(),
        },
        expect=302,
    )
    with app.app_context():
        (asked,) = db.session.scalars(
            db.select(CaseConsultation).where(CaseConsultation.case_id == case.id)
        )
        assert (asked.unit_id, asked.due_on, asked.requested_by_id) == (
            team.other.id,
            due,
            team.handler.id,
        )
        public_id = asked.public_id
    assert audits(app, "case.input-requested")[0].detail["unit_id"] == team.other.id

    client.post("/staff/logout", data={"csrf_token": client.csrf_token("/staff/")})
    sign_in(client, team.other_handler)
    html = page(client.get(page_url(case)))
    assert "Dự án có trong kế hoạch vốn?" in html
    # They can answer, not work the case.
    act(app, client, case, "notes", {"note": "Xen vào"}, expect=403)
    response = client.submit(
        f"/staff/cases/{case.number}/consultations/{public_id}",
        {"version": str(load(app, case).version), "answer": "Có, năm 2026."},
        token_from="/staff/",
        expect=302,
    )
    assert response.headers["Location"] == "/staff/cases"
    with app.app_context():
        answered = db.session.scalar(
            db.select(CaseConsultation).where(CaseConsultation.public_id == public_id)
        )
        assert answered.answer == "Có, năm 2026."
        assert answered.answered_by_id == team.other_handler.id
        assert answered.answered_at is not None
    # The answer ends their access.
    client.get(page_url(case), expect=404)
    assert load(app, case).events[-1].action == "input-given"
    assert len(audits(app, "case.input-given")) == 1

    client.post("/staff/logout", data={"csrf_token": client.csrf_token("/staff/")})
    sign_in(client, team.handler)
    assert "Có, năm 2026." in page(client.get(page_url(case)))


def test_input_is_asked_of_another_unit_by_a_future_date(app, client, team):
    case = the_case(app, team, status="verifying", accepted_on=today(), assignee_id=team.handler.id)
    sign_in(client, team.handler)
    tomorrow = (today() + timedelta(days=1)).isoformat()
    yesterday = (today() - timedelta(days=1)).isoformat()
    act(
        app,
        client,
        case,
        "consultations",
        {"unit": str(team.unit.id), "question": "?", "due_on": tomorrow},
        expect=409,
    )
    act(
        app,
        client,
        case,
        "consultations",
        {"unit": str(team.other.id), "question": "?", "due_on": yesterday},
        expect=409,
    )
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CaseConsultation.id))) == 0


def test_only_the_consulted_unit_answers(app, client, team):
    case = the_case(app, team, status="verifying", accepted_on=today(), assignee_id=team.handler.id)
    with app.app_context():
        asked = CaseConsultation(
            case_id=case.id, unit_id=team.other.id, question="?", due_on=today()
        )
        db.session.add(asked)
        db.session.commit()
        public_id = asked.public_id
    sign_in(client, team.handler)
    client.submit(
        f"/staff/cases/{case.number}/consultations/{public_id}",
        {"version": str(load(app, case).version), "answer": "Tự trả lời"},
        token_from="/staff/",
        expect=403,
    )


# --- Close and reopen ------------------------------------------------------------------------------


def test_the_handler_closes_a_responded_case(app, client, team):
    case = the_case(app, team, status="responded", accepted_on=today(), assignee_id=team.handler.id)
    sign_in(client, team.handler)
    act(app, client, case, "close", {"note": "Công dân đã nhận"}, expect=302)
    stored = load(app, case)
    assert stored.status == "closed" and stored.closed_at is not None
    assert stored.retain_until is not None and stored.due_on is None
    close, note = stored.events[-2:]
    assert (close.to_status, close.public, close.note) == ("closed", True, "")
    assert (note.action, note.public, note.note) == ("note", False, "Công dân đã nhận")


def test_a_case_without_a_published_response_is_not_closed(app, client, team):
    case = the_case(app, team, status="verifying", accepted_on=today(), assignee_id=team.handler.id)
    sign_in(client, team.handler)
    act(app, client, case, "close", expect=409)
    assert load(app, case).status == "verifying"


def test_the_head_reopens_a_closed_complaint_as_a_second_complaint(app, client, team):
    case = the_case(app, team, status="closed", accepted_on=today(), assignee_id=team.handler.id)
    sign_in(client, team.head)
    act(
        app,
        client,
        case,
        "reopen",
        {"ground": "second-complaint", "note": "Công dân khiếu nại lần hai"},
        expect=302,
    )
    stored = load(app, case)
    assert (stored.status, stored.second_time) == ("reopened", True)
    assert stored.closed_at is None and stored.retain_until is None
    assert stored.due_on is not None  # back in triage, a deadline runs again
    assert stored.events[-2].public is True and stored.events[-1].public is False
    assert audits(app, "case.reopened")[0].detail == {"ground": "second-complaint"}


def test_a_handler_cannot_reopen(app, client, team):
    case = the_case(app, team, status="closed", assignee_id=team.handler.id)
    sign_in(client, team.handler)
    act(app, client, case, "reopen", ACTIONS["reopen"], expect=403)


# --- Optimistic locking ----------------------------------------------------------------------------


def version_in(html: str, form_id: str) -> str:
    match = re.search(rf'id="{form_id}-version" name="version" type="hidden" value="(\d+)"', html)
    assert match, f"no {form_id} form"
    return match.group(1)


def test_a_form_drawn_before_someone_elses_change_is_refused_and_keeps_what_was_typed(
    app, client, team
):
    case = the_case(app, team, status="verifying", accepted_on=today(), assignee_id=team.handler.id)
    sign_in(client, team.head)
    html = page(client.get(page_url(case)))
    first, second = version_in(html, "note"), version_in(html, "note")  # two tabs, same page
    act(app, client, case, "notes", {"note": "Ghi chú thứ nhất"}, version=first, expect=302)
    response = act(
        app, client, case, "notes", {"note": "Ghi chú thứ hai, rất dài"}, version=second, expect=409
    )
    html = page(response)
    assert say(app, STALE) in html
    assert re.search(
        r'<textarea[^>]*id="note-note"[^>]*>\s*Ghi chú thứ hai, rất dài</textarea>', html
    )
    notes = [e.note for e in load(app, case).events if e.action == "note"]
    assert notes == ["Ghi chú thứ nhất"]
    # The form now carries the version it was drawn again from: sending it again works.
    again = version_in(html, "note")
    assert int(again) == load(app, case).version
    act(app, client, case, "notes", {"note": "Ghi chú thứ hai, rất dài"}, version=again, expect=302)
    notes = [e.note for e in load(app, case).events if e.action == "note"]
    assert notes == ["Ghi chú thứ nhất", "Ghi chú thứ hai, rất dài"]


def test_two_people_deciding_at_once_do_not_overwrite_each_other(app, client, team):
    case = the_case(app, team, status="classified", processable=True, within_competence=True)
    drawn = load(app, case).version
    sign_in(client, team.head)
    act(app, client, case, "accept", version=drawn, expect=302)
    response = act(
        app,
        client,
        case,
        "transfer",
        {"transferred_to": "Sở Tư pháp"},
        version=drawn,
        expect=409,
    )
    assert say(app, STALE) in page(response)
    assert "Sở Tư pháp" in page(response)
    stored = load(app, case)
    assert (stored.status, stored.transferred_to) == ("accepted", "")


def test_a_change_committed_between_reading_and_writing_is_caught(app_ctx, team):
    case = the_case(app_ctx, team, status="verifying", assignee_id=team.handler.id)
    loaded = db.session.get(Case, case.id)
    handler = db.session.get(User, team.handler.id)
    drawn = loaded.version
    # Another worker commits a change after this request read the case.
    with db.engine.begin() as connection:
        connection.execute(
            text("UPDATE citizen_case SET version = version + 1 WHERE id = :id"), {"id": case.id}
        )
    with pytest.raises(handling.Stale):
        handling_work.add_note(loaded, by=handler, version=drawn, note="Mất?")
    db.session.expire_all()
    assert [e.action for e in db.session.get(Case, case.id).events] == ["submitted"]


def test_a_form_without_a_version_is_refused_as_stale(app, client, team):
    case = the_case(app, team, assignee_id=team.handler.id)
    sign_in(client, team.handler)
    response = client.submit(
        f"/staff/cases/{case.number}/notes", {"note": "Không có phiên bản"}, token_from="/staff/"
    )
    assert response.status_code == 409
    assert say(app, STALE) in page(response)


# --- The audit trail -------------------------------------------------------------------------------


def test_every_change_lands_in_the_audit_log_without_citizen_text(app, client, team):
    case = the_case(
        app, team, status="classified", processable=True, within_competence=True, name="Hà Văn K"
    )
    sign_in(client, team.head)
    act(app, client, case, "accept", expect=302)
    act(app, client, case, "assign", {"assignee": str(team.handler.id)}, expect=302)
    act(app, client, case, "notes", {"note": "Bí mật nội bộ"}, expect=302)
    with app.app_context():
        entries = list(
            db.session.scalars(
                db.select(AuditEvent)
                .where(AuditEvent.target_id == case.number)
                .order_by(AuditEvent.id)
            )
        )
    changes = [e.action for e in entries if e.action != "case.viewed"]
    assert changes == ["case.accepted", "case.assigned", "case.note-added"]
    assert all(e.actor_id == team.head.id and e.target_type == "case" for e in entries)
    logged = " ".join(str(e.detail) for e in entries)
    assert "Hà Văn K" not in logged and "Bí mật" not in logged
