"""Submitting a case through the public form: each kind's rules, identity kept apart,
idempotency, a form that survives an expired token, the acknowledgement e-mail."""

import email
import io
import json
import re
import socket
from datetime import UTC, datetime, timedelta

import pytest

from portal.cases import access
from portal.cases.identity import unseal
from portal.cases.models import Case, CaseIdentity, Track
from portal.core.audit import AuditEvent
from portal.core.workdays import add_working_days
from portal.extensions import db
from portal.notifications.models import OutboxMessage, OutboxStatus
from tests.apps import other_app
from tests.cases.wording import say
from tests.pages import PageClient

FORM_URL = "/gop-y/moi"
RECEIPT_URL = "/gop-y/bien-nhan"


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html)
    assert match, f"no hidden {name}"
    return match.group(1)


def fresh_form(client, url: str = FORM_URL) -> dict:
    """Fetch the form; return the tokens a browser would send back with it."""
    html = client.get(url).get_data(as_text=True)
    return {
        "csrf_token": hidden(html, "csrf_token"),
        "submission_token": hidden(html, "submission_token"),
    }


def reflection(**fields) -> dict:
    return {
        "kind": "reflection",
        "topic": "other",
        "title": "Đèn đường hỏng",
        "description": "Đèn đường thôn Nà Cạn hỏng đã hai tuần.",
        "anonymous": "y",
        "declaration": "y",
        **fields,
    }


def complaint(**fields) -> dict:
    return {
        "kind": "complaint",
        "topic": "procedure",
        "title": "Khiếu nại quyết định từ chối cấp phép",
        "description": "Tôi đề nghị xem xét lại quyết định.",
        "decision_concerned": "Quyết định số 12/QĐ-UBND ngày 02/03/2026",
        "decision_known_on": "2026-03-05",
        "name": "Nguyễn Văn An",
        "address": "Thôn Nà Cạn, xã Hoàng Văn Thụ",
        "phone": "0912 345 678",
        "email": "an@example.vn",
        "declaration": "y",
        **fields,
    }


def denunciation(**fields) -> dict:
    return {
        "kind": "denunciation",
        "topic": "harassment",
        "title": "Cán bộ đòi tiền",
        "description": "Cán bộ tiếp nhận hồ sơ đòi 500.000 đồng.",
        "name": "Hoàng Thị Bích Ngọc",
        "address": "Số 7 đường Lê Lợi",
        "phone": "0987 654 321",
        "email": "ngoc.denouncer@example.vn",
        "declaration": "y",
        **fields,
    }


def submit(client, data: dict, *, files=None, tokens=None, expect=None, **kwargs):
    """POST the form with fresh tokens (or the given ones); files as (bytes, name) pairs."""
    payload = {**(tokens or fresh_form(client)), **data}
    if files:
        payload["files"] = [(io.BytesIO(content), name) for content, name in files]
    return client.post(
        FORM_URL, data=payload, content_type="multipart/form-data", expect=expect, **kwargs
    )


def receipt(client) -> tuple[str, str | None, str]:
    """Read the number and key on the receipt page; return them with the page's text."""
    html = client.get(RECEIPT_URL).get_data(as_text=True)
    number = re.search(r'class="case-number">([A-Z]{2}-\d{4}-\d{6})<', html)
    key = re.search(r'case-key__value" aria-label="([^"]+)"', html)
    return (number.group(1) if number else None), (key.group(1) if key else None), html


# --- choosing and the form -------------------------------------------------------------------


def test_choose_page_explains_the_four_kinds_and_the_harassment_entry(client):
    html = client.get("/gop-y").get_data(as_text=True)
    for kind in ("reflection", "petition", "complaint", "denunciation"):
        assert f"loai={kind}" in html
    assert "chu-de=harassment" in html


def test_home_menu_and_footer_lead_to_the_form(client):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/gop-y"' in html
    assert "chu-de=harassment" in html


