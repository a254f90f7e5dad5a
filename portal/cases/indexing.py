"""What the staff search and the related-case suggestions read, kept on the case itself.

`search_text` is the folded number, title, place and description (diacritics-insensitive
search; never in the public index). The digests are HMACs keyed with a key derived from
CASE_IDENTITY_KEY, so two cases from the same e-mail or phone, or with the same text once
folded and squeezed, can be matched without unsealing any identity.
"""

import hashlib
import hmac
import re

from flask import current_app

from portal.cases.identity import Identity
from portal.cases.models import Case
from portal.core.text import fold

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def _key() -> bytes:
    secret = str(current_app.config["CASE_IDENTITY_KEY"]).encode("ascii")
    return hashlib.sha256(b"case-digests:" + secret).digest()


def digest(value: str) -> str | None:
    """A keyed digest of a normalised value, or None for an empty one."""
    if not value:
        return None
    return hmac.new(_key(), value.encode("utf-8"), hashlib.sha256).hexdigest()


def squeeze(text: str) -> str:
    """Folded text with punctuation and spacing gone: near-identical copies meet here."""
    return _NOT_WORD.sub("", fold(text))


def refresh_search(case: Case) -> None:
    parts = [case.number, case.title, case.place, case.description, case.decision_concerned]
    case.search_text = fold(" ".join(p for p in parts if p))
    case.text_digest = digest(squeeze(case.description))


def refresh_digests(case: Case, who: Identity) -> None:
    case.email_digest = digest(who.email.strip().lower())
    case.phone_digest = digest("".join(ch for ch in who.phone if ch.isdigit() or ch == "+"))
