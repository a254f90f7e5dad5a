"""Responses: templates per kind and outcome, draft, approval, sending back, publication,
complaint decisions on the portal, optimistic locking and who may do what."""

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from flask import render_template
from flask_login import login_user

from portal.accounts.models import User
from portal.cases import decisions, response_templates, responses
from portal.cases.models import (
    Case,
    CaseAttachment,
    CaseEvent,
    CaseResponse,
    ResponseTemplate,
)
from portal.core import site
from portal.core.audit import AuditEvent
from portal.core.uploads import StoredFile
from portal.disclosures.models import Category, Disclosure
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from tests.auth import sign_in
from tests.cases.factories import create_case
from tests.cases.wording import say
from tests.contacts.factories import create_unit
from tests.factories import create_user

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17 + b"\x00\x00\x00\x00IEND\xaeB`\x82"
)
AGENCY = "Sở Tài chính tỉnh Lạng Sơn"
CITIZEN = "Nguyễn Văn Dân"
CITIZEN_EMAIL = "dan@example.vn"
TITLE = "Quyết định thu hồi đất không đúng"
DESCRIPTION = "Tôi không được thông báo trước khi thu hồi."


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@dataclass
class World:
    case: Case
    key: str
    unit_id: int
    handler: User
    head: User
    other_handler: User  # same unit, not assigned

    @property
    def case_url(self) -> str:
        return f"/staff/cases/{self.case.number}"


def make_world(app, *, kind="complaint", status="verifying", email=CITIZEN_EMAIL, **fields):
    """A unit with a handler (assigned), its head, another handler, and one accepted case."""
    with app.app_context():
        site.save({"agency_name": AGENCY})
        db.session.commit()
        unit = create_unit(handles_cases=True)
        handler = create_user(role="handler", unit_id=unit.id)
        head = create_user(role="head", unit_id=unit.id)
        other = create_user(role="handler", unit_id=unit.id)
        fields.setdefault("accepted_on", date(2026, 11, 2))
        fields.setdefault("resolution_due_on", date(2026, 12, 14))
        fields.setdefault("due_on", fields["resolution_due_on"])
        case, key = create_case(
            kind=kind,
            status=status,
            name=CITIZEN,
            email=email,
            address="Thôn Nà Chè, xã Hữu Lũng",
            title=TITLE,
            description=DESCRIPTION,
            handling_unit_id=unit.id,
            assignee_id=handler.id,
            **fields,
        )
    return World(
        case=case, key=key, unit_id=unit.id, handler=handler, head=head, other_handler=other
    )


def saved_case(app, number) -> Case:
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.number == number))
        db.session.refresh(case)
        return _detach(case)


def _detach(obj):
    db.session.expunge(obj)
    return obj


def the_response(app, number) -> CaseResponse:
    with app.app_context():
        response = db.session.scalars(
            db.select(CaseResponse).join(Case).where(Case.number == number)
        ).one()
        response.attachments  # noqa: B018 - loaded before detaching
        return _detach(response)


def draft(
    client,
    world,
    *,
    outcome="upheld",
    body="Nội dung trả lời.",
    files=None,
    expect=302,
    token_from=None,
):
    url = f"{world.case_url}/responses/new"
    data = {"outcome": outcome, "body": body, "case_version": str(world.case.version)}
    if files:
        data["files"] = files
    return client.submit(url, data, token_from=token_from or url, expect=expect)


def response_url(world, response) -> str:
    return f"{world.case_url}/responses/{response.public_id}"


def versions(response, case) -> dict:
    return {"version": str(response.version), "case_version": str(case.version)}


def drafted_world(app, client, **kwargs):
    world = make_world(app, **kwargs)
    sign_in(client, world.handler)
    draft(client, world, files=[(io.BytesIO(PDF), "Văn bản trả lời.pdf")])
    return world, the_response(app, world.case.number)


