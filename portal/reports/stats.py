"""Case statistics for a period: the numbers behind the public scorecard and the periodic
reports, every one from an SQL aggregate (COUNT, SUM, AVG, a median), the same on SQLite and
PostgreSQL. Python only reshapes the grouped rows; it never walks the cases.

Each figure counts by its own date, so a case can count in several periods:
- received: `received_on` in the period; accepted: `accepted_on` in the period;
- not accepted, transferred, merged, withdrawn: the case ended (`ended_on`) in the period and
  that is its status;
- resolved: the response was published (`resolved_on`) in the period; on time when that is on
  or before `resolution_due_on`, late when after; a case without a resolution deadline counts
  as resolved only;
- extensions: `CaseExtension.decided_on` in the period (decisions, not cases);
- satisfaction: ratings given (`rated_at`, as a local date) in the period;
- overdue: open cases whose running deadline (`due_on`) is before today, whatever the period.

Results are plain dataclasses holding counts, so the pages can hide small counts and no ORM
object (or anything else about a case) reaches a template.
"""

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime

from sqlalchemy import Integer, and_, bindparam, case, extract, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from portal.cases.models import OPEN_STATUSES, Case, CaseEvent, CaseExtension, CaseStatus
from portal.core.audit import AuditEvent
from portal.core.workdays import local_date
from portal.extensions import db
from portal.reports.periods import Period

S = CaseStatus

# What a breakdown can group by: the case's kind, topic, handling unit (id, None when no unit
# handles it), channel, or current status.
DIMENSIONS = {
    "kind": Case.kind,
    "topic": Case.topic,
    "unit": Case.handling_unit_id,
    "channel": Case.channel,
    "status": Case.status,
}
MONTH = "month"  # by_dimension only: the month of the measure's own date
MONTH_MEASURES = ("received", "resolved", "on_time", "late")
# The figures that end a case, by the status it ended in.
ENDINGS = {
    "not_accepted": S.NOT_ACCEPTED,
    "transferred": S.TRANSFERRED,
    "merged": S.MERGED,
    "withdrawn": S.WITHDRAWN,
}
_AVERAGES = frozenset({"rating_average", "median_days"})


@dataclass(frozen=True, kw_only=True)
class Figures:
    """The period's counts (of cases, except `extensions`: decisions)."""

    received: int = 0
    accepted: int = 0
    not_accepted: int = 0
    transferred: int = 0
    merged: int = 0
    withdrawn: int = 0
    resolved: int = 0
    on_time: int = 0
    late: int = 0
    extensions: int = 0
    overdue: int = 0  # now, not in the period
    rated: int = 0
    rating_average: float | None = None  # 1 to 5, over `rated`
    solved_yes: int = 0  # of the rated cases, those whose submitter said it was solved
    solved_answered: int = 0  # of the rated cases, those whose submitter answered that
    median_days: float | None = None  # receipt to response, over `resolved`

    @property
    def without_deadline(self) -> int:
        """Resolved cases that had no resolution deadline (neither on time nor late)."""
        return self.resolved - self.on_time - self.late

    @property
    def on_time_rate(self) -> float | None:
        """On time out of those resolved against a deadline (0 to 1), None without any."""
        judged = self.on_time + self.late
        return self.on_time / judged if judged else None

    @property
    def solved_share(self) -> float | None:
        """Share of answers saying the problem was solved (0 to 1), None without any."""
        return self.solved_yes / self.solved_answered if self.solved_answered else None


@dataclass(frozen=True, kw_only=True)
class Summary(Figures):
    """The figures of the whole period, counted on `today` for the overdue cases."""

    period: Period
    today: date


@dataclass(frozen=True, kw_only=True)
class Row(Figures):
    """The figures of the cases that share one value of a dimension."""

    key: str | int | None


@dataclass(frozen=True)
class MonthRow:
    """One month of the charts' series."""

    month: date  # its first day
    received: int = 0
    resolved: int = 0
    on_time: int = 0
    late: int = 0


@dataclass(frozen=True)
class OverdueCase:
    """An open case past its running deadline: what the staff report lists, nothing more."""

    number: str
    kind: str
    status: str
    handling_unit_id: int | None
    due_on: date
    days_overdue: int


# --- Public API ----------------------------------------------------------------------------


