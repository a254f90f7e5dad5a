"""Reporting periods: a month, quarter, half year, year or any run of days, with its label,
the period before it for comparisons, its query-string form, and the next statutory report.

The office reports to the Provincial People's Committee twice a year (via the Department of
Home Affairs): the 6-month report, covering January to June, before 10 July, and the annual
report, covering the previous year, before 10 January.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l

from portal.core.workdays import VIETNAM

# (month, day) each report is due, and the reminder's lead time in days.
SIX_MONTH_REPORT_DUE = (7, 10)
ANNUAL_REPORT_DUE = (1, 10)
REPORT_REMIND_DAYS = 30

# Calendar periods are whole months aligned on the year: 1, 3, 6 or 12 of them.
MONTH, QUARTER, HALF, YEAR, DAYS = "month", "quarter", "half", "year", "days"
_SPANS = {1: MONTH, 3: QUARTER, 6: HALF, 12: YEAR}
SIX_MONTH, ANNUAL = "six-month", "annual"

_YEAR = r"(?P<year>\d{4})"
_FORMS = (
    (re.compile(rf"{_YEAR}"), YEAR),
    (re.compile(rf"{_YEAR}-(?P<n>\d{{1,2}})"), MONTH),
    (re.compile(rf"{_YEAR}-Q(?P<n>\d)", re.IGNORECASE), QUARTER),
    (re.compile(rf"{_YEAR}-H(?P<n>\d)", re.IGNORECASE), HALF),
)
_DAYS_FORM = re.compile(r"(?P<start>\d{4}-\d{2}-\d{2})\.\.(?P<end>\d{4}-\d{2}-\d{2})")

PERIOD_FORMAT = _l("Choose a period such as 2026-03, 2026-Q1, 2026-H1 or 2026.")
_RANGE_MESSAGES = {
    MONTH: _l("Choose a month from 1 to 12."),
    QUARTER: _l("Choose a quarter from 1 to 4."),
    HALF: _l("Choose H1 (January to June) or H2 (July to December)."),
}


class PeriodError(ValueError):
    """A period the query string cannot mean; `message` is shown to the reader."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message  # a lazy string: translated when shown


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    """The first day of the month `months` after (or before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, order=True)
class Period:
    """A run of local (Vietnam) days, both ends included."""

    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise PeriodError(_l("The period ends before it starts."))

    # --- Constructors ---------------------------------------------------------------------------
    @classmethod
    def month(cls, year: int, month: int) -> "Period":
        """The calendar month."""
        if not 1 <= month <= 12:
            raise PeriodError(_RANGE_MESSAGES[MONTH])
        return cls(date(year, month, 1), _month_end(year, month))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> "Period":
        """Quarter 1 is January to March, … 4 October to December."""
        if not 1 <= quarter <= 4:
            raise PeriodError(_RANGE_MESSAGES[QUARTER])
        first = 3 * quarter - 2
        return cls(date(year, first, 1), _month_end(year, first + 2))

    @classmethod
    def half(cls, year: int, half: int) -> "Period":
        """Half 1 is January to June (the 6-month report), half 2 July to December."""
        if half not in (1, 2):
            raise PeriodError(_RANGE_MESSAGES[HALF])
        first = 6 * half - 5
        return cls(date(year, first, 1), _month_end(year, first + 5))

    @classmethod
    def year(cls, year: int) -> "Period":
        """The calendar year (the annual report)."""
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def containing(cls, day: date, kind: str) -> "Period":
        """The month, quarter, half or year that contains `day`."""
        if kind == MONTH:
            return cls.month(day.year, day.month)
        if kind == QUARTER:
            return cls.quarter(day.year, (day.month - 1) // 3 + 1)
        if kind == HALF:
            return cls.half(day.year, 1 if day.month <= 6 else 2)
        if kind == YEAR:
            return cls.year(day.year)
        raise ValueError(f"unknown period kind {kind!r}")

    @classmethod
    def parse(cls, value: str) -> "Period":
        """Read 2026-03, 2026-Q1, 2026-H1, 2026 or 2026-01-05..2026-02-10; else PeriodError."""
        value = (value or "").strip()
        for pattern, kind in _FORMS:
            found = pattern.fullmatch(value)
            if found:
                year = int(found["year"])
                if year < 1:
                    break
                if kind == YEAR:
                    return cls.year(year)
                return getattr(cls, kind)(year, int(found["n"]))
        found = _DAYS_FORM.fullmatch(value)
        if found:
            try:
                start = date.fromisoformat(found["start"])
                end = date.fromisoformat(found["end"])
            except ValueError:
                raise PeriodError(_l("Enter dates that exist, as YYYY-MM-DD.")) from None
            return cls(start, end)
        raise PeriodError(PERIOD_FORMAT)

    # --- What it is -----------------------------------------------------------------------------
    @property
    def kind(self) -> str:
        """month, quarter, half or year when the days are exactly one of those; else days."""
        if self.start.day != 1 or self.end != _month_end(self.end.year, self.end.month):
            return DAYS
        months = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        if months in _SPANS and (self.start.month - 1) % months == 0:
            return _SPANS[months]
        return DAYS

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """The period of the same length just before (for a run of days, as many days)."""
        kind = self.kind
        if kind == DAYS:
            return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))
        months = {v: k for k, v in _SPANS.items()}[kind]
        start = _add_months(self.start, -months)
        return Period(start, self.start - timedelta(days=1))

    def months(self) -> list[date]:
        """The first day of every month the period touches, in order."""
        first = date(self.start.year, self.start.month, 1)
        count = (self.end.year - first.year) * 12 + self.end.month - first.month + 1
        return [_add_months(first, n) for n in range(count)]

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """The UTC moments its first local day and the day after it begin: start <= t < end."""
        start = datetime.combine(self.start, time(), VIETNAM).astimezone(UTC)
        end = datetime.combine(self.end + timedelta(days=1), time(), VIETNAM).astimezone(UTC)
        return start, end

    @property
    def param(self) -> str:
        """The query-string value that `parse` reads back."""
        kind, year = self.kind, self.start.year
        if kind == MONTH:
            return f"{year}-{self.start.month:02d}"
        if kind == QUARTER:
            return f"{year}-Q{(self.start.month + 2) // 3}"
        if kind == HALF:
            return f"{year}-H{1 if self.start.month == 1 else 2}"
        if kind == YEAR:
            return str(year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def __str__(self) -> str:
        return self.param

    @property
    def label(self):
        """The period as a reader says it: "Tháng 3/2026", "Quý 1/2026", "Năm 2026"…"""
        kind, year = self.kind, self.start.year
        if kind == MONTH:
            return _l("Month %(month)d/%(year)d", month=self.start.month, year=year)
        if kind == QUARTER:
            return _l(
                "Quarter %(quarter)d/%(year)d", quarter=(self.start.month + 2) // 3, year=year
            )
        if kind == HALF:
            if self.start.month == 1:
                return _l("First 6 months of %(year)d", year=year)
            return _l("Last 6 months of %(year)d", year=year)
        if kind == YEAR:
            return _l("Year %(year)d", year=year)
        return _l(
            "From %(start)s to %(end)s",
            start=f"{self.start:%d/%m/%Y}",
            end=f"{self.end:%d/%m/%Y}",
        )


REPORT_LABELS = {SIX_MONTH: _l("6-month report"), ANNUAL: _l("Annual report")}


@dataclass(frozen=True)
class ReportDue:
    """The next statutory report: which one, the period it covers, and when it is due."""

    kind: str  # SIX_MONTH or ANNUAL
    period: Period
    due_on: date
    days_left: int  # 0 on the day it is due
    soon: bool  # within the reminder's lead time: the dashboard shows it

    @property
    def label(self):
        return REPORT_LABELS[self.kind]


def report_due(today: date, *, remind_days: int = REPORT_REMIND_DAYS) -> ReportDue:
    """The next report due on or after `today`, and whether it is `remind_days` or fewer away."""
    annual_due = date(today.year, *ANNUAL_REPORT_DUE)
    six_month_due = date(today.year, *SIX_MONTH_REPORT_DUE)
    if today <= annual_due:
        kind, period, due_on = ANNUAL, Period.year(today.year - 1), annual_due
    elif today <= six_month_due:
        kind, period, due_on = SIX_MONTH, Period.half(today.year, 1), six_month_due
    else:
        kind, period = ANNUAL, Period.year(today.year)
        due_on = date(today.year + 1, *ANNUAL_REPORT_DUE)
    days_left = (due_on - today).days
    return ReportDue(kind, period, due_on, days_left, days_left <= remind_days)
