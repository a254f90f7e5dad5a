"""The staff case page: what it shows, to whom, and that every view and download is audited."""

import hashlib
import re
from datetime import UTC, datetime, timedelta
from html import unescape
from types import SimpleNamespace

import pytest

from portal.cases import indexing
from portal.cases.models import Case, CaseAttachment, CaseConsultation, CaseEvent, Kind
from portal.core.audit import AuditEvent
from portal.core.uploads import store_bytes
from portal.core.workdays import local_date
from portal.extensions import db
from tests.auth import sign_in
from tests.cases.factories import create_case
from tests.cases.test_tracking import PDF, case_url, open_case
from tests.cases.wording import say, shown_date
from tests.contacts.factories import create_unit
from tests.factories import create_user
from tests.pages import PageClient

COMPETENCE = "Within the agency's competence"  # msgid: pass it through say()


@pytest.fixture
def team(app):
    """A handling unit with its head and two handlers, another unit, a leader and an editor."""
    with app.app_context():
        unit = create_unit(name="Thanh tra", handles_cases=True)
        other = create_unit(name="Phòng Ngân sách")
        return SimpleNamespace(
            unit=unit,
            other=other,
            head=create_user(role="head", unit_id=unit.id, full_name="Trưởng phòng Ánh"),
            handler=create_user(role="handler", unit_id=unit.id, full_name="Cán bộ Bình"),
            handler2=create_user(role="handler", unit_id=unit.id, full_name="Cán bộ Chi"),
            other_head=create_user(role="head", unit_id=other.id, full_name="Trưởng phòng Dũng"),
            other_handler=create_user(role="handler", unit_id=other.id, full_name="Cán bộ Em"),
            leader=create_user(role="leader", full_name="Lãnh đạo Giang"),
            editor=create_user(role="editor"),
        )


def page_url(case) -> str:
    return f"/staff/cases/{case.number}"


def today():
    return local_date(datetime.now(UTC))