def approved_world(app, client, head_client, **kwargs):
    world, response = drafted_world(app, client, **kwargs)
    sign_in(head_client, world.head)
    case = saved_case(app, world.case.number)
    head_client.submit(
        f"{response_url(world, response)}/approve",
        versions(response, case),
        token_from=response_url(world, response),
        expect=302,
    )
    return world, the_response(app, world.case.number)


@pytest.fixture
def head_client(app):
    from tests.pages import PageClient

    return PageClient(app.test_client())


# --- Templates and placeholders ------------------------------------------------------------


def test_every_kind_has_a_default_template_for_each_of_its_outcomes():
    for kind, outcomes in response_templates.OUTCOMES.items():
        for outcome in outcomes:
            assert response_templates.DEFAULT_TEMPLATES[(kind, outcome)].strip()
    assert [str(o) for o in response_templates.OUTCOMES["reflection"]] == ["answered"]
    assert [str(o) for o in response_templates.OUTCOMES["complaint"]] == [
        "upheld",
        "partly-upheld",
        "rejected",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hồ sơ {number}", "Hồ sơ KH-1"),
        ("{unknown} và {number}", "{unknown} và KH-1"),
        ("Ngoặc mở { lẻ {number}", "Ngoặc mở { lẻ KH-1"),
        ("{0} và {number}", "{0} và KH-1"),
        ("{number.upper} {number}", "{number.upper} KH-1"),
        ("{number!x}", "{number!x}"),
        ("{{number}} {number}", "{number} KH-1"),
        ("}", "}"),
    ],
)
def test_filling_a_template_never_raises(text, expected):
    assert response_templates.fill(text, {"number": "KH-1"}) == expected


def test_the_new_response_page_starts_from_the_template_with_the_case_data(app, client):
    world = make_world(app)
    sign_in(client, world.handler)
    html = client.get(f"{world.case_url}/responses/new").get_data(as_text=True)
    assert world.case.number in html
    assert "02/11/2026" in html  # accepted on, dd/mm/yyyy
    assert AGENCY in html
    assert "đúng." in html  # the "upheld" finding of the default complaint text
    other = client.get(f"{world.case_url}/responses/new?outcome=rejected").get_data(as_text=True)
    assert "sai (không có cơ sở)" in other


def test_an_administrator_edits_a_template_and_drafts_start_from_it(app, client):
    world = make_world(app)
    with app.app_context():
        admin = create_user(role="admin")
    sign_in(client, admin)
    listing = client.get("/staff/cases/response-templates").get_data(as_text=True)
    assert "/staff/cases/response-templates/complaint/upheld" in listing
    url = "/staff/cases/response-templates/complaint/upheld"
    client.submit(url, {"body": "Trả lời hồ sơ {number} của {agency}."}, expect=302)
    with app.app_context():
        row = db.session.scalars(db.select(ResponseTemplate)).one()
        assert (row.kind, row.outcome) == ("complaint", "upheld")
        assert db.session.scalar(
            db.select(AuditEvent).where(AuditEvent.action == "case.response-template.saved")
        )
    other = client.__class__(app.test_client())
    sign_in(other, world.handler)
    html = other.get(f"{world.case_url}/responses/new").get_data(as_text=True)
    assert f"Trả lời hồ sơ {world.case.number} của {AGENCY}." in html
    # Back to the built-in text.
    client.submit(f"{url}/reset", {}, token_from=url, expect=302)
    with app.app_context():
        assert db.session.scalars(db.select(ResponseTemplate)).all() == []


@pytest.mark.parametrize("body", ["Hồ sơ {so_ho_so}", "Ngoặc { không đóng"])
def test_a_template_with_a_bad_placeholder_is_refused_and_kept(app, client, body):
    with app.app_context():
        admin = create_user(role="admin")
    sign_in(client, admin)
    url = "/staff/cases/response-templates/petition/answered"
    page = client.submit(url, {"body": body}, expect=400)
    assert 'class="error-summary"' in page.get_data(as_text=True)
    assert body.split("{")[0] in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalars(db.select(ResponseTemplate)).all() == []


