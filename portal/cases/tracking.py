"""Following a case after it was sent: look-up, messages, withdrawal, rating, a new key.

Reads and writes for the citizen's side. Services own the transaction: each changes the case,
appends a CaseEvent, records an audit event without personal data, and commits. Citizen text
is never logged or put in the audit log; cases are named there by their random public_id.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app, session
from flask_babel import lazy_gettext as _l

from portal.cases import access, deadlines, workflow
from portal.cases.forms import TOPIC_LABELS
from portal.cases.identity import unseal
from portal.cases.models import (
    Actor,
    Case,
    CaseAttachment,
    CaseEvent,
    CaseMessage,
    CaseResponse,
    CaseStatus,
    Kind,
    ResponseStatus,
)
from portal.cases.services import Upload, check_uploads, recorded_text
from portal.core import audit, site
from portal.core.text import nfc
from portal.core.uploads import discard_file, store_bytes, strip_image_metadata, upload_name
from portal.extensions import db
from portal.notifications.services import deliver_due, queue_email

# The cases this browser has opened with number and key: public_ids, newest last.
SESSION_KEY = "cases_opened"
SESSION_MAX = 10
# The citizen may rate the handling once the case is answered, or closed.
RATABLE = frozenset({CaseStatus.RESPONDED, CaseStatus.CLOSED})

STATUS_TEXT = {
    CaseStatus.RECEIVED: _l(
        "Received. The handling unit is checking whether it can accept your case."
    ),
    CaseStatus.CLASSIFIED: _l(
        "Being examined. The handling unit has sorted your case and is deciding whether it can "
        "accept it."
    ),
    CaseStatus.ACCEPTED: _l(
        "Accepted. The handling unit has taken up your case and will resolve it by the date below."
    ),
    CaseStatus.NOT_ACCEPTED: _l(
        "Not accepted. The handling unit cannot take up your case, for the reason given below."
    ),
    CaseStatus.TRANSFERRED: _l(
        "Transferred. Your case is for another body to handle; it was sent there and keeps "
        "its number."
    ),
    CaseStatus.MERGED: _l(
        "Merged. Your case repeats another one, and both are handled together as that case."
    ),
    CaseStatus.ASSIGNED: _l("Being handled. An official has been given your case to work on."),
    CaseStatus.VERIFYING: _l(
        "Being checked. The handling unit is verifying the facts; it may ask you for "
        "information here."
    ),
    CaseStatus.DRAFTED: _l("A response is being written and will be checked before it is sent."),
    CaseStatus.APPROVED: _l("The response has been approved and will be published to you soon."),
    CaseStatus.RESPONDED: _l(
        "Answered. The response is below. You can rate how your case was handled."
    ),
    CaseStatus.CLOSED: _l("Closed. The handling unit has given its final response."),
    CaseStatus.WITHDRAWN: _l("Withdrawn at your request. Nothing more will be done."),
    CaseStatus.REOPENED: _l(
        "Reopened. Your case is being handled again (a second complaint or new facts)."
    ),
}
EVENT_TEXT = {
    "submitted": _l("Case received"),
    "message": _l("You added information"),
    "staff-message": _l("Message from the handling unit"),
    "withdrawn": _l("Case withdrawn"),
    "rated": _l("You rated the handling of the case"),
    "key-reissued": _l("A new access key was sent to the e-mail address given"),
    "closed": _l("Case closed"),
    "extended": _l("The period for resolving the case was extended"),
    "response-published": _l("The response was published"),
}
# A move the workflow recorded under its default action ("status:<to>"): said by where it went.
MOVE_TEXT = {
    CaseStatus.CLASSIFIED: _l("Case examined and sorted"),
    CaseStatus.ACCEPTED: _l("Case accepted for handling"),
    CaseStatus.NOT_ACCEPTED: _l("Case not accepted"),
    CaseStatus.TRANSFERRED: _l("Case transferred to another body"),
    CaseStatus.MERGED: _l("Case merged with another case"),
    CaseStatus.ASSIGNED: _l("An official was given the case"),
    CaseStatus.VERIFYING: _l("Verification started"),
    CaseStatus.DRAFTED: _l("A response is being written"),
    CaseStatus.APPROVED: _l("The response was approved"),
    CaseStatus.RESPONDED: _l("The response was published"),
    CaseStatus.CLOSED: _l("Case closed"),
    CaseStatus.WITHDRAWN: _l("Case withdrawn"),
    CaseStatus.REOPENED: _l("Case reopened"),
}
UPDATED = _l("The handling unit updated the case")


def status_label(case: Case):
    try:
        return CaseStatus(case.status).label
    except ValueError:
        return case.status


class NotAllowed(Exception):
    """The citizen asked for something the case's state does not allow."""


