"""Working days in Vietnam: Monday to Friday, minus public holidays and announced days off,
plus announced make-up working days (those the `holidays` package knows, and those an
administrator records). Periods start the day after their event (Civil Code
art. 147) and a calendar period ending on a day off moves to the next working day (art. 148).
"""

import enum
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from flask import g
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


class DayKind(enum.StrEnum):
    DAY_OFF = "day-off"  # e.g. a bridge day announced by the government
    WORKING_DAY = "working-day"  # e.g. the Saturday worked to make up for it


class CalendarException(db.Model):
    """A day an administrator declared different from the standard calendar."""

    __tablename__ = "calendar_exception"

    day: Mapped[date] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(db.String(12))
    note: Mapped[str] = mapped_column(db.String(200), default="")


@lru_cache(maxsize=32)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year))


@lru_cache(maxsize=32)
def _make_up_days(year: int) -> frozenset[date]:
    # The package also knows the Saturdays the government made working days in exchange for a
    # bridge day off (it lists the day off as a holiday: 31/08/2026 for Saturday 22/08/2026).
    # Taking the day off without the Saturday would shorten every period that spans both.
    # The neighbouring years are built too: a swap can cross the new year.
    calendar = holidays.country_holidays("VN", years=(year - 1, year, year + 1))
    return frozenset(d for d in calendar.weekend_workdays if d.year == year)


@lru_cache(maxsize=64)
def _holiday_names(year: int, language: str) -> dict[date, str]:
    return dict(holidays.country_holidays("VN", years=year, language=language))


def _exceptions() -> dict[date, tuple[str, str]]:
    # Read once per request (or app context): a deadline computation asks about many days.
    if "calendar_exceptions" not in g:
        rows = db.session.execute(
            db.select(CalendarException.day, CalendarException.kind, CalendarException.note)
        ).all()
        g.calendar_exceptions = {day: (kind, note or "") for day, kind, note in rows}
    return g.calendar_exceptions


def forget_exceptions() -> None:
    """Drop the cached exceptions after an administrator changed them."""
    g.pop("calendar_exceptions", None)


def local_date(moment: datetime) -> date:
    """The date in Vietnam at a given moment (a case sent at 23:30 UTC is received tomorrow)."""
    return moment.astimezone(VIETNAM).date()


def is_public_holiday(day: date) -> bool:
    return day in _public_holidays(day.year)


def make_up_days(year: int) -> list[date]:
    """The weekend days of the year the standard calendar makes working days, in order."""
    return sorted(_make_up_days(year))


def is_make_up_day(day: date) -> bool:
    """A weekend day the government announced as a working day (from the holidays package)."""
    return day in _make_up_days(day.year)


def is_working_day(day: date) -> bool:
    kind, _note = _exceptions().get(day, (None, ""))
    if kind == DayKind.WORKING_DAY:
        return True
    if kind == DayKind.DAY_OFF:
        return False
    if day.weekday() >= 5:
        return is_make_up_day(day)
    return not is_public_holiday(day)


def next_working_day(day: date) -> date:
    """The day itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(event_day: date, n: int) -> date:
    """The Nth working day after the event's day (the period ends at the end of that day)."""
    day = event_day
    counted = 0
    while counted < n:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def add_calendar_days(event_day: date, n: int) -> date:
    """Event day + N; moved to the next working day if that is a day off."""
    return next_working_day(event_day + timedelta(days=n))


class Why(enum.StrEnum):
    """Why a day is not what its weekday suggests."""

    WEEKEND = "weekend"
    PUBLIC_HOLIDAY = "public-holiday"
    DAY_OFF = "day-off"  # an administrator's entry
    WORKING_DAY = "working-day"  # an administrator's make-up working day
    MAKE_UP_DAY = "make-up-day"  # a make-up working day known to the holidays package


@dataclass(frozen=True)
class DayNote:
    day: date
    working: bool
    why: Why
    name: str = ""  # the holiday's name, or the administrator's note


def holiday_name(day: date, *, language: str = "en_US") -> str | None:
    """The public holiday's name in `language` ("vi" or "en_US"); None if it is not one."""
    return _holiday_names(day.year, language).get(day)


def describe(day: date, *, language: str = "en_US") -> DayNote | None:
    """Why `day` is a day off, or a weekend day that is worked; None for an ordinary day."""
    kind, note = _exceptions().get(day, (None, ""))
    if kind == DayKind.DAY_OFF:
        return DayNote(day, False, Why.DAY_OFF, note)
    if kind == DayKind.WORKING_DAY:
        if day.weekday() < 5 and not is_public_holiday(day):
            return None  # an entry that changes nothing
        return DayNote(day, True, Why.WORKING_DAY, note)
    if day.weekday() >= 5 and is_make_up_day(day):
        return DayNote(day, True, Why.MAKE_UP_DAY)
    if is_public_holiday(day):  # named even on a weekend: Tết covers both
        return DayNote(day, False, Why.PUBLIC_HOLIDAY, holiday_name(day, language=language))
    if day.weekday() >= 5:
        return DayNote(day, False, Why.WEEKEND)
    return None


def notable_days(first: date, last: date, *, language: str = "en_US") -> list[DayNote]:
    """The days from `first` to `last` (both included) that describe() has something to say
    about, in date order: days off, and weekend days that are worked."""
    notes = []
    day = first
    while day <= last:
        note = describe(day, language=language)
        if note is not None:
            notes.append(note)
        day += timedelta(days=1)
    return notes