@pytest.mark.parametrize("role", ["handler", "head", "editor", "leader"])
def test_only_administrators_edit_templates(app, client, role):
    with app.app_context():
        user = create_user(role=role)
    sign_in(client, user)
    client.get("/staff/cases/response-templates", expect=403)
    client.get("/staff/cases/response-templates/complaint/upheld", expect=403)


def test_an_unknown_template_pair_is_not_found(app, client):
    with app.app_context():
        admin = create_user(role="admin")
    sign_in(client, admin)
    client.get("/staff/cases/response-templates/reflection/upheld", expect=404)
    client.get("/staff/cases/response-templates/nonsense/answered", expect=404)


# --- Drafting ----------------------------------------------------------------------------------


def test_the_assigned_handler_drafts_a_response_with_documents(app, client):
    world = make_world(app)
    sign_in(client, world.handler)
    draft(
        client,
        world,
        body="Khiếu nại của Ông/Bà là đúng.",
        files=[(io.BytesIO(PDF), "Quyết định.pdf"), (io.BytesIO(docx_bytes()), "Trả lời.docx")],
    )
    case = saved_case(app, world.case.number)
    assert case.status == "drafted"
    response = the_response(app, world.case.number)
    assert (response.status, response.outcome) == ("draft", "upheld")
    assert response.body == "Khiếu nại của Ông/Bà là đúng."
    assert response.drafted_by_id == world.handler.id
    with app.app_context():
        names = sorted(
            a.stored_file.original_name
            for a in db.session.scalars(
                db.select(CaseAttachment).where(CaseAttachment.response_id == response.id)
            )
        )
        assert names == ["Quyết định.pdf", "Trả lời.docx"]
        event = db.session.scalars(
            db.select(CaseEvent).where(CaseEvent.action == "response-drafted")
        ).one()
        assert (event.from_status, event.to_status, event.public) == ("verifying", "drafted", False)
        entry = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "case.response.drafted")
        ).one()
        assert entry.target_id == world.case.number
        assert entry.detail["documents"] == 2
        assert "đúng" not in str(entry.detail) and CITIZEN not in str(entry.detail)


def test_a_document_must_be_pdf_or_word_by_its_content(app, client):
    world = make_world(app)
    sign_in(client, world.handler)
    page = draft(
        client,
        world,
        body="Văn bản vẫn còn đây.",
        files=[(io.BytesIO(PNG), "scan.pdf")],
        expect=400,
    )
    html = page.get_data(as_text=True)
    assert "Văn bản vẫn còn đây." in html  # typed text kept
    assert (
        say(app, "Select the files again: for your safety the browser does not keep them.") in html
    )
    assert saved_case(app, world.case.number).status == "verifying"
    with app.app_context():
        assert db.session.scalars(db.select(CaseResponse)).all() == []
        assert db.session.scalars(db.select(StoredFile)).all() == []


def test_a_response_needs_its_text(app, client):
    world = make_world(app)
    sign_in(client, world.handler)
    page = draft(client, world, body="", expect=400)
    assert say(app, "Enter the text of the response") in page.get_data(as_text=True)


def test_an_outcome_of_another_kind_is_refused(app, client):
    world = make_world(app, kind="petition")
    sign_in(client, world.handler)
    draft(client, world, outcome="upheld", expect=400)
    assert saved_case(app, world.case.number).status == "verifying"


@pytest.mark.parametrize("status", ["received", "accepted", "responded", "closed"])
def test_a_response_is_drafted_only_once_the_case_is_being_worked(app, client, status):
    world = make_world(app, status=status)
    sign_in(client, world.handler)
    client.get(f"{world.case_url}/responses/new", expect=302)
    draft(client, world, expect=302, token_from="/staff/cases")
    with app.app_context():
        assert db.session.scalars(db.select(CaseResponse)).all() == []


