"""The demo cases: a handling unit's realistic desk, played through the real services; a
second load adds nothing."""

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from portal.accounts.models import User
from portal.cases import deadlines, demo, queries, services
from portal.cases.demo_samples import SAMPLES
from portal.cases.identity import unseal
from portal.cases.models import (
    Case,
    CaseConsultation,
    CaseEvent,
    CaseMessage,
    CaseResponse,
    CaseStatus,
    Channel,
    Complexity,
    Kind,
    ReceptionEntry,
    Track,
)
from portal.contacts import demo as contacts_demo
from portal.core.audit import AuditEvent
from portal.core.text import fold
from portal.core.workdays import local_date
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from tests.auth import sign_in
from tests.factories import create_user

COUNTED = (
    Case,
    CaseEvent,
    CaseMessage,
    CaseResponse,
    CaseConsultation,
    ReceptionEntry,
    AuditEvent,
    OutboxMessage,
)
S = CaseStatus
MAIN_STATUSES = (
    S.RECEIVED,
    S.CLASSIFIED,
    S.ACCEPTED,
    S.ASSIGNED,
    S.VERIFYING,
    S.DRAFTED,
    S.APPROVED,
    S.RESPONDED,
    S.CLOSED,
    S.NOT_ACCEPTED,
    S.TRANSFERRED,
    S.MERGED,
    S.WITHDRAWN,
)


def counts():
    return {
        m.__tablename__: db.session.scalar(db.select(db.func.count()).select_from(m))
        for m in COUNTED
    }


def all_cases() -> list[Case]:
    return list(db.session.scalars(db.select(Case).order_by(Case.id)))


@pytest.fixture
def staff(app):
    """The contacts demo's units, a head and a handler in the unit that handles cases."""
    with app.test_request_context():
        contacts_demo.load()
        unit_id = services.handling_unit_id()
        head = create_user(role="head", unit_id=unit_id)
        handler = create_user(role="handler", unit_id=unit_id)
    return SimpleNamespace(head=head, handler=handler)


@pytest.fixture
def loaded(app, staff):
    """The demo cases loaded once, as `flask demo load` does (in a request context)."""
    with app.test_request_context():
        staff.summary = demo.load()
    return staff


def test_loading_twice_adds_nothing(app, staff):
    with app.test_request_context():
        first = demo.load()
        before = counts()
        second = demo.load()
        after = counts()

    assert first == f"Cases: {len(SAMPLES)} demo cases and 2 reception logbook entries added."
    assert second is None
    assert after == before
    assert 25 <= before["citizen_case"] <= 40


def test_nothing_is_loaded_without_a_head_and_a_handler_in_the_unit(app_ctx):
    contacts_demo.load()
    create_user(role="handler", unit_id=services.handling_unit_id())

    assert demo.load() is None
    assert counts()["citizen_case"] == 0


def test_the_cases_cover_every_kind_channel_and_step(app_ctx, loaded):
    cases = all_cases()
    statuses = Counter(c.status for c in cases)

    assert [s for s in MAIN_STATUSES if not statuses[s]] == []
    assert {c.kind for c in cases} == set(Kind)
    assert {Channel.WEB, Channel.POST, Channel.HOTLINE, Channel.EMAIL, Channel.RECEPTION} <= {
        c.channel for c in cases
    }
    [anonymous] = [c for c in cases if c.track == Track.ANONYMOUS_INFORMATION]
    assert (anonymous.kind, anonymous.identity) == (Kind.REFLECTION, None)
    assert any(c.kind != c.submitted_kind for c in cases)  # a kind corrected at triage
    assert all(c.refusal_reason for c in cases if c.status == S.NOT_ACCEPTED)
    assert all(c.transferred_to for c in cases if c.status == S.TRANSFERRED)
    assert all(c.merged_into_id for c in cases if c.status == S.MERGED)
    assert all(c.withdrawal_reason for c in cases if c.status == S.WITHDRAWN)
    assert any(c.rating for c in cases if c.status == S.RESPONDED)
    # Letters arrive by post with their scan, attached by the staff member who recorded them.
    for case in (c for c in cases if c.channel == Channel.POST):
        assert [a.stored_file.kind for a in case.attachments if a.staff_user_id] == ["pdf"]


def test_a_complex_denunciation_runs_on_its_extension(app_ctx, loaded):
    [case] = [c for c in all_cases() if c.extensions]
    [extension] = case.extensions
    today = local_date(datetime.now(UTC))

    assert (case.kind, case.complexity) == (Kind.DENUNCIATION, Complexity.COMPLEX)
    assert case.accepted_on <= extension.decided_on < today
    assert case.resolution_due_on == case.due_on == extension.due_on > today
    # Without the extension it would be overdue: the extension is what keeps it on time.
    assert deadlines.resolution_due_on(case.kind, case.accepted_on, complexity=1) < today
    assert case.identity is not None and case.confidential


