"""Lost keys, rate limits, and a register that never shows who sent a case."""

import email
import re
from email import policy

import pytest

from portal.cases.models import Case, Kind
from portal.core.audit import AuditEvent
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from tests.apps import other_app
from tests.auth import sign_in
from tests.cases.factories import create_case
from tests.cases.test_tracking import case_url, open_case
from tests.cases.wording import say
from tests.factories import create_user
from tests.pages import PageClient

# The msgid of the one answer to every lost-key request: pass it through say().
SAME_ANSWER = (
    "If the case number and e-mail address match a case, a new access key has "
    "been sent to that address. The old key no longer works."
)


def _received(smtp):
    return [
        (envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default))
        for envelope in smtp.messages
    ]


def _ask_for_key(client, number, address):
    response = client.submit("/tra-cuu/quen-ma", {"number": number, "email": address}, expect=302)
    assert response.headers["Location"] == "/tra-cuu"
    return client.get("/tra-cuu").get_data(as_text=True)


def test_a_lost_key_is_replaced_and_sent_to_the_address_given(app, client, smtp):
    with app.app_context():
        case, old_key = create_case(name="Trần Thị B", email="Tran.B@Example.vn")
    page = _ask_for_key(client, case.number.lower(), "tran.b@example.vn")
    assert say(app, SAME_ANSWER) in page
    messages = _received(smtp)
    assert len(messages) == 1
    recipients, message = messages[0]
    assert recipients == ["Tran.B@Example.vn"]
    body = message.get_body(("plain",)).get_content()
    assert case.number in body
    new_key = next(
        line.split(": ", 1)[1].strip()
        for line in body.splitlines()
        if say(app, "New access key") in line
    )
    assert new_key != old_key
    # The old key stops working; the new one opens the case.
    open_case(client, case, old_key, expect=401)
    open_case(client, case, new_key, expect=302)
    with app.app_context():
        audit = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "case.key-reissued")
        ).one()
        assert "Tran" not in str(audit.detail) + str(audit.target_id)


def test_the_new_key_mail_links_to_the_public_address_whatever_host_was_asked(
    app, client, smtp, monkeypatch
):
    # Anyone who knows a number and its address can ask for a new key: a forged Host header
    # must not put the forger's site in the mail the citizen receives.
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://tiepcongdan.example.gov.vn")
    with app.app_context():
        case, _ = create_case(name="Trần Thị B", email="tran.b@example.vn")
    forged = {"base_url": "http://evil.example"}  # the Host header of every request below
    html = client.raw.get("/tra-cuu/quen-ma", **forged).get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html).group(1)
    data = {"csrf_token": token, "number": case.number, "email": "tran.b@example.vn"}
    assert client.raw.post("/tra-cuu/quen-ma", data=data, **forged).status_code == 302
    ((_, message),) = _received(smtp)
    for part in ("plain", "html"):
        body = message.get_body((part,)).get_content()
        assert "https://tiepcongdan.example.gov.vn/tra-cuu" in body
        assert "evil.example" not in body


@pytest.mark.parametrize(
    "number, address",
    [
        ("real", "someone.else@example.vn"),  # the case exists, the address does not match
        ("PA-2026-999999", "tran.b@example.vn"),  # no such case
        ("anonymous", "tran.b@example.vn"),  # a case sent without any e-mail
    ],
)
def test_non_matching_details_get_the_same_answer_and_no_mail(app, client, smtp, number, address):
    with app.app_context():
        case, key = create_case(name="Trần Thị B", email="tran.b@example.vn")
        anonymous, _ = create_case()
    number = {"real": case.number, "anonymous": anonymous.number}.get(number, number)
    page = _ask_for_key(client, number, address)
    assert say(app, SAME_ANSWER) in page
    assert smtp.messages == []
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 0
    open_case(client, case, key, expect=302)  # the key still works


def test_lookup_wrong_guesses_are_rate_limited_per_address(app):
    with app.app_context():
        case, key = create_case()
    overrides = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "UPLOAD_FOLDER": app.config["UPLOAD_FOLDER"],
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "CASE_LOOKUP_RATE_LIMIT": "3 per day",
    }
    with other_app(app, overrides=overrides) as limited:
        client = PageClient(limited.test_client())
        statuses = [
            client.submit("/tra-cuu", {"number": f"PA-2026-00000{i}", "key": "WRONG"}).status_code
            for i in range(4)
        ]
        assert statuses == [401, 401, 401, 429]
        # The right key from the same address is refused too while the limit lasts.
        assert open_case(client, case, key).status_code == 429


