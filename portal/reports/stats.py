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

How it is counted: each kind of date has its own pass, which reads only the cases whose date
falls in the period (received, accepted, ended, resolved, rated; then the extensions and the
cases overdue now). On PostgreSQL each pass reads one covering index of its date (the table
itself is never read, see `Case.__table_args__`) and groups by every dimension asked at once
(GROUPING SETS); SQLite runs the same aggregate once per dimension.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime

from sqlalchemy import (
    Integer,
    and_,
    bindparam,
    case,
    extract,
    func,
    select,
    true,
    tuple_,
)
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
    return Summary(period=period, today=today, **_figures(_totals(period, today)))


def breakdown(period: Period, dimension: str, *, today: date | None = None) -> list[Row]:
    """Count the period's cases per kind, topic, unit, channel or status; no value last."""
    return breakdowns(period, (dimension,), today=today)[dimension]


def breakdowns(
    period: Period,
    dimensions: Sequence[str],
    *,
    today: date | None = None,
    measures: Collection[str] | None = None,
) -> dict[str, list[Row]]:
    """`breakdown` for several dimensions at once (one pass per kind of date for them all).

    `measures` (names of `Figures`' fields) limits the passes to those the caller reads: the
    figures of the other passes stay 0 (None for the averages), and a value appears when one
    of the measured figures counts a case for it. MONTH is a dimension here too (the first
    day of the month of each figure's own date) for MONTH_MEASURES only.
    """
    today = today or _today()
    for name in dimensions:
        if name != MONTH:
            _dimension(name)
    if not dimensions:
        return {}
    grouped = _count(period, today, tuple(dimensions), measures=measures)
    result = {}
    for name in dimensions:
        rows = grouped.get(name, {})
        ordered = sorted(rows, key=lambda value: (value is None, value if value is not None else 0))
        result[name] = [Row(key=value, **_figures(rows[value])) for value in ordered]
    return result


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


def monthly(period: Period, *, rows: list[Row] | None = None) -> list[MonthRow]:
    """Count the cases received and resolved (on time, late) in each month of the period;
    `rows`: `breakdowns(period, [MONTH], …)` when the caller has it already."""
    if rows is None:
        rows = breakdowns(period, (MONTH,), measures=MONTH_MEASURES)[MONTH]
    counted = {row.key: row for row in rows}
    return [
        MonthRow(
            month, *(getattr(counted[month], m) if month in counted else 0 for m in MONTH_MEASURES)
        )
        for month in period.months()
    ]


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


# The figures each pass counts, by the date it counts them on.
PASSES = {
    "received": ("received",),
    "accepted": ("accepted",),
    "ended": tuple(ENDINGS),
    "resolved": ("resolved", "on_time", "late", "median_days"),
    "rated": ("rated", "rating_average", "solved_yes", "solved_answered"),
    "extensions": ("extensions",),
    "overdue": ("overdue",),
}


def _count(
    period: Period,
    today: date | None,
    dimensions: tuple[str, ...],
    *,
    measures: Collection[str] | None = None,
) -> dict[str, dict[object, dict]]:
    """Run the passes the measures need: {dimension: {value: figures}} for each dimension
    (MONTH: the month of each pass's own date, as its first day)."""
    wanted = set(measures) if measures is not None else None
    result: dict[str, dict[object, dict]] = {}
    for name, figures in PASSES.items():
        if wanted is not None and not wanted.intersection(figures):
            continue
        columns, where, on, month_of = _pass(name, period, today)
        if wanted is not None:
            columns = [column for column in columns if column.name in wanted]
        keys = {}
        for dimension in dimensions:
            if dimension == MONTH and month_of is None:
                raise ValueError(f"no monthly series for {name!r}")
            keys[dimension] = month_of if dimension == MONTH else _dimension(dimension)
        grouped = _aggregate(columns, where, keys, on=on)
        if (
            name == "resolved"
            and not _is_postgresql()
            and (wanted is None or "median_days" in wanted)
        ):
            _sqlite_medians(grouped, where, keys)
        for group, values in grouped.items():
            for value, figures_ in values.items():
                result.setdefault(group, {}).setdefault(value, {}).update(figures_)
    return result


def _totals(period: Period, today: date) -> dict:
    """Every pass over the whole period in one statement: each a one-row subquery (reading
    its own index), side by side."""
    passes, resolved = [], None
    for name in PASSES:
        columns, where, on, _month = _pass(name, period, today)
        statement = select(*columns).where(where)
        if on is not None:
            statement = statement.select_from(on)
        passes.append(statement.subquery(f"{name}_pass"))
        if name == "resolved":
            resolved = where
    joined = passes[0]
    for subquery in passes[1:]:
        joined = joined.join(subquery, true())
    columns = [column for subquery in passes for column in subquery.c]
    values = dict(db.session.execute(select(*columns).select_from(joined)).one()._mapping)
    if not _is_postgresql() and values["resolved"]:
        values["median_days"] = _middle(resolved, values["resolved"])
    return values


