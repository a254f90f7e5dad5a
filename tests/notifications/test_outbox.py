"""The outbox: messages queued in a transaction, delivered after commit, retried, given up on.

Delivery goes through a real SMTP server (the `smtp` fixture) or, in development, into files.
"""

import email
import email.policy
import socket
from datetime import UTC, datetime, timedelta

import pytest

from portal.core import site
from portal.core.audit import AuditEvent
from portal.extensions import db
from portal.notifications.models import OutboxMessage, OutboxStatus
from portal.notifications.services import deliver_due, prune, queue_email
from tests.factories import create_user

SUBJECT = "Mật khẩu của bạn đã được thay đổi – Sở Tài chính"


def queue_password_changed(user, *, subject=SUBJECT):
    message = queue_email(
        event="accounts/password_changed",
        recipient=user.email,
        subject=subject,
        user=user,
        site=site.load(),
    )
    db.session.commit()
    return message.id


def parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def outbox_row(message_id) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def make_due(message_id):
    """Move a message's next attempt into the past, as if its back-off had run out."""
    row = outbox_row(message_id)
    row.next_attempt_at = datetime.now(UTC) - timedelta(seconds=1)
    db.session.commit()


@pytest.fixture
def user(app_ctx):
    return create_user(role="editor", full_name="Nguyễn Thị Hồng Đào")


class Outage:
    """SMTP unreachable: the mail port points where nothing listens, until end()."""

    def __init__(self, app, port):
        self.app = app
        self.original_port = app.config["MAIL_PORT"]
        app.config["MAIL_PORT"] = port

    def end(self):
        self.app.config["MAIL_PORT"] = self.original_port


@pytest.fixture
def smtp_down(app):
    with socket.socket() as bound_not_listening:
        # A bound socket that never listens: connections to it are refused at once.
        bound_not_listening.bind(("127.0.0.1", 0))
        outage = Outage(app, bound_not_listening.getsockname()[1])
        try:
            yield outage
        finally:
            outage.end()


def test_queued_message_waits_for_delivery(user, smtp):
    message_id = queue_password_changed(user)

    assert outbox_row(message_id).status == OutboxStatus.PENDING
    assert smtp.messages == []


def test_delivered_message_keeps_its_vietnamese_subject(user, smtp):
    queue_password_changed(user)

    assert deliver_due() == (1, 0)
    (envelope,) = smtp.messages
    assert parse(envelope.content)["Subject"] == SUBJECT
    assert envelope.rcpt_tos == [user.email]


def test_delivered_message_has_a_text_and_an_html_part(user, smtp):
    queue_password_changed(user)
    deliver_due()

    message = parse(smtp.messages[0].content)
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None
    assert html is not None
    assert "Nguyễn Thị Hồng Đào" in text.get_content()
    assert "Nguyễn Thị Hồng Đào" in html.get_content()
    assert "<p>" in html.get_content()


def test_delivered_message_is_marked_sent(user, smtp):
    message_id = queue_password_changed(user)
    deliver_due()

    row = outbox_row(message_id)
    assert row.status == OutboxStatus.SENT
    assert row.sent_at is not None
    assert row.attempts == 1


def test_delivered_message_is_not_sent_twice(user, smtp):
    queue_password_changed(user)
    deliver_due()

    assert deliver_due() == (0, 0)
    assert len(smtp.messages) == 1


def test_message_stays_pending_when_smtp_is_unreachable(user, smtp, smtp_down):
    message_id = queue_password_changed(user)

    assert deliver_due() == (0, 1)

    row = outbox_row(message_id)
    assert row.status == OutboxStatus.PENDING
    assert row.attempts == 1
    assert row.last_error == "ConnectionRefusedError"
    assert row.next_attempt_at > datetime.now(UTC)
    assert smtp.messages == []


def test_message_is_not_retried_before_its_next_attempt(user, smtp, smtp_down):
    message_id = queue_password_changed(user)
    deliver_due()
    smtp_down.end()

    assert deliver_due() == (0, 0)
    assert outbox_row(message_id).attempts == 1


def test_message_is_delivered_by_a_later_run_once_due_and_smtp_is_back(user, smtp, smtp_down):
    message_id = queue_password_changed(user)
    deliver_due()
    smtp_down.end()
    make_due(message_id)

    assert deliver_due() == (1, 0)

    row = outbox_row(message_id)
    assert row.status == OutboxStatus.SENT
    assert row.attempts == 2
    assert row.last_error is None
    assert parse(smtp.messages[0].content)["Subject"] == SUBJECT


