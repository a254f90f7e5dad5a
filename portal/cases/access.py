"""The secret access key a citizen gets with the case number.

At least 80 bits from the OS CSPRNG, in an alphabet without look-alikes (no 0/O, 1/I/L),
grouped by four for reading aloud: 7KQ4-M2XD-9PWA-H3TC-5 (17 symbols of 31: 84 bits).
Only a salted password-KDF hash is stored; checking always hashes, so a wrong number and a
wrong key take the same time.
"""

import secrets

from werkzeug.security import check_password_hash, generate_password_hash

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # 31 symbols, no 0/O/1/I/L
GROUPS = 4
GROUP_SIZE = 4
# 16 symbols give 79.3 bits; a 17th keeps the key above 80 bits (84).
SYMBOLS = GROUPS * GROUP_SIZE + 1
_DUMMY_HASH = None


def new_key() -> str:
    """Return a fresh key, grouped for reading: XXXX-XXXX-XXXX-XXXX-X."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(SYMBOLS))
    return "-".join(raw[i : i + GROUP_SIZE] for i in range(0, len(raw), GROUP_SIZE))


def normalise(typed: str) -> str:
    """What the citizen typed, as the key was issued: upper case, no spaces or dashes."""
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())


def hash_key(key: str, method: str = "scrypt") -> str:
    return generate_password_hash(normalise(key), method=method)


def check_key(stored_hash: str | None, typed: str, method: str = "scrypt") -> bool:
    """Constant work whether or not there is a hash to check (no case-number enumeration)."""
    global _DUMMY_HASH
    if stored_hash is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = generate_password_hash("not-a-key", method=method)
        check_password_hash(_DUMMY_HASH, normalise(typed))
        return False
    return check_password_hash(stored_hash, normalise(typed))