def _pass(name: str, period: Period, today: date | None):
    """The aggregate columns of one pass, its WHERE, what it reads (None: the cases) and the
    date its months are taken from."""
    if name == "received":
        return (
            [func.count().label("received")],
            _in(Case.received_on, period),
            None,
            Case.received_on,
        )
    if name == "accepted":
        return [func.count().label("accepted")], _in(Case.accepted_on, period), None, None
    if name == "ended":
        columns = [
            _count_if(Case.status == str(status)).label(figure)
            for figure, status in ENDINGS.items()
        ]
        return columns, _in(Case.ended_on, period), None, None
    if name == "resolved":
        columns = [
            func.count().label("resolved"),
            _count_if(_on_time()).label("on_time"),
            _count_if(_late()).label("late"),
        ]
        if _is_postgresql():
            median = func.percentile_cont(0.5).within_group(_response_days())
            columns.append(median.label("median_days"))
        return columns, _in(Case.resolved_on, period), None, Case.resolved_on
    if name == "rated":
        columns = [
            func.count().label("rated"),
            func.avg(Case.rating).label("rating_average"),
            _count_if(Case.solved.is_(True)).label("solved_yes"),
            _count_if(Case.solved.is_not(None)).label("solved_answered"),
        ]
        return columns, _rated(period), None, None
    if name == "extensions":
        return [func.count().label("extensions")], _extended(period), CaseExtension, None
    return [func.count().label("overdue")], _overdue(today or _today()), None, None


def _aggregate(columns: list, where, keys: dict[str, object], *, on=None) -> dict:
    """The aggregate columns over the rows of `where`, per value of each key: {key: {value:
    values}}. A key is a column; MONTH's is a date, grouped by its month (the value is the
    month's first day). PostgreSQL groups by every key in one statement; SQLite runs one
    query per key."""
    names = [column.name for column in columns]

    def query(*selected):
        statement = select(*selected).where(where)
        if on is not None:
            statement = statement.select_from(on).join(Case, Case.id == CaseExtension.case_id)
        return statement

    def grouped_by(name, column) -> tuple:
        if name == MONTH:
            return (extract("year", column), extract("month", column))
        return (column,)

    def value_of(parts):
        return date(int(parts[0]), int(parts[1]), 1) if len(parts) == 2 else parts[0]

    result: dict = {}
    if not _is_postgresql():
        for name, column in keys.items():
            key = grouped_by(name, column)
            groups = result.setdefault(name, {})
            for row in db.session.execute(query(*key, *columns).group_by(*key)):
                groups[value_of(row[: len(key)])] = dict(zip(names, row[len(key) :], strict=True))
        return result
    if names and not _AVERAGES.intersection(names):
        # Counts add up: first count per combination of the keys' values (one hash per case,
        # in parallel), then add those few hundred rows up per key.
        labels = {name: column.label(f"key_{i}") for i, (name, column) in enumerate(keys.items())}
        # The month's date last: first, PostgreSQL would sort by it (its index's order) to
        # group, which is slower than hashing.
        order = sorted(labels, key=lambda name: name == MONTH)
        inner = query(*labels.values(), *columns)
        inner = inner.group_by(*(labels[name] for name in order)).subquery("combined")
        keys = {name: inner.c[label.name] for name, label in labels.items()}
        aggregates = [func.sum(inner.c[name]).label(name) for name in names]

        def query(*selected):
            return select(*selected).select_from(inner)

    else:
        aggregates = columns
    expanded = {name: grouped_by(name, column) for name, column in keys.items()}
    flat = [column for key in expanded.values() for column in key]
    everything = (1 << len(flat)) - 1
    masks, position = {}, 0
    for name, key in expanded.items():
        bits = sum(1 << (len(flat) - 1 - position - i) for i in range(len(key)))
        masks[everything ^ bits] = (name, slice(position, position + len(key)))
        position += len(key)
    sets = [tuple_(*key) for key in expanded.values()]
    statement = query(*flat, func.grouping(*flat), *aggregates)
    statement = statement.group_by(func.grouping_sets(*sets))
    for row in db.session.execute(statement):
        name, part = masks[row[len(flat)]]
        values = dict(zip(names, row[len(flat) + 1 :], strict=True))
        result.setdefault(name, {})[value_of(row[part])] = values
    return result


def _is_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def _response_days():
    return days_between(Case.resolved_on, Case.received_on)


def _sqlite_medians(grouped: dict, where, keys: dict[str, tuple]) -> None:
    """SQLite has no percentile: add each group's median days to its resolved count."""
    for name, values in grouped.items():
        for value, figures in values.items():
            count = figures.get("resolved")
            if not count:
                continue
            if name is None:
                condition = where
            elif name == MONTH:
                continue  # no median by month
            else:
                key = keys[name]
                condition = and_(where, key.is_(None) if value is None else key == value)
            figures["median_days"] = _middle(condition, count)


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
