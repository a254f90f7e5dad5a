"""Password policy and hashing."""

from functools import cache
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

COMMON_PASSWORDS_FILE = Path(__file__).with_name("common-passwords.txt")
# werkzeug's scrypt (n=2**15, r=8, p=1): a memory-hard KDF with a per-hash random salt.
DEFAULT_HASH_METHOD = "scrypt"


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, *, email: str = "") -> str | None:
    """Return why the password is refused, in the reader's language, or None if it is fine."""
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password) < minimum:
        return _("Use at least %(n)d characters.", n=minimum)
    lowered = password.lower()
    if lowered in common_passwords():
        return _("This password is too common. Choose a longer phrase only you would use.")
    local_part = email.split("@", 1)[0].lower()
    if len(local_part) >= 4 and local_part in lowered:
        return _("Do not use your e-mail address in your password.")
    if len(set(password)) < 5:
        return _("Use more different characters.")
    return None


def hash_password(password: str) -> str:
    method = current_app.config.get("PASSWORD_HASH_METHOD", DEFAULT_HASH_METHOD)
    return generate_password_hash(password, method=method)


def verify_password(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


def spend_equal_time(password: str) -> None:
    """Hash against a throw-away hash so unknown accounts take as long as known ones."""
    check_password_hash(_dummy_hash(current_app.config.get("PASSWORD_HASH_METHOD")), password)


@cache
def _dummy_hash(method: str | None) -> str:
    return generate_password_hash("not-a-real-password", method=method or DEFAULT_HASH_METHOD)