def test_a_stale_case_version_keeps_the_text_and_saves_nothing(app, client):
    world = make_world(app)
    sign_in(client, world.handler)
    url = f"{world.case_url}/responses/new"
    page = client.submit(
        url,
        {"outcome": "upheld", "body": "Bản của tôi.", "case_version": str(world.case.version - 1)},
        expect=409,
    )
    html = page.get_data(as_text=True)
    assert "Bản của tôi." in html
    assert 'class="error-summary"' in html
    with app.app_context():
        assert db.session.scalars(db.select(CaseResponse)).all() == []


@pytest.mark.parametrize("who", ["other_handler", "leader", "stranger", "editor"])
def test_only_those_who_work_the_case_draft(app, client, who):
    world = make_world(app)
    with app.app_context():
        users = {
            "other_handler": world.other_handler,
            "leader": create_user(role="leader"),
            "stranger": create_user(role="handler", unit_id=create_unit().id),
            "editor": create_user(role="editor"),
        }
    sign_in(client, users[who])
    expect = 404 if who == "stranger" else 403
    client.get(f"{world.case_url}/responses/new", expect=expect)


def test_the_head_may_draft_too(app, client):
    world = make_world(app, status="assigned")
    sign_in(client, world.head)
    draft(client, world)
    assert saved_case(app, world.case.number).status == "drafted"


# --- Editing -----------------------------------------------------------------------------------


def test_the_draft_is_edited_and_documents_added_and_removed(app, client):
    world, response = drafted_world(app, client)
    case = saved_case(app, world.case.number)
    url = response_url(world, response)
    client.submit(
        url,
        {
            "outcome": "partly-upheld",
            "body": "Bản sửa.",
            "files": [(io.BytesIO(docx_bytes()), "Phụ lục.docx")],
            **versions(response, case),
        },
        expect=302,
    )
    edited = the_response(app, world.case.number)
    assert (edited.outcome, edited.body) == ("partly-upheld", "Bản sửa.")
    assert edited.version > response.version
    assert len(edited.attachments) == 2
    first = edited.attachments[0]
    client.submit(
        f"{url}/documents/{first.public_id}/remove",
        versions(edited, case),
        token_from=url,
        expect=302,
    )
    remaining = the_response(app, world.case.number)
    assert [a.public_id for a in remaining.attachments] == [edited.attachments[1].public_id]
    with app.app_context():
        assert db.session.get(StoredFile, first.stored_file_id) is None


def test_two_people_editing_the_same_draft_do_not_lose_a_change(app, client, head_client):
    world, response = drafted_world(app, client, status="assigned")
    case = saved_case(app, world.case.number)
    url = response_url(world, response)
    drawn = versions(response, case)
    sign_in(head_client, world.head)
    head_client.submit(
        url, {"outcome": "upheld", "body": "Bản của trưởng phòng.", **drawn}, expect=302
    )
    page = client.submit(url, {"outcome": "upheld", "body": "Bản của cán bộ.", **drawn}, expect=409)
    html = page.get_data(as_text=True)
    assert "Bản của cán bộ." in html  # what the handler typed is kept
    assert the_response(app, world.case.number).body == "Bản của trưởng phòng."
    # The form now carries the current version: sending again is a deliberate overwrite.
    current = the_response(app, world.case.number)
    fresh = re.search(r'id="response-version" name="version" type="hidden" value="(\d+)"', html)
    assert int(fresh.group(1)) == current.version
    client.submit(
        url,
        {"outcome": "upheld", "body": "Bản của cán bộ.", **versions(current, case)},
        expect=302,
    )
    assert the_response(app, world.case.number).body == "Bản của cán bộ."


def test_the_response_page_is_audited_and_readable_by_a_leader(app, client, head_client):
    world, response = drafted_world(app, client)
    with app.app_context():
        leader = create_user(role="leader")
    sign_in(head_client, leader)
    html = head_client.get(response_url(world, response)).get_data(as_text=True)
    assert "Nội dung trả lời." in html
    assert 'name="body"' not in html  # a leader reads, never edits
    head_client.post(
        response_url(world, response),
        data={"csrf_token": head_client.csrf_token(response_url(world, response))},
        expect=403,
    )
    with app.app_context():
        assert db.session.scalar(
            db.select(AuditEvent).where(
                AuditEvent.action == "case.response.viewed", AuditEvent.actor_id == leader.id
            )
        )


