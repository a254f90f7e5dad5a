"""Working days in Vietnam: Monday to Friday, minus public holidays and announced days off,
plus announced make-up working days. Periods start the day after their event (Civil Code
art. 147) and a calendar period ending on a day off moves to the next working day (art. 148).
"""

import enum
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


def _exceptions() -> dict[date, str]:
    # Read once per request (or app context): a deadline computation asks about many days.
    if "calendar_exceptions" not in g:
        rows = db.session.execute(db.select(CalendarException.day, CalendarException.kind)).all()
        g.calendar_exceptions = dict(rows)
    return g.calendar_exceptions


def forget_exceptions() -> None:
    """Drop the cached exceptions after an administrator changed them."""
    g.pop("calendar_exceptions", None)


def local_date(moment: datetime) -> date:
    """The date in Vietnam at a given moment (a case sent at 23:30 UTC is received tomorrow)."""
    return moment.astimezone(VIETNAM).date()


def is_public_holiday(day: date) -> bool:
    return day in _public_holidays(day.year)


def is_working_day(day: date) -> bool:
    kind = _exceptions().get(day)
    if kind == DayKind.WORKING_DAY:
        return True
    if kind == DayKind.DAY_OFF:
        return False
    return day.weekday() < 5 and not is_public_holiday(day)


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
