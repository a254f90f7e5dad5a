"""Seal and unseal a submitter's identity with the key from configuration (Fernet).

Only this module reads CaseIdentity.sealed. Nothing here logs the values.
"""

import json
from dataclasses import asdict, dataclass

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


@dataclass(frozen=True)
class Identity:
    name: str = ""
    address: str = ""
    phone: str = ""  # E.164
    email: str = ""
    id_number: str = ""  # CCCD, only where the law needs it

    @property
    def empty(self) -> bool:
        return not any(asdict(self).values())


def _fernet() -> Fernet:
    return Fernet(current_app.config["CASE_IDENTITY_KEY"])


def seal(identity: Identity) -> str:
    return _fernet().encrypt(json.dumps(asdict(identity)).encode("utf-8")).decode("ascii")


def unseal(sealed: str) -> Identity:
    try:
        data = json.loads(_fernet().decrypt(sealed.encode("ascii")))
    except (InvalidToken, ValueError) as error:
        # A wrong key in configuration: say so without echoing anything sealed.
        raise RuntimeError("case identity cannot be unsealed with CASE_IDENTITY_KEY") from error
    return Identity(**{k: data.get(k, "") for k in Identity.__dataclass_fields__})


def seal_text(value: str) -> str:
    """Seal free text that names people (who came to a reception session)."""
    return _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def unseal_text(sealed: str) -> str:
    try:
        return _fernet().decrypt(sealed.encode("ascii")).decode("utf-8")
    except InvalidToken as error:
        raise RuntimeError("text cannot be unsealed with CASE_IDENTITY_KEY") from error
