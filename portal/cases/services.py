"""Submitting a case: one transaction for the case, its number, identity, files, first event,
audit record and acknowledgement e-mail; delivered after commit."""

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask import current_app, url_for
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from portal.cases import access, indexing
from portal.cases import identity as sealing
from portal.cases.deadlines import acceptance_due_on
from portal.cases.identity import Identity
from portal.cases.models import (
    Actor,
    Case,
    CaseAttachment,
    CaseCounter,
    CaseEvent,
    CaseIdentity,
    Channel,
    Kind,
    Topic,
    Track,
)
from portal.contacts.models import Unit
from portal.core import audit
from portal.core.text import nfc
from portal.core.uploads import (
    FILE_KINDS,
    UploadRefused,
    discard_file,
    refuse_unless_accepted,
    store_bytes,
    strip_image_metadata,
)
from portal.core.workdays import local_date
from portal.extensions import db
from portal.notifications.services import deliver_due, queue_email

CASE_FILE_KINDS = frozenset({"pdf", "jpeg", "png", "docx", "xlsx", "mp4"})
ANY_KIND = frozenset(FILE_KINDS)
# Where the citizen follows the case; the first endpoint that exists is linked in the e-mail.
FOLLOW_ENDPOINTS = ("cases.lookup", "cases.follow", "cases.track", "cases.choose")


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@dataclass
class Submission:
    """What the citizen sent, already validated by the form."""

    kind: str
    topic: str
    title: str
    description: str
    submission_token: str
    declaration_text: str
    place: str = ""
    procedure_id: int | None = None
    concerned_unit_id: int | None = None
    decision_concerned: str = ""
    decision_known_on: date | None = None
    anonymous: bool = False
    confidential: bool = False
    publish_consent: bool = False
    identity: Identity = field(default_factory=Identity)
    uploads: list[Upload] = field(default_factory=list)


@dataclass(frozen=True)
class Receipt:
    number: str
    kind: str
    received_on: date
    acceptance_due_on: date | None
    # The key in clear, only for the receipt of the first submission; None for a repeat.
    key: str | None
    emailed: bool
    duplicate: bool = False


def check_uploads(uploads: list[Upload]) -> list[tuple[Upload, str]]:
    """Return each upload with its kind by content, or raise UploadRefused (nothing stored)."""
    config = current_app.config
    uploads = [u for u in uploads if u.name or u.data]
    if len(uploads) > config["CASE_MAX_FILES"]:
        raise UploadRefused(_l("Attach at most %(num)d files.", num=config["CASE_MAX_FILES"]))
    checked = []
    for upload in uploads:
        kind = refuse_unless_accepted(
            upload.data, upload.name, allowed=ANY_KIND, limit=config["CASE_MAX_FILE_BYTES"]
        )
        _refuse_kind(upload, kind)
        checked.append((upload, kind))
    total = sum(len(u.data) for u in uploads)
    if total > config["CASE_MAX_TOTAL_BYTES"]:
        raise UploadRefused(
            _l(
                "The files together are larger than %(mb)d MB.",
                mb=config["CASE_MAX_TOTAL_BYTES"] // (1024 * 1024),
            )
        )
    return checked


def _refuse_kind(upload: Upload, kind: str) -> None:
    if kind not in CASE_FILE_KINDS:
        raise UploadRefused(
            _l(
                "The file %(name)s is not an accepted type. Send PDF, JPEG, PNG, Word (DOCX), "
                "Excel (XLSX) or MP4 files.",
                name=upload.name,
            )
        )


def next_number(kind: str, year: int) -> tuple[int, str]:
    """Take the next number of a kind and year inside the caller's transaction.

    The counter row is locked by the UPDATE until commit, so concurrent submissions wait
    their turn and a rolled-back submission gives its number back: no gaps, no repeats.
    """
    table = CaseCounter.__table__
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(table).values(kind=kind, year=year, last=0).on_conflict_do_nothing())
    sequence = db.session.execute(
        update(table)
        .where(table.c.kind == kind, table.c.year == year)
        .values(last=table.c.last + 1)
        .returning(table.c.last)
    ).scalar_one()
    return sequence, f"{Kind(kind).prefix}-{year}-{sequence:06d}"


def handling_unit_id() -> int | None:
    """The published unit that handles cases (the first by position), if there is one."""
    return db.session.scalar(
        db.select(Unit.id)
        .where(Unit.published.is_(True), Unit.handles_cases.is_(True))
        .order_by(Unit.position, Unit.id)
        .limit(1)
    )


def by_token(token: str) -> Case | None:
    return db.session.scalar(db.select(Case).where(Case.submission_token == token))


