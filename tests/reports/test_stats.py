"""Every figure of the statistics checked against numbers counted by hand.

The fixture is fifteen cases around the second quarter of 2026 (1 April – 30 June), counted
on 15 July 2026. Dates are local (Vietnam); a time given in UTC says which local day it is.

| case | kind         | status        | received      | unit | channel   | accepted | resolution due | resolved | ended | due_on | rating                    |
|------|--------------|---------------|---------------|------|-----------|----------|----------------|----------|-------|--------|---------------------------|
| C1   | complaint    | responded     | 31/03         | U1   | web       | 03/04    | 15/05          | 15/05    |       | 15/05  | 4, solved, 20/05          |
| C2   | complaint    | closed        | 01/04 (00:30) | U1   | post      | 10/04    | 20/05          | 21/05    | 25/05 | 20/05  | 2, not solved, 30/05      |
| C3   | reflection   | responded     | 05/04         | U2   | hotline   | 08/04    | 29/04          | 20/04    |       |        | 5, did not say, 21/04     |
| C4   | petition     | responded     | 10/04         | U2   | web       | 14/04    | 05/05          | 01/07    |       |        | 1, not solved, 01/07 01:00|
| C5   | denunciation | verifying     | 15/04         | U1   | web       | 20/04    | 20/07 (2 ext.) |          |       | 20/07  |                           |
| C6   | denunciation | closed        | 10/02         | U1   | reception | 20/02    | 20/04 (1 ext.) | 30/04    | 05/05 |        | 3, solved, 01/04 00:30    |
| C7   | reflection   | not-accepted  | 20/04         | U2   | web       |          |                |          | 28/04 |        |                           |
| C8   | petition     | transferred   | 28/06         | U1   | post      |          |                |          | 03/07 |        |                           |
| C9   | complaint    | transferred   | 25/03         | U1   | email     |          |                |          | 02/04 |        |                           |
| C10  | reflection   | merged        | 02/05         | U2   | email     |          |                |          | 03/05 |        |                           |
| C11  | complaint    | withdrawn     | 10/05         | U1   | reception | 15/05    |                |          | 30/06 |        |                           |
| C12  | reflection   | received      | 30/06 (23:59) | U2   | hotline   |          |                |          |       | 14/07  |                           |
| C13  | reflection   | received      | 01/07 (00:00) | U2   | web       |          |                |          |       | 15/07  |                           |
| C14  | complaint    | assigned      | 05/01         | U2   | web       | 10/01    | 01/03          |          |       | 01/03  |                           |
| C15  | complaint    | closed        | 02/04         | —    | web       | 05/04    | (none)         | 10/06    | 15/06 |        | 3, solved, 30/06 23:30    |

Extensions: C5 on 18/05 and 15/06 (both in the quarter), C6 on 20/03 (the quarter before).
Topics: C2 staff-conduct, C5 harassment, C7 policy, the others procedure.
Days from receipt to response: C1 45, C2 50, C3 15, C6 79, C15 69 (C4 is resolved in July).
"""

from dataclasses import asdict, fields
from datetime import UTC, date, datetime

import pytest

from portal.cases.models import CaseExtension
from portal.extensions import db
from portal.reports import stats
from portal.reports.periods import Period
from portal.reports.stats import Figures, MonthRow, OverdueCase
from tests.cases.factories import create_case
from tests.contacts.factories import create_unit

Q2 = Period.quarter(2026, 2)
TODAY = date(2026, 7, 15)


def _utc(y, m, d, hour=3, minute=0):
    """A moment in UTC; 03:00 UTC is 10:00 the same day in Vietnam."""
    return datetime(y, m, d, hour, minute, tzinfo=UTC)


def figures(**given):
    """Every figure, zero (or None for the averages) unless given."""
    values = {f.name: f.default for f in fields(Figures)}
    unknown = set(given) - set(values)
    assert not unknown, unknown
    return {**values, **given}


def counted(row) -> dict:
    values = asdict(row)
    for name in ("key", "period", "today"):
        values.pop(name, None)
    return values