def test_lookup_wrong_guesses_are_rate_limited_per_case_number(app):
    with app.app_context():
        case, _key = create_case()
    overrides = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "CASE_LOOKUP_RATE_LIMIT": "2 per day",
    }
    with other_app(app, overrides=overrides) as limited:
        client = PageClient(limited.test_client())
        statuses = [
            client.submit(
                "/tra-cuu",
                {"number": case.number, "key": "WRONG"},
                environ_base={"REMOTE_ADDR": f"10.0.0.{i}"},
            ).status_code
            for i in range(3)
        ]
        assert statuses == [401, 401, 429]


def test_successful_lookups_do_not_use_up_the_limit(app):
    with app.app_context():
        case, key = create_case()
    overrides = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "CASE_LOOKUP_RATE_LIMIT": "2 per day",
    }
    with other_app(app, overrides=overrides) as limited:
        client = PageClient(limited.test_client())
        assert [open_case(client, case, key).status_code for _ in range(4)] == [302] * 4


def test_lost_key_requests_are_rate_limited(app):
    overrides = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "CASE_LOOKUP_RATE_LIMIT": "2 per day",
    }
    with other_app(app, overrides=overrides) as limited:
        client = PageClient(limited.test_client())
        statuses = [
            client.submit(
                "/tra-cuu/quen-ma", {"number": "PA-2026-000001", "email": "a@example.vn"}
            ).status_code
            for _ in range(3)
        ]
        assert statuses == [302, 302, 429]


# The staff register


@pytest.mark.parametrize("role", ["handler", "head"])
def test_case_workers_see_the_register(app, client, role):
    with app.app_context():
        case, _ = create_case(kind="complaint", name="Lê Văn C", email="c@example.vn")
        user = create_user(role=role)
    sign_in(client, user)
    # A handler's inbox starts on the cases assigned to them: ask for everyone's.
    html = client.get("/staff/cases?assignee=any").get_data(as_text=True)
    assert case.number in html
    with app.test_request_context():
        assert str(Kind.COMPLAINT.label) in html


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_other_roles_cannot_see_the_register(app, client, role):
    with app.app_context():
        user = create_user(role=role)
    sign_in(client, user)
    client.get("/staff/cases", expect=403)


def test_the_register_needs_a_sign_in(client):
    response = client.get("/staff/cases", expect=302)
    assert response.headers["Location"].startswith("/staff/login")


def test_a_denouncers_identity_appears_on_no_staff_page_and_in_no_other_mail(app, client, smtp):
    identity = {
        "name": "Hoàng Thị Bí Mật",
        "address": "Số 12 ngõ Kín, phường Tam Thanh",
        "phone": "+84912345678",
        "email": "bi.mat@example.vn",
    }
    with app.app_context():
        case, key = create_case(kind="denunciation", **identity)
        head = create_user(role="head")
        admin = create_user(role="admin")
    # The citizen uses the case: a message, a lost key, a withdrawal (all audited).
    citizen = PageClient(app.test_client())
    open_case(citizen, case, key, expect=302)
    citizen.submit(
        f"{case_url(case)}/bo-sung", {"body": "Bổ sung"}, token_from=case_url(case), expect=302
    )
    citizen.submit(
        "/tra-cuu/quen-ma", {"number": case.number, "email": identity["email"]}, expect=302
    )
    sign_in(client, head)
    pages = [client.get("/staff/cases").get_data(as_text=True)]
    admin_client = PageClient(app.test_client())
    sign_in(admin_client, admin)
    pages.append(admin_client.get("/staff/audit-log").get_data(as_text=True))
    with app.app_context():
        outbox = db.session.scalars(db.select(OutboxMessage)).all()
        others = [
            m.subject + m.body_text + m.body_html
            for m in outbox
            if m.recipient != identity["email"]
        ]
        audit = [
            str(e.detail) + str(e.target_id) for e in db.session.scalars(db.select(AuditEvent))
        ]
        assert db.session.scalar(db.select(Case.number).where(Case.public_id == case.public_id))
    for text in pages + others + audit:
        for value in (*identity.values(), "0912345678", "0912 345 678"):
            assert value not in text
