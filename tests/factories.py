"""Keyword-only factories for test data. Call them inside an app context."""

import itertools
from datetime import UTC, datetime

import pyotp

from portal.accounts import services
from portal.accounts.models import User
from portal.extensions import db

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def create_user(
    *,
    role: str = "handler",
    email: str | None = None,
    full_name: str | None = None,
    password: str = PASSWORD,
    totp: bool | None = None,
    active: bool = True,
    unit_id: int | None = None,
) -> User:
    """Create a staff account; TOTP is enrolled by default for roles that require it."""
    n = next(_counter)
    user = services.create_user(
        email=email or f"{role}{n}@example.vn",
        full_name=full_name or f"Cán bộ {n}",
        role=role,
        password=password,
        actor=None,
        notify=False,
    )
    if totp is None:
        totp = role in ("admin", "head")
    if totp:
        user.totp_secret = pyotp.random_base32()
    user.active = active
    user.unit_id = unit_id
    db.session.commit()
    return _detached(user)


def _detached(obj):
    # Loaded and detached: tests can read it after the app context that made it is gone.
    db.session.refresh(obj)
    db.session.expunge(obj)
    return obj


def totp_code(user: User, *, offset_steps: int = 0) -> str:
    totp = pyotp.TOTP(user.totp_secret)
    return totp.generate_otp(totp.timecode(datetime.now(UTC)) + offset_steps)