# --- Reads -----------------------------------------------------------------------------------


def normalise_number(typed: str) -> str:
    """PA-2026-000123 as typed with spaces or in lower case."""
    return "".join((typed or "").split()).upper()


def find_case(number: str, key: str) -> Case | None:
    """Return the case the number names if the key matches; the same work either way."""
    case = db.session.scalar(db.select(Case).where(Case.number == normalise_number(number)))
    ok = access.check_key(case.access_key_hash if case else None, key)
    return case if ok and case is not None else None


def opened_ids() -> list[str]:
    return list(session.get(SESSION_KEY, []))


def remember(case: Case) -> None:
    """Let this browser open the case until it closes it or the session ends."""
    ids = [i for i in opened_ids() if i != case.public_id] + [case.public_id]
    session[SESSION_KEY] = ids[-SESSION_MAX:]


def forget(public_id: str) -> None:
    session[SESSION_KEY] = [i for i in opened_ids() if i != public_id]


def opened_case(public_id: str) -> Case | None:
    """The case, only if this browser opened it with its number and key."""
    if public_id not in opened_ids():
        return None
    return db.session.scalar(db.select(Case).where(Case.public_id == public_id))


def opened_attachment(case: Case, public_id: str) -> CaseAttachment | None:
    """A file of the case the citizen may have: theirs, a message's, or a published response's.

    A document of a response still being drafted or approved is the unit's, not yet the
    citizen's.
    """
    attachment = db.session.scalar(
        db.select(CaseAttachment).where(
            CaseAttachment.case_id == case.id, CaseAttachment.public_id == public_id
        )
    )
    if attachment is None:
        return None
    if attachment.response is not None and attachment.response.status != ResponseStatus.PUBLISHED:
        return None
    return attachment


def public_events(case: Case) -> list[CaseEvent]:
    """The citizen's timeline: public events only; internal ones (notes, drafts) never."""
    return [event for event in case.events if event.public]


def event_text(event: CaseEvent):
    if event.action in EVENT_TEXT:
        return EVENT_TEXT[event.action]
    if event.action.startswith("status:") and event.to_status in MOVE_TEXT:
        return MOVE_TEXT[CaseStatus(event.to_status)]
    return recorded_text(event.action) or UPDATED


def status_text(case: Case):
    return STATUS_TEXT.get(case.status, case.status)


def stage(case: Case) -> str:
    """Which deadline the citizen should see: acceptance, resolution, or none (it ended)."""
    if case.status in workflow.BEFORE_ACCEPTANCE:
        return "before-acceptance"
    if case.status in workflow.IN_PROGRESS:
        return "in-progress"
    return "ended"


def published_responses(case: Case) -> list[CaseResponse]:
    """The responses the citizen may read, oldest first, with their documents."""
    return [r for r in case.responses if r.status == ResponseStatus.PUBLISHED]


def refusal_reason(case: Case):
    """The legal reason a case was not accepted, as the citizen reads it; None if none."""
    from portal.cases.handling_forms import REFUSAL_REASONS

    return REFUSAL_REASONS.get(case.refusal_reason) if case.refusal_reason else None


def kind_label(case: Case):
    return Kind(case.kind).label


def topic_label(case: Case):
    return TOPIC_LABELS.get(case.topic, case.topic)


def can_withdraw(case: Case) -> bool:
    """The transitions table says whether the citizen may withdraw the case now."""
    return workflow.allowed(case.status, CaseStatus.WITHDRAWN, workflow.CITIZEN)


def can_rate(case: Case) -> bool:
    """Once answered (or closed), once."""
    return case.status in RATABLE and case.rated_at is None


