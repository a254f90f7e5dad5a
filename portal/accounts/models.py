"""Staff accounts, their server-side sessions and the sign-in throttle."""

import secrets
from datetime import UTC, datetime

from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.permissions import Permission, Role, role_has
from portal.core.dbtypes import UTCDateTime
from portal.core.sealing import SealedString
from portal.extensions import db

EMAIL_MAX = 254
NAME_MAX = 120


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_public_id() -> str:
    # URLs carry this random id, never the sequential primary key.
    return secrets.token_urlsafe(12)


class User(db.Model):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(22), unique=True, default=new_public_id)
    email: Mapped[str] = mapped_column(db.String(EMAIL_MAX), unique=True)
    full_name: Mapped[str] = mapped_column(db.String(NAME_MAX))
    role: Mapped[str] = mapped_column(db.String(20))
    password_hash: Mapped[str] = mapped_column(db.String(255))
    active: Mapped[bool] = mapped_column(default=True)
    # Sealed at rest (core/sealing.py): a copy of the database alone cannot make codes.
    totp_secret: Mapped[str | None] = mapped_column(SealedString(255))
    # The last accepted TOTP time step: a code is never accepted twice.
    totp_last_step: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The unit the staff member works in: handlers and heads see the cases of their unit.
    unit_id: Mapped[int | None] = mapped_column(db.ForeignKey("unit.id"), index=True)
    unit = relationship("Unit", lazy="joined")

    sessions: Mapped[list["StaffSession"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    # Flask-Login's interface, written out rather than inherited so nothing is implicit.
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return self.public_id

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def audit_label(self) -> str:
        return self.email

    @property
    def has_2fa(self) -> bool:
        return bool(self.totp_secret)

    @property
    def requires_2fa(self) -> bool:
        return self.role in current_app.config["ROLES_REQUIRING_2FA"]

    @property
    def must_enrol_2fa(self) -> bool:
        return self.requires_2fa and not self.has_2fa

    def can(self, permission: Permission) -> bool:
        return self.active and role_has(self.role, permission)


class StaffSession(db.Model):
    """A signed-in browser. The cookie holds a random token; only its hash is stored."""

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(db.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("staff_user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ip: Mapped[str | None] = mapped_column(db.String(45))
    user_agent: Mapped[str | None] = mapped_column(db.String(200))

    user: Mapped[User] = relationship(back_populates="sessions")


class LoginThrottle(db.Model):
    """Failed sign-ins per e-mail address typed, whether or not such an account exists.

    Keyed by a hash of the address so that unknown and known accounts behave the same
    (no enumeration) and the table holds no address in clear.
    """

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(db.String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
