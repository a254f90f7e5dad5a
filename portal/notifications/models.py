"""The outbox: every e-mail is a row first, written in the same transaction as its cause."""

import enum
from datetime import UTC, datetime

from sqlalchemy.orm import Mapped, mapped_column

from portal.core.dbtypes import UTCDateTime
from portal.extensions import db


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after OUTBOX_MAX_ATTEMPTS


class OutboxMessage(db.Model):
    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: datetime.now(UTC))
    event: Mapped[str] = mapped_column(db.String(60))
    recipient: Mapped[str] = mapped_column(db.String(254))
    subject: Mapped[str] = mapped_column(db.String(250))
    body_text: Mapped[str] = mapped_column(db.Text)
    body_html: Mapped[str | None] = mapped_column(db.Text)
    status: Mapped[str] = mapped_column(db.String(10), default=OutboxStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=lambda: datetime.now(UTC), index=True
    )
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Exception class only: SMTP errors can echo addresses or content back.
    last_error: Mapped[str | None] = mapped_column(db.String(120))
