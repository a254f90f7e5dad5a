"""Reporting periods: their days, the period before, the query-string form, the labels, and
the next statutory report (6-month before 10 July, annual before 10 January)."""

from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale

from portal.reports.periods import ANNUAL, SIX_MONTH, Period, PeriodError, report_due


def test_each_kind_of_period_covers_its_days_both_ends_included():
    assert Period.month(2026, 2) == Period(date(2026, 2, 1), date(2026, 2, 28))
    assert Period.month(2028, 2).end == date(2028, 2, 29)
    assert Period.quarter(2026, 1) == Period(date(2026, 1, 1), date(2026, 3, 31))
    assert Period.quarter(2026, 4) == Period(date(2026, 10, 1), date(2026, 12, 31))
    assert Period.half(2026, 1) == Period(date(2026, 1, 1), date(2026, 6, 30))
    assert Period.half(2026, 2) == Period(date(2026, 7, 1), date(2026, 12, 31))
    assert Period.year(2026) == Period(date(2026, 1, 1), date(2026, 12, 31))
    assert Period.month(2026, 2).days == 28
    assert date(2026, 6, 30) in Period.half(2026, 1)
    assert date(2026, 7, 1) not in Period.half(2026, 1)


@pytest.mark.parametrize(
    "make",
    [lambda: Period.month(2026, 13), lambda: Period.quarter(2026, 5), lambda: Period.half(2026, 3)],
)
def test_a_month_quarter_or_half_that_does_not_exist_is_refused(make):
    with pytest.raises(PeriodError):
        make()


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(PeriodError):
        Period(date(2026, 3, 2), date(2026, 3, 1))


@pytest.mark.parametrize(
    ("period", "kind"),
    [
        (Period.month(2026, 3), "month"),
        (Period.quarter(2026, 2), "quarter"),
        (Period.half(2026, 2), "half"),
        (Period.year(2026), "year"),
        # Three whole months that are not a quarter, and days that are not whole months.
        (Period(date(2026, 2, 1), date(2026, 4, 30)), "days"),
        (Period(date(2026, 3, 1), date(2026, 3, 30)), "days"),
        (Period(date(2026, 3, 2), date(2026, 3, 31)), "days"),
    ],
)
def test_the_kind_is_read_from_the_days(period, kind):
    assert period.kind == kind


@pytest.mark.parametrize(
    ("period", "previous"),
    [
        (Period.month(2026, 3), Period.month(2026, 2)),
        (Period.month(2026, 1), Period.month(2025, 12)),
        (Period.quarter(2026, 1), Period.quarter(2025, 4)),
        (Period.quarter(2026, 3), Period.quarter(2026, 2)),
        (Period.half(2026, 1), Period.half(2025, 2)),
        (Period.half(2026, 2), Period.half(2026, 1)),
        (Period.year(2026), Period.year(2025)),
        # Ten days: the ten days before.
        (
            Period(date(2026, 3, 5), date(2026, 3, 14)),
            Period(date(2026, 2, 23), date(2026, 3, 4)),
        ),
    ],
)
def test_the_previous_period_is_the_same_length_just_before(period, previous):
    assert period.previous() == previous


@pytest.mark.parametrize(
    ("value", "period"),
    [
        ("2026-03", Period.month(2026, 3)),
        ("2026-3", Period.month(2026, 3)),
        ("2026-12", Period.month(2026, 12)),
        ("2026-Q1", Period.quarter(2026, 1)),
        ("2026-q4", Period.quarter(2026, 4)),
        ("2026-H1", Period.half(2026, 1)),
        ("2026-h2", Period.half(2026, 2)),
        ("2026", Period.year(2026)),
        (" 2026-Q2 ", Period.quarter(2026, 2)),
        ("2026-01-05..2026-02-10", Period(date(2026, 1, 5), date(2026, 2, 10))),
    ],
)
def test_a_query_string_value_is_read_as_a_period(value, period):
    assert Period.parse(value) == period