def register(*, page: int = 1, per_page: int = 50):
    """The staff register: cases newest first. Never touches the identity table."""
    query = db.select(Case).order_by(Case.received_at.desc(), Case.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


# --- Writes ----------------------------------------------------------------------------------


def record_opened(case: Case) -> None:
    """Remember the case in this browser's session and audit the opening."""
    remember(case)
    audit.record("case.opened", target_type="case", target_id=case.public_id)
    db.session.commit()


def add_message(case: Case, body: str, files=()) -> CaseMessage:
    """Add the citizen's message and its files to the case; commit.

    Files follow the intake's rules (services.check_uploads: kinds by content, count, sizes)
    and lose their image metadata; on refusal (UploadRefused) nothing is stored.
    """
    limit = current_app.config["CASE_MAX_FILE_BYTES"]
    uploads = [
        Upload(name=upload_name(f), data=f.read(limit + 1)) for f in files if f and f.filename
    ]
    checked = check_uploads(uploads)
    written = []
    try:
        message = CaseMessage(case=case, author=Actor.CITIZEN, body=nfc(body))
        db.session.add(message)
        for upload, kind in checked:
            stored = store_bytes(
                strip_image_metadata(upload.data, kind), name=upload.name, kind=kind
            )
            written.append(stored)
            db.session.add(
                CaseAttachment(
                    case=case,
                    message=message,
                    stored_file=stored,
                    original_sha256=hashlib.sha256(upload.data).hexdigest(),
                )
            )
        db.session.add(CaseEvent(case=case, actor=Actor.CITIZEN, action="message"))
        audit.record(
            "case.message-added",
            target_type="case",
            target_id=case.public_id,
            detail={"files": len(checked)},
        )
        db.session.commit()
    except BaseException:
        db.session.rollback()
        for stored in written:
            discard_file(stored)
        raise
    return message


def withdraw_case(case: Case, reason: str) -> None:
    """Withdraw the case at the citizen's request, with the reason; commit.

    The move goes through the transitions table (by=None: the citizen); the case then ends,
    so its deadlines stop and its retention period starts (workflow.move sets retain_until).
    """
    now = datetime.now(UTC)
    try:
        workflow.move(case, CaseStatus.WITHDRAWN, by=None, action="withdrawn", now=now)
    except workflow.IllegalMove as error:
        raise NotAllowed from error
    case.withdrawn_at = now
    case.withdrawal_reason = nfc(reason)
    deadlines.refresh(case)
    audit.record("case.withdrawn", target_type="case", target_id=case.public_id)
    db.session.commit()


def rate_case(case: Case, *, rating: int, solved: bool, comment: str = "") -> None:
    """Record the citizen's rating of a closed case, once; commit."""
    if not can_rate(case):
        raise NotAllowed
    case.rating = rating
    case.solved = solved
    case.rating_comment = nfc(comment or "")
    case.rated_at = datetime.now(UTC)
    db.session.add(CaseEvent(case=case, actor=Actor.CITIZEN, action="rated"))
    audit.record(
        "case.rated",
        target_type="case",
        target_id=case.public_id,
        detail={"rating": rating, "solved": solved},
    )
    db.session.commit()


@dataclass(frozen=True)
class _Match:
    case: Case
    email: str


def _match_email(case: Case | None, email: str) -> _Match | None:
    given = (email or "").strip().casefold().encode("utf-8")
    stored = ""
    if case is not None and case.identity is not None:
        stored = unseal(case.identity.sealed).email
    # Compare even when there is nothing to compare with, in constant time.
    same = hmac.compare_digest(stored.strip().casefold().encode("utf-8"), given)
    return _Match(case, stored) if same and stored and case is not None else None


def request_new_key(number: str, email: str) -> None:
    """Send a new key to the case's own e-mail address if number and address match.

    The caller says the same thing whatever happens: no answer tells whether a number exists
    or which address it has. The old key stops working at once.
    """
    case = db.session.scalar(db.select(Case).where(Case.number == normalise_number(number)))
    match = _match_email(case, email)
    # Make and hash a key either way: the same work whether or not anything matched.
    key = access.new_key()
    key_hash = access.hash_key(key)
    if match is None:
        audit.record("case.key-request-unmatched")
        db.session.commit()
        return
    case.access_key_hash = key_hash
    db.session.add(CaseEvent(case=case, actor=Actor.SYSTEM, action="key-reissued"))
    audit.record("case.key-reissued", target_type="case", target_id=case.public_id)
    queue_email(
        event="cases/new_key",
        recipient=match.email,
        subject=_l("New access key for case %(number)s", number=case.number),
        case=case,
        key=key,
        site=site.load(),
    )
    db.session.commit()
    deliver_due()
