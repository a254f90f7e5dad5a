"""Values sealed at rest with a key from configuration, never from the database.

The key is `CASE_IDENTITY_KEY` (a Fernet key): it seals submitters' identities, the names of
people at reception sessions, and staff members' TOTP secrets. A copy of the database without
the configuration reveals none of them. Nothing here logs a value.
"""

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from sqlalchemy import String
from sqlalchemy.types import TypeDecorator


def fernet() -> Fernet:
    return Fernet(current_app.config["CASE_IDENTITY_KEY"])


def seal_text(value: str) -> str:
    return fernet().encrypt(value.encode("utf-8")).decode("ascii")


def unseal_text(sealed: str) -> str:
    try:
        return fernet().decrypt(sealed.encode("ascii")).decode("utf-8")
    except InvalidToken as error:
        # A wrong key in configuration: said without echoing anything sealed.
        raise RuntimeError("text cannot be unsealed with CASE_IDENTITY_KEY") from error


class SealedString(TypeDecorator):
    """A string column stored sealed: the model reads and writes it in clear.

    Sealing is not deterministic, so such a column can be read and written but never searched
    or compared in SQL (only `IS NULL`).
    """

    impl = String
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect):
        return None if value is None else seal_text(value)

    def process_result_value(self, value: str | None, dialect):
        return None if value is None else unseal_text(value)