def summary(period: Period, *, today: date | None = None) -> Summary:
    """Count the period's cases: every figure of `Figures` for the whole period."""
    today = today or _today()
    columns, where = _period_columns(period)
    values = dict(db.session.execute(select(*columns).where(where)).one()._mapping)
    values["extensions"] = db.session.scalar(
        select(func.count()).select_from(CaseExtension).where(_extended(period))
    )
    values["overdue"] = db.session.scalar(
        select(func.count()).select_from(Case).where(_overdue(today))
    )
    values["median_days"] = _median(period)
    return Summary(period=period, today=today, **_figures(values))


def breakdown(period: Period, dimension: str, *, today: date | None = None) -> list[Row]:
    """Count the period's cases per kind, topic, unit, channel or status; no value last."""
    today = today or _today()
    key = _dimension(dimension)
    columns, where = _period_columns(period)
    rows: dict[object, dict] = {}
    query = select(key.label("key"), *columns).where(where).group_by(key)
    for result in db.session.execute(query):
        values = dict(result._mapping)
        rows[values.pop("key")] = values
    extended = (
        select(key, func.count())
        .select_from(CaseExtension)
        .join(Case, Case.id == CaseExtension.case_id)
        .where(_extended(period))
        .group_by(key)
    )
    overdue = select(key, func.count()).where(_overdue(today)).group_by(key)
    for name, query in (("extensions", extended), ("overdue", overdue)):
        for value, count in db.session.execute(query):
            rows.setdefault(value, {})[name] = count
    for value, median in _medians(period, key).items():
        rows.setdefault(value, {})["median_days"] = median
    ordered = sorted(rows, key=lambda value: (value is None, value if value is not None else 0))
    return [Row(key=value, **_figures(rows[value])) for value in ordered]


def by_dimension(period: Period, measure: str, dimension: str) -> list[tuple[object, int]]:
    """List one count per value of a dimension (those above zero), or per month of the period."""
    if dimension == MONTH:
        if measure not in MONTH_MEASURES:
            raise ValueError(f"no monthly series for {measure!r}")
        return [(row.month, getattr(row, measure)) for row in monthly(period)]
    if measure not in {f.name for f in fields(Figures)} or measure in _AVERAGES:
        raise ValueError(f"unknown count {measure!r}")
    rows = breakdown(period, dimension)
    return [(row.key, getattr(row, measure)) for row in rows if getattr(row, measure)]


def monthly(period: Period) -> list[MonthRow]:
    """Count the cases received and resolved (on time, late) in each month of the period."""
    months: dict[date, dict] = {month: {} for month in period.months()}
    received = _by_month(Case.received_on, period, func.count().label("received"))
    resolved = _by_month(
        Case.resolved_on,
        period,
        func.count().label("resolved"),
        _count_if(_on_time()).label("on_time"),
        _count_if(_late()).label("late"),
    )
    for query in (received, resolved):
        for result in db.session.execute(query):
            year, month, *_ = result
            values = dict(result._mapping)
            del values["year"], values["month"]
            months[date(int(year), int(month), 1)].update(values)
    return [MonthRow(month, **values) for month, values in months.items()]


def overdue_cases(today: date | None = None, *, limit: int | None = None) -> list[OverdueCase]:
    """List the open cases past their running deadline, most overdue first (no identity)."""
    today = today or _today()
    query = (
        select(Case.number, Case.kind, Case.status, Case.handling_unit_id, Case.due_on)
        .where(_overdue(today))
        .order_by(Case.due_on, Case.id)
        .limit(limit)
    )
    return [
        OverdueCase(number, kind, status, unit_id, due_on, (today - due_on).days)
        for number, kind, status, unit_id, due_on in db.session.execute(query)
    ]


# --- SQL -----------------------------------------------------------------------------------


