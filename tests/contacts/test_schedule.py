"""The head's reception days: the rule's date, moved off Vietnamese days off, merged with
one-off sessions and with the editors' moves and cancellations."""

from datetime import date, time

import pytest

from portal.contacts import schedule
from portal.contacts.models import ShiftRule
from portal.core.workdays import DayKind
from tests.contacts.factories import create_rule, create_session, declare_day

pytestmark = pytest.mark.usefixtures("app_ctx")


def days(start: date, end: date) -> list[date]:
    return [s.day for s in schedule.sessions_between(start, end)]


def test_the_15th_on_a_working_day_stays():
    create_rule(day_of_month=15)

    assert days(date(2026, 4, 1), date(2026, 4, 30)) == [date(2026, 4, 15)]  # a Wednesday


def test_the_15th_on_a_sunday_moves_to_monday():
    create_rule(day_of_month=15)

    assert days(date(2026, 3, 1), date(2026, 3, 31)) == [date(2026, 3, 16)]


def test_a_sunday_15th_followed_by_tet_moves_past_the_whole_holiday():
    # 15/02/2026 is a Sunday; 16–20/02 are Lunar New Year's Eve and the Tết holidays.
    create_rule(day_of_month=15)

    assert days(date(2026, 2, 1), date(2026, 2, 28)) == [date(2026, 2, 23)]


def test_a_day_on_a_weekday_public_holiday_moves_to_the_next_working_day():
    # 01/09/2026 (Tuesday) and 02/09 are National Day.
    create_rule(day_of_month=1)

    assert days(date(2026, 9, 1), date(2026, 9, 30)) == [date(2026, 9, 3)]


def test_vietnam_cultural_day_from_2026_is_a_holiday():
    create_rule(day_of_month=24)

    assert days(date(2026, 11, 1), date(2026, 11, 30)) == [date(2026, 11, 25)]


def test_an_administrators_day_off_moves_the_session():
    create_rule(day_of_month=15)
    declare_day(date(2026, 12, 15), DayKind.DAY_OFF, "Nghỉ bù")

    assert days(date(2026, 12, 1), date(2026, 12, 31)) == [date(2026, 12, 16)]


def test_a_make_up_saturday_keeps_the_session_on_the_15th():
    # 15/08/2026 is a Saturday: normally moved to Monday 17/08 …
    create_rule(day_of_month=15)
    assert days(date(2026, 8, 1), date(2026, 8, 31)) == [date(2026, 8, 17)]

    # … but when it is declared a working day, the head receives citizens that Saturday.
    declare_day(date(2026, 8, 15), DayKind.WORKING_DAY, "Làm bù")
    assert days(date(2026, 8, 1), date(2026, 8, 31)) == [date(2026, 8, 15)]


def test_a_rule_can_move_back_to_the_previous_working_day():
    create_rule(day_of_month=15, shift=ShiftRule.PREVIOUS_WORKING_DAY)

    assert days(date(2026, 3, 1), date(2026, 3, 31)) == [date(2026, 3, 13)]


def test_day_31_means_the_last_day_of_shorter_months():
    create_rule(day_of_month=31)

    # 30/04/2026 is Liberation Day and 01/05 Labour Day: the session moves to Monday 04/05.
    assert days(date(2026, 4, 1), date(2026, 5, 10)) == [date(2026, 5, 4)]
    # 31/05/2026 is a Sunday (held on Monday 01/06); June has 30 days.
    assert days(date(2026, 6, 1), date(2026, 6, 30)) == [date(2026, 6, 1), date(2026, 6, 30)]


def test_a_session_moved_into_the_next_month_belongs_to_the_window_it_falls_in():
    create_rule(day_of_month=31)

    # 31/01/2027 is a Sunday: the January session is held on Monday 01/02.
    assert days(date(2027, 2, 1), date(2027, 2, 3)) == [date(2027, 2, 1)]
    assert days(date(2027, 1, 25), date(2027, 1, 31)) == []


def test_rules_apply_only_while_in_force():
    create_rule(day_of_month=15, valid_from=date(2026, 5, 1), valid_until=date(2026, 7, 31))
    create_rule(day_of_month=20, active=False)

    assert days(date(2026, 1, 1), date(2026, 12, 31)) == [
        date(2026, 5, 15),
        date(2026, 6, 15),
        date(2026, 7, 15),
    ]


def test_a_one_off_session_is_added_between_the_regular_ones():
    create_rule(day_of_month=15)
    create_session(day=date(2026, 4, 22), note="Tiếp công dân chuyên đề đất đai")

    sessions = schedule.sessions_between(date(2026, 4, 1), date(2026, 4, 30))

    assert [(s.day, s.from_rule) for s in sessions] == [
        (date(2026, 4, 15), True),
        (date(2026, 4, 22), False),
    ]
    assert sessions[1].note == "Tiếp công dân chuyên đề đất đai"


def test_a_moved_session_replaces_the_rules_date_and_keeps_its_uid():
    rule = create_rule(day_of_month=15)
    [before] = schedule.sessions_between(date(2026, 4, 1), date(2026, 4, 30))

    create_session(
        day=date(2026, 4, 17),
        starts_at=time(13, 30),
        ends_at=time(16, 30),
        host=rule.host,
        replaces_rule_day=date(2026, 4, 15),
        note="Giám đốc Sở đi công tác",
    )
    [after] = schedule.sessions_between(date(2026, 4, 1), date(2026, 4, 30))

    assert (after.day, after.starts_at, after.moved_from) == (
        date(2026, 4, 17),
        time(13, 30),
        date(2026, 4, 15),
    )
    assert after.uid == before.uid


def test_a_cancelled_session_replaces_the_rules_date_and_is_marked():
    create_rule(day_of_month=15)
    create_session(day=date(2026, 4, 15), replaces_rule_day=date(2026, 4, 15), cancelled=True)

    [session] = schedule.sessions_between(date(2026, 4, 1), date(2026, 4, 30))

    assert session.cancelled and session.day == date(2026, 4, 15)
    assert schedule.upcoming_sessions(date(2026, 4, 1), limit=1, include_cancelled=False)[
        0
    ].day == date(2026, 5, 15)


def test_a_change_made_before_a_day_off_was_declared_still_finds_its_session():
    # The editor moved the session of 15/12; later the 15th became a day off, so the rule now
    # gives 16/12: the change is matched by the rule's own date and no second session appears.
    create_rule(day_of_month=15)
    create_session(day=date(2026, 12, 18), replaces_rule_day=date(2026, 12, 15))
    declare_day(date(2026, 12, 15), DayKind.DAY_OFF)

    assert days(date(2026, 12, 1), date(2026, 12, 31)) == [date(2026, 12, 18)]


def test_uids_are_stable_and_distinct():
    create_rule(day_of_month=15)
    first = schedule.sessions_between(date(2026, 1, 1), date(2026, 12, 31))
    again = schedule.sessions_between(date(2026, 1, 1), date(2026, 12, 31))

    assert [s.uid for s in first] == [s.uid for s in again]
    assert len({s.uid for s in first}) == 12


def test_upcoming_sessions_start_today_and_stop_at_the_limit():
    create_rule(day_of_month=15)

    upcoming = schedule.upcoming_sessions(date(2026, 4, 15), limit=3)

    assert [s.day for s in upcoming] == [date(2026, 4, 15), date(2026, 5, 15), date(2026, 6, 15)]
