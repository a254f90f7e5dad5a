"""Partners and their keys: registering, issuing, revoking, and checking a key on a POST.

Every change is audited with ids and the key's last four characters only; the key itself is
returned once, to the admin who issued it, and never stored or logged.
"""

from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

from portal.api.models import ApiKey, ApiPartner, key_digest, new_key
from portal.core import audit
from portal.core.text import nfc
from portal.extensions import db

# A key is used at most this often for its `last_used_at` (one write a minute, not per POST).
LAST_USED_RESOLUTION_SECONDS = 60


class PartnerNameTaken(ValueError):
    """Another partner already has this name (names are what cases record)."""


def partners() -> list[ApiPartner]:
    return list(db.session.scalars(db.select(ApiPartner).order_by(ApiPartner.name)))


def partner_by_public_id(public_id: str) -> ApiPartner | None:
    return db.session.scalar(db.select(ApiPartner).where(ApiPartner.public_id == public_id))


def key_by_public_id(partner: ApiPartner, public_id: str) -> ApiKey | None:
    return db.session.scalar(
        db.select(ApiKey).where(ApiKey.partner_id == partner.id, ApiKey.public_id == public_id)
    )


def _name_taken(name: str, *, other_than: int | None = None) -> bool:
    """Compared case-insensitively in Python: SQLite's lower() only folds ASCII letters, and
    a department registers a handful of partners, never thousands."""
    wanted = name.casefold()
    return any(
        other.casefold() == wanted
        for other_id, other in db.session.execute(db.select(ApiPartner.id, ApiPartner.name))
        if other_id != other_than
    )


def _commit_name(name: str) -> None:
    """Commit, saying PartnerNameTaken if another admin registered the name just before."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise PartnerNameTaken(name) from None


def create_partner(*, name: str, contact: str = "", note: str = "", by) -> ApiPartner:
    """Register a partner system (no key yet: issue_key gives one). Commits."""
    name = nfc(name).strip()
    if _name_taken(name):
        raise PartnerNameTaken(name)
    partner = ApiPartner(
        name=name, contact=nfc(contact).strip(), note=nfc(note).strip(), created_by_id=by.id
    )
    db.session.add(partner)
    try:
        db.session.flush()
    except IntegrityError:  # registered by another admin a moment ago
        db.session.rollback()
        raise PartnerNameTaken(name) from None
    audit.record(
        "api.partner_created", actor=by, target_type="api_partner", target_id=partner.public_id
    )
    _commit_name(name)
    return partner


def update_partner(
    partner: ApiPartner, *, name: str, contact: str, note: str, active: bool, by
) -> ApiPartner:
    """Rename, change the contact or switch a partner off (its keys stop working). Commits."""
    values = {
        "name": nfc(name).strip(),
        "contact": nfc(contact).strip(),
        "note": nfc(note).strip(),
        "active": bool(active),
    }
    if _name_taken(values["name"], other_than=partner.id):
        raise PartnerNameTaken(values["name"])
    changed = [field for field, value in values.items() if getattr(partner, field) != value]
    for field in changed:
        setattr(partner, field, values[field])
    if changed:
        audit.record(
            "api.partner_changed",
            actor=by,
            target_type="api_partner",
            target_id=partner.public_id,
            detail={"fields": changed},
        )
    _commit_name(values["name"])
    return partner


def issue_key(partner: ApiPartner, *, by) -> tuple[ApiKey, str]:
    """A new key for the partner; returns it in clear, the only time it exists. Commits.

    `by` is the admin, or None for the command line."""
    raw = new_key()
    key = ApiKey(
        partner=partner,
        digest=key_digest(raw),
        hint=raw[-4:],
        created_by_id=getattr(by, "id", None),
    )
    db.session.add(key)
    db.session.flush()
    audit.record(
        "api.key_issued",
        actor=by,
        target_type="api_partner",
        target_id=partner.public_id,
        detail={"key": key.public_id, "hint": key.hint},
    )
    db.session.commit()
    return key, raw


def revoke_key(key: ApiKey, *, by) -> None:
    """The key stops working at once. Revoking twice changes nothing. Commits."""
    if key.revoked_at is not None:
        return
    key.revoked_at = datetime.now(UTC)
    key.revoked_by_id = getattr(by, "id", None)
    audit.record(
        "api.key_revoked",
        actor=by,
        target_type="api_partner",
        target_id=key.partner.public_id,
        detail={"key": key.public_id, "hint": key.hint},
    )
    db.session.commit()


def authenticate(raw: str | None) -> ApiKey | None:
    """The live key a POST carries, or None (missing, unknown, revoked, partner switched off).

    Looked up by its SHA-256, an indexed equality on a value an attacker cannot choose to
    match: no timing difference tells how much of a guess was right.
    """
    if not raw or len(raw) > 200:
        return None
    key = db.session.scalar(
        db.select(ApiKey)
        .join(ApiPartner, ApiPartner.id == ApiKey.partner_id)
        .where(
            ApiKey.digest == key_digest(raw),
            ApiKey.revoked_at.is_(None),
            ApiPartner.active.is_(True),
        )
    )
    return key


def mark_used(key: ApiKey, *, now: datetime) -> None:
    """Note when the key was last used (at most once a minute); the caller commits."""
    last = key.last_used_at
    if last is None or (now - last).total_seconds() >= LAST_USED_RESOLUTION_SECONDS:
        key.last_used_at = now
