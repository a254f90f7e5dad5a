"""The public scorecard (/thong-ke): the period's figures, charts and tables, built from stats.

Everything shown here comes from `portal.reports.stats`, which only counts: no title,
description, name, contact or other text a citizen wrote is ever selected, so none can reach
the page or a CSV. On top of that, small counts are hidden before anything is shown:

- a count from 1 to 4 (a figure, a chart bar, a table cell, a CSV cell) is "< 5"
  (`exports.suppress`, `Series.counts`, `exports.suppress_table`);
- a rate is hidden when its denominator is under 5 or it would give a small count away
  (`exports.rate`); the median days and the average rating are hidden when based on fewer
  than 5 cases.

The page's tables and the CSV downloads are built from the same counts by the same rules, so a
CSV never says more than the page.

Caching: the views use `core.cache.public_page`, which keys an anonymous reader's page on the
full path with its query string and the language, so each period (and each CSV) is cached on
its own, plus `stats.data_version()` — the newest case event id and the newest purge, two
index look-ups — so a case that changes state shows at once on this instance (other instances
within PUBLIC_PAGE_CACHE_SECONDS, and so does a reverse proxy).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import quote

from flask_babel import format_decimal, format_percent, get_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from portal.cases.forms import TOPIC_LABELS
from portal.cases.models import Kind, Topic
from portal.contacts.models import Unit
from portal.core import exports
from portal.core.charts import Chart, Series, bar_chart, line_chart
from portal.core.text import nfc
from portal.core.workdays import local_date
from portal.extensions import db
from portal.reports import stats
from portal.reports.periods import HALF, MONTH, QUARTER, YEAR, Period, PeriodError

# The kinds of period the selector offers, in its order.
PERIOD_KINDS = {
    MONTH: _l("Month"),
    QUARTER: _l("Quarter"),
    HALF: _l("6 months"),
    YEAR: _l("Year"),
}
FIRST_YEAR, LAST_YEAR = 2000, 2100
# The tables a reader can download, in the page's order.
TABLES = ("month", "kind", "topic", "unit")
SECTION_MEASURES = ("received", "resolved")  # what a table counts


def today() -> date:
    """Today's date in Vietnam."""
    return local_date(datetime.now(UTC))


@dataclass(frozen=True)
class Choice:
    """What the reader typed in the period selector, kept as text to show it back."""

    kind: str = YEAR
    year: str = ""
    number: str = ""


def choose_period(args, *, on: date | None = None) -> tuple[Period, Choice]:
    """Read the period from the query string; raise PeriodError with the reader's message.

    `period=2026-Q1` (the links and CSV downloads) or the selector's `kind`, `year` and
    `number` (month 1–12, quarter 1–4 or half 1–2); neither gives the current year.
    """
    if args.get("period"):
        period = Period.parse(args["period"])
        return period, _choice_of(period)
    kind = (args.get("kind") or "").strip()
    year = (args.get("year") or "").strip()
    number = (args.get("number") or "").strip()
    if not kind and not year and not number:
        period = Period.year((on or today()).year)
        return period, _choice_of(period)
    choice = Choice(kind or YEAR, year, number)
    if choice.kind not in PERIOD_KINDS:
        raise ScorecardChoiceError(_l("Choose a kind of period from the list."), choice, "kind")
    if not year.isdigit() or not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise ScorecardChoiceError(
            _l("Enter a year from %(first)d to %(last)d.", first=FIRST_YEAR, last=LAST_YEAR),
            choice,
            "year",
        )
    if choice.kind == YEAR:
        return Period.year(int(year)), choice
    if not number.isdigit():
        raise ScorecardChoiceError(
            _l("Enter the number of the month, quarter or half year."), choice, "number"
        )
    try:
        return getattr(Period, choice.kind)(int(year), int(number)), choice
    except PeriodError as error:
        raise ScorecardChoiceError(error.message, choice, "number") from None


class ScorecardChoiceError(PeriodError):
    """A period the selector cannot mean, with what was typed and the field to correct."""

    def __init__(self, message, choice: Choice, field: str):
        super().__init__(message)
        self.choice = choice
        self.field = field


def _choice_of(period: Period) -> Choice:
    kind, start = period.kind, period.start
    if kind == MONTH:
        number = start.month
    elif kind == QUARTER:
        number = (start.month + 2) // 3
    elif kind == HALF:
        number = 1 if start.month == 1 else 2
    else:
        number = ""
    return Choice(kind if kind in PERIOD_KINDS else YEAR, str(start.year), str(number))


# --- Figures ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One headline figure as shown: its label, its text ("< 5", "87,5%"), and a note."""

    label: str
    text: str
    note: str = ""


def _count(n: int) -> str:
    shown = exports.suppress(n)
    return shown if isinstance(shown, str) else format_decimal(shown)


def _hidden() -> str:
    return gettext("Not shown")


def _percent(value: float | None) -> str:
    return _hidden() if value is None else format_percent(value, "#,##0.#%")