def test_message_is_marked_failed_after_the_last_allowed_attempt(app, user, smtp, smtp_down):
    message_id = queue_password_changed(user)
    max_attempts = app.config["OUTBOX_MAX_ATTEMPTS"]

    for _ in range(max_attempts - 1):
        deliver_due()
        assert outbox_row(message_id).status == OutboxStatus.PENDING
        make_due(message_id)
    deliver_due()

    row = outbox_row(message_id)
    assert row.status == OutboxStatus.FAILED
    assert row.attempts == max_attempts
    make_due(message_id)
    assert deliver_due() == (0, 0)


def test_file_transport_writes_one_eml_per_message(app, user, smtp, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_TRANSPORT", "file")
    monkeypatch.setitem(app.config, "MAIL_FILE_DIR", str(tmp_path))
    queue_password_changed(user, subject="Thư thứ nhất")
    queue_password_changed(user, subject="Thư thứ hai")

    assert deliver_due() == (2, 0)

    files = sorted(tmp_path.glob("*.eml"))
    subjects = {parse(f.read_bytes())["Subject"] for f in files}
    assert len(files) == 2
    assert subjects == {"Thư thứ nhất", "Thư thứ hai"}
    assert smtp.messages == []


def test_file_transport_message_has_the_recipient_and_both_parts(app, user, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_TRANSPORT", "file")
    monkeypatch.setitem(app.config, "MAIL_FILE_DIR", str(tmp_path))
    queue_password_changed(user)
    deliver_due()

    (eml,) = tmp_path.glob("*.eml")
    message = parse(eml.read_bytes())
    assert message["To"] == user.email
    assert message.get_body(preferencelist=("plain",)) is not None
    assert message.get_body(preferencelist=("html",)) is not None


def test_the_outbox_command_sends_what_is_due(app, user, smtp, smtp_down):
    message_id = queue_password_changed(user)
    deliver_due()  # fails: SMTP is down
    smtp_down.end()
    make_due(message_id)
    result = app.test_cli_runner().invoke(args=["outbox", "send"])
    assert result.exit_code == 0, result.output
    assert "sent 1, failed 0" in result.output
    assert len(smtp.messages) == 1


# --- pruning ----------------------------------------------------------------------------------


def _age(message_id, *, days, status):
    """Make a message `days` old in the state `status`, as delivery would have left it."""
    row = outbox_row(message_id)
    when = datetime.now(UTC) - timedelta(days=days)
    row.created_at = row.next_attempt_at = when
    row.status = status
    row.sent_at = when if status == OutboxStatus.SENT else None
    db.session.commit()


def test_prune_deletes_sent_and_given_up_mail_past_the_keep_period_only(app, user):
    keep = app.config["OUTBOX_KEEP_DAYS"]
    old_sent, old_failed, old_pending, new_sent, new_failed = (
        queue_password_changed(user, subject=f"Thư {n}") for n in range(5)
    )
    _age(old_sent, days=keep + 1, status=OutboxStatus.SENT)
    _age(old_failed, days=keep + 1, status=OutboxStatus.FAILED)
    _age(old_pending, days=keep + 100, status=OutboxStatus.PENDING)  # still to be delivered
    _age(new_sent, days=keep - 1, status=OutboxStatus.SENT)
    _age(new_failed, days=keep - 1, status=OutboxStatus.FAILED)

    assert prune(dry_run=True) == 2
    assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 5
    assert prune() == 2

    db.session.expire_all()
    left = set(db.session.scalars(db.select(OutboxMessage.id)))
    assert left == {old_pending, new_sent, new_failed}
    (event,) = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "outbox.pruned"))
    assert event.detail["deleted"] == 2
    assert user.email not in str(event.detail)
    assert prune() == 0  # nothing left to prune, nothing audited
    assert (
        db.session.scalar(
            db.select(db.func.count(AuditEvent.id)).where(AuditEvent.action == "outbox.pruned")
        )
        == 1
    )


def test_a_sent_message_is_kept_by_when_it_was_sent_not_when_it_was_queued(app, user):
    keep = app.config["OUTBOX_KEEP_DAYS"]
    message_id = queue_password_changed(user)
    row = outbox_row(message_id)
    row.created_at = datetime.now(UTC) - timedelta(days=keep + 10)  # queued long ago,
    row.status, row.sent_at = OutboxStatus.SENT, datetime.now(UTC) - timedelta(days=2)  # sent late
    db.session.commit()
    assert prune() == 0
    assert prune(now=datetime.now(UTC) + timedelta(days=keep)) == 1


def test_the_prune_command_reports_and_honours_dry_run(app, user):
    message_id = queue_password_changed(user)
    _age(message_id, days=app.config["OUTBOX_KEEP_DAYS"] + 1, status=OutboxStatus.SENT)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["outbox", "prune", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would delete 1 message(s)" in result.output
    assert outbox_row(message_id) is not None
    result = runner.invoke(args=["outbox", "prune"])
    assert result.exit_code == 0, result.output
    assert "deleted 1 message(s)" in result.output
    assert outbox_row(message_id) is None