@pytest.mark.parametrize(
    "period",
    [
        Period.month(2026, 3),
        Period.quarter(2026, 2),
        Period.half(2026, 2),
        Period.year(2026),
        Period(date(2026, 1, 5), date(2026, 2, 10)),
    ],
)
def test_the_query_string_value_reads_back_as_the_same_period(period):
    assert Period.parse(period.param) == period
    assert str(period) == period.param


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Choose a period such as 2026-03, 2026-Q1, 2026-H1 or 2026."),
        ("tháng 3", "Choose a period such as 2026-03, 2026-Q1, 2026-H1 or 2026."),
        ("26-03", "Choose a period such as 2026-03, 2026-Q1, 2026-H1 or 2026."),
        ("2026-03-01", "Choose a period such as 2026-03, 2026-Q1, 2026-H1 or 2026."),
        ("0000", "Choose a period such as 2026-03, 2026-Q1, 2026-H1 or 2026."),
        ("2026-13", "Choose a month from 1 to 12."),
        ("2026-00", "Choose a month from 1 to 12."),
        ("2026-Q5", "Choose a quarter from 1 to 4."),
        ("2026-H3", "Choose H1 (January to June) or H2 (July to December)."),
        ("2026-02-30..2026-03-01", "Enter dates that exist, as YYYY-MM-DD."),
        ("2026-03-10..2026-03-01", "The period ends before it starts."),
    ],
)
def test_a_value_that_is_no_period_is_refused_with_a_message(app, value, message):
    with pytest.raises(PeriodError) as refused:
        Period.parse(value)
    with app.test_request_context(), force_locale("en"):
        assert str(refused.value.message) == message


def test_months_lists_every_month_the_period_touches():
    assert Period.quarter(2026, 4).months() == [
        date(2026, 10, 1),
        date(2026, 11, 1),
        date(2026, 12, 1),
    ]
    assert Period(date(2025, 12, 20), date(2026, 2, 3)).months() == [
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]


def test_the_utc_bounds_are_vietnams_midnights():
    # 00:00 in Vietnam (UTC+7) is 17:00 UTC the day before.
    assert Period.month(2026, 4).utc_bounds() == (
        datetime(2026, 3, 31, 17, tzinfo=UTC),
        datetime(2026, 4, 30, 17, tzinfo=UTC),
    )


LABELS = [
    (Period.month(2026, 3), "Month 3/2026", "Tháng 3/2026"),
    (Period.quarter(2026, 1), "Quarter 1/2026", "Quý 1/2026"),
    (Period.half(2026, 1), "First 6 months of 2026", "6 tháng đầu năm 2026"),
    (Period.half(2026, 2), "Last 6 months of 2026", "6 tháng cuối năm 2026"),
    (Period.year(2026), "Year 2026", "Năm 2026"),
    (
        Period(date(2026, 1, 5), date(2026, 2, 10)),
        "From 05/01/2026 to 10/02/2026",
        "Từ 05/01/2026 đến 10/02/2026",
    ),
]


@pytest.mark.parametrize(("period", "english", "vietnamese"), LABELS)
def test_the_label_says_the_period_in_the_readers_language(app, period, english, vietnamese):
    with app.test_request_context():
        with force_locale("en"):
            assert str(period.label) == english
        with force_locale("vi"):
            assert str(period.label) == vietnamese


@pytest.mark.parametrize(
    ("today", "kind", "period", "due_on", "days_left", "soon"),
    [
        # Before 10 January: last year's annual report.
        (date(2026, 1, 1), ANNUAL, Period.year(2025), date(2026, 1, 10), 9, True),
        (date(2026, 1, 10), ANNUAL, Period.year(2025), date(2026, 1, 10), 0, True),
        # From 11 January: the 6-month report, reminded from 30 days before 10 July.
        (date(2026, 1, 11), SIX_MONTH, Period.half(2026, 1), date(2026, 7, 10), 180, False),
        (date(2026, 6, 9), SIX_MONTH, Period.half(2026, 1), date(2026, 7, 10), 31, False),
        (date(2026, 6, 10), SIX_MONTH, Period.half(2026, 1), date(2026, 7, 10), 30, True),
        (date(2026, 7, 10), SIX_MONTH, Period.half(2026, 1), date(2026, 7, 10), 0, True),
        # From 11 July: this year's annual report, due next January.
        (date(2026, 7, 11), ANNUAL, Period.year(2026), date(2027, 1, 10), 183, False),
        (date(2026, 12, 10), ANNUAL, Period.year(2026), date(2027, 1, 10), 31, False),
        (date(2026, 12, 11), ANNUAL, Period.year(2026), date(2027, 1, 10), 30, True),
    ],
)
def test_the_next_report_due(today, kind, period, due_on, days_left, soon):
    due = report_due(today)
    assert (due.kind, due.period, due.due_on, due.days_left, due.soon) == (
        kind,
        period,
        due_on,
        days_left,
        soon,
    )


def test_the_reminders_lead_time_can_be_changed():
    assert report_due(date(2026, 6, 9), remind_days=31).soon
    assert not report_due(date(2026, 6, 26), remind_days=13).soon


def test_the_report_is_named(app):
    with app.test_request_context(), force_locale("en"):
        assert str(report_due(date(2026, 3, 1)).label) == "6-month report"
        assert str(report_due(date(2026, 8, 1)).label) == "Annual report"