def test_form_preselects_kind_topic_and_procedure(client, app):
    from tests.procedures.factories import create_procedure

    with app.test_request_context():
        create_procedure(code="1.000948.H38")
    html = client.get("/gop-y/moi?loai=denunciation&chu-de=harassment").get_data(as_text=True)
    assert re.search(r'checked[^>]*value="denunciation"|value="denunciation"[^>]*checked', html)
    assert re.search(r'<option selected value="harassment"|value="harassment" selected', html)
    html = client.get("/gop-y/moi?procedure=1.000948.H38").get_data(as_text=True)
    assert re.search(r'selected value="1.000948.H38"|value="1.000948.H38" selected', html)
    assert "91/2025" in html


# --- each kind --------------------------------------------------------------------------------


def test_anonymous_reflection_is_filed_as_anonymous_information(client, app):
    response = submit(client, reflection(), expect=302)
    assert response.headers["Location"].endswith(RECEIPT_URL)
    number, key, _page = receipt(client)
    assert number.startswith("PA-") and key
    with app.app_context():
        case = db.session.scalar(db.select(Case))
        assert case.number == number
        assert case.track == Track.ANONYMOUS_INFORMATION and case.anonymous
        assert case.identity is None
        assert case.status == "received"
        assert access.check_key(case.access_key_hash, key, method="pbkdf2:sha256:1000")
        assert case.declaration_text.startswith("I declare") or case.declaration_text
        assert [e.action for e in case.events] == ["submitted"]
        assert case.events[0].public
        assert case.acceptance_due_on == add_working_days(case.received_on, 10)
    # Shown once: a reload shows the number, never the key again.
    number_again, key_again, _ = receipt(client)
    assert number_again == number and key_again is None


def test_complaint_requires_name_address_contact_and_decision(client, app):
    data = complaint(name="", address="", phone="", email="", decision_concerned="")
    data.pop("decision_known_on")
    response = submit(client, data, expect=400)
    html = response.get_data(as_text=True)
    for field in ("name", "address", "phone", "decision_concerned", "decision_known_on"):
        assert f'href="#{field}"' in html
    # Everything typed is kept, and the note about files is shown.
    assert "Khiếu nại quyết định từ chối cấp phép" in html
    assert (
        say(
            app,
            "For your safety the browser does not keep attached files: select them again before "
            "sending.",
        )
        in html
    )
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Case.id))) == 0


def test_complaint_cannot_be_anonymous(client, app):
    response = submit(client, complaint(anonymous="y"), expect=400)
    assert say(
        app, "A complaint cannot be anonymous: enter your name, address and contact"
    ) in response.get_data(as_text=True)


def test_late_complaint_is_warned_not_blocked(client, app):
    data = complaint(decision_known_on="2020-01-01", title="")
    html = submit(client, data, expect=400).get_data(as_text=True)
    warning = say(
        app,
        "You learnt of the decision more than %(days)d days ago. A complaint is normally made "
        "within that time; you can still send it and explain why it is late (for example illness "
        "or natural disaster).",
        days=90,
    )
    assert warning in html
    submit(client, complaint(decision_known_on="2020-01-01"), expect=302)
    with app.app_context():
        case = db.session.scalar(db.select(Case))
        assert case.kind == "complaint" and case.track == Track.FORMAL
        assert case.number.startswith("KH-")


def test_complaint_identity_is_sealed_with_the_phone_in_e164(client, app):
    submit(client, complaint(), expect=302)
    with app.app_context():
        case = db.session.scalar(db.select(Case))
        assert not case.confidential
        row = db.session.scalar(db.select(CaseIdentity))
        assert "Nguyễn" not in row.sealed and "912345678" not in row.sealed
        who = unseal(row.sealed)
        assert who.name == "Nguyễn Văn An"
        assert who.phone == "+84912345678"
        assert who.email == "an@example.vn"