def audits(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(
            db.session.scalars(
                db.select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
            )
        )


def add_file(app, case, *, name="Biên bản.pdf", data=PDF) -> str:
    """Attach a PDF to the case as if it came with it; return the attachment's public id."""
    with app.app_context():
        stored = store_bytes(data, name=name, kind="pdf")
        attachment = CaseAttachment(
            case_id=case.id, stored_file=stored, original_sha256=hashlib.sha256(data).hexdigest()
        )
        db.session.add(attachment)
        db.session.commit()
        return attachment.public_id


# --- What the page shows -----------------------------------------------------------------------


def test_the_page_shows_the_citizens_text_escaped_with_its_line_breaks(app, client, team):
    text = "Dòng thứ nhất <script>alert(1)</script>\nDòng thứ hai"
    with app.app_context():
        case, _ = create_case(
            kind="complaint",
            handling_unit_id=team.unit.id,
            title="Chậm cấp phép",
            description=text,
            place="Xã Tân Thanh",
        )
    sign_in(client, team.handler)
    html = client.get(page_url(case)).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert (
        '<div class="citizen-text">Dòng thứ nhất &lt;script&gt;alert(1)&lt;/script&gt;\n'
        "Dòng thứ hai</div>" in html
    )
    assert "Chậm cấp phép" in html and "Xã Tân Thanh" in html
    with app.test_request_context():
        assert str(Kind.COMPLAINT.label) in html


def test_the_page_shows_the_classification_and_a_corrected_kind(app, client, team):
    with app.app_context():
        case, _ = create_case(
            kind="denunciation",
            submitted_kind="complaint",
            status="classified",
            handling_unit_id=team.unit.id,
            processable=True,
            within_competence=False,
            resolving_authority="UBND tỉnh Lạng Sơn",
        )
    sign_in(client, team.head)
    html = client.get(page_url(case)).get_data(as_text=True)
    assert say(app, "sent as %(kind)s", kind=say(app, "Complaint")) in html
    assert "UBND tỉnh Lạng Sơn" in html
    facts = unescape(html[html.index('id="classification-title"') :])
    assert f"{say(app, COMPETENCE)}</dt><dd>{say(app, 'No')}" in facts
    assert f"{say(app, 'Can be processed')}</dt><dd>{say(app, 'Yes')}" in facts


def test_the_running_deadline_says_how_long_it_is_overdue(app, client, team):
    received = datetime.now(UTC) - timedelta(days=40)
    with app.app_context():
        case, _ = create_case(kind="complaint", handling_unit_id=team.unit.id, received_at=received)
        due = db.session.get(Case, case.id).acceptance_due_on
    late = (today() - due).days
    sign_in(client, team.handler)
    html = client.get(page_url(case)).get_data(as_text=True)
    assert shown_date(app, due) in html
    assert say(app, "Overdue by %(num)d day", "Overdue by %(num)d days", late) in html


def test_a_deadline_within_three_working_days_is_due_soon(app, client, team):
    due = today() + timedelta(days=1)
    with app.app_context():
        case, _ = create_case(
            kind="petition",
            status="assigned",
            handling_unit_id=team.unit.id,
            assignee_id=team.handler.id,
            accepted_on=today() - timedelta(days=20),
            resolution_due_on=due,
            due_on=due,
        )
    sign_in(client, team.handler)
    html = client.get(page_url(case)).get_data(as_text=True)
    assert say(app, "Due soon: %(num)d day left", "Due soon: %(num)d days left", 1) in html
    # The acceptance deadline is over: shown, but not counted down.
    assert say(app, "No longer running") in html


def test_a_distant_deadline_shows_the_days_left(app, client, team):
    with app.app_context():
        case, _ = create_case(kind="complaint", handling_unit_id=team.unit.id)
        due = db.session.get(Case, case.id).acceptance_due_on
    sign_in(client, team.handler)
    html = client.get(page_url(case)).get_data(as_text=True)
    left = (due - today()).days
    assert say(app, "%(num)d day left", "%(num)d days left", left) in html


def test_the_timeline_shows_every_event_and_marks_internal_ones(app, client, team):
    with app.app_context():
        case, _ = create_case(kind="complaint", status="classified", handling_unit_id=team.unit.id)
        db.session.add_all(
            [
                CaseEvent(
                    case_id=case.id,
                    actor="staff",
                    staff_user_id=team.handler.id,
                    action="note",
                    from_status="classified",
                    to_status="classified",
                    public=False,
                    note="Cần xác minh tại xã",
                ),
                CaseEvent(
                    case_id=case.id,
                    actor="staff",
                    staff_user_id=team.head.id,
                    action="status:classified",
                    from_status="received",
                    to_status="classified",
                    public=False,
                ),
            ]
        )
        db.session.commit()
    sign_in(client, team.head)
    html = client.get(page_url(case)).get_data(as_text=True)
    timeline = html[html.index('id="timeline-title"') : html.index('id="notes-title"')]
    assert "Cần xác minh tại xã" in timeline
    assert "Cán bộ Bình" in timeline and "Trưởng phòng Ánh" in timeline
    assert say(app, "Internal") in timeline
    assert f"{say(app, 'Received')} → {say(app, 'Classified')}" in timeline
    assert say(app, "Case received") in timeline


def test_the_files_sent_with_the_case_are_listed_and_downloads_are_audited(app, client, team):
    with app.app_context():
        case, _ = create_case(kind="complaint", handling_unit_id=team.unit.id)
    file_id = add_file(app, case, name="Quyết định số 12.pdf")
    sign_in(client, team.handler)
    html = client.get(page_url(case)).get_data(as_text=True)
    link = f"/staff/cases/{case.number}/files/{file_id}"
    assert link in html and "Quyết định số 12.pdf" in html
    response = client.get(link)
    assert response.data == PDF
    assert response.headers["Content-Disposition"].startswith("attachment;")
    (entry,) = audits(app, "case.file.downloaded")
    assert (entry.actor_id, entry.target_id) == (team.handler.id, case.number)
    assert entry.detail == {"file": file_id}


def test_files_of_another_case_or_another_unit_are_not_served(app, client, team):
    with app.app_context():
        case, _ = create_case(kind="complaint", handling_unit_id=team.unit.id)
        elsewhere, _ = create_case(kind="complaint", handling_unit_id=team.other.id)
    mine = add_file(app, case)
    theirs = add_file(app, elsewhere)
    sign_in(client, team.handler)
    client.get(f"/staff/cases/{case.number}/files/{theirs}", expect=404)
    client.get(f"/staff/cases/{elsewhere.number}/files/{theirs}", expect=404)
    client.get(f"/staff/cases/{case.number}/files/{mine}", expect=200)
    assert len(audits(app, "case.file.downloaded")) == 1


# --- Who sees it ---------------------------------------------------------------------------------


def test_every_view_is_audited(app, client, team):
    with app.app_context():
        case, _ = create_case(kind="complaint", handling_unit_id=team.unit.id)
    sign_in(client, team.leader)
    client.get(page_url(case))
    client.get(page_url(case))
    entries = audits(app, "case.viewed")
    assert [(e.actor_id, e.target_type, e.target_id) for e in entries] == [
        (team.leader.id, "case", case.number)
    ] * 2
    assert all(e.detail is None for e in entries)


def test_a_handler_cannot_open_another_units_case_by_changing_the_number(app, client, team):
    with app.app_context():
        theirs, _ = create_case(kind="complaint", handling_unit_id=team.other.id)
        mine, _ = create_case(kind="complaint", handling_unit_id=team.unit.id)
    sign_in(client, team.handler)
    client.get(page_url(mine), expect=200)
    client.get(page_url(theirs), expect=404)
    client.get("/staff/cases/KH-2026-999999", expect=404)
    assert [e.target_id for e in audits(app, "case.viewed")] == [mine.number]


def test_the_leader_reads_every_case_but_is_offered_no_action(app, client, team):
    with app.app_context():
        case, _ = create_case(kind="complaint", handling_unit_id=team.other.id)
    sign_in(client, team.leader)
    html = client.get(page_url(case)).get_data(as_text=True)
    assert 'name="version"' not in html
    assert "/classify" not in html and "/notes" not in html


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_roles_without_cases_cannot_open_a_case(app, client, team, role):
    with app.app_context():
        case, _ = create_case(kind="complaint", handling_unit_id=team.unit.id)
        user = team.editor if role == "editor" else create_user(role="admin")
    sign_in(client, user)
    client.get(page_url(case), expect=403)
    assert audits(app, "case.viewed") == []


def test_the_page_needs_a_sign_in(client, app, team):
    with app.app_context():
        case, _ = create_case(kind="complaint", handling_unit_id=team.unit.id)
    response = client.get(page_url(case), expect=302)
    assert response.headers["Location"].startswith("/staff/login")


def test_a_handler_of_the_unit_sees_actions_only_on_their_own_cases(app, client, team):
    with app.app_context():
        theirs, _ = create_case(
            kind="complaint", handling_unit_id=team.unit.id, assignee_id=team.handler2.id
        )
        mine, _ = create_case(
            kind="complaint", handling_unit_id=team.unit.id, assignee_id=team.handler.id
        )
    sign_in(client, team.handler)
    html = client.get(page_url(theirs)).get_data(as_text=True)
    assert 'name="version"' not in html
    html = client.get(page_url(mine)).get_data(as_text=True)
    assert f'action="/staff/cases/{mine.number}/classify"' in html
    assert f'action="/staff/cases/{mine.number}/notes"' in html
    # Accepting is the head's.
    assert f'action="/staff/cases/{mine.number}/accept"' not in html


def test_the_head_is_offered_the_triage_decisions(app, client, team):
    with app.app_context():
        case, _ = create_case(kind="complaint", status="classified", handling_unit_id=team.unit.id)
    sign_in(client, team.head)
    html = client.get(page_url(case)).get_data(as_text=True)
    for action in ("accept", "not-accept", "transfer", "merge", "assign", "complexity"):
        assert f'action="/staff/cases/{case.number}/{action}"' in html, action
    for action in ("verify", "close", "reopen", "extensions"):
        assert f'action="/staff/cases/{case.number}/{action}"' not in html, action


def test_a_consulted_unit_reads_the_case_only_while_its_answer_is_due(app, client, team):
    with app.app_context():
        case, _ = create_case(kind="complaint", handling_unit_id=team.unit.id)
    sign_in(client, team.other_handler)
    client.get(page_url(case), expect=404)
    with app.app_context():
        db.session.add(
            CaseConsultation(
                case_id=case.id, unit_id=team.other.id, question="Ý kiến?", due_on=today()
            )
        )
        db.session.commit()
    html = client.get(page_url(case)).get_data(as_text=True)
    assert "Ý kiến?" in html
    assert "/consultations/" in html  # the answer form
    assert f'action="/staff/cases/{case.number}/notes"' not in html


# --- Related cases -------------------------------------------------------------------------------


def test_related_cases_are_suggested_from_the_same_contact_or_text(app, client, team):
    with app.app_context():
        email = indexing.digest("tran.b@example.vn")
        phone = indexing.digest("+84912345678")
        case, _ = create_case(
            kind="complaint",
            handling_unit_id=team.unit.id,
            description="Nội dung thứ nhất",
            email_digest=email,
            phone_digest=phone,
        )
        same_email, _ = create_case(
            kind="petition",
            handling_unit_id=team.unit.id,
            description="Nội dung khác hẳn",
            email_digest=email,
        )
        same_text, _ = create_case(
            kind="reflection",
            handling_unit_id=team.unit.id,
            description="Nội dung thứ nhất!",
        )
        hidden, _ = create_case(
            kind="complaint",
            handling_unit_id=team.other.id,
            description="Nội dung thứ ba",
            email_digest=email,
        )
        unrelated, _ = create_case(
            kind="complaint", handling_unit_id=team.unit.id, description="Chuyện khác"
        )
    sign_in(client, team.head)
    html = client.get(page_url(case)).get_data(as_text=True)
    related = html[html.index('id="related-title"') :]
    rows = dict(
        re.findall(r'<a href="/staff/cases/([A-Z0-9-]+)">[^<]+</a></td>(.*?)</tr>', related, re.S)
    )
    assert set(rows) == {same_email.number, same_text.number}
    assert say(app, "same e-mail address") in rows[same_email.number]
    assert say(app, "same text") in rows[same_text.number]
    assert hidden.number not in html and unrelated.number not in related
    # The head may confirm a merge from the suggestion.
    assert say(app, "Merge this case into %(number)s", number=same_email.number) in related


def test_no_contact_and_unique_text_suggests_nothing(app, client, team):
    with app.app_context():
        case, _ = create_case(kind="complaint", handling_unit_id=team.unit.id, description="Một")
        create_case(kind="complaint", handling_unit_id=team.unit.id, description="Hai")
    sign_in(client, team.head)
    html = client.get(page_url(case)).get_data(as_text=True)
    assert say(app, "No related case found.") in html


# --- The citizen's side --------------------------------------------------------------------------


def test_internal_notes_never_reach_the_citizens_page(app, client, team):
    with app.app_context():
        case, key = create_case(
            kind="complaint",
            status="assigned",
            handling_unit_id=team.unit.id,
            assignee_id=team.handler.id,
            accepted_on=today(),
            name="Trần Thị B",
            email="tran.b@example.vn",
        )
    sign_in(client, team.handler)
    for path, data in (
        ("notes", {"note": "GHI-CHU-NOI-BO: người này từng gửi đơn tương tự"}),
        ("messages", {"body": "Đề nghị ông bà bổ sung bản sao quyết định."}),
    ):
        with app.app_context():
            version = db.session.get(Case, case.id).version
        client.submit(
            f"/staff/cases/{case.number}/{path}",
            {"version": str(version), **data},
            token_from="/staff/",
        )
    with app.app_context():
        actions = [e.action for e in db.session.get(Case, case.id).events]
    assert "note" in actions and "staff-message" in actions

    citizen = PageClient(app.test_client())
    open_case(citizen, case, key, expect=302)
    html = citizen.get(case_url(case)).get_data(as_text=True)
    assert "GHI-CHU-NOI-BO" not in html
    assert "Đề nghị ông bà bổ sung bản sao quyết định." in html


def test_a_confidential_case_is_linked_only_for_those_who_may_reveal_its_submitter(
    app, client, team
):
    with app.app_context():
        email = indexing.digest("an.danh@example.vn")
        denounced, _ = create_case(
            kind="denunciation",
            handling_unit_id=team.unit.id,
            assignee_id=team.handler.id,
            description="Tố cáo",
            email_digest=email,
        )
        complaint, _ = create_case(
            kind="complaint",
            handling_unit_id=team.unit.id,
            assignee_id=team.handler2.id,
            description="Khiếu nại",
            email_digest=email,
        )
    # The complaint shows its submitter: linking it to the denunciation would name the
    # denouncer to a handler who may not reveal them.
    sign_in(client, team.handler2)
    html = client.get(page_url(complaint)).get_data(as_text=True)
    assert denounced.number not in html
    html = client.get(page_url(denounced)).get_data(as_text=True)
    assert complaint.number not in html[html.index('id="related-title"') :]
    client.post("/staff/logout", data={"csrf_token": client.csrf_token("/staff/")})
    sign_in(client, team.handler)
    html = client.get(page_url(complaint)).get_data(as_text=True)
    assert denounced.number in html