class days_between(FunctionElement):  # lower case, as SQLAlchemy names SQL functions
    """Whole days from the second DATE to the first."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _days_between(element, compiler, **kw):
    later, earlier = element.clauses
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(days_between, "sqlite")
def _days_between_sqlite(element, compiler, **kw):
    # SQLite keeps dates as ISO text: subtracting the text would subtract the years.
    later, earlier = element.clauses
    return (
        f"CAST(julianday({compiler.process(later, **kw)})"
        f" - julianday({compiler.process(earlier, **kw)}) AS INTEGER)"
    )


def _today() -> date:
    return local_date(datetime.now(UTC))


def _dimension(name: str):
    try:
        return DIMENSIONS[name]
    except KeyError:
        raise ValueError(f"unknown dimension {name!r}") from None


def _count_if(condition):
    return func.count(case((condition, 1)))


def _on_time():
    return Case.resolved_on <= Case.resolution_due_on


def _late():
    return Case.resolution_due_on < Case.resolved_on


def _in(column, period: Period):
    return column.between(period.start, period.end)


def _rated(period: Period):
    # rated_at is a UTC moment: its local date is in the period when the moment falls between
    # the local midnights that open the period and the day after it.
    start, end = period.utc_bounds()
    return and_(Case.rated_at >= start, Case.rated_at < end, Case.rating.is_not(None))


def _extended(period: Period):
    return _in(CaseExtension.decided_on, period)


def _overdue(today: date):
    # The statuses go in as literals in the index's order, as the inbox writes them:
    # PostgreSQL then reads the open cases' partial index (ix_citizen_case_open_due).
    statuses = bindparam("open_statuses", OPEN_STATUSES, expanding=True, literal_execute=True)
    return and_(Case.status.in_(statuses), Case.due_on < today)


def _period_columns(period: Period) -> tuple[list, object]:
    """The period's counts as labelled aggregate columns, and the WHERE clause that keeps
    every case one of them counts (one pass over the table serves them all)."""
    received = _in(Case.received_on, period)
    accepted = _in(Case.accepted_on, period)
    ended = _in(Case.ended_on, period)
    resolved = _in(Case.resolved_on, period)
    rated = _rated(period)
    columns = [
        _count_if(received).label("received"),
        _count_if(accepted).label("accepted"),
        *(
            _count_if(and_(ended, Case.status == str(status))).label(name)
            for name, status in ENDINGS.items()
        ),
        _count_if(resolved).label("resolved"),
        _count_if(and_(resolved, _on_time())).label("on_time"),
        _count_if(and_(resolved, _late())).label("late"),
        _count_if(rated).label("rated"),
        func.avg(case((rated, Case.rating))).label("rating_average"),
        _count_if(and_(rated, Case.solved.is_(True))).label("solved_yes"),
        _count_if(and_(rated, Case.solved.is_not(None))).label("solved_answered"),
    ]
    return columns, or_(received, accepted, ended, resolved, rated)


def _by_month(column, period: Period, *counts):
    year, month = extract("year", column), extract("month", column)
    return (
        select(year.label("year"), month.label("month"), *counts)
        .where(_in(column, period))
        .group_by(year, month)
    )


def _is_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _response_days():
    return days_between(Case.resolved_on, Case.received_on)


def _median(period: Period) -> float | None:
    """The median days from receipt to response of the cases resolved in the period."""
    resolved = _in(Case.resolved_on, period)
    if _is_postgresql():
        median = func.percentile_cont(0.5).within_group(_response_days())
        value = db.session.scalar(select(median).where(resolved))
        return None if value is None else float(value)
    count = db.session.scalar(select(func.count()).select_from(Case).where(resolved))
    return _middle(resolved, count) if count else None


def _medians(period: Period, key) -> dict[object, float]:
    """The same median per value of `key` (values without resolved cases left out)."""
    resolved = _in(Case.resolved_on, period)
    if _is_postgresql():
        median = func.percentile_cont(0.5).within_group(_response_days())
        query = select(key, median).where(resolved).group_by(key)
        return {value: float(m) for value, m in db.session.execute(query)}
    counts = select(key, func.count()).where(resolved).group_by(key)
    return {
        value: _middle(and_(resolved, key.is_(None) if value is None else key == value), count)
        for value, count in db.session.execute(counts)
    }


def _middle(where, count: int) -> float:
    """SQLite has no percentile: read the middle row of `count` in order, or the two middle
    rows when `count` is even, and average them in SQL."""
    days = _response_days().label("days")
    middle = (
        select(days)
        .where(where)
        .order_by(days)
        .limit(2 - count % 2)
        .offset((count - 1) // 2)
        .subquery()
    )
    return float(db.session.scalar(select(func.avg(middle.c.days))))


def _figures(values: Mapping) -> dict:
    """Plain ints and floats (PostgreSQL's AVG gives a Decimal, SQLite's COUNT an int)."""
    return {
        name: (None if value is None else float(value)) if name in _AVERAGES else int(value or 0)
        for name, value in values.items()
    }


def data_version() -> tuple:
    """A cheap value that changes whenever a figure could: the newest case event (every
    submission, move, extension and rating appends one) and the newest purge."""
    last_event = db.session.scalar(select(func.max(CaseEvent.id)))
    last_purge = db.session.scalar(
        select(func.max(AuditEvent.id)).where(AuditEvent.action == "case.purged")
    )
    return (last_event, last_purge)