@pytest.mark.parametrize(
    ("field", "value"),
    [("phone", "12345"), ("email", "not-an-email"), ("title", "x" * 301)],
)
def test_bad_contact_or_too_long_text_is_refused_with_a_message(client, field, value):
    html = submit(client, complaint(**{field: value}), expect=400).get_data(as_text=True)
    assert f'href="#{field}"' in html


def test_denunciation_needs_name_address_and_contact(client, app):
    html = submit(
        client, denunciation(name="", address="", phone="", email=""), expect=400
    ).get_data(as_text=True)
    for field in ("name", "address", "phone"):
        assert f'href="#{field}"' in html
    assert (
        say(
            app,
            "A complaint needs your name, address and a phone number or e-mail. A denunciation "
            "needs your name, address and a way to contact you: the identity of a person who "
            "denounces is kept secret by law and shown only to the officials handling the case.",
        )
        in html
    )


def test_anonymous_denunciation_only_for_harassment_or_corruption(client, app):
    submit(client, denunciation(anonymous="y", topic="policy"), expect=400)
    submit(client, denunciation(anonymous="y", name="", phone="", email="", address=""), expect=302)
    with app.app_context():
        case = db.session.scalar(db.select(Case))
        assert case.kind == "denunciation" and case.track == Track.ANONYMOUS_INFORMATION
        assert case.confidential and case.identity is None


def test_denouncer_identity_appears_nowhere_but_the_sealed_row(client, app, smtp):
    submit(client, denunciation(), expect=302)
    # the whole phone number in each form it may take: four digits alone turn up by chance in
    # a timestamp's microseconds or a random token
    secrets_ = ("Hoàng Thị Bích Ngọc", "Lê Lợi", "0987 654 321", "0987654321", "+84987654321")
    with app.app_context():
        case = db.session.scalar(db.select(Case))
        assert case.confidential and case.number.startswith("TC-")
        assert case.acceptance_due_on == add_working_days(case.received_on, 7)
        for event in db.session.scalars(db.select(AuditEvent)):
            text = json.dumps(event.detail, ensure_ascii=False) + (event.actor_label or "")
            assert not any(s in text for s in secrets_)
            assert "ngoc.denouncer" not in text
        for message in db.session.scalars(db.select(OutboxMessage)):
            assert message.recipient == "ngoc.denouncer@example.vn"  # the citizen's own receipt
            body = message.body_text + (message.body_html or "") + message.subject
            assert not any(s in body for s in secrets_)
        columns = json.dumps(
            {c: str(getattr(case, c)) for c in Case.__table__.columns.keys()},  # noqa: SIM118
            ensure_ascii=False,
        )
        assert not any(s in columns for s in secrets_)


def test_honeypot_refuses_without_storing(client, app):
    submit(client, reflection(website="http://spam.example"), expect=400)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Case.id))) == 0


def test_citizen_html_is_shown_as_text(client):
    html = submit(
        client, complaint(title="<script>alert(1)</script>", name=""), expect=400
    ).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


# --- idempotency and expiry -------------------------------------------------------------------


def test_double_submit_creates_one_case(client, app):
    tokens = fresh_form(client)
    submit(client, reflection(), tokens=tokens, expect=302)
    submit(client, reflection(), tokens=tokens, expect=302)
    number, key, _ = receipt(client)
    assert key  # the double click came before the receipt was shown: the key is still there
    submit(client, reflection(), tokens=tokens, expect=302)
    number_again, key_again, html = receipt(client)
    assert number_again == number and key_again is None
    assert (
        say(
            app,
            "Your case had already been received: this is the same case, not a new one. The key "
            "was shown on the first receipt",
        )
        in html
    )
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Case.id))) == 1


def test_repeat_from_another_browser_shows_the_same_number(client, app):
    tokens = fresh_form(client)
    submit(client, reflection(), tokens=tokens, expect=302)
    number, _, _ = receipt(client)
    other = PageClient(app.test_client())
    other_tokens = {**fresh_form(other), "submission_token": tokens["submission_token"]}
    submit(other, reflection(), tokens=other_tokens, expect=302)
    number_again, key_again, _ = receipt(other)
    assert number_again == number and key_again is None


