"""Reads for staff accounts."""

from portal.accounts.models import User
from portal.extensions import db


def user_by_email(email: str) -> User | None:
    """Return the account with this (already normalised) e-mail address."""
    return db.session.scalar(db.select(User).where(User.email == email))


def user_by_public_id(public_id: str) -> User | None:
    """Return the account behind a public id, or None."""
    return db.session.scalar(db.select(User).where(User.public_id == public_id))


def list_users():
    """Return all staff accounts, active first, then by name."""
    return db.session.scalars(
        db.select(User).order_by(User.active.desc(), User.full_name, User.email)
    ).all()
