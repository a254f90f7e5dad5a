"""Staff record cases that arrived by post, hotline, e-mail or at reception: the same register,
number and key as the web, the real date received, the scanned letter checked by content, a
receipt that shows the key once."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from portal.accounts.models import User
from portal.cases.deadlines import acceptance_due_on
from portal.cases.identity import unseal
from portal.cases.models import (
    Actor,
    Case,
    CaseAttachment,
    CaseEvent,
    CaseIdentity,
    Channel,
    ReceptionEntry,
    Track,
)
from portal.cases.reception_log import EntryData, record_entry
from portal.cases.services import recorded_text
from portal.core import site
from portal.core.audit import AuditEvent
from portal.core.uploads import StoredFile
from portal.core.workdays import local_date
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from tests.auth import sign_in
from tests.cases.test_tracking import open_case
from tests.cases.wording import say, shown_date
from tests.contacts.factories import create_hotline, create_unit
from tests.factories import create_user
from tests.pages import PageClient

RECORD_URL = "/staff/cases/new"
RECEIPT_URL = "/staff/cases/receipt"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17
NAME = "Nguyễn Văn Khải"


def today():
    return local_date(datetime.now(UTC))


def last_week():
    return today() - timedelta(days=7)


@pytest.fixture
def unit(app):
    with app.app_context():
        return create_unit(name="Phòng Thanh tra", handles_cases=True)


@pytest.fixture
def handler(app, unit):
    with app.app_context():
        return create_user(role="handler", unit_id=unit.id, full_name="Lương Văn Tiếp")


@pytest.fixture
def signed_in(client, handler):
    sign_in(client, handler)
    return client


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html)
    assert match, f"no hidden {name}"
    return match.group(1)


def letter_by_post(**fields) -> dict:
    return {
        "channel": "post",
        "received_on": last_week().isoformat(),
        "kind": "complaint",
        "topic": "procedure",
        "title": "Khiếu nại quyết định thu hồi đất",
        "description": "Ông Khải đề nghị xem xét lại quyết định thu hồi đất.",
        "decision_concerned": "Quyết định số 45/QĐ-UBND",
        "decision_known_on": (today() - timedelta(days=20)).isoformat(),
        "name": NAME,
        "address": "Thôn Pác Cáp, xã Mai Pha",
        "id_number": "020 123 456 789",
        **fields,
    }


def anonymous_call(**fields) -> dict:
    return {
        "channel": "hotline",
        "received_on": today().isoformat(),
        "kind": "reflection",
        "topic": "harassment",
        "title": "Cán bộ gây khó dễ",
        "description": "Người gọi phản ánh cán bộ một cửa gây khó dễ.",
        "anonymous": "y",
        **fields,
    }


def record(client, data, *, letter=None, files=(), url=RECORD_URL, expect=None):
    """Fetch the form like a browser, then send it with the files as (bytes, name) pairs."""
    html = client.get(url).get_data(as_text=True)
    payload = {
        "csrf_token": hidden(html, "csrf_token"),
        "submission_token": hidden(html, "submission_token"),
        **data,
    }
    if letter is not None:
        payload["letter"] = (io.BytesIO(letter[0]), letter[1])
    if files:
        payload["files"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post(RECORD_URL, data=payload, content_type="multipart/form-data", expect=expect)


def checked(html: str, name: str) -> str | None:
    """The value of the checked radio button of a group."""
    for tag in re.findall(rf'<input[^>]*name="{name}"[^>]*>', html):
        if " checked" in tag:
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


def read_receipt(client):
    html = client.get(RECEIPT_URL).get_data(as_text=True)
    number = re.search(r'class="case-number">([A-Z]{2}-\d{4}-\d{6})<', html)
    key = re.search(r'case-key__value" aria-label="([^"]+)"', html)
    return (number.group(1) if number else None), (key.group(1) if key else None), html


def only_case(app) -> Case:
    with app.app_context():
        case = db.session.scalars(db.select(Case)).one()
        db.session.expunge(case)
        return case


def counts(app):
    with app.app_context():
        return tuple(
            db.session.scalar(db.select(db.func.count(model.id)))
            for model in (Case, CaseAttachment, StoredFile, CaseIdentity)
        )


# --- by post, with the scanned letter --------------------------------------------------------


def test_a_letter_by_post_lands_in_the_register_with_its_real_date(app, signed_in, handler, unit):
    response = record(signed_in, letter_by_post(), letter=(PDF, "đơn khiếu nại.pdf"), expect=302)
    assert response.headers["Location"] == RECEIPT_URL
    case = only_case(app)
    assert case.channel == Channel.POST
    assert case.handling_unit_id == unit.id
    assert case.track == Track.FORMAL
    assert case.number.startswith(f"KH-{today().year}-")
    # The deadline counts from the day the letter arrived, not the day it was typed in.
    assert case.received_on == last_week()
    assert local_date(case.received_at) == today()
    with app.app_context():
        assert case.acceptance_due_on == acceptance_due_on("complaint", last_week())
        assert case.acceptance_due_on != acceptance_due_on("complaint", today())
        assert case.due_on == case.acceptance_due_on
        attachment = db.session.scalars(db.select(CaseAttachment)).one()
        assert attachment.staff_user_id == handler.id
        assert attachment.stored_file.kind == "pdf"
        assert attachment.stored_file.original_name == "đơn khiếu nại.pdf"
    # The register lists it.
    register = signed_in.get("/staff/cases").get_data(as_text=True)
    assert case.number in register
    assert NAME not in register


def test_the_identity_is_sealed_and_the_first_event_names_the_recorder(app, signed_in, handler):
    record(signed_in, letter_by_post(), letter=(PDF, "don.pdf"), expect=302)
    case = only_case(app)
    with app.app_context():
        sealed = db.session.scalars(db.select(CaseIdentity.sealed)).one()
        assert NAME not in sealed and "Pác Cáp" not in sealed
        who = unseal(sealed)
        assert who.name == NAME
        assert who.id_number == "020123456789"
        event = db.session.scalars(db.select(CaseEvent).where(CaseEvent.case_id == case.id)).one()
        assert event.actor == Actor.STAFF
        assert event.staff_user_id == handler.id
        assert event.action == "recorded:post"
        assert event.public
        assert str(recorded_text(event.action)) == say(app, "Received by post")
        audit = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "case.recorded")
        ).one()
        assert audit.actor_id == handler.id
        assert audit.target_id == case.public_id
        assert audit.detail["channel"] == "post"
        assert NAME not in str(audit.detail) and "Khải" not in str(audit.detail)


def test_a_pdf_name_on_png_content_is_refused_and_nothing_is_saved(app, signed_in):
    before = counts(app)
    response = record(
        signed_in, letter_by_post(), letter=(PNG, "đơn.pdf"), files=[(PDF, "kèm.pdf")], expect=400
    )
    html = response.get_data(as_text=True)
    message = say(
        app,
        "The file %(name)s is named as a %(named)s file but its content is %(actual)s. "
        "Check that it is the right file, then save or scan it again.",
        name="đơn.pdf",
        named="PDF",
        actual="PNG",
    )
    assert message in html
    assert 'id="letter-error"' in html
    assert counts(app) == before
    # What was typed is kept.
    assert "Khiếu nại quyết định thu hồi đất" in html
    assert f'value="{NAME}"' in html


def test_a_letter_by_post_needs_its_scan(app, signed_in):
    html = record(signed_in, letter_by_post(), expect=400).get_data(as_text=True)
    assert say(app, "Attach the scanned letter") in html
    assert counts(app) == (0, 0, 0, 0)


# --- by hotline, anonymous --------------------------------------------------------------------


def test_an_anonymous_call_is_recorded_as_anonymous_information(app, signed_in, smtp):
    record(signed_in, anonymous_call(), expect=302)
    case = only_case(app)
    assert case.channel == Channel.HOTLINE
    assert case.anonymous and case.track == Track.ANONYMOUS_INFORMATION
    assert case.received_on == today()
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(CaseIdentity.id))) == 0
        assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0
    assert smtp.messages == []


def test_a_citizen_who_gives_an_email_gets_the_acknowledgement(app, signed_in, smtp):
    data = letter_by_post(channel="email", email="khai@example.vn")
    record(signed_in, data, expect=302)
    case = only_case(app)
    with app.app_context():
        message = db.session.scalars(db.select(OutboxMessage)).one()
        assert message.recipient == "khai@example.vn"
        assert case.number in message.body_text
    assert [m.rcpt_tos for m in smtp.messages] == [["khai@example.vn"]]


def test_a_denunciation_is_always_confidential(app, signed_in):
    data = letter_by_post(
        channel="hotline", kind="denunciation", topic="staff-conduct", confidential=""
    )
    record(signed_in, data, expect=302)
    assert only_case(app).confidential


# --- the receipt ------------------------------------------------------------------------------


def test_the_receipt_shows_the_key_once_and_the_key_opens_the_case(app, signed_in):
    record(signed_in, letter_by_post(), letter=(PDF, "don.pdf"), expect=302)
    case = only_case(app)
    number, key, html = read_receipt(signed_in)
    assert number == case.number
    assert key
    assert shown_date(app, case.received_on) in html
    assert shown_date(app, case.acceptance_due_on) in html
    assert "/tra-cuu" in html
    # The key opens the case on the public side, in another browser.
    citizen = PageClient(app.test_client())
    open_case(citizen, case, key, expect=302)
    # A second look at the receipt no longer shows it.
    number_again, key_again, html_again = read_receipt(signed_in)
    assert number_again == case.number
    assert key_again is None and key not in html_again


def test_the_receipt_names_the_agency_and_the_hotline(app, signed_in):
    with app.app_context():
        site.save({"agency_name": "Sở Tài chính tỉnh Lạng Sơn"})
        db.session.commit()
        create_hotline(phone="0205 3812 345", is_main=True)
    record(signed_in, anonymous_call(), expect=302)
    html = read_receipt(signed_in)[2]
    assert "Sở Tài chính tỉnh Lạng Sơn" in html
    assert "3812 345" in html or "3812345" in html


def test_without_a_recorded_case_the_receipt_says_so(app, signed_in):
    html = signed_in.get(RECEIPT_URL).get_data(as_text=True)
    assert say(app, "There is no receipt to show: it is made when a case is recorded.") in html


def test_a_double_click_records_one_case(app, signed_in):
    html = signed_in.get(RECORD_URL).get_data(as_text=True)
    payload = {
        "csrf_token": hidden(html, "csrf_token"),
        "submission_token": hidden(html, "submission_token"),
        **anonymous_call(),
    }
    for _ in range(2):
        signed_in.post(RECORD_URL, data=payload, expect=302)
    assert counts(app)[0] == 1
    assert read_receipt(signed_in)[1]  # the key of the one case is still to be shown


# --- from a reception visit -------------------------------------------------------------------


def test_a_case_from_a_visit_is_linked_to_the_logbook_entry(app, signed_in):
    response = signed_in.submit(
        "/staff/reception-log/new",
        {
            "received_on": last_week().isoformat(),
            "received_by": "Lương Văn Tiếp, chuyên viên",
            "visitors": "Hoàng Văn Đức",
            "people_count": "1",
            "subject": "Hỏi về bồi thường giải phóng mặt bằng",
        },
        expect=302,
    )
    entry_url = response.headers["Location"]
    entry_page = signed_in.get(entry_url).get_data(as_text=True)
    start = re.search(r'href="(/staff/cases/new\?reception=[^"]+)"', entry_page).group(1)
    form = signed_in.get(start).get_data(as_text=True)
    assert checked(form, "channel") == "reception"
    assert f'value="{last_week().isoformat()}"' in form
    public_id = start.rsplit("=", 1)[1]
    data = anonymous_call(
        channel="reception",
        received_on=last_week().isoformat(),
        reception=public_id,
        anonymous="",
        name="Hoàng Văn Đức",
        address="Xã Hợp Thành",
    )
    record(signed_in, data, url=start, expect=302)
    case = only_case(app)
    assert case.channel == Channel.RECEPTION
    assert case.received_on == last_week()
    with app.app_context():
        entry = db.session.scalars(db.select(ReceptionEntry)).one()
        assert case.reception_entry_id == entry.id
    assert case.number in signed_in.get(entry_url).get_data(as_text=True)


def test_a_case_from_a_visit_keeps_the_visit_date_and_channel(app, signed_in, handler):
    with app.app_context():
        user = db.session.get(User, handler.id)
        entry = record_entry(
            EntryData(
                received_on=last_week(),
                received_by="Cán bộ",
                visitors="Ông A",
                people_count=1,
                subject="Hỏi",
            ),
            actor=user,
        )
        public_id = entry.public_id
    data = anonymous_call(channel="post", reception=public_id)
    html = record(signed_in, data, expect=400).get_data(as_text=True)
    assert say(app, "A case from a reception logbook entry arrives by citizen reception") in html
    assert (
        say(app, "The visit was on %(day)s: enter that date", day=shown_date(app, last_week()))
        in html
    )
    assert counts(app)[0] == 0


# --- validation -------------------------------------------------------------------------------


def test_validation_keeps_what_was_typed_in_the_staff_voice(app, signed_in):
    data = letter_by_post(name="", address="", channel="hotline")
    html = record(signed_in, data, expect=400).get_data(as_text=True)
    summary = html[html.index('class="error-summary"') :]
    assert say(app, "Enter the citizen's full name") in summary
    assert say(app, "Enter the citizen's address") in summary
    # The citizen's own wording ("Enter your full name") is a prefix of the staff one in
    # Vietnamese: compare whole messages.
    assert f">{say(app, 'Enter your full name')}<" not in summary
    assert "Khiếu nại quyết định thu hồi đất" in html
    assert "Quyết định số 45/QĐ-UBND" in html
    assert checked(html, "channel") == "hotline"
    assert counts(app)[0] == 0


def test_an_address_is_contact_enough_for_a_letter(app, signed_in):
    data = letter_by_post(kind="petition", decision_concerned="", decision_known_on="")
    record(signed_in, data, letter=(PDF, "don.pdf"), expect=302)
    data = anonymous_call(anonymous="", name="Bà Lan", title="Không liên lạc được")
    html = record(signed_in, data, expect=400).get_data(as_text=True)
    assert say(app, "Enter an address, a phone number or an e-mail address") in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("received_on", "tomorrow", "The date received cannot be in the future"),
        ("received_on", "", "Enter the date it was received, like 25/03/2026"),
        ("channel", "web", "Choose how the case arrived"),
        ("id_number", "12345", "Enter the 12-digit citizen ID number, like 020123456789"),
    ],
)
def test_bad_channel_date_or_id_number_is_refused(app, signed_in, field, value, message):
    if value == "tomorrow":
        value = (today() + timedelta(days=1)).isoformat()
    data = letter_by_post(**{field: value})
    html = record(signed_in, data, letter=(PDF, "don.pdf"), expect=400).get_data(as_text=True)
    assert say(app, message) in html
    assert counts(app)[0] == 0


def test_the_form_starts_with_today(app, signed_in):
    html = signed_in.get(RECORD_URL).get_data(as_text=True)
    assert f'value="{today().isoformat()}"' in html
    assert 'name="declaration"' not in html and 'name="website"' not in html


# --- who may record ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["handler", "head"])
def test_handlers_and_heads_record(app, client, unit, role):
    with app.app_context():
        user = create_user(role=role, unit_id=unit.id)
    sign_in(client, user)
    client.get(RECORD_URL)
    record(client, anonymous_call(), expect=302)
    assert only_case(app).handling_unit_id == unit.id


@pytest.mark.parametrize("role", ["leader", "editor", "admin"])
def test_others_may_not_record(app, client, unit, role):
    with app.app_context():
        user = create_user(role=role, unit_id=unit.id)
    sign_in(client, user)
    client.get(RECORD_URL, expect=403)
    client.get(RECEIPT_URL, expect=403)
    # A valid CSRF token (from the sign-out form): the refusal is the permission's.
    page = client.get("/staff/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post(RECORD_URL, data={"csrf_token": token, **anonymous_call()}, expect=403)
    assert counts(app)[0] == 0


def test_signed_out_staff_are_sent_to_sign_in(client):
    response = client.get(RECORD_URL, expect=302)
    assert "/staff/login" in response.headers["Location"]


def test_a_recorder_outside_a_handling_unit_files_to_the_default_unit(app, client, unit):
    with app.app_context():
        office = create_unit(name="Văn phòng", handles_cases=False)
        user = create_user(role="handler", unit_id=office.id)
    sign_in(client, user)
    record(client, anonymous_call(), expect=302)
    assert only_case(app).handling_unit_id == unit.id