# --- Approval and sending back ------------------------------------------------------------------


def test_the_head_approves_the_draft(app, client, head_client):
    world, response = approved_world(app, client, head_client)
    assert response.status == "approved"
    assert response.approved_by_id == world.head.id
    assert saved_case(app, world.case.number).status == "approved"
    with app.app_context():
        event = db.session.scalars(
            db.select(CaseEvent).where(CaseEvent.action == "response-approved")
        ).one()
        assert (event.to_status, event.public) == ("approved", False)
    # No longer editable.
    case = saved_case(app, world.case.number)
    client.submit(
        response_url(world, response),
        {"outcome": "upheld", "body": "Sửa sau khi duyệt", **versions(response, case)},
        expect=302,
    )
    assert the_response(app, world.case.number).body == "Nội dung trả lời."


def test_a_handler_cannot_approve(app, client):
    world, response = drafted_world(app, client)
    case = saved_case(app, world.case.number)
    client.submit(
        f"{response_url(world, response)}/approve",
        versions(response, case),
        token_from=response_url(world, response),
        expect=403,
    )
    assert the_response(app, world.case.number).status == "draft"


def test_the_head_sends_the_draft_back_with_a_note(app, client, head_client):
    world, response = drafted_world(app, client)
    sign_in(head_client, world.head)
    case = saved_case(app, world.case.number)
    url = response_url(world, response)
    page = head_client.submit(
        f"{url}/return", {"note": "", **versions(response, case)}, token_from=url, expect=400
    )
    assert say(app, "Enter what needs more work") in page.get_data(as_text=True)
    head_client.submit(
        f"{url}/return",
        {"note": "Bổ sung căn cứ pháp lý.", **versions(response, case)},
        token_from=url,
        expect=302,
    )
    assert saved_case(app, world.case.number).status == "verifying"
    back = the_response(app, world.case.number)
    assert back.status == "draft"
    with app.app_context():
        event = db.session.scalars(
            db.select(CaseEvent).where(CaseEvent.action == "response-returned")
        ).one()
        assert (event.to_status, event.public, event.note) == (
            "verifying",
            False,
            "Bổ sung căn cứ pháp lý.",
        )
    # The handler edits it again: the case is "drafted" again.
    case = saved_case(app, world.case.number)
    client.submit(
        url, {"outcome": "upheld", "body": "Đã bổ sung.", **versions(back, case)}, expect=302
    )
    assert saved_case(app, world.case.number).status == "drafted"


def test_approving_a_changed_draft_is_refused(app, client, head_client):
    world, response = drafted_world(app, client)
    case = saved_case(app, world.case.number)
    stale = versions(response, case)
    client.submit(
        response_url(world, response),
        {"outcome": "upheld", "body": "Bản mới.", **stale},
        expect=302,
    )
    sign_in(head_client, world.head)
    head_client.submit(
        f"{response_url(world, response)}/approve",
        stale,
        token_from=response_url(world, response),
        expect=302,
    )
    assert the_response(app, world.case.number).status == "draft"


# --- Publication -------------------------------------------------------------------------------


