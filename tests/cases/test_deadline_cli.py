"""`flask cases deadline KIND STAGE DATE [options]` prints the deadline as an ISO date, or
explains (click usage error, exit code 2) what is wrong with the question."""

from datetime import date

import pytest

from portal.core.workdays import DayKind
from tests.contacts.factories import declare_day


@pytest.fixture
def deadline(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=["cases", "deadline", *args])


@pytest.mark.parametrize(
    "args, printed",
    [
        # Hand-counted: see tests/cases/test_deadlines.py for each date's reasoning.
        (["complaint", "accept", "2027-01-29"], "2027-02-19"),  # Tết in between
        (["complaint", "accept", "29/01/2027"], "2027-02-19"),  # dd/mm/yyyy is fine too
        (["complaint", "accept", "2026-08-21"], "2026-09-08"),  # make-up Saturday 22/08
        (["denunciation", "accept", "2026-10-02"], "2026-10-13"),
        (["denunciation", "accept", "2026-10-02", "--several-places"], "2026-10-16"),
        (["reflection", "accept", "2026-04-24"], "2026-05-13"),
        (["petition", "resolve", "2026-04-24"], "2026-05-20"),
        (["complaint", "resolve", "2026-10-05"], "2026-11-16"),
        (["complaint", "resolve", "2026-10-05", "--complex"], "2026-12-08"),
        (["complaint", "resolve", "2026-10-05", "--remote"], "2026-12-08"),
        (["complaint", "resolve", "2026-10-05", "--remote", "--complex"], "2026-12-29"),
        (["complaint", "resolve", "2026-10-05", "--second"], "2026-12-08"),
        (["complaint", "resolve", "2026-10-05", "--second", "--complex"], "2026-12-29"),
        (["complaint", "resolve", "2026-10-05", "--second", "--remote"], "2026-12-29"),
        (
            ["complaint", "resolve", "2026-10-05", "--second", "--remote", "--complex"],
            "2027-01-13",
        ),
        (["denunciation", "resolve", "2026-10-02"], "2026-11-02"),
        (["denunciation", "resolve", "2026-10-02", "--complex", "--extensions", "1"], "2026-12-01"),
        (
            [
                "denunciation",
                "resolve",
                "2026-10-02",
                "--complex",
                "--complex",
                "--extensions",
                "2",
            ],
            "2026-12-31",
        ),
        (
            ["denunciation", "resolve", "2026-10-02", "--especially-complex", "--extensions", "2"],
            "2026-12-31",
        ),
        # Complexity alone does not lengthen a denunciation: only granted extensions do.
        (["denunciation", "resolve", "2026-10-02", "--especially-complex"], "2026-11-02"),
    ],
)
def test_prints_the_deadline_as_an_iso_date(deadline, args, printed):
    result = deadline(*args)
    assert result.exit_code == 0, result.output
    assert result.output == printed + "\n"


def test_follows_the_administrators_calendar(app, deadline):
    with app.app_context():
        declare_day(date(2026, 12, 11), DayKind.DAY_OFF, "Nghỉ bù")
    assert deadline("complaint", "accept", "2026-12-07").output == "2026-12-22\n"


def test_follows_the_configuration(app, deadline, monkeypatch):
    accept = {**app.config["CASE_ACCEPTANCE_WORKING_DAYS"], "complaint": 5}
    monkeypatch.setitem(app.config, "CASE_ACCEPTANCE_WORKING_DAYS", accept)
    assert deadline("complaint", "accept", "2026-10-02").output == "2026-10-09\n"


def test_explain_lists_the_days_not_counted(deadline):
    result = deadline("complaint", "accept", "2027-01-29", "--explain")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "2027-02-19"
    assert lines[1] == "10 working days from receipt on 2027-01-29"
    assert "not counted: 2027-02-04 Thu public-holiday (29 of Lunar New Year)" in lines
    assert "not counted: 2027-01-30 Sat weekend" in lines
    assert len(lines) == 2 + 11


def test_explain_says_when_a_calendar_end_moved(deadline):
    result = deadline("denunciation", "resolve", "2027-01-07", "--explain")
    lines = result.output.splitlines()
    assert lines[:3] == [
        "2027-02-11",
        "30 calendar days from acceptance on 2027-01-07",
        "ends on 2027-02-06, not a working day: moved",
    ]
    assert lines[3].startswith("moved over: 2027-02-06 Sat public-holiday")


@pytest.mark.parametrize(
    "args, message",
    [
        (["appeal", "accept", "2026-10-02"], "'appeal' is not one of"),
        (["complaint", "decide", "2026-10-02"], "'decide' is not one of"),
        (["complaint", "accept", "2026-02-30"], "'2026-02-30' does not match the formats"),
        (["complaint", "accept", "tomorrow"], "'tomorrow' does not match the formats"),
        (["complaint", "accept"], "Missing argument 'DATE'"),
        (["denunciation", "resolve", "2026-10-02", "--extensions", "-1"], "x>=0"),
        (
            ["denunciation", "resolve", "2026-10-02", "--extensions", "1"],
            "a denunciation that is not complex cannot be extended",
        ),
        (
            ["denunciation", "resolve", "2026-10-02", "--complex", "--extensions", "2"],
            "a complex denunciation may be extended once",
        ),
        (
            ["denunciation", "resolve", "2026-10-02", "--especially-complex", "--extensions", "3"],
            "may be extended at most 2 times",
        ),
        (
            ["complaint", "resolve", "2026-10-05", "--extensions", "1"],
            "--extensions applies only to denunciations",
        ),
        (
            ["complaint", "resolve", "2026-10-05", "--especially-complex"],
            "--especially-complex applies only to denunciations",
        ),
        (
            ["denunciation", "resolve", "2026-10-02", "--complex", "--complex", "--complex"],
            "--complex may be given at most twice",
        ),
        (
            ["denunciation", "resolve", "2026-10-02", "--remote"],
            "--remote applies only to complaints",
        ),
        (
            ["reflection", "resolve", "2026-10-02", "--second"],
            "--second applies only to complaints",
        ),
        (
            ["reflection", "resolve", "2026-10-02", "--complex"],
            "--complex applies only to complaints and denunciations",
        ),
        (
            ["complaint", "accept", "2026-10-02", "--remote"],
            "--remote changes only the resolution deadline",
        ),
        (
            ["denunciation", "resolve", "2026-10-02", "--several-places"],
            "--several-places changes only the acceptance deadline",
        ),
        (
            ["complaint", "accept", "2026-10-02", "--several-places"],
            "--several-places applies only to denunciations",
        ),
    ],
)
def test_bad_questions_are_usage_errors(deadline, args, message):
    result = deadline(*args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
