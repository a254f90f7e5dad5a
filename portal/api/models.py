"""Partner systems that submit cases through Open311, their keys, and what each POST created.

An admin registers a partner (the provincial app, the hotline call centre's software, …) by
name and issues it a key. The key is shown once; only its SHA-256 is stored (a key is 32 random
bytes, so a fast hash is as safe as a slow one and costs nothing per request). A key can be
revoked; a partner can hold a new key while the old one is phased out, and a partner can be
switched off altogether. Each accepted POST leaves one `Open311Submission`: which partner sent
which case, the `media_url` it gave (stored as text, never fetched) and, for batch services,
the token the partner polls with.
"""

import hashlib
import secrets
from datetime import UTC, datetime

from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.cases.models import Case
from portal.core.dbtypes import UTCDateTime
from portal.extensions import db

PARTNER_NAME_MAX = 120
KEY_PREFIX = "o311_"
MEDIA_URL_MAX = 2_000


def _now() -> datetime:
    return datetime.now(UTC)


def _public_id() -> str:
    return secrets.token_urlsafe(16)


def new_key() -> str:
    """A fresh api_key: a recognisable prefix and 256 random bits, URL- and form-safe."""
    return KEY_PREFIX + secrets.token_urlsafe(32)


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(18)


class ApiPartner(db.Model):
    __tablename__ = "api_partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(24), unique=True, default=_public_id)
    # Recorded on every case the partner submits (Case.source), as the channel's name.
    name: Mapped[str] = mapped_column(db.String(PARTNER_NAME_MAX), unique=True)
    contact: Mapped[str] = mapped_column(db.String(320), default="")  # who to call about it
    note: Mapped[str] = mapped_column(db.Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("staff_user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now, onupdate=_now)

    keys: Mapped[list["ApiKey"]] = relationship(
        back_populates="partner", order_by="ApiKey.id.desc()"
    )


class ApiKey(db.Model):
    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(24), unique=True, default=_public_id)
    partner_id: Mapped[int] = mapped_column(db.ForeignKey("api_partner.id"), index=True)
    digest: Mapped[str] = mapped_column(db.String(64), unique=True)  # SHA-256 hex of the key
    hint: Mapped[str] = mapped_column(db.String(8))  # the key's last four characters
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("staff_user.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("staff_user.id"))
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    partner: Mapped[ApiPartner] = relationship(back_populates="keys")

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class Open311Submission(db.Model):
    """A case a partner created by POST requests: goes with the case when it is purged."""

    __tablename__ = "open311_submission"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(
        db.ForeignKey("citizen_case.id", ondelete="CASCADE"), unique=True
    )
    partner_id: Mapped[int] = mapped_column(db.ForeignKey("api_partner.id"), index=True)
    key_id: Mapped[int] = mapped_column(db.ForeignKey("api_key.id"))
    # Batch services only: what the partner polls tokens/{token} with.
    token: Mapped[str | None] = mapped_column(db.String(32), unique=True)
    # The partner's media_url, kept as text for staff to open themselves: never fetched here.
    media_url: Mapped[str] = mapped_column(db.String(MEDIA_URL_MAX), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)

    partner: Mapped[ApiPartner] = relationship()
    case: Mapped[Case] = relationship()


@event.listens_for(Case, "before_delete")
def _forget_submission(mapper, connection, case) -> None:
    """A purged case takes its submission record with it (SQLite does not enforce
    ON DELETE CASCADE)."""
    table = Open311Submission.__table__
    connection.execute(table.delete().where(table.c.case_id == case.id))