def test_publishing_shows_the_response_to_the_citizen_and_mails_them(app, client, head_client):
    world, response = approved_world(app, client, head_client)
    case = saved_case(app, world.case.number)
    citizen = head_client.__class__(app.test_client())
    citizen.submit("/tra-cuu", {"number": world.case.number, "key": world.key}, expect=302)
    case_page = f"/tra-cuu/ho-so/{world.case.public_id}"
    document = response.attachments[0]
    # Before publication the citizen sees neither the text nor the document.
    before = citizen.get(case_page).get_data(as_text=True)
    assert "Nội dung trả lời." not in before
    assert (
        say(
            app,
            "No response yet. Once the handling unit publishes it, you can read it here with its "
            "documents.",
        )
        in before
    )
    citizen.get(f"{case_page}/tep/{document.public_id}", expect=404)

    client.submit(
        f"{response_url(world, response)}/publish",
        versions(response, case),
        token_from=response_url(world, response),
        expect=302,
    )
    published = the_response(app, world.case.number)
    assert published.status == "published" and published.published_at is not None
    after = saved_case(app, world.case.number)
    assert (after.status, after.due_on) == ("responded", None)
    with app.app_context():
        event = db.session.scalars(
            db.select(CaseEvent).where(CaseEvent.action == "response-published")
        ).one()
        assert (event.to_status, event.public) == ("responded", True)
        mail = db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.event == "cases/response_published")
        ).one()
        assert mail.recipient == CITIZEN_EMAIL
        assert world.case.number in mail.subject
        for secret in ("Nội dung trả lời.", TITLE, DESCRIPTION, CITIZEN):
            assert secret not in mail.body_text and secret not in (mail.body_html or "")
        assert "In English" in mail.body_text
    html = citizen.get(case_page).get_data(as_text=True)
    assert "Nội dung trả lời." in html
    assert say(app, "The response was published") in html
    download = citizen.get(f"{case_page}/tep/{document.public_id}")
    assert download.data == PDF
    # And the citizen may now rate the handling.
    assert f"{case_page}/danh-gia" in html


def test_only_an_approved_response_is_published(app, client):
    world, response = drafted_world(app, client)
    case = saved_case(app, world.case.number)
    client.submit(
        f"{response_url(world, response)}/publish",
        versions(response, case),
        token_from=response_url(world, response),
        expect=302,
    )
    assert the_response(app, world.case.number).status == "draft"
    assert saved_case(app, world.case.number).status == "drafted"


def _publish(client, world, response, app, **data):
    case = saved_case(app, world.case.number)
    url = response_url(world, response)
    return client.submit(f"{url}/publish", {**versions(response, case), **data}, token_from=url)


def test_a_complaint_decision_needs_its_text_when_published(app, client, head_client):
    world, response = approved_world(app, client, head_client)
    page = _publish(client, world, response, app, publish_decision="y", decision_text="")
    assert page.status_code == 400
    assert say(app, "Enter the text of the decision with personal data removed") in page.get_data(
        as_text=True
    )
    assert the_response(app, world.case.number).status == "approved"


def test_a_complaint_decision_naming_the_complainant_is_refused(app, client, head_client):
    world, response = approved_world(app, client, head_client)
    text = "Quyết định giải quyết khiếu nại của ông nguyen van dan."
    page = _publish(client, world, response, app, publish_decision="y", decision_text=text)
    assert page.status_code == 400
    assert text in page.get_data(as_text=True)  # kept to be corrected
    assert the_response(app, world.case.number).status == "approved"
    with app.app_context():
        assert db.session.scalars(db.select(Disclosure)).all() == []


def test_a_complaint_decision_is_published_on_the_portal_without_personal_data(
    app, client, head_client
):
    world, response = approved_world(app, client, head_client)
    text = "QUYẾT ĐỊNH\nVề việc giải quyết khiếu nại của ông (bà) N.V.D.\n\nKhiếu nại là đúng."
    page = _publish(client, world, response, app, publish_decision="y", decision_text=text)
    assert page.status_code == 302
    published = the_response(app, world.case.number)
    assert published.status == "published"
    assert published.disclosure_id is not None
    with app.app_context():
        disclosure = db.session.get(Disclosure, published.disclosure_id)
        assert disclosure.is_public()
        assert disclosure.category.slug == decisions.DECISION_CATEGORY_SLUG
        assert disclosure.visible_until >= disclosure.issued_on + timedelta(days=15)
        slug = disclosure.slug
        assert db.session.scalars(db.select(Category)).one().name  # created as needed
    public = head_client.__class__(app.test_client())
    html = public.get(f"/cong-khai/van-ban/{slug}").get_data(as_text=True)
    assert "Khiếu nại là đúng." in html
    assert world.case.number in html
    for secret in (CITIZEN, CITIZEN_EMAIL, TITLE, DESCRIPTION, "Nà Chè"):
        assert secret not in html
    # The staff response page links to it.
    assert f"/cong-khai/van-ban/{slug}" in client.get(response_url(world, response)).get_data(
        as_text=True
    )