def test_reception_visits_and_a_request_for_input_are_recorded(app_ctx, loaded):
    entries = db.session.scalars(db.select(ReceptionEntry).order_by(ReceptionEntry.id)).all()
    [consultation] = db.session.scalars(db.select(CaseConsultation)).all()

    assert len(entries) == 2
    assert sorted(len(e.cases) for e in entries) == [0, 1]
    [visit] = [e for e in entries if e.cases]
    assert visit.cases[0].channel == Channel.RECEPTION
    assert visit.received_on == visit.cases[0].received_on
    assert max(e.people_count for e in entries) >= 5  # a group visit
    assert consultation.answered_at is None
    assert consultation.unit_id != consultation.case.handling_unit_id


def test_the_handler_has_overdue_and_due_soon_cases_of_their_own(app_ctx, loaded):
    handler = db.session.get(User, loaded.handler.id)
    head = db.session.get(User, loaded.head.id)

    mine = queries.inbox(handler, queries.Filters(assignee=queries.ME))
    desk = queries.inbox(head, queries.Filters())

    assert mine.counts.overdue >= 2 and mine.counts.due_soon >= 2
    assert {row.assignee_id for row in mine.rows} == {handler.id}
    assert desk.counts.unassigned >= 5
    # Some received cases wait past their acceptance deadline, some are due soon.
    received = queries.Filters(status=S.RECEIVED)
    assert queries.inbox(head, received).counts.overdue >= 1
    assert queries.inbox(head, received).counts.due_soon >= 1


def test_the_history_lies_in_the_past_in_order(app_ctx, loaded):
    now = datetime.now(UTC)
    today = local_date(now)
    cases = all_cases()

    assert min(c.received_on for c in cases) <= today - timedelta(days=60)
    for case in cases:
        moments = [e.occurred_at for e in case.events]
        assert moments == sorted(moments) and moments[-1] <= now, case.number
        assert local_date(moments[0]) == case.received_on, case.number
        if case.accepted_on is not None:
            [accepted] = [e for e in case.events if e.to_status == S.ACCEPTED]
            assert local_date(accepted.occurred_at) == case.accepted_on, case.number
            assert case.received_on <= case.accepted_on <= case.acceptance_due_on, case.number
        # The stored deadlines are the ones the rules give for the dates shown.
        stored = (case.acceptance_due_on, case.resolution_due_on, case.due_on)
        deadlines.refresh(case)
        assert (case.acceptance_due_on, case.resolution_due_on, case.due_on) == stored
    db.session.rollback()


def test_demo_identities_are_sealed_and_stay_out_of_text_mail_and_audit(app_ctx, loaded):
    cases = [c for c in all_cases() if c.identity is not None]
    audit = json.dumps(db.session.scalars(db.select(AuditEvent.detail)).all(), ensure_ascii=False)
    mail = " ".join(
        m.subject + m.body_text for m in db.session.scalars(db.select(OutboxMessage)).all()
    )

    assert len(cases) >= 25
    for case in cases:
        who = unseal(case.identity.sealed)
        assert who.name.endswith("(mẫu)") and who.email.endswith("@example.vn")
        assert "(địa chỉ mẫu)" in who.address
        for value in (who.name, who.email, who.phone):
            assert value not in case.identity.sealed
            assert fold(value) not in case.search_text
            assert value not in audit
        assert who.name not in mail
    assert all(c.confidential for c in all_cases() if c.kind == Kind.DENUNCIATION)


def test_the_showcase_keys_open_their_cases_on_the_lookup_page(app, client, loaded):
    with app.app_context():
        shown = demo.showcase()

    assert len(shown) == 3
    for number, key, title in shown:
        response = client.submit("/tra-cuu", {"number": number, "key": key}, expect=302)
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert number in page and title in page


def test_the_demo_handler_sees_their_cases_in_the_inbox(app, client, loaded):
    with app.app_context():
        handler = db.session.get(User, loaded.handler.id)
        overdue = queries.inbox(handler, queries.Filters(assignee=queries.ME, deadline="overdue"))
        numbers = [row.number for row in overdue.rows]
    sign_in(client, loaded.handler)

    page = client.get("/staff/cases").get_data(as_text=True)

    assert numbers and all(number in page for number in numbers)


def test_every_demo_case_page_renders_for_the_head(app, client, loaded):
    with app.app_context():
        numbers = db.session.scalars(db.select(Case.number)).all()
    sign_in(client, loaded.head)

    for number in numbers:
        client.get(f"/staff/cases/{number}")