@pytest.fixture
def fixture(app_ctx):
    """Build the fifteen cases of the module's table; return the units and case numbers."""
    u1 = create_unit(handles_cases=True).id
    u2 = create_unit(handles_cases=True).id
    d = date

    def add(name, **columns):
        case = create_case(**columns)[0]
        numbers[name] = case.number
        ids[name] = case.id

    numbers, ids = {}, {}
    add("C1", kind="complaint", status="responded", received_at=_utc(2026, 3, 31),
        handling_unit_id=u1, channel="web", accepted_on=d(2026, 4, 3),
        resolution_due_on=d(2026, 5, 15), resolved_on=d(2026, 5, 15), due_on=d(2026, 5, 15),
        rating=4, solved=True, rated_at=_utc(2026, 5, 20))  # fmt: skip
    add("C2", kind="complaint", status="closed", received_at=_utc(2026, 3, 31, 17, 30),
        handling_unit_id=u1, channel="post", topic="staff-conduct", accepted_on=d(2026, 4, 10),
        resolution_due_on=d(2026, 5, 20), resolved_on=d(2026, 5, 21), ended_on=d(2026, 5, 25),
        due_on=d(2026, 5, 20), rating=2, solved=False, rated_at=_utc(2026, 5, 30))  # fmt: skip
    add("C3", kind="reflection", status="responded", received_at=_utc(2026, 4, 5),
        handling_unit_id=u2, channel="hotline", accepted_on=d(2026, 4, 8),
        resolution_due_on=d(2026, 4, 29), resolved_on=d(2026, 4, 20),
        rating=5, solved=None, rated_at=_utc(2026, 4, 21))  # fmt: skip
    add("C4", kind="petition", status="responded", received_at=_utc(2026, 4, 10),
        handling_unit_id=u2, channel="web", accepted_on=d(2026, 4, 14),
        resolution_due_on=d(2026, 5, 5), resolved_on=d(2026, 7, 1),
        rating=1, solved=False, rated_at=_utc(2026, 6, 30, 18))  # fmt: skip
    add("C5", kind="denunciation", status="verifying", received_at=_utc(2026, 4, 15),
        handling_unit_id=u1, channel="web", topic="harassment", accepted_on=d(2026, 4, 20),
        resolution_due_on=d(2026, 7, 20), due_on=d(2026, 7, 20))  # fmt: skip
    add("C6", kind="denunciation", status="closed", received_at=_utc(2026, 2, 10),
        handling_unit_id=u1, channel="reception", accepted_on=d(2026, 2, 20),
        resolution_due_on=d(2026, 4, 20), resolved_on=d(2026, 4, 30), ended_on=d(2026, 5, 5),
        rating=3, solved=True, rated_at=_utc(2026, 3, 31, 17, 30))  # fmt: skip
    add("C7", kind="reflection", status="not-accepted", received_at=_utc(2026, 4, 20),
        handling_unit_id=u2, channel="web", topic="policy", ended_on=d(2026, 4, 28))  # fmt: skip
    add("C8", kind="petition", status="transferred", received_at=_utc(2026, 6, 28),
        handling_unit_id=u1, channel="post", ended_on=d(2026, 7, 3))  # fmt: skip
    add("C9", kind="complaint", status="transferred", received_at=_utc(2026, 3, 25),
        handling_unit_id=u1, channel="email", ended_on=d(2026, 4, 2))  # fmt: skip
    add("C10", kind="reflection", status="merged", received_at=_utc(2026, 5, 2),
        handling_unit_id=u2, channel="email", ended_on=d(2026, 5, 3))  # fmt: skip
    add("C11", kind="complaint", status="withdrawn", received_at=_utc(2026, 5, 10),
        handling_unit_id=u1, channel="reception", accepted_on=d(2026, 5, 15),
        ended_on=d(2026, 6, 30))  # fmt: skip
    add("C12", kind="reflection", status="received", received_at=_utc(2026, 6, 30, 16, 59),
        handling_unit_id=u2, channel="hotline", due_on=d(2026, 7, 14))  # fmt: skip
    add("C13", kind="reflection", status="received", received_at=_utc(2026, 6, 30, 17),
        handling_unit_id=u2, channel="web", due_on=d(2026, 7, 15))  # fmt: skip
    add("C14", kind="complaint", status="assigned", received_at=_utc(2026, 1, 5),
        handling_unit_id=u2, channel="web", accepted_on=d(2026, 1, 10),
        resolution_due_on=d(2026, 3, 1), due_on=d(2026, 3, 1))  # fmt: skip
    add("C15", kind="complaint", status="closed", received_at=_utc(2026, 4, 2),
        handling_unit_id=None, channel="web", accepted_on=d(2026, 4, 5),
        resolved_on=d(2026, 6, 10), ended_on=d(2026, 6, 15),
        rating=3, solved=True, rated_at=_utc(2026, 6, 30, 16, 30))  # fmt: skip
    for name, ordinal, decided_on, due_on in [
        ("C5", 1, d(2026, 5, 18), d(2026, 6, 19)),
        ("C5", 2, d(2026, 6, 15), d(2026, 7, 20)),
        ("C6", 1, d(2026, 3, 20), d(2026, 4, 20)),
    ]:
        db.session.add(
            CaseExtension(
                case_id=ids[name],
                ordinal=ordinal,
                reason="Vụ việc phức tạp",
                decided_on=decided_on,
                due_on=due_on,
            )
        )
    db.session.commit()
    return {"u1": u1, "u2": u2, "numbers": numbers}


