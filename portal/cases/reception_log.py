"""The citizen-reception logbook (sổ tiếp công dân): writes and reads.

Who came is personal data: sealed on write (core.sealing.seal_text), never in a list, a log or
the audit detail; it is unsealed only for one entry's page, for staff who work cases, and
every such view is audited.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import selectinload

from portal.accounts.permissions import Permission
from portal.cases.models import Case, ReceptionEntry
from portal.contacts.models import ReceptionSession
from portal.core import audit
from portal.core.sealing import seal_text, unseal_text
from portal.core.text import nfc
from portal.extensions import db

# Five or more people about the same matter make a group visit (tiếp công dân đông người).
MANY_PEOPLE = 5
PER_PAGE = 50
SUMMARY_LENGTH = 120
# How far back the logbook form offers reception sessions and the case form offers entries.
RECENT_DAYS = 60


@dataclass(frozen=True)
class EntryData:
    """One visit as the logbook form gives it, validated."""

    received_on: date
    received_by: str
    visitors: str
    people_count: int
    subject: str
    outcome: str = ""
    reception_session_id: int | None = None


# --- Writes -----------------------------------------------------------------------------------


def record_entry(data: EntryData, *, actor) -> ReceptionEntry:
    """Write a logbook entry with the visitors' names sealed; audit it without them; commit."""
    entry = ReceptionEntry(
        received_on=data.received_on,
        reception_session_id=data.reception_session_id,
        received_by=nfc(data.received_by),
        visitors_sealed=seal_text(nfc(data.visitors)),
        people_count=data.people_count,
        subject=nfc(data.subject),
        outcome=nfc(data.outcome),
        recorded_by_id=actor.id,
    )
    db.session.add(entry)
    db.session.flush()
    audit.record(
        "reception.recorded",
        actor=actor,
        target_type="reception-entry",
        target_id=entry.public_id,
        detail={"people": data.people_count, "session": data.reception_session_id is not None},
    )
    db.session.commit()
    return entry


def visitors_for(entry: ReceptionEntry, *, actor) -> str | None:
    """Unseal who came for a staff member who works cases, auditing the view; None otherwise."""
    if not actor.can(Permission.WORK_CASES):
        return None
    names = unseal_text(entry.visitors_sealed)
    audit.record(
        "reception.visitors.viewed",
        actor=actor,
        target_type="reception-entry",
        target_id=entry.public_id,
    )
    db.session.commit()
    return names


# --- Reads ------------------------------------------------------------------------------------


def entries(*, page: int = 1, month: tuple[int, int] | None = None, per_page: int | None = None):
    """A page of logbook entries, newest visit first, optionally of one month, with their cases."""
    query = (
        db.select(ReceptionEntry)
        .options(selectinload(ReceptionEntry.cases))
        .order_by(ReceptionEntry.received_on.desc(), ReceptionEntry.id.desc())
    )
    if month is not None:
        first = date(month[0], month[1], 1)
        following = (first + timedelta(days=31)).replace(day=1)
        query = query.where(
            ReceptionEntry.received_on >= first, ReceptionEntry.received_on < following
        )
    return db.paginate(query, page=page, per_page=per_page or PER_PAGE, error_out=False)


def months() -> list[date]:
    """The first day of every month that has an entry, newest first (the month filter)."""
    days = db.session.scalars(db.select(ReceptionEntry.received_on).distinct())
    return sorted({day.replace(day=1) for day in days}, reverse=True)


def entry_by_public_id(public_id: str) -> ReceptionEntry | None:
    return db.session.scalar(
        db.select(ReceptionEntry)
        .options(selectinload(ReceptionEntry.cases))
        .where(ReceptionEntry.public_id == public_id)
    )


def entry_cases(entry: ReceptionEntry) -> list[Case]:
    """The cases recorded from this visit, in the order they were recorded."""
    return sorted(entry.cases, key=lambda case: case.id)


def recent_entries(today: date, *, include: str | None = None) -> list[ReceptionEntry]:
    """Entries of the last RECENT_DAYS (and the one named by `include`), newest first."""
    condition = ReceptionEntry.received_on >= today - timedelta(days=RECENT_DAYS)
    if include:
        condition = condition | (ReceptionEntry.public_id == include)
    return list(
        db.session.scalars(
            db.select(ReceptionEntry)
            .where(condition)
            .order_by(ReceptionEntry.received_on.desc(), ReceptionEntry.id.desc())
        )
    )


def recent_sessions(today: date) -> list[ReceptionSession]:
    """Reception sessions held in the last RECENT_DAYS up to today, newest first."""
    return list(
        db.session.scalars(
            db.select(ReceptionSession)
            .where(
                ReceptionSession.cancelled.is_(False),
                ReceptionSession.day <= today,
                ReceptionSession.day >= today - timedelta(days=RECENT_DAYS),
            )
            .order_by(ReceptionSession.day.desc(), ReceptionSession.starts_at)
        )
    )


def session_by_public_id(public_id: str) -> ReceptionSession | None:
    if not public_id:
        return None
    return db.session.scalar(
        db.select(ReceptionSession).where(ReceptionSession.public_id == public_id)
    )


def session_of(entry: ReceptionEntry) -> ReceptionSession | None:
    if entry.reception_session_id is None:
        return None
    return db.session.get(ReceptionSession, entry.reception_session_id)


def summary(text: str, length: int = SUMMARY_LENGTH) -> str:
    """The first `length` characters of what was asked, cut at a word, for lists."""
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + "…"


def is_group_visit(entry: ReceptionEntry) -> bool:
    return entry.people_count >= MANY_PEOPLE
