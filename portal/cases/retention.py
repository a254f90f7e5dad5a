"""How long an ended case is kept, and deleting it once that time is over.

A case ends when it is closed, not accepted, transferred, merged or withdrawn. It is then kept
CASE_RETENTION_DAYS[kind] days (cases not accepted: CASE_RETENTION_DAYS["not-accepted"], one
year under Thông tư 05/2021), counted from the local date it ended: `retain_until`. Reopening
it clears the date. `flask cases purge` deletes the cases whose `retain_until` has passed with
everything they hold (identity, events, messages, attachments and their files, extensions,
requests for input, responses), leaving in the audit log only the number and the dates.
"""

import contextlib
import os
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from flask import current_app

from portal.cases.models import Case, CaseAttachment, CaseEvent, CaseStatus
from portal.core import audit
from portal.core.uploads import StoredFile, upload_folder
from portal.core.workdays import local_date
from portal.extensions import db

# The statuses a case ends in: the same as workflow.FINAL (a test keeps them in step; the
# workflow imports this module, so this module does not import the workflow).
ENDED = frozenset(
    {
        CaseStatus.CLOSED,
        CaseStatus.NOT_ACCEPTED,
        CaseStatus.TRANSFERRED,
        CaseStatus.MERGED,
        CaseStatus.WITHDRAWN,
    }
)
NOT_ACCEPTED_KEY = "not-accepted"


def retention_days(case: Case) -> int:
    """Days an ended case is kept: per kind, or the not-accepted period."""
    periods = current_app.config["CASE_RETENTION_DAYS"]
    if case.status == CaseStatus.NOT_ACCEPTED:
        return periods[NOT_ACCEPTED_KEY]
    return periods[case.kind]


def follow(case: Case, *, now: datetime | None = None) -> None:
    """Set or clear retain_until after the case's status changed (workflow.move calls it)."""
    if case.status in ENDED:
        ended_on = local_date(now or datetime.now(UTC))
        case.retain_until = ended_on + timedelta(days=retention_days(case))
    else:
        case.retain_until = None


def ended_on(case: Case) -> date | None:
    """The local date the case reached its current, final status."""
    moment = db.session.scalar(
        db.select(CaseEvent.occurred_at)
        .where(
            CaseEvent.case_id == case.id,
            CaseEvent.to_status == case.status,
            CaseEvent.from_status.is_distinct_from(case.status),
        )
        .order_by(CaseEvent.occurred_at.desc(), CaseEvent.id.desc())
        .limit(1)
    )
    moment = moment or case.withdrawn_at or case.closed_at
    return local_date(moment) if moment else None


def date_unset() -> int:
    """Give ended cases without a retain_until one from the date they ended (the caller commits).

    Cases that ended before retention existed, or by a path that did not go through the
    workflow, would otherwise be kept for ever.
    """
    cases = db.session.scalars(
        db.select(Case).where(Case.status.in_(ENDED), Case.retain_until.is_(None))
    ).all()
    for case in cases:
        ended = ended_on(case) or local_date(case.updated_at)
        case.retain_until = ended + timedelta(days=retention_days(case))
    db.session.flush()
    return len(cases)


@dataclass
class Purge:
    numbers: list[str] = field(default_factory=list)  # cases deleted (or that would be)
    files: int = 0  # stored files deleted with them
    dated: int = 0  # ended cases given a retain_until on this run


def expired(today: date) -> list[Case]:
    """Cases kept past their retain_until (the day itself is still kept), oldest first."""
    return list(
        db.session.scalars(
            db.select(Case)
            .where(Case.retain_until < today, Case.status.in_(ENDED))
            .order_by(Case.retain_until, Case.id)
        )
    )


def purge(*, today: date | None = None, dry_run: bool = False) -> Purge:
    """Delete every expired case with all it holds, one commit per case; return what went.

    Files are removed after their case's commit: a crash in between leaves files without
    rows (`flask cases clean-orphans` removes them), never rows without files. Running it
    again finds nothing more to do.
    """
    today = today or local_date(datetime.now(UTC))
    result = Purge(dated=date_unset())
    if dry_run:
        for case in expired(today):
            result.numbers.append(case.number)
            result.files += len(_files_of(case))
        db.session.rollback()  # the dates given above included
        return result
    db.session.commit()
    for case in expired(today):
        files = _files_of(case)
        result.numbers.append(case.number)
        result.files += len(files)
        keys = [stored.storage_key for stored in files]
        _delete(case, files)
        db.session.commit()
        folder = upload_folder()
        for key in keys:
            with contextlib.suppress(FileNotFoundError):
                os.remove(os.path.join(folder, key))
    return result


def _files_of(case: Case) -> list[StoredFile]:
    """The stored files of the case's attachments that nothing outside the case refers to."""
    attachment_ids = [a.id for a in case.attachments]
    if not attachment_ids:
        return []
    files = db.session.scalars(
        db.select(StoredFile)
        .join(CaseAttachment, CaseAttachment.stored_file_id == StoredFile.id)
        .where(CaseAttachment.id.in_(attachment_ids))
        .distinct()
    ).all()
    return [stored for stored in files if not _used_elsewhere(stored, attachment_ids)]


def _used_elsewhere(stored: StoredFile, attachment_ids: list[int]) -> bool:
    # A document published with a disclosure may share the stored file: it stays.
    from portal.cases.cli import _referring_columns

    for column in _referring_columns():
        query = db.select(db.func.count()).where(column == stored.id)
        if column.table is CaseAttachment.__table__:
            query = query.where(CaseAttachment.id.not_in(attachment_ids))
        if db.session.scalar(query):
            return True
    return False


def _delete(case: Case, files: list[StoredFile]) -> None:
    detail = {
        "received_on": case.received_on.isoformat(),
        "ended_on": _iso(ended_on(case)),
        "retain_until": case.retain_until.isoformat(),
    }
    number = case.number
    # Duplicates merged into this case keep their own life: they no longer point at it.
    for duplicate in db.session.scalars(db.select(Case).where(Case.merged_into_id == case.id)):
        duplicate.merged_into_id = None
    # The relationships cascade: identity, events, messages, attachments, extensions,
    # requests for input and responses go with the case. A response published as a
    # disclosure only unlinks it (the key is on the response): the disclosure stays.
    db.session.delete(case)
    for stored in files:
        db.session.delete(stored)
    audit.record("case.purged", target_type="case", target_id=number, detail=detail)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
