"""Queue e-mails inside the caller's transaction; deliver them after commit, with retries."""

from datetime import UTC, datetime, timedelta

from flask import current_app, render_template

from portal.core import audit
from portal.core.i18n import in_locale
from portal.extensions import db
from portal.notifications import transport
from portal.notifications.models import OutboxMessage, OutboxStatus


def queue_email(
    *, event: str, recipient: str, subject: str, locale: str = "vi", **context
) -> OutboxMessage:
    """Render templates/emails/<event>.txt|.html and add the message to the outbox (no commit).

    Raises ValueError when the recipient or subject holds a line break (header injection).
    """
    if any(c in str(value) for value in (recipient, subject) for c in "\r\n"):
        raise ValueError("line break in an e-mail header value")
    with in_locale(locale):
        body_text = render_template(f"emails/{event}.txt", **context)
        body_html = render_template(f"emails/{event}.html", **context)
        subject = str(subject)
    message = OutboxMessage(
        event=event,
        recipient=recipient,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
    )
    db.session.add(message)
    return message


def deliver_due(*, limit: int = 50) -> tuple[int, int]:
    """Try every pending message whose time has come; return (sent, failed attempts)."""
    now = datetime.now(UTC)
    due = db.session.scalars(
        db.select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    sent = failed = 0
    for message in due:
        if _attempt(message):
            sent += 1
        else:
            failed += 1
        db.session.commit()
    return sent, failed


def prune(*, now: datetime | None = None, dry_run: bool = False) -> int:
    """Delete sent and given-up messages whose last attempt is OUTBOX_KEEP_DAYS old; commit.

    A sent mail is only a record of delivery, but it keeps a citizen's address and what was
    written to them long after the case itself may have been purged. Pending mail stays.
    """
    cutoff = (now or datetime.now(UTC)) - timedelta(days=current_app.config["OUTBOX_KEEP_DAYS"])
    done = db.or_(
        db.and_(OutboxMessage.status == OutboxStatus.SENT, OutboxMessage.sent_at < cutoff),
        # A given-up message was last tried when its next_attempt_at came.
        db.and_(
            OutboxMessage.status == OutboxStatus.FAILED, OutboxMessage.next_attempt_at < cutoff
        ),
    )
    count = db.session.scalar(db.select(db.func.count(OutboxMessage.id)).where(done))
    if dry_run or not count:
        return count
    db.session.execute(db.delete(OutboxMessage).where(done))
    audit.record(
        "outbox.pruned",
        detail={"deleted": count, "before": cutoff.isoformat(timespec="seconds")},
    )
    db.session.commit()
    return count


def _attempt(message: OutboxMessage) -> bool:
    message.attempts += 1
    try:
        transport.send(
            transport.build_message(
                recipient=message.recipient,
                subject=message.subject,
                body_text=message.body_text,
                body_html=message.body_html,
            ),
            message_id=message.id,
        )
    except Exception as error:  # any transport failure is retried later, never lost
        message.last_error = type(error).__name__
        if message.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
            message.status = OutboxStatus.FAILED
        else:
            backoff = timedelta(minutes=2 ** min(message.attempts, 10))
            message.next_attempt_at = datetime.now(UTC) + backoff
        current_app.logger.warning(
            "outbox message %s not sent (%s)", message.id, message.last_error
        )
        return False
    message.status = OutboxStatus.SENT
    message.sent_at = datetime.now(UTC)
    message.last_error = None
    return True