def test_the_quarters_figures(fixture):
    summary = stats.summary(Q2, today=TODAY)
    assert (summary.period, summary.today) == (Q2, TODAY)
    assert counted(summary) == figures(
        received=10,  # C2 (01/04 at 00:30) to C12 (30/06 at 23:59); not C1 (31/03), C13 (01/07)
        accepted=7,  # C1 (received in March), C2, C3, C4, C5, C11, C15
        not_accepted=1,  # C7
        transferred=1,  # C9 (received in March); not C8 (transferred in July)
        merged=1,  # C10
        withdrawn=1,  # C11, on the quarter's last day
        resolved=5,  # C1, C2, C3, C6, C15; not C4 (July)
        on_time=2,  # C1 (on the due day itself), C3
        late=2,  # C2 (one day late), C6
        extensions=2,  # C5's two; not C6's (March)
        overdue=2,  # C12 (due 14/07), C14; not C13 (due today), nor C1 (responded)
        rated=5,  # C1, C2, C3, C6 (01/04 local), C15 (30/06 local); not C4 (01/07 local)
        rating_average=3.4,  # (4 + 2 + 5 + 3 + 3) / 5
        solved_yes=3,  # C1, C6, C15
        solved_answered=4,  # C3 did not say
        median_days=50.0,  # 15, 45, 50, 69, 79
    )
    assert summary.on_time_rate == 0.5
    assert summary.without_deadline == 1  # C15
    assert summary.solved_share == 0.75


def test_the_quarter_before_for_comparison(fixture):
    summary = stats.summary(Q2.previous(), today=TODAY)
    assert summary.period == Period.quarter(2026, 1)
    assert counted(summary) == figures(
        received=4,  # C1, C6, C9, C14
        accepted=2,  # C6, C14
        extensions=1,  # C6
        overdue=2,  # now, whatever the period
        # C6's rating at 00:30 on 1 April in Vietnam is the next quarter's.
    )
    assert summary.on_time_rate is None
    assert summary.solved_share is None


@pytest.mark.parametrize(
    ("period", "median"),
    [
        (Period.month(2026, 4), 47.0),  # C3 15, C6 79: the mean of the two middle ones
        (Period.month(2026, 5), 47.5),  # C1 45, C2 50
        (Period.month(2026, 6), 69.0),  # C15 alone
        (Q2, 50.0),  # 15, 45, 50, 69, 79: the middle one
        (Period.month(2026, 7), 82.0),  # C4, received 10/04, resolved 01/07
        (Period.month(2026, 3), None),  # nothing resolved
    ],
)
def test_the_median_days_from_receipt_to_response(fixture, period, median):
    assert stats.summary(period, today=TODAY).median_days == median


