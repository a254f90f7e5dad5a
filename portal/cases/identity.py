"""A submitter's identity: sealed at rest, shown to staff only as the law allows.

Sealing: the identity is a Fernet token (core/sealing.py: the key from configuration, never
the database).
Only this module reads CaseIdentity.sealed. Nothing here logs the values.

Who sees it on staff pages (Luật Tố cáo 2018 art. 56; QĐ 774/QĐ-TTg):
- An anonymous case has no identity: staff see "Anonymous".
- A confidential case (every denunciation, and any case whose submitter asked) is masked for
  everyone: "Denouncer — identity protected" (or "Submitter — …" for the other kinds). Only
  the assigned handler and the head of the case's unit (authz.can_reveal) may reveal it, by a
  deliberate POST with a reason. The reveal is audited and committed before the identity is
  shown, on that one response (never kept in the session, never cached).
- Any other case: those who work it (authz.can_work: the assigned handler, the unit's head)
  see it in clear on the case page, whose every view is audited; those who only read it (a
  leader, the unit's other handlers, a unit asked for input) see it masked.
- Never anywhere else: no list, search, export, e-mail to staff, log or audit detail.
"""

import json
from dataclasses import asdict, dataclass

from cryptography.fernet import InvalidToken
from flask_babel import lazy_gettext as _l

from portal.cases import authz, workflow
from portal.cases.models import Case, Kind
from portal.core import audit
from portal.core.sealing import fernet as _fernet
from portal.extensions import db

REASON_MAX = 1000


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


def seal(identity: Identity) -> str:
    return _fernet().encrypt(json.dumps(asdict(identity)).encode("utf-8")).decode("ascii")


def unseal(sealed: str) -> Identity:
    try:
        data = json.loads(_fernet().decrypt(sealed.encode("ascii")))
    except (InvalidToken, ValueError) as error:
        # A wrong key in configuration: say so without echoing anything sealed.
        raise RuntimeError("case identity cannot be unsealed with CASE_IDENTITY_KEY") from error
    return Identity(**{k: data.get(k, "") for k in Identity.__dataclass_fields__})


# --- Showing it to staff ---------------------------------------------------------------------


class Shown:
    """How a case's submitter appears to one staff member."""

    ANONYMOUS = "anonymous"
    MASKED = "masked"
    CLEAR = "clear"


@dataclass(frozen=True)
class ShownIdentity:
    state: str  # a Shown value
    label: str  # what stands in place of the identity ("" when shown in clear)
    identity: Identity | None = None  # only when state is CLEAR
    can_reveal: bool = False


def is_denunciation(case: Case) -> bool:
    # Reclassifying a denunciation as another kind does not lift the denouncer's protection.
    return Kind.DENUNCIATION in (case.kind, case.submitted_kind)


def masked_label(case: Case):
    """The words shown in place of the submitter's identity."""
    if case.anonymous or case.identity is None:
        return _l("Anonymous")
    if case.confidential:
        if is_denunciation(case):
            return _l("Denouncer — identity protected")
        return _l("Submitter — identity protected")
    return _l("Submitter — shown only to those handling the case")


def shown_to(user, case: Case) -> ShownIdentity:
    """Tell how the case's submitter appears to this staff member (unsealing only for CLEAR)."""
    if case.anonymous or case.identity is None:
        return ShownIdentity(Shown.ANONYMOUS, masked_label(case))
    if case.confidential:
        return ShownIdentity(Shown.MASKED, masked_label(case), can_reveal=can_reveal(user, case))
    if authz.can_work(user, case):
        return ShownIdentity(Shown.CLEAR, "", identity=unseal(case.identity.sealed))
    return ShownIdentity(Shown.MASKED, masked_label(case))


def can_reveal(user, case: Case) -> bool:
    """There is an identity to reveal and the user may reveal it."""
    return case.identity is not None and not case.anonymous and authz.can_reveal(user, case)


class RevealRefused(Exception):
    """The user may not reveal this case's submitter, or there is no one to reveal."""


def reveal(case: Case, *, by, reason: str) -> Identity:
    """Unseal the submitter for one reading: audit who and why, commit, then return it.

    Raises RevealRefused (nothing recorded) when the user may not reveal it.
    """
    if not can_reveal(by, case):
        raise RevealRefused
    sealed = case.identity.sealed
    audit.record(
        "case.identity.revealed",
        actor=by,
        target_type="case",
        target_id=case.number,
        detail={"reason": reason},
    )
    # On the case's internal timeline too, so the unit sees who looked and why.
    workflow.record(case, "identity-revealed", by=by, note=reason, public=False)
    db.session.commit()
    # Unsealed only once the reveal is on record: a failed commit shows nothing.
    return unseal(sealed)
