"""Vietnamese phone numbers: typed any usual way, stored in E.164 (+84…), shown grouped.

Mobile numbers have 10 digits and start 03, 05, 07, 08 or 09. Landlines have 11 digits: 0, a
two- or three-digit area code starting with 2 (24 Hà Nội, 28 Hồ Chí Minh City, 205 Lạng Sơn,
…), then the subscriber number. Anything else (short codes, 1800/1900 lines, foreign
numbers) is refused with a message saying what to type, not guessed at.
"""

import re

from flask_babel import lazy_gettext as _l

MOBILE_PREFIXES = ("03", "05", "07", "08", "09")
TWO_DIGIT_AREA_CODES = ("024", "028")
_SEPARATORS = re.compile(r"[\s.\-()/]")


class InvalidPhone(ValueError):
    """str(error) is a message for the person who typed the number."""


def _national(value: str) -> str:
    """Return the number as national digits (0…) or raise InvalidPhone."""
    compact = _SEPARATORS.sub("", value or "")
    if compact.startswith("+84"):
        compact = "0" + compact[3:]
    elif compact.startswith("0084"):
        compact = "0" + compact[4:]
    if not compact.isdigit() or not compact.isascii():
        raise InvalidPhone(_l("Enter the phone number with digits only, like 0205 3812 345"))
    return compact


def normalise_phone(value: str) -> str:
    """Return a Vietnamese mobile or landline number in E.164, like +842053812345."""
    national = _national(value)
    is_mobile = len(national) == 10 and national.startswith(MOBILE_PREFIXES)
    is_landline = len(national) == 11 and national.startswith("02")
    if not (is_mobile or is_landline):
        raise InvalidPhone(
            _l(
                "Enter a Vietnamese phone number: a 10-digit mobile number starting 03, 05, "
                "07, 08 or 09, or a landline with its area code, like 0205 3812 345"
            )
        )
    return "+84" + national[1:]


def format_phone(e164: str | None) -> str:
    """Return a stored number as people write it in Vietnam: 0205 3812 345, 0912 345 678."""
    if not e164:
        return ""
    if not e164.startswith("+84"):
        return e164
    national = "0" + e164[3:]
    if len(national) == 10:
        return f"{national[:4]} {national[4:7]} {national[7:]}"
    if len(national) == 11 and national.startswith(TWO_DIGIT_AREA_CODES):
        return f"{national[:3]} {national[3:7]} {national[7:]}"
    if len(national) == 11:
        return f"{national[:4]} {national[4:8]} {national[8:]}"
    return national