def test_by_kind(fixture):
    rows = {row.key: counted(row) for row in stats.breakdown(Q2, "kind", today=TODAY)}
    assert list(rows) == ["complaint", "denunciation", "petition", "reflection"]
    assert rows["complaint"] == figures(
        received=3,  # C2, C11, C15
        accepted=4,  # C1, C2, C11, C15
        transferred=1,  # C9
        withdrawn=1,  # C11
        resolved=3,  # C1, C2, C15
        on_time=1,
        late=1,
        overdue=1,  # C14
        rated=3,  # C1, C2, C15
        rating_average=3.0,
        solved_yes=2,
        solved_answered=3,
        median_days=50.0,  # 45, 50, 69
    )
    assert rows["denunciation"] == figures(
        received=1,
        accepted=1,
        resolved=1,
        late=1,
        extensions=2,
        rated=1,
        rating_average=3.0,
        solved_yes=1,
        solved_answered=1,
        median_days=79.0,
    )
    assert rows["petition"] == figures(received=2, accepted=1)  # C4, C8; C4 accepted
    assert rows["reflection"] == figures(
        received=4,  # C3, C7, C10, C12
        accepted=1,
        not_accepted=1,
        merged=1,
        resolved=1,
        on_time=1,
        overdue=1,  # C12
        rated=1,
        rating_average=5.0,
        median_days=15.0,
    )


def test_by_handling_unit_with_the_cases_no_unit_handles_last(fixture):
    rows = stats.breakdown(Q2, "unit", today=TODAY)
    assert [row.key for row in rows] == [fixture["u1"], fixture["u2"], None]
    u1, u2, none = (counted(row) for row in rows)
    assert u1 == figures(
        received=4,  # C2, C5, C8, C11
        accepted=4,  # C1, C2, C5, C11
        transferred=1,
        withdrawn=1,
        resolved=3,  # C1, C2, C6
        on_time=1,
        late=2,
        extensions=2,
        rated=3,
        rating_average=3.0,
        solved_yes=2,
        solved_answered=3,
        median_days=50.0,  # 45, 50, 79
    )
    assert u2 == figures(
        received=5,  # C3, C4, C7, C10, C12
        accepted=2,
        not_accepted=1,
        merged=1,
        resolved=1,
        on_time=1,
        overdue=2,  # C12, C14
        rated=1,
        rating_average=5.0,
        median_days=15.0,
    )
    assert none == figures(
        received=1,
        accepted=1,
        resolved=1,
        rated=1,
        rating_average=3.0,
        solved_yes=1,
        solved_answered=1,
        median_days=69.0,
    )


def test_one_count_by_channel_topic_and_current_status(fixture):
    assert stats.by_dimension(Q2, "received", "channel") == [
        ("email", 1),
        ("hotline", 2),
        ("post", 2),
        ("reception", 1),
        ("web", 4),
    ]
    assert stats.by_dimension(Q2, "received", "topic") == [
        ("harassment", 1),
        ("policy", 1),
        ("procedure", 7),
        ("staff-conduct", 1),
    ]
    assert stats.by_dimension(Q2, "received", "status") == [
        ("closed", 2),
        ("merged", 1),
        ("not-accepted", 1),
        ("received", 1),
        ("responded", 2),
        ("transferred", 1),
        ("verifying", 1),
        ("withdrawn", 1),
    ]
    assert stats.by_dimension(Q2, "transferred", "channel") == [("email", 1)]
    assert stats.by_dimension(Q2, "extensions", "kind") == [("denunciation", 2)]


def test_the_monthly_series(fixture):
    assert stats.monthly(Q2) == [
        MonthRow(date(2026, 4, 1), received=6, resolved=2, on_time=1, late=1),
        MonthRow(date(2026, 5, 1), received=2, resolved=2, on_time=1, late=1),
        MonthRow(date(2026, 6, 1), received=2, resolved=1, on_time=0, late=0),
    ]
    year = stats.monthly(Period.year(2026))
    assert [(row.received, row.resolved, row.late) for row in year] == [
        (1, 0, 0),  # C14
        (1, 0, 0),  # C6
        (2, 0, 0),  # C1, C9
        (6, 2, 1),
        (2, 2, 1),
        (2, 1, 0),
        (1, 1, 1),  # C13; C4 resolved after its deadline
        *[(0, 0, 0)] * 5,
    ]
    assert stats.by_dimension(Q2, "received", "month") == [
        (date(2026, 4, 1), 6),
        (date(2026, 5, 1), 2),
        (date(2026, 6, 1), 2),
    ]


