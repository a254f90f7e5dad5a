"""The admins' outbox page: who may see it, what it never shows, the retry button."""

from datetime import UTC, datetime, timedelta

import pytest

from portal.accounts.models import Role
from portal.extensions import db
from portal.notifications.models import OutboxMessage, OutboxStatus
from tests.auth import sign_in
from tests.factories import create_user

URL = "/staff/outbox"


def add_message(*, event, recipient, body, status=OutboxStatus.PENDING, due=True):
    message = OutboxMessage(
        event=event,
        recipient=recipient,
        subject="Chủ đề",
        body_text=body,
        body_html=f"<p>{body}</p>",
        status=status,
        next_attempt_at=datetime.now(UTC) - timedelta(seconds=1 if due else -3600),
        last_error="ConnectionRefusedError",
    )
    db.session.add(message)
    db.session.commit()
    return message.id


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_only_admins_open_the_outbox(app, client, role):
    with app.app_context():
        user = create_user(role=role)
    sign_in(client, user)
    client.get(URL, expect=200 if role == "admin" else 403)


@pytest.mark.parametrize("role", [r.value for r in Role if r.value != "admin"])
def test_only_admins_retry(app, client, role):
    with app.app_context():
        user = create_user(role=role)
    sign_in(client, user)
    client.submit(URL + "/retry", {}, token_from="/staff/account/password", expect=403)


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(URL, expect=302).headers["Location"].startswith("/staff/login")


def test_case_mail_shows_neither_recipient_nor_body(app, client):
    with app.app_context():
        add_message(event="cases/received", recipient="to-cao@example.vn", body="Bí mật tố cáo XYZ")
        add_message(
            event="accounts/password_changed", recipient="bien-tap@example.vn", body="Mật khẩu"
        )
        admin = create_user(role="admin")
    sign_in(client, admin)
    html = client.get(URL).get_data(as_text=True)
    assert "to-cao@example.vn" not in html
    assert "Bí mật tố cáo" not in html
    assert "cases/received" in html
    assert "bien-tap@example.vn" in html
    assert "Mật khẩu" not in html  # bodies are never shown
    assert "ConnectionRefusedError" in html


def test_newest_first_and_paginated(app, client):
    with app.app_context():
        for n in range(51):
            add_message(event="accounts/password_changed", recipient=f"u{n}@example.vn", body="x")
        admin = create_user(role="admin")
    sign_in(client, admin)
    first = client.get(URL).get_data(as_text=True)
    assert "u50@example.vn" in first and "u0@example.vn" not in first
    second = client.get(URL + "?page=2").get_data(as_text=True)
    assert "u0@example.vn" in second


def test_retry_delivers_due_messages_through_smtp(app, client, smtp):
    with app.app_context():
        message_id = add_message(
            event="accounts/password_changed", recipient="bien-tap@example.vn", body="Xin chào"
        )
        admin = create_user(role="admin")
    sign_in(client, admin)
    smtp.clear()
    response = client.submit(URL + "/retry", {}, token_from=URL, expect=302)
    assert response.headers["Location"].endswith(URL)
    assert [m.rcpt_tos for m in smtp.messages] == [["bien-tap@example.vn"]]
    with app.app_context():
        row = db.session.get(OutboxMessage, message_id)
        assert row.status == OutboxStatus.SENT
        assert row.attempts == 1


def test_retry_needs_the_csrf_token(app, client):
    with app.app_context():
        admin = create_user(role="admin")
    sign_in(client, admin)
    response = client.post(URL + "/retry", data={})
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        assert not response.headers["Location"].endswith("/staff/login")


def test_the_page_says_how_long_mail_is_kept(app, client):
    app.config["OUTBOX_KEEP_DAYS"] = 45
    with app.app_context():
        user = create_user(role="admin")
    sign_in(client, user)
    html = client.get(URL, expect=200).get_data(as_text=True)
    assert "được xóa sau 45 ngày kể từ lần thử cuối" in html
