"""The counts behind the PAPI evidence (papi.py): each one an SQL aggregate over a period.

The case figures of dimension 3 are stats.summary's, so they agree with the periodic report;
the few case counts it has no column for are one more pass here. Reception sessions are the one
count made in Python: a rule generates them (contacts.schedule), a few dates a month, no rows.
Nothing here reads an identity, a citizen's text or a case row: only counts.
"""

import threading
import time
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import and_, case, distinct, func, select

from portal.cases.models import Case, Channel, Kind, ReceptionEntry, Topic
from portal.contacts import queries as contact_queries
from portal.contacts import schedule
from portal.disclosures import queries as disclosure_queries
from portal.disclosures.models import Disclosure, DraftComment, disclosure_papi
from portal.extensions import db
from portal.procedures.models import Procedure
from portal.reports import stats
from portal.reports.periods import Period

_cache_lock = threading.Lock()
_cache: dict = {}
_CACHE_MAX = 16


def counts(period: Period, today: date) -> "Counts":
    """The period's counts, kept PAPI_CACHE_SECONDS and only while no case changed state
    (the key holds stats.data_version()); 0 reads them afresh every time."""
    seconds = current_app.config["PAPI_CACHE_SECONDS"]
    if not seconds:
        return Counts.read(period, today)
    key = (current_app.name, period, today, stats.data_version())
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = Counts.read(period, today)
    with _cache_lock:
        if len(_cache) >= _CACHE_MAX:
            _cache.clear()
        _cache[key] = (now + seconds, value)
    return value


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


@dataclass(frozen=True)
class Counts:
    """Every count the seven dimensions need, each read by one aggregate query."""

    tagged: dict[int, int]
    published: int
    categories_published: int
    consultations: int
    comments: int
    obligations_overdue: int
    procedures: dict[str, int]  # published procedures by online level
    summary: stats.Summary
    harassment_received: int
    harassment_resolved: int
    denunciations_received: int
    about_procedure: int
    online_received: int
    reception_held: int
    reception_scheduled: int
    logbook_entries: int
    logbook_people: int
    harassment_phone: bool
    harassment_email: bool
    harassment_lines: int

    @classmethod
    def read(cls, period: Period, today: date) -> "Counts":
        """Count the period; overdue cases and obligations, hotlines and procedures as today."""
        lines = [h for h in contact_queries.published_hotlines() if h.is_harassment]
        return cls(
            tagged=_tagged_counts(period),
            **_disclosure_counts(period),
            obligations_overdue=sum(
                1 for o in disclosure_queries.obligations(today=today) if o.overdue
            ),
            procedures=_procedure_counts(),
            summary=stats.summary(period, today=today),
            **_case_counts(period),
            **_reception_counts(period, today),
            harassment_phone=any(h.phone_e164 for h in lines),
            harassment_email=any(h.email for h in lines),
            harassment_lines=len(lines),
        )


def _published_in(period: Period):
    start, end = period.utc_bounds()
    return and_(
        disclosure_queries.public_filter(),
        Disclosure.publish_at >= start,
        Disclosure.publish_at < end,
    )


def _tagged_counts(period: Period) -> dict[int, int]:
    """Public disclosures published in the period, per PAPI dimension they are tagged with."""
    query = (
        select(disclosure_papi.c.dimension, func.count())
        .select_from(disclosure_papi)
        .join(Disclosure, Disclosure.id == disclosure_papi.c.disclosure_id)
        .where(_published_in(period))
        .group_by(disclosure_papi.c.dimension)
    )
    return {int(dimension): count for dimension, count in db.session.execute(query)}


def _disclosure_counts(period: Period) -> dict[str, int]:
    """Disclosures and categories published in the period, drafts opened, comments received."""
    start, end = period.utc_bounds()
    published = (
        select(
            func.count().label("published"),
            func.count(distinct(Disclosure.category_id)).label("categories_published"),
        )
        .where(_published_in(period))
        .subquery()
    )
    consultations = (
        select(func.count())
        .where(
            disclosure_queries.public_filter(),
            Disclosure.is_consultation.is_(True),
            Disclosure.comments_open_at >= start,
            Disclosure.comments_open_at < end,
        )
        .scalar_subquery()
    )
    comments = (
        select(func.count())
        .select_from(DraftComment)
        .where(DraftComment.created_at >= start, DraftComment.created_at < end)
        .scalar_subquery()
    )
    query = select(*published.c, consultations.label("consultations"), comments.label("comments"))
    return {name: int(value) for name, value in db.session.execute(query).one()._mapping.items()}


def _procedure_counts() -> dict[str, int]:
    """The published procedures of the catalogue today, per level of online service."""
    query = (
        select(Procedure.online_level, func.count())
        .where(Procedure.published.is_(True))
        .group_by(Procedure.online_level)
    )
    return {str(level): count for level, count in db.session.execute(query)}


def _count_if(condition):
    return func.count(case((condition, 1)))


def _case_counts(period: Period) -> dict[str, int]:
    """The case counts stats.summary has no column for: one pass over the cases received in
    the period and one over those resolved in it, each on its own date index (an OR of the
    two dates would read the table itself)."""
    received = Case.received_on.between(period.start, period.end)
    harassment = Case.topic == str(Topic.HARASSMENT)
    by_receipt = select(
        _count_if(harassment).label("harassment_received"),
        _count_if(Case.kind == str(Kind.DENUNCIATION)).label("denunciations_received"),
        _count_if(Case.procedure_id.is_not(None)).label("about_procedure"),
        _count_if(Case.channel == str(Channel.WEB)).label("online_received"),
    ).where(received)
    by_resolution = select(func.count().label("harassment_resolved")).where(
        Case.resolved_on.between(period.start, period.end), harassment
    )
    counts = dict(db.session.execute(by_receipt).one()._mapping)
    counts.update(db.session.execute(by_resolution).one()._mapping)
    return {name: int(value or 0) for name, value in counts.items()}


def _reception_counts(period: Period, today: date) -> dict[str, int]:
    """Reception sessions held (before today) and still to come; logbook entries and people."""
    sessions = [s for s in schedule.sessions_between(period.start, period.end) if not s.cancelled]
    entries, people = db.session.execute(
        select(func.count(), func.coalesce(func.sum(ReceptionEntry.people_count), 0)).where(
            ReceptionEntry.received_on.between(period.start, period.end)
        )
    ).one()
    return {
        "reception_held": sum(1 for s in sessions if s.day < today),
        "reception_scheduled": sum(1 for s in sessions if s.day >= today),
        "logbook_entries": int(entries),
        "logbook_people": int(people),
    }