def figures(summary: stats.Summary) -> list[Figure]:
    """The headline figures, small counts and rates over few cases hidden."""
    few = gettext("Fewer than 5 cases: not shown, so that no citizen can be identified.")
    judged = summary.on_time + summary.late
    on_time = exports.rate(summary.on_time, judged)
    solved = exports.rate(summary.solved_yes, summary.solved_answered)
    enough_resolved = summary.resolved >= exports.SUPPRESSION_THRESHOLD
    enough_rated = summary.rated >= exports.SUPPRESSION_THRESHOLD
    median = summary.median_days if enough_resolved else None
    rating = summary.rating_average if enough_rated else None
    return [
        Figure(gettext("Cases received"), _count(summary.received)),
        Figure(gettext("Cases accepted for handling"), _count(summary.accepted)),
        Figure(gettext("Cases resolved"), _count(summary.resolved)),
        Figure(gettext("Cases transferred to the competent body"), _count(summary.transferred)),
        Figure(
            gettext("Cases overdue now"),
            _count(summary.overdue),
            gettext("Open cases past their deadline today, whenever they were received."),
        ),
        Figure(
            gettext("Resolved on time"),
            _percent(on_time),
            few if on_time is None and judged else "",
        ),
        Figure(
            gettext("Median days to respond"),
            _hidden() if median is None else format_decimal(median, "#,##0.#"),
            few if median is None and summary.resolved else "",
        ),
        Figure(
            gettext("Average rating (1 to 5)"),
            _hidden() if rating is None else format_decimal(rating, "#,##0.0"),
            few if rating is None and summary.rated else "",
        ),
        Figure(
            gettext("Said their problem was solved"),
            _percent(solved),
            few if solved is None and summary.solved_answered else "",
        ),
    ]


# --- Tables and charts -----------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """One chart and the table a reader downloads: built from the same suppressed counts."""

    name: str  # one of TABLES: the CSV's URL part
    chart: Chart
    table: exports.Table  # suppressed


def _rows(
    period: Period, dimension: str, today_: date, rows: list[stats.Row] | None = None
) -> tuple[list[str], list[int], list[int]]:
    if rows is None:
        rows = stats.breakdowns(period, [dimension], today=today_, measures=SECTION_MEASURES)[
            dimension
        ]
    counts = {row.key: (row.received, row.resolved) for row in rows}
    if dimension == "kind":
        keys = [str(kind) for kind in Kind]
        labels = [str(Kind(key).label) for key in keys]
    elif dimension == "topic":
        keys = [str(topic) for topic in Topic]
        labels = [str(TOPIC_LABELS[Topic(key)]) for key in keys]
    else:
        keys, labels = _units([row.key for row in rows if row.received or row.resolved])
    # A value stats knows but the labels do not (an old topic) still counts, under its code.
    for key in counts:
        if key not in keys and any(counts[key]):
            keys.append(key)
            labels.append(str(key))
    received = [counts.get(key, (0, 0))[0] for key in keys]
    resolved = [counts.get(key, (0, 0))[1] for key in keys]
    return labels, received, resolved


def _units(ids: list[int | None]) -> tuple[list, list[str]]:
    """The units' names in the reader's language, in the organisation's order."""
    known = [i for i in ids if i is not None]
    english = str(get_locale()) == "en"
    query = select(Unit.id, Unit.name, Unit.name_en).where(Unit.id.in_(known))
    units = db.session.execute(query.order_by(Unit.position, Unit.name)).all() if known else []
    keys = [unit.id for unit in units]
    labels = [unit.name_en if english and unit.name_en else unit.name for unit in units]
    if None in ids:
        keys.append(None)
        labels.append(gettext("No handling unit yet"))
    return keys, labels


def _section(name, chart_title, heading, labels, received, resolved, *, line=False) -> Section:
    series = [
        Series.counts(gettext("Received"), received),
        Series.counts(gettext("Resolved"), resolved),
    ]
    draw = line_chart if line else bar_chart
    chart = draw(
        f"chart-{name}", chart_title, labels, series, category_label=heading, number_format="#,##0"
    )
    table = exports.Table(
        title=chart_title,
        headers=(heading, gettext("Received"), gettext("Resolved")),
        rows=[(label, a, b) for label, a, b in zip(labels, received, resolved, strict=True)],
        kinds=("text", "count", "count"),
        note=exports.suppression_note(),
    )
    return Section(name, chart, exports.suppress_table(table))


def section(
    period: Period, name: str, *, today_: date | None = None, rows: list[stats.Row] | None = None
) -> Section:
    """Build one of TABLES for the period; KeyError for a name not in TABLES. `rows`: the
    dimension's breakdown when the caller has it already."""
    today_ = today_ or today()
    if name == "month":
        months = stats.monthly(period, rows=rows)
        return _section(
            "month",
            gettext("Cases received and resolved by month"),
            gettext("Month"),
            [f"{row.month:%m/%Y}" for row in months],
            [row.received for row in months],
            [row.resolved for row in months],
            line=True,
        )
    titles = {
        "kind": (gettext("Cases by kind"), gettext("Kind")),
        "topic": (gettext("Cases by topic"), gettext("Topic")),
        "unit": (gettext("Cases by handling unit"), gettext("Handling unit")),
    }
    title, heading = titles[name]
    return _section(name, title, heading, *_rows(period, name, today_, rows))


@dataclass(frozen=True)
class Scorecard:
    period: Period
    figures: list[Figure]
    sections: list[Section]


def build(period: Period, *, today_: date | None = None) -> Scorecard:
    """Everything the page shows for the period."""
    today_ = today_ or today()
    summary = stats.summary(period, today=today_)
    # The tables show what was received and resolved: two passes for the four of them.
    rows = stats.breakdowns(period, TABLES, today=today_, measures=SECTION_MEASURES)
    sections = [section(period, name, today_=today_, rows=rows.get(name)) for name in TABLES]
    return Scorecard(period, figures(summary), sections)


def content_disposition(period: Period, section_: Section) -> str:
    """An attachment header naming the file after its table, readable in Vietnamese.

    `filename*` carries the UTF-8 name ("Số vụ việc theo loại 2026.csv"); `filename` an ASCII
    fallback (thong-ke-kind-2026.csv) for the rare client that ignores it.
    """
    name = nfc(f"{section_.table.title} {period.param}.csv")
    fallback = f"thong-ke-{section_.name}-{period.param}.csv"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
