"""Working days in Viet Nam: weekends, public holidays (the `holidays` package), the Saturdays
worked in exchange for a bridge day off, and the administrator's entries. Dates checked by
hand against the printed calendar."""

from datetime import UTC, date, datetime

import pytest

from portal.core import workdays
from portal.core.workdays import DayKind, Why
from tests.contacts.factories import declare_day

pytestmark = pytest.mark.usefixtures("app_ctx")


@pytest.mark.parametrize(
    "day, working",
    [
        (date(2026, 10, 2), True),  # an ordinary Friday
        (date(2026, 10, 3), False),  # Saturday
        (date(2026, 10, 4), False),  # Sunday
        (date(2026, 4, 27), False),  # Hùng Kings (Sunday 26/04) observed on Monday
        (date(2026, 4, 30), False),
        (date(2026, 5, 1), False),
        (date(2026, 8, 31), False),  # bridge day off before National Day …
        (date(2026, 8, 22), True),  # … worked on Saturday 22/08
        (date(2025, 5, 2), False),  # 2025's bridge day off …
        (date(2025, 4, 26), True),  # … worked on Saturday 26/04/2025
        (date(2026, 9, 1), False),
        (date(2026, 9, 2), False),
        (date(2026, 11, 24), False),  # Vietnam Cultural Day, from 2026
        (date(2025, 11, 24), True),  # an ordinary Monday in 2025
        (date(2027, 2, 3), True),  # the day before Tết 2027 …
        (date(2027, 2, 4), False),  # … which runs from Thursday 04/02 …
        (date(2027, 2, 10), False),  # … to Wednesday 10/02
        (date(2027, 2, 11), True),
    ],
)
def test_the_standard_calendar(day, working):
    assert workdays.is_working_day(day) is working


def test_an_administrator_can_add_a_day_off_and_a_make_up_day():
    assert workdays.is_working_day(date(2026, 12, 11))
    assert not workdays.is_working_day(date(2026, 12, 12))
    declare_day(date(2026, 12, 11), DayKind.DAY_OFF, "Nghỉ bù")
    declare_day(date(2026, 12, 12), DayKind.WORKING_DAY, "Làm bù")
    assert not workdays.is_working_day(date(2026, 12, 11))
    assert workdays.is_working_day(date(2026, 12, 12))


def test_an_administrators_entry_wins_over_the_package():
    declare_day(date(2026, 8, 22), DayKind.DAY_OFF, "")
    declare_day(date(2026, 9, 2), DayKind.WORKING_DAY, "")
    assert not workdays.is_working_day(date(2026, 8, 22))
    assert workdays.is_working_day(date(2026, 9, 2))


def test_periods_start_the_day_after_the_event():
    # Friday 02/10/2026: the first working day after it is Monday 05/10.
    assert workdays.add_working_days(date(2026, 10, 2), 1) == date(2026, 10, 5)
    # A calendar period of 1 day ends on Saturday 03/10: moved to Monday.
    assert workdays.add_calendar_days(date(2026, 10, 2), 1) == date(2026, 10, 5)
    assert workdays.add_calendar_days(date(2026, 10, 1), 1) == date(2026, 10, 2)


def test_next_working_day():
    assert workdays.next_working_day(date(2026, 10, 2)) == date(2026, 10, 2)
    assert workdays.next_working_day(date(2027, 2, 6)) == date(2027, 2, 11)


def test_the_local_date_is_vietnams():
    assert workdays.local_date(datetime(2026, 12, 31, 16, 59, tzinfo=UTC)) == date(2026, 12, 31)
    assert workdays.local_date(datetime(2026, 12, 31, 17, 0, tzinfo=UTC)) == date(2027, 1, 1)


def test_describe_says_why_a_day_is_different():
    declare_day(date(2026, 12, 11), DayKind.DAY_OFF, "Nghỉ bù")
    declare_day(date(2026, 12, 12), DayKind.WORKING_DAY, "Làm bù")
    declare_day(date(2026, 12, 14), DayKind.WORKING_DAY, "")  # a Monday: changes nothing

    def why(day, **kwargs):
        note = workdays.describe(day, **kwargs)
        return note and (note.working, note.why, note.name)

    assert why(date(2026, 12, 10)) is None
    assert why(date(2026, 12, 14)) is None
    assert why(date(2026, 12, 11)) == (False, Why.DAY_OFF, "Nghỉ bù")
    assert why(date(2026, 12, 12)) == (True, Why.WORKING_DAY, "Làm bù")
    assert why(date(2026, 12, 13)) == (False, Why.WEEKEND, "")
    assert why(date(2026, 8, 22)) == (True, Why.MAKE_UP_DAY, "")
    assert why(date(2026, 9, 2)) == (False, Why.PUBLIC_HOLIDAY, "National Day")
    assert why(date(2026, 9, 2), language="vi") == (False, Why.PUBLIC_HOLIDAY, "Quốc khánh")
    # A holiday on a weekend is named: the first day of Tết 2027 is a Saturday.
    assert why(date(2027, 2, 6)) == (False, Why.PUBLIC_HOLIDAY, "Lunar New Year")


def test_notable_days_in_a_range():
    days = workdays.notable_days(date(2026, 8, 21), date(2026, 9, 3))
    assert [(n.day.day, n.working) for n in days] == [
        (22, True),
        (23, False),
        (29, False),
        (30, False),
        (31, False),
        (1, False),
        (2, False),
    ]