def test_expired_token_or_lost_session_keeps_the_text(client, app):
    tokens = fresh_form(client)
    stranger = PageClient(app.test_client())  # no session: the token cannot be checked
    response = submit(stranger, complaint(), tokens=tokens, expect=400)
    html = response.get_data(as_text=True)
    assert (
        say(
            app,
            "The form was open for a long time and its security token expired, so it was not "
            "sent. Nothing you wrote is lost: check it below and press Send again.",
        )
        in html
    )
    assert "Khiếu nại quyết định từ chối cấp phép" in html
    assert "Tôi đề nghị xem xét lại quyết định." in html
    # The page carries a fresh token: sending again works.
    resent = {
        "csrf_token": hidden(html, "csrf_token"),
        "submission_token": hidden(html, "submission_token"),
    }
    submit(stranger, complaint(), tokens=resent, expect=302)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Case.id))) == 1


def test_the_case_form_token_lives_long(app):
    from portal.cases.forms import CaseForm

    with app.test_request_context():
        assert CaseForm().meta.csrf_time_limit == 24 * 3600


def test_receipt_without_a_submission_explains_itself(client, app):
    response = client.get(RECEIPT_URL)
    assert response.headers["Cache-Control"] == "no-store"
    assert say(
        app,
        "The receipt is shown once, in the browser that sent the case. If you kept your case "
        "number and key, you can follow your case with them.",
    ) in response.get_data(as_text=True)


def test_receipt_is_not_cached(client):
    submit(client, reflection(), expect=302)
    assert client.get(RECEIPT_URL).headers["Cache-Control"] == "no-store"


def test_submissions_are_rate_limited_per_ip(app):
    with other_app(
        app,
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "CASE_SUBMIT_RATE_LIMIT": "2 per day",
            "MAIL_PORT": app.config["MAIL_PORT"],
        },
    ) as limited:
        client = PageClient(limited.test_client())
        statuses = [submit(client, reflection()).status_code for _ in range(3)]
    assert statuses == [302, 302, 429]


# --- the acknowledgement ----------------------------------------------------------------------


def test_acknowledgement_mail_carries_number_key_and_deadline(client, app, smtp):
    submit(client, complaint(), expect=302)
    number, key, _ = receipt(client)
    assert len(smtp.messages) == 1
    envelope = smtp.messages[0]
    assert envelope.rcpt_tos == ["an@example.vn"]
    body = email.message_from_bytes(envelope.content)
    text = "".join(
        part.get_payload(decode=True).decode("utf-8")
        for part in body.walk()
        if part.get_content_type() == "text/plain"
    )
    assert number in text and key in text
    with app.app_context():
        case = db.session.scalar(db.select(Case))
        assert case.acceptance_due_on.strftime("%d/%m/%Y") in text
        assert case.access_key_hash not in text


def test_mail_outage_never_fails_the_submission_and_is_sent_once_later(client, app, smtp):
    port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = _closed_port()
    try:
        submit(client, complaint(), expect=302)
    finally:
        app.config["MAIL_PORT"] = port
    number, _, _ = receipt(client)
    assert smtp.messages == []
    with app.app_context():
        message = db.session.scalar(db.select(OutboxMessage))
        assert message.status == OutboxStatus.PENDING and message.attempts == 1
        message.next_attempt_at = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["outbox", "send"]).exit_code == 0
    assert runner.invoke(args=["outbox", "send"]).exit_code == 0
    assert len(smtp.messages) == 1
    assert number.encode() in smtp.messages[0].content


def test_no_mail_without_an_email_address(client, app, smtp):
    submit(client, complaint(email=""), expect=302)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0
    assert smtp.messages == []


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
