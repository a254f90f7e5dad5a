"""Submitting a case: one transaction for the case, its number, identity, files, first event,
audit record and acknowledgement e-mail; delivered after commit.

Every channel lands in the same register through `submit_case`: the citizen on the web, or a
staff member recording a letter, a call, an e-mail or a visit (`actor` set). For those,
`received_on` is the local date the case reached the agency (the acceptance period counts from
it, so a letter received last week keeps its real date) and `received_at` the moment it was
recorded; the number is taken in the register of the year it is recorded.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from flask import current_app
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
    FileKind,
    UploadRefused,
    discard_file,
    refuse_unless_accepted,
    store_bytes,
    strip_image_metadata,
)
from portal.core.urls import external_url
from portal.core.workdays import local_date
from portal.extensions import db
from portal.notifications.services import deliver_due, queue_email

CASE_FILE_KINDS = frozenset({"pdf", "jpeg", "png", "docx", "xlsx", "mp4"})
ANY_KIND = frozenset(FILE_KINDS)
# The channels a staff member records from; the web and partner systems submit themselves.
STAFF_CHANNELS = (Channel.HOTLINE, Channel.POST, Channel.EMAIL, Channel.RECEPTION)
# The file kind a name's extension claims (.jpg and .jpeg are both JPEG).
NAMED_KINDS = {kind.extension: key for key, kind in FILE_KINDS.items()} | {"jpeg": "jpeg"}
# What the citizen reads on their timeline for the first event of a staff-recorded case.
RECORDED_TEXT = {
    Channel.HOTLINE: _l("Received by the hotline"),
    Channel.POST: _l("Received by post"),
    Channel.EMAIL: _l("Received by e-mail"),
    Channel.RECEPTION: _l("Received at citizen reception"),
}
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
    channel: str = Channel.WEB
    # A partner system's name (channel api), recorded on the case.
    source: str = ""
    # Staff-recorded cases only: the local date it reached the agency (defaults to today),
    # the scanned letter (stored first) and the reception logbook entry it came from.
    received_on: date | None = None
    letter: Upload | None = None
    reception_entry_id: int | None = None


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


def check_uploads(
    uploads: list[Upload], *, names_must_match: bool = False
) -> list[tuple[Upload, str]]:
    """Return each upload with its kind by content, or raise UploadRefused (nothing stored).

    With `names_must_match`, a file whose name claims another kind than its content is refused
    too (a scan saved as .pdf that is really a photo: most likely the wrong file was picked).
    """
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
        if names_must_match:
            _refuse_misnamed(upload, kind)
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


def _refuse_misnamed(upload: Upload, kind: str) -> None:
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    named = NAMED_KINDS.get(extension)
    if named is not None and named != kind:
        label: FileKind = FILE_KINDS[named]
        raise UploadRefused(
            _l(
                "The file %(name)s is named as a %(named)s file but its content is %(actual)s. "
                "Check that it is the right file, then save or scan it again.",
                name=upload.name,
                named=label.label,
                actual=FILE_KINDS[kind].label,
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


def recording_unit_id(actor) -> int | None:
    """The recording staff member's unit if it handles cases, else the default handling unit."""
    unit = getattr(actor, "unit", None)
    if unit is not None and unit.handles_cases:
        return unit.id
    return handling_unit_id()


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
            return external_url(endpoint)
    return external_url("public.home")


def submit_case(
    submission: Submission,
    *,
    now: datetime | None = None,
    actor=None,
    with_case: Callable[[Case], None] | None = None,
) -> Receipt:
    """Record a new case and queue its acknowledgement; a repeated token returns the first.

    `actor` is the staff member recording a case from another channel (None on the web).
    `with_case` adds what another domain keeps about the case (an API partner's record of
    it) in the same transaction: the case and that record are committed together or not at
    all. Raises UploadRefused (nothing stored) when a file is refused.
    """
    channel = Channel(submission.channel)
    recorded = actor is not None
    if recorded != (channel in STAFF_CHANNELS):
        raise ValueError(f"a {channel} case is recorded {'without' if recorded else 'by'} staff")
    existing = by_token(submission.submission_token)
    if existing is not None:
        return _repeat(existing)
    uploads = ([submission.letter] if submission.letter else []) + submission.uploads
    checked = check_uploads(uploads, names_must_match=recorded)

    now = now or datetime.now(UTC)
    received_on = submission.received_on or local_date(now)
    kind = Kind(submission.kind)
    topic = Topic(submission.topic)
    who = submission.identity if not submission.anonymous else Identity()
    key = access.new_key()
    written = []
    try:
        # The register of the year it is recorded (the same year as received_on on the web).
        year = local_date(now).year
        sequence, number = next_number(kind, year)
        case = Case(
            number=number,
            kind=kind,
            submitted_kind=kind,
            channel=channel,
            year=year,
            sequence=sequence,
            track=Track.ANONYMOUS_INFORMATION if submission.anonymous else Track.FORMAL,
            topic=topic,
            procedure_id=submission.procedure_id,
            concerned_unit_id=submission.concerned_unit_id,
            handling_unit_id=recording_unit_id(actor) if recorded else handling_unit_id(),
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
            reception_entry_id=submission.reception_entry_id,
            source=submission.source,
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
                    staff_user_id=getattr(actor, "id", None),
                )
            )
        db.session.add(_first_event(case, actor))
        db.session.flush()
        # Ids and classifications only: never a name, contact or the citizen's text.
        audit.record(
            "case.recorded" if recorded else "case.submitted",
            actor=actor,
            target_type="case",
            target_id=case.public_id,
            detail={
                "number": number,
                "kind": str(kind),
                "track": str(case.track),
                "channel": str(channel),
                "attachments": len(checked),
            },
        )
        if with_case is not None:
            with_case(case)
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
    current_app.logger.info("case %s %s", case.public_id, "recorded" if recorded else "submitted")
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


def _first_event(case: Case, actor) -> CaseEvent:
    if actor is None:
        return CaseEvent(
            case=case, actor=Actor.CITIZEN, action="submitted", to_status=case.status, public=True
        )
    # Who recorded it (staff_user_id) stays internal; the citizen reads "Received by post".
    return CaseEvent(
        case=case,
        actor=Actor.STAFF,
        staff_user_id=actor.id,
        action=recorded_action(case.channel),
        to_status=case.status,
        public=True,
    )


def recorded_action(channel: str) -> str:
    """The first event's action of a case recorded from a channel: recorded:post, …"""
    return f"recorded:{channel}"


def recorded_text(action: str):
    """What the citizen's timeline says for a recorded:<channel> event, or None."""
    prefix, _, channel = action.partition(":")
    if prefix != "recorded" or channel not in set(Channel):
        return None
    return RECORDED_TEXT.get(Channel(channel))


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