def test_the_overdue_list_holds_no_identity_and_no_citizen_text(fixture):
    numbers, u2 = fixture["numbers"], fixture["u2"]
    assert stats.overdue_cases(TODAY) == [
        OverdueCase(numbers["C14"], "complaint", "assigned", u2, date(2026, 3, 1), 136),
        OverdueCase(numbers["C12"], "reflection", "received", u2, date(2026, 7, 14), 1),
    ]
    assert [f.name for f in fields(OverdueCase)] == [
        "number",
        "kind",
        "status",
        "handling_unit_id",
        "due_on",
        "days_overdue",
    ]
    # A day later C13, due on 15/07, is overdue too.
    later = stats.overdue_cases(date(2026, 7, 16))
    assert [case.number for case in later] == [numbers["C14"], numbers["C12"], numbers["C13"]]
    assert stats.summary(Q2, today=date(2026, 7, 16)).overdue == 3
    assert len(stats.overdue_cases(TODAY, limit=1)) == 1


def test_a_period_without_cases(fixture):
    summary = stats.summary(Period.year(2020), today=TODAY)
    assert counted(summary) == figures(overdue=2)
    assert (summary.on_time_rate, summary.solved_share) == (None, None)
    assert [row.key for row in stats.breakdown(Period.year(2020), "kind", today=TODAY)] == [
        "complaint",  # C14 and C12 are overdue now
        "reflection",
    ]
    assert stats.monthly(Period.month(2020, 2)) == [MonthRow(date(2020, 2, 1))]


def test_an_empty_database(app_ctx):
    assert counted(stats.summary(Q2, today=TODAY)) == figures()
    assert stats.breakdown(Q2, "unit", today=TODAY) == []
    assert stats.overdue_cases(TODAY) == []


def test_unknown_dimensions_and_measures_are_refused(app_ctx):
    with pytest.raises(ValueError, match="dimension"):
        stats.breakdown(Q2, "title")
    with pytest.raises(ValueError, match="count"):
        stats.by_dimension(Q2, "median_days", "kind")
    with pytest.raises(ValueError, match="monthly"):
        stats.by_dimension(Q2, "accepted", "month")


def test_several_dimensions_at_once_count_as_one_at_a_time(fixture):
    dimensions = ["kind", "topic", "unit", "channel", "status"]
    together = stats.breakdowns(Q2, dimensions, today=TODAY)
    assert together == {d: stats.breakdown(Q2, d, today=TODAY) for d in dimensions}


def test_a_breakdown_of_some_figures_and_by_month(fixture):
    rows = stats.breakdowns(
        Q2, [stats.MONTH, "kind"], today=TODAY, measures=("received", "resolved")
    )
    assert [(row.key, row.received, row.resolved) for row in rows[stats.MONTH]] == [
        (m.month, m.received, m.resolved) for m in stats.monthly(Q2) if m.received or m.resolved
    ]
    full = {row.key: row for row in stats.breakdown(Q2, "kind", today=TODAY)}
    for row in rows["kind"]:
        assert (row.received, row.resolved) == (full[row.key].received, full[row.key].resolved)
        # The figures not asked for are not counted.
        assert (row.accepted, row.overdue, row.rated, row.median_days) == (0, 0, 0, None)
    with pytest.raises(ValueError):
        stats.breakdowns(Q2, [stats.MONTH], measures=("accepted",))


def test_the_summary_reads_every_date_in_one_statement(app, fixture):
    from sqlalchemy import event

    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        stats.summary(Q2, today=TODAY)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    # SQLite adds one for its median (it has no percentile).
    assert len(statements) == (1 if db.engine.dialect.name == "postgresql" else 2), statements