def _repeat(case: Case) -> Receipt:
    return Receipt(
        number=case.number,
        kind=case.kind,
        received_on=case.received_on,
        acceptance_due_on=case.acceptance_due_on,
        key=None,
        emailed=False,
        duplicate=True,
    )


def _follow_url() -> str:
    for endpoint in FOLLOW_ENDPOINTS:
        if endpoint in current_app.view_functions:
            return url_for(endpoint, _external=True)
    return url_for("public.home", _external=True)


def submit_case(submission: Submission, *, now: datetime | None = None) -> Receipt:
    """Record a new case and queue its acknowledgement; a repeated token returns the first.

    Raises UploadRefused (nothing stored) when a file is refused.
    """
    existing = by_token(submission.submission_token)
    if existing is not None:
        return _repeat(existing)
    checked = check_uploads(submission.uploads)

    now = now or datetime.now(UTC)
    received_on = local_date(now)
    kind = Kind(submission.kind)
    topic = Topic(submission.topic)
    who = submission.identity if not submission.anonymous else Identity()
    key = access.new_key()
    written = []
    try:
        sequence, number = next_number(kind, received_on.year)
        case = Case(
            number=number,
            kind=kind,
            submitted_kind=kind,
            channel=Channel.WEB,
            year=received_on.year,
            sequence=sequence,
            track=Track.ANONYMOUS_INFORMATION if submission.anonymous else Track.FORMAL,
            topic=topic,
            procedure_id=submission.procedure_id,
            concerned_unit_id=submission.concerned_unit_id,
            handling_unit_id=handling_unit_id(),
            title=nfc(submission.title),
            description=nfc(submission.description),
            place=nfc(submission.place),
            decision_concerned=nfc(submission.decision_concerned),
            decision_known_on=submission.decision_known_on,
            anonymous=submission.anonymous,
            confidential=kind == Kind.DENUNCIATION or submission.confidential,
            declaration_text=submission.declaration_text,
            publish_consent=submission.publish_consent,
            received_at=now,
            received_on=received_on,
            acceptance_due_on=acceptance_due_on(kind, received_on),
            access_key_hash=access.hash_key(
                key, method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
            ),
            submission_token=submission.submission_token,
        )
        case.due_on = case.acceptance_due_on
        indexing.refresh_search(case)
        indexing.refresh_digests(case, who)
        db.session.add(case)
        if not who.empty:
            case.identity = CaseIdentity(sealed=sealing.seal(who))
        for upload, file_kind in checked:
            stored = store_bytes(
                strip_image_metadata(upload.data, file_kind), name=upload.name, kind=file_kind
            )
            written.append(stored)
            db.session.add(
                CaseAttachment(
                    case=case,
                    stored_file=stored,
                    original_sha256=hashlib.sha256(upload.data).hexdigest(),
                )
            )
        db.session.add(
            CaseEvent(
                case=case,
                actor=Actor.CITIZEN,
                action="submitted",
                to_status=case.status,
                public=True,
            )
        )
        db.session.flush()
        # Ids and classifications only: never a name, contact or the citizen's text.
        audit.record(
            "case.submitted",
            target_type="case",
            target_id=case.public_id,
            detail={
                "number": number,
                "kind": str(kind),
                "track": str(case.track),
                "attachments": len(checked),
            },
        )
        emailed = bool(who.email)
        if emailed:
            _queue_acknowledgement(case, key, who.email)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        _discard(written)
        existing = by_token(submission.submission_token)
        if existing is None:
            raise
        return _repeat(existing)
    except BaseException:
        db.session.rollback()
        _discard(written)
        raise
    current_app.logger.info("case %s submitted", case.public_id)
    try:
        deliver_due()
    except Exception as error:  # mail never fails a submission; the outbox retries
        db.session.rollback()
        current_app.logger.warning(
            "outbox delivery after submission failed (%s)", type(error).__name__
        )
    return Receipt(
        number=case.number,
        kind=case.kind,
        received_on=case.received_on,
        acceptance_due_on=case.acceptance_due_on,
        key=key,
        emailed=emailed,
    )


def _discard(written) -> None:
    for stored in written:
        discard_file(stored)


def _queue_acknowledgement(case: Case, key: str, recipient: str) -> None:
    locale = str(get_locale() or "vi")
    queue_email(
        event="cases/received",
        recipient=recipient,
        subject=_l("Your case %(number)s was received", number=case.number),
        locale=locale,
        number=case.number,
        kind_label=Kind(case.kind).label,
        received_on=case.received_on,
        acceptance_due_on=case.acceptance_due_on,
        follow_url=_follow_url(),
        key=key,
    )
