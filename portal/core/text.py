"""Vietnamese text: store it as typed (NFC), compare it folded.

Vietnamese can be typed precomposed or decomposed, and with the tone mark on either vowel of
"oa", "oe", "uy" (old "hoà", new "hòa"). Both spellings are correct, so stored text keeps what
the author chose and only search keys and slugs are folded.
"""

import re
import unicodedata
from typing import overload

__all__ = ["fold", "nfc", "slugify"]

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_D_LETTERS = str.maketrans({"đ": "d", "ð": "d"})


@overload
def nfc(value: str) -> str: ...
@overload
def nfc(value: None) -> None: ...
def nfc(value: str | None) -> str | None:
    """Return the value in Unicode NFC; None stays None."""
    if value is None:
        return None
    return unicodedata.normalize("NFC", value)


def fold(value: str) -> str:
    """Return a search key: lower case, no diacritics, đ as d, single spaces."""
    decomposed = unicodedata.normalize("NFD", value.lower())
    # Dropping every mark also drops where the tone sat, so "hoà" and "hòa" meet at "hoa".
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    # đ is a letter of its own, not d plus a mark, so decomposition leaves it alone. The
    # look-alike ð (Icelandic eth) turns up in text converted from old Vietnamese encodings.
    bare = bare.translate(_D_LETTERS)
    return " ".join(bare.split())


def slugify(value: str, max_length: int = 80) -> str:
    """Return an ASCII, kebab-case slug of at most max_length characters."""
    if max_length < 1:
        raise ValueError("max_length must be at least 1")
    slug = _NOT_SLUG.sub("-", fold(value)).strip("-")
    if len(slug) <= max_length:
        return slug
    cut = slug[:max_length]
    if slug[max_length] != "-" and "-" in cut:
        # Cut at a word boundary; a slug ending in half a word reads as a typo.
        cut = cut.rsplit("-", 1)[0]
    return cut.strip("-")