def test_a_decision_that_fails_to_publish_leaves_the_case_approved_and_nothing_public(
    app, client, head_client, monkeypatch
):
    from portal.disclosures import services as disclosures

    world, response = approved_world(app, client, head_client)

    def index_fails(d):
        raise RuntimeError("search index unavailable")

    # Late in publishing: the case's move, the mail and the disclosure are all in the session.
    monkeypatch.setattr(disclosures, "_index", index_fails)
    page = _publish(
        client, world, response, app, publish_decision="y", decision_text="Khiếu nại đúng."
    )
    assert page.status_code == 500  # the error page; nothing of the step is saved
    assert the_response(app, world.case.number).status == "approved"
    assert the_response(app, world.case.number).disclosure_id is None
    assert saved_case(app, world.case.number).status == "approved"
    with app.app_context():
        assert db.session.scalars(db.select(Disclosure)).all() == []
        assert not db.session.scalars(
            db.select(OutboxMessage).where(OutboxMessage.event == "cases/response_published")
        ).all()
        assert not db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "case.response.published")
        ).all()
    # Once the fault is gone the same step goes through.
    monkeypatch.undo()
    page = _publish(
        client, world, response, app, publish_decision="y", decision_text="Khiếu nại đúng."
    )
    assert page.status_code == 302
    published = the_response(app, world.case.number)
    assert published.status == "published" and published.disclosure_id is not None


def test_an_existing_category_for_complaint_decisions_is_used(app, client, head_client):
    from portal.disclosures.categories import create_category

    with app.app_context():
        create_category(
            {"slug": decisions.DECISION_CATEGORY_SLUG, "name": "Quyết định GQKN"}, actor=None
        )
    world, response = approved_world(app, client, head_client)
    _publish(client, world, response, app, publish_decision="y", decision_text="Khiếu nại đúng.")
    with app.app_context():
        category = db.session.scalars(db.select(Category)).one()
        assert category.name == "Quyết định GQKN"
        assert db.session.scalars(db.select(Disclosure)).one().category_id == category.id


def test_no_email_given_means_no_mail_but_the_response_is_published(app, client, head_client):
    world, response = approved_world(app, client, head_client, email=None)
    _publish(client, world, response, app)
    assert the_response(app, world.case.number).status == "published"
    with app.app_context():
        assert db.session.scalars(db.select(OutboxMessage)).all() == []


# --- The case page's section -------------------------------------------------------------------


def test_the_responses_partial_lists_responses_and_offers_a_draft(app):
    world = make_world(app)
    with app.test_request_context(f"{world.case_url}/responses/new"):
        case = db.session.scalar(db.select(Case).where(Case.number == world.case.number))
        login_user(db.session.get(User, world.handler.id))
        html = render_template("staff/cases/_responses.html", case=case)
        assert f"{world.case_url}/responses/new" in html
        login_user(db.session.get(User, world.other_handler.id))
        html = render_template("staff/cases/_responses.html", case=case)
        assert f"{world.case_url}/responses/new" not in html
        assert say(app, "No response has been drafted yet.") in html


def test_the_services_refuse_whoever_the_views_would_refuse(app, client):
    world, _response = drafted_world(app, client)
    with app.test_request_context():
        loaded = db.session.scalars(db.select(CaseResponse)).one()
        handler = db.session.get(User, world.handler.id)
        other = db.session.get(User, world.other_handler.id)
        with pytest.raises(responses.ResponseError):
            responses.approve_response(
                loaded, actor=handler, version=loaded.version, case_version=loaded.case.version
            )
        with pytest.raises(responses.ResponseError):
            responses.update_response(
                loaded, outcome="upheld", body="x", files=(), actor=other, version=loaded.version
            )
    assert the_response(app, world.case.number).status == "draft"
