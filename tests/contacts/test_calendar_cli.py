"""`flask calendar day-off|working-day|remove|show`: the announced days, recorded through the
audited service with the command line as the actor. A date the standard calendar already
gives as asked is refused (exit code 1); asking again for what is recorded changes nothing."""

from datetime import date

import pytest

from portal.cases.deadlines import acceptance_due_on
from portal.core.audit import AuditEvent
from portal.core.workdays import CalendarException, DayKind
from portal.extensions import db
from tests.contacts.factories import declare_day


@pytest.fixture
def calendar(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=["calendar", *args])


def _entries(app):
    with app.app_context():
        return {
            row.day: (row.kind, row.note)
            for row in db.session.scalars(db.select(CalendarException))
        }


def _audit(app):
    with app.app_context():
        return [
            (e.action, e.target_id, e.actor_id, e.detail)
            for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))
        ]


def test_a_day_off_is_recorded_and_audited(app, calendar):
    result = calendar("day-off", "2026-12-11", "--note", "Nghỉ bù theo Thông báo 123")
    assert result.exit_code == 0, result.output
    assert result.output == (
        "Recorded: 2026-12-11 (Friday) is a day off (Nghỉ bù theo Thông báo 123).\n"
    )
    assert _entries(app) == {date(2026, 12, 11): ("day-off", "Nghỉ bù theo Thông báo 123")}
    assert _audit(app) == [
        ("calendar.day-set", "2026-12-11", None, {"kind": "day-off", "before": None})
    ]
    # Deadlines follow: received Monday 07/12/2026, 10 working days end on 22/12, not 21/12.
    with app.test_request_context():
        assert acceptance_due_on("complaint", date(2026, 12, 7)) == date(2026, 12, 22)


def test_a_make_up_working_day_is_recorded(app, calendar):
    result = calendar("working-day", "12/12/2026", "--note", "Làm bù")
    assert result.exit_code == 0, result.output
    assert result.output == "Recorded: 2026-12-12 (Saturday) is a make-up working day (Làm bù).\n"
    assert _entries(app) == {date(2026, 12, 12): ("working-day", "Làm bù")}
    with app.test_request_context():
        # Received Monday 07/12: Saturday 12/12 counts, so the 10th working day is Friday 18/12.
        assert acceptance_due_on("complaint", date(2026, 12, 7)) == date(2026, 12, 18)


def test_a_working_day_on_a_public_holiday_is_recorded(app, calendar):
    result = calendar("working-day", "2026-11-24")  # Vietnam Cultural Day, a Tuesday
    assert result.exit_code == 0, result.output
    assert _entries(app) == {date(2026, 11, 24): ("working-day", "")}


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["day-off", "2026-12-13"],
            "2026-12-13 (Sunday) is already a day off (a weekend day): nothing recorded.",
        ),
        (
            ["day-off", "2026-09-02"],
            "2026-09-02 (Wednesday) is already a day off (a public holiday: National Day)",
        ),
        (
            ["working-day", "2026-12-14"],
            "2026-12-14 (Monday) is already a working day (an ordinary working day): nothing "
            "recorded.",
        ),
        (
            ["working-day", "2026-08-22"],
            "2026-08-22 (Saturday) is already a working day (a make-up working day announced "
            "with the public holidays)",
        ),
    ],
)
def test_a_date_already_as_asked_is_refused(app, calendar, args, message):
    result = calendar(*args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Check the date." in result.output
    assert _entries(app) == {}
    assert _audit(app) == []


def test_asking_again_changes_nothing_and_succeeds(app, calendar):
    calendar("day-off", "2026-12-11", "--note", "Nghỉ bù")
    result = calendar("day-off", "2026-12-11")
    assert result.exit_code == 0
    assert (
        result.output == "2026-12-11 (Friday) is already recorded as a day off; nothing changed.\n"
    )
    result = calendar("day-off", "2026-12-11", "--note", "Nghỉ bù")
    assert "nothing changed" in result.output
    assert len(_audit(app)) == 1


def test_asking_again_with_another_note_updates_it(app, calendar):
    calendar("working-day", "2026-12-12", "--note", "Làm bù")
    result = calendar("working-day", "2026-12-12", "--note", "Làm bù cho ngày 11/12")
    assert result.exit_code == 0
    assert "note updated" in result.output
    assert _entries(app) == {date(2026, 12, 12): ("working-day", "Làm bù cho ngày 11/12")}
    assert [a[0] for a in _audit(app)] == ["calendar.day-set", "calendar.day-set"]


def test_the_opposite_entry_is_replaced(app, calendar):
    # A Friday made a day off, then a working day again: the entry goes, the Friday works.
    calendar("day-off", "2026-12-11")
    result = calendar("working-day", "2026-12-11")
    assert result.exit_code == 0
    assert result.output == (
        "2026-12-11 (Friday): removed the entry that made it a day off; it is an ordinary "
        "working day again.\n"
    )
    assert _entries(app) == {}
    assert [a[0] for a in _audit(app)] == ["calendar.day-set", "calendar.day-removed"]


def test_a_package_make_up_saturday_can_be_made_a_day_off(app, calendar):
    result = calendar("day-off", "2026-08-22", "--note", "Không làm bù")
    assert result.exit_code == 0, result.output
    assert _entries(app) == {date(2026, 8, 22): ("day-off", "Không làm bù")}


def test_a_day_off_replaces_a_make_up_working_day_on_a_holiday(app, calendar):
    with app.app_context():
        declare_day(date(2026, 11, 24), DayKind.WORKING_DAY, "")
    result = calendar("day-off", "2026-11-24")
    assert result.exit_code == 0
    assert "it is a public holiday: Vietnam Cultural Day again" in result.output
    assert _entries(app) == {}


@pytest.mark.parametrize(
    "args, message",
    [
        (["day-off", "2026-02-30"], "'2026-02-30' does not match the formats"),
        (["working-day"], "Missing argument 'DATE'"),
        (["day-off", "2026-12-11", "--note", "x" * 201], "use at most 200 characters"),
    ],
)
def test_bad_input_is_a_usage_error(app, calendar, args, message):
    result = calendar(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert _entries(app) == {}


def test_remove_returns_a_date_to_the_standard_calendar(app, calendar):
    calendar("day-off", "2026-12-11")
    result = calendar("remove", "2026-12-11")
    assert result.exit_code == 0
    assert result.output == "Removed: 2026-12-11 (Friday) is an ordinary working day again.\n"
    assert _entries(app) == {}
    result = calendar("remove", "2026-12-11")
    assert result.exit_code == 1
    assert "has no entry: nothing to remove" in result.output


def test_show_lists_a_years_holidays_and_entries(app, calendar):
    calendar("day-off", "2027-02-03", "--note", "Nghỉ bù Tết")
    result = calendar("show", "2027")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "2027-01-01 (Friday)  day off  public-holiday: New Year's Day"
    assert lines[1] == "2027-02-03 (Wednesday)  day off  day-off: Nghỉ bù Tết"
    assert "2027-02-06 (Saturday)  day off  public-holiday: Lunar New Year" in lines
    assert not any("weekend" in line for line in lines)
    assert len(lines) == 16  # 15 public holidays in 2027 and the entry
    assert "2026-08-22 (Saturday)  working day  make-up-day" in calendar("show", "2026").output
