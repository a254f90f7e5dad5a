"""The head's reception days: dates a rule produces, merged with one-off sessions.

A rule says "the 15th of each month, moved to the next working day when that is a day off"
(Luật Tiếp công dân art. 18: the head receives citizens at least one day a month). Working days
come from core.workdays, so public holidays, an administrator's days off and make-up Saturdays
all move the date. A ReceptionSession with replaces_rule_day takes the place of the session the
rule gives on that date: it moves it (another day or time) or cancels it. A session without it
is an extra, one-off date.
"""

import calendar
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from portal.contacts.models import ReceptionRule, ReceptionSession, ShiftRule
from portal.core import workdays
from portal.extensions import db

# How far ahead the public schedule and the calendar feed look.
HORIZON_DAYS = 366
# Calendar apps keep recent past events when the feed still lists them.
FEED_PAST_DAYS = 92


@dataclass(frozen=True)
class Session:
    """One reception session as the public sees it."""

    uid: str  # stable across regenerations and moves: calendars update instead of duplicating
    day: date
    starts_at: time
    ends_at: time
    host: str
    host_en: str
    place: str
    note: str = ""
    cancelled: bool = False
    rule_day: date | None = None  # the date the rule gave, when this comes from a rule
    moved_from: date | None = None  # the rule's date, when an editor moved the session
    session_public_id: str | None = None  # the one-off or replacing row, for staff links

    @property
    def from_rule(self) -> bool:
        return self.rule_day is not None


def _previous_working_day(day: date) -> date:
    while not workdays.is_working_day(day):
        day -= timedelta(days=1)
    return day


def _months(start: date, end: date):
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def nominal_day(rule: ReceptionRule, year: int, month: int) -> date:
    """The rule's day in a month; the 31st means the last day of a shorter month."""
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(rule.day_of_month, last))


def shifted_day(rule: ReceptionRule, nominal: date) -> date:
    """Move the rule's day off a day off, the way the rule says."""
    if rule.shift == ShiftRule.PREVIOUS_WORKING_DAY:
        return _previous_working_day(nominal)
    return workdays.next_working_day(nominal)


def rule_uid(rule: ReceptionRule, nominal: date) -> str:
    return f"rule-{rule.public_id}-{nominal:%Y%m%d}"


def _rule_sessions(rule: ReceptionRule, start: date, end: date) -> list[tuple[date, Session]]:
    found = []
    # A month's date can move into the next month, or (moved back) into the previous one.
    for year, month in _months(start - timedelta(days=31), end + timedelta(days=31)):
        nominal = nominal_day(rule, year, month)
        if nominal < rule.valid_from or (rule.valid_until and nominal > rule.valid_until):
            continue
        day = shifted_day(rule, nominal)
        if start <= day <= end:
            session = Session(
                uid=rule_uid(rule, nominal),
                day=day,
                starts_at=rule.starts_at,
                ends_at=rule.ends_at,
                host=rule.host,
                host_en=rule.host_en,
                place=rule.place,
                rule_day=day,
            )
            found.append((nominal, session))
    return found


def rule_sessions(rule: ReceptionRule, start: date, end: date) -> list[Session]:
    """The sessions a rule gives between start and end (inclusive), before any change."""
    return [session for _, session in _rule_sessions(rule, start, end)]


def _from_row(row: ReceptionSession, *, replaced: Session | None) -> Session:
    return Session(
        uid=replaced.uid if replaced else f"session-{row.public_id}",
        day=row.day,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        host=row.host,
        host_en=row.host_en,
        place=row.place,
        note=row.note,
        cancelled=row.cancelled,
        rule_day=replaced.rule_day if replaced else None,
        moved_from=replaced.day if replaced and replaced.day != row.day else None,
        session_public_id=row.public_id,
    )


def sessions_between(start: date, end: date) -> list[Session]:
    """Every session from start to end (inclusive), cancelled ones included, by date and time."""
    rules = db.session.scalars(
        db.select(ReceptionRule).where(ReceptionRule.active.is_(True)).order_by(ReceptionRule.id)
    ).all()
    # A moved session may land outside the window while the date it replaces is inside, or the
    # other way round: read the rows around the window too.
    margin = timedelta(days=62)
    rows = db.session.scalars(
        db.select(ReceptionSession)
        .where(
            db.or_(
                ReceptionSession.day.between(start - margin, end + margin),
                ReceptionSession.replaces_rule_day.between(start - margin, end + margin),
            )
        )
        .order_by(ReceptionSession.day, ReceptionSession.starts_at, ReceptionSession.id)
    ).all()

    # The rule's session a row replaces is found by the date the rule gives (what editors see
    # in the list) or, should the calendar have changed since, by the rule's nominal date.
    by_day: dict[date, list[Session]] = {}
    by_nominal: dict[date, list[Session]] = {}
    generated: list[Session] = []
    for rule in rules:
        for nominal, session in _rule_sessions(rule, start - margin, end + margin):
            by_day.setdefault(session.day, []).append(session)
            by_nominal.setdefault(nominal, []).append(session)
            generated.append(session)

    merged: list[Session] = []
    replaced: set[str] = set()
    for row in rows:
        target = None
        if row.replaces_rule_day is not None:
            candidates = by_day.get(row.replaces_rule_day) or by_nominal.get(
                row.replaces_rule_day, []
            )
            target = next((s for s in candidates if s.uid not in replaced), None)
            if target is not None:
                replaced.add(target.uid)
        merged.append(_from_row(row, replaced=target))
    merged.extend(s for s in generated if s.uid not in replaced)
    return sorted(
        (s for s in merged if start <= s.day <= end),
        key=lambda s: (s.day, s.starts_at, s.uid),
    )


def upcoming_sessions(
    today: date, *, limit: int | None = None, include_cancelled: bool = True
) -> list[Session]:
    """Sessions from today on (within HORIZON_DAYS); the first `limit` of them if given."""
    sessions = sessions_between(today, today + timedelta(days=HORIZON_DAYS))
    if not include_cancelled:
        sessions = [s for s in sessions if not s.cancelled]
    return sessions[:limit] if limit is not None else sessions


def feed_sessions(today: date) -> list[Session]:
    """The sessions the iCalendar feed lists: recent past ones and the coming year."""
    return sessions_between(
        today - timedelta(days=FEED_PAST_DAYS), today + timedelta(days=HORIZON_DAYS)
    )


def today_in_vietnam() -> date:
    return workdays.local_date(datetime.now(UTC))
