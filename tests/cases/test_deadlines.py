"""Statutory deadlines (DOMAIN.md "How periods are counted"), as configuration.

Every expected date below was counted by hand on a printed calendar (python -m calendar) with
the holidays of the installed `holidays` package for Viet Nam: 2026 — 27/04 (Hùng Kings,
observed), 30/04, 01/05, 31/08 (bridge day off, worked on Saturday 22/08), 01–02/09, 24/11
(Vietnam Cultural Day, from 2026); 2027 — 01/01, Tết from Thursday 04/02 to Wednesday 10/02.
"""

import copy
from datetime import UTC, date, datetime

import pytest

from portal.cases import deadlines
from portal.cases.deadlines import (
    Question,
    Reason,
    acceptance_due_on,
    complaint_is_late,
    max_extensions,
    refresh,
    resolution_days,
    resolution_due_on,
)
from portal.cases.models import Actor, Case, CaseEvent, CaseExtension
from portal.core.workdays import DayKind, Why
from portal.extensions import db
from tests.cases.factories import create_case
from tests.contacts.factories import declare_day

pytestmark = pytest.mark.usefixtures("app_ctx")


# --- Acceptance: working days from receipt -------------------------------------------------


def test_liberation_and_labour_day_are_not_counted():
    # Received Wednesday 29/04/2026: 30/04 and 01/05 are holidays, 02–03/05 a weekend; the
    # 10 working days are 04–08/05 and 11–15/05.
    assert acceptance_due_on("complaint", date(2026, 4, 29)) == date(2026, 5, 15)


def test_hung_kings_day_on_a_sunday_is_observed_on_monday():
    # Received Friday 24/04/2026: 26/04 (Sunday) is observed on Monday 27/04. The 7 working
    # days: 28, 29/04, then 04–08/05.
    assert acceptance_due_on("denunciation", date(2026, 4, 24)) == date(2026, 5, 8)


def test_national_day_and_its_bridge_day_off():
    # Received Friday 28/08/2026: 31/08 (bridge day off), 01/09 and 02/09 are off; 7 working
    # days are 03, 04, 07–11/09.
    assert acceptance_due_on("denunciation", date(2026, 8, 28)) == date(2026, 9, 11)


def test_the_saturday_worked_for_the_bridge_day_counts():
    # Received Friday 21/08/2026: Saturday 22/08 is worked in exchange for Monday 31/08, so
    # it is working day 1; then 24–28/08 (2–6), 03, 04, 07, 08/09 (7–10).
    assert acceptance_due_on("complaint", date(2026, 8, 21)) == date(2026, 9, 8)


def test_vietnam_cultural_day_is_a_holiday_from_2026():
    # Received Friday 20/11/2026: 23/11 (1), 24/11 is off, 25–27/11 (2–4), 30/11, 01/12,
    # 02/12 (5–7).
    assert acceptance_due_on("denunciation", date(2026, 11, 20)) == date(2026, 12, 2)
    # In 2025 the 24th of November was an ordinary Monday: received Friday 21/11/2025, the
    # 7 working days are 24–28/11 and 01–02/12.
    assert acceptance_due_on("denunciation", date(2025, 11, 21)) == date(2025, 12, 2)


def test_tet_2027_inside_the_period():
    # Received Friday 29/01/2027: 01–03/02 (1–3), Tết from Thursday 04/02 to Wednesday
    # 10/02, then 11, 12, 15–19/02 (4–10).
    assert acceptance_due_on("complaint", date(2027, 1, 29)) == date(2027, 2, 19)


def test_an_administrators_day_off_and_make_up_day_change_the_count():
    # Received Monday 07/12/2026: 8–11, 14–18, 21/12 are the 10 working days.
    assert acceptance_due_on("complaint", date(2026, 12, 7)) == date(2026, 12, 21)
    declare_day(date(2026, 12, 11), DayKind.DAY_OFF, "Nghỉ bù")
    assert acceptance_due_on("complaint", date(2026, 12, 7)) == date(2026, 12, 22)
    declare_day(date(2026, 12, 12), DayKind.WORKING_DAY, "Làm bù")
    assert acceptance_due_on("complaint", date(2026, 12, 7)) == date(2026, 12, 21)


def test_an_administrators_entry_overrides_the_package():
    # Declaring the package's make-up Saturday 22/08/2026 a day off puts the count back to
    # 24–28/08 (1–5), 03, 04, 07–09/09 (6–10).
    declare_day(date(2026, 8, 22), DayKind.DAY_OFF, "Không làm bù")
    assert acceptance_due_on("complaint", date(2026, 8, 21)) == date(2026, 9, 9)


def test_reflections_and_petitions_give_notice_within_10_working_days():
    # Received Friday 24/04/2026: 28, 29/04, 04–08/05, 11–13/05.
    assert acceptance_due_on("reflection", date(2026, 4, 24)) == date(2026, 5, 13)
    assert acceptance_due_on("petition", date(2026, 4, 24)) == date(2026, 5, 13)


def test_a_denunciation_verified_in_several_places_has_10_working_days():
    # Received Friday 02/10/2026: 7 working days end Tuesday 13/10, 10 end Friday 16/10.
    assert acceptance_due_on("denunciation", date(2026, 10, 2)) == date(2026, 10, 13)
    assert acceptance_due_on("denunciation", date(2026, 10, 2), several_places=True) == date(
        2026, 10, 16
    )
    # Only denunciations have the longer period.
    assert acceptance_due_on("complaint", date(2026, 10, 2), several_places=True) == date(
        2026, 10, 16
    )
    assert acceptance_due_on("reflection", date(2026, 10, 2), several_places=True) == date(
        2026, 10, 16
    )


def test_a_denunciation_we_cannot_handle_is_forwarded_within_5_working_days():
    # Received Friday 28/08/2026: 03, 04, 07, 08, 09/09.
    assert deadlines.transfer_due_on(date(2026, 8, 28)) == date(2026, 9, 9)


# --- Resolution: complaints ----------------------------------------------------------------

# Accepted Monday 05/10/2026. Working days counted by hand: the 30th is Monday 16/11; the
# 45th Tuesday 08/12 (24/11 is off); the 60th Tuesday 29/12; the 70th Wednesday 13/01/2027
# (01/01 is off).
COMPLAINT_TABLE = [
    # second, remote, complexity, days, due
    (False, False, 0, 30, date(2026, 11, 16)),
    (False, False, 1, 45, date(2026, 12, 8)),
    (False, True, 0, 45, date(2026, 12, 8)),
    (False, True, 1, 60, date(2026, 12, 29)),
    (True, False, 0, 45, date(2026, 12, 8)),
    (True, False, 1, 60, date(2026, 12, 29)),
    (True, True, 0, 60, date(2026, 12, 29)),
    (True, True, 1, 70, date(2027, 1, 13)),
]


@pytest.mark.parametrize("second, remote, complexity, days, due", COMPLAINT_TABLE)
def test_each_cell_of_the_complaint_table(second, remote, complexity, days, due):
    options = {"second": second, "remote": remote, "complexity": complexity}
    assert resolution_days("complaint", **options) == (days, "working")
    assert resolution_due_on("complaint", date(2026, 10, 5), **options) == due


def test_an_especially_complex_complaint_counts_as_complex():
    assert resolution_days("complaint", complexity=2) == (45, "working")


def test_reflections_and_petitions_are_answered_within_15_working_days():
    # Accepted Friday 24/04/2026: 28, 29/04, 04–08/05, 11–15/05, 18–20/05.
    assert resolution_due_on("reflection", date(2026, 4, 24)) == date(2026, 5, 20)
    assert resolution_due_on("petition", date(2026, 4, 24)) == date(2026, 5, 20)


# --- Resolution: denunciations (calendar days, extensions) --------------------------------


def test_a_calendar_period_ending_on_a_sunday_moves_to_monday():
    # Accepted Friday 02/10/2026: + 30 days is Sunday 01/11.
    assert resolution_due_on("denunciation", date(2026, 10, 2)) == date(2026, 11, 2)


def test_a_calendar_period_ending_before_national_day_moves_past_it():
    # Accepted Friday 31/07/2026: + 30 days is Sunday 30/08 → Thursday 03/09 (31/08 to
    # 02/09 off). With one extension: + 60 days is Tuesday 29/09, a working day.
    assert resolution_due_on("denunciation", date(2026, 7, 31)) == date(2026, 9, 3)
    assert resolution_due_on("denunciation", date(2026, 7, 31), complexity=1, extensions=1) == date(
        2026, 9, 29
    )


def test_a_calendar_period_ending_in_tet_moves_past_it():
    # Accepted Thursday 07/01/2027: + 30 days is Saturday 06/02, inside Tết (to 10/02).
    assert resolution_due_on("denunciation", date(2027, 1, 7)) == date(2027, 2, 11)


@pytest.mark.parametrize(
    "extensions, due",
    [
        # Accepted Friday 02/10/2026. 30 days: Sunday 01/11 → Monday 02/11.
        (0, date(2026, 11, 2)),
        # 60 days from acceptance: Tuesday 01/12 (not Monday 02/11 + 30 = Wednesday 02/12).
        (1, date(2026, 12, 1)),
        # 90 days: Thursday 31/12 (not 02/12 + 30 = Friday 01/01, a holiday → 04/01).
        (2, date(2026, 12, 31)),
    ],
)
def test_extensions_lengthen_the_period_from_acceptance(extensions, due):
    assert (
        resolution_due_on("denunciation", date(2026, 10, 2), complexity=2, extensions=extensions)
        == due
    )


def test_an_extended_period_ending_on_a_holiday_moves():
    # Accepted Friday 25/09/2026: + 30 = Sunday 25/10 → Monday 26/10; + 60 = Tuesday 24/11,
    # Vietnam Cultural Day → Wednesday 25/11; + 90 = Thursday 24/12.
    accepted = date(2026, 9, 25)
    assert resolution_due_on("denunciation", accepted) == date(2026, 10, 26)
    assert resolution_due_on("denunciation", accepted, complexity=1, extensions=1) == date(
        2026, 11, 25
    )
    assert resolution_due_on("denunciation", accepted, complexity=2, extensions=2) == date(
        2026, 12, 24
    )


def test_an_administrators_day_off_on_the_last_day_moves_it():
    declare_day(date(2026, 9, 29), DayKind.DAY_OFF, "")
    assert resolution_due_on("denunciation", date(2026, 7, 31), complexity=1, extensions=1) == date(
        2026, 9, 30
    )


@pytest.mark.parametrize(
    "kind, complexity, allowed",
    [
        ("denunciation", 0, 0),
        ("denunciation", 1, 1),
        ("denunciation", 2, 2),
        ("complaint", 1, 0),
        ("complaint", 2, 0),
        ("reflection", 2, 0),
        ("petition", 1, 0),
    ],
)
def test_max_extensions(kind, complexity, allowed):
    assert max_extensions(kind, complexity) == allowed


def test_only_kinds_with_extensions_can_be_extended():
    with pytest.raises(ValueError, match="cannot be extended"):
        resolution_due_on("complaint", date(2026, 10, 5), complexity=1, extensions=1)


# --- Configuration -------------------------------------------------------------------------


def _periods(app):
    return copy.deepcopy(app.config["CASE_RESOLUTION_PERIODS"])


def test_acceptance_periods_come_from_configuration(app, monkeypatch):
    accept = {**app.config["CASE_ACCEPTANCE_WORKING_DAYS"], "complaint": 5}
    monkeypatch.setitem(app.config, "CASE_ACCEPTANCE_WORKING_DAYS", accept)
    monkeypatch.setitem(app.config, "CASE_ACCEPTANCE_SEVERAL_PLACES_WORKING_DAYS", 12)
    # Friday 02/10/2026: 5 working days → Friday 09/10; 12 → Tuesday 20/10.
    assert acceptance_due_on("complaint", date(2026, 10, 2)) == date(2026, 10, 9)
    assert acceptance_due_on("denunciation", date(2026, 10, 2), several_places=True) == date(
        2026, 10, 20
    )


def test_resolution_periods_and_units_come_from_configuration(app, monkeypatch):
    periods = _periods(app)
    periods["denunciation"].update(unit="working", extension_days=10)
    periods["reflection"]["days"] = 20
    periods["complaint"]["first"]["remote"] = 50
    monkeypatch.setitem(app.config, "CASE_RESOLUTION_PERIODS", periods)
    # Accepted Monday 05/10/2026: the 30th working day is Monday 16/11, the 40th Tuesday 01/12
    # (24/11 off); the 20th is Monday 02/11; the 50th Tuesday 15/12.
    assert resolution_due_on("denunciation", date(2026, 10, 5)) == date(2026, 11, 16)
    assert resolution_due_on("denunciation", date(2026, 10, 5), complexity=1, extensions=1) == date(
        2026, 12, 1
    )
    assert resolution_due_on("reflection", date(2026, 10, 5)) == date(2026, 11, 2)
    assert resolution_due_on("complaint", date(2026, 10, 5), remote=True) == date(2026, 12, 15)


def test_complaints_can_be_counted_in_calendar_days(app, monkeypatch):
    periods = _periods(app)
    periods["complaint"]["unit"] = "calendar"
    monkeypatch.setitem(app.config, "CASE_RESOLUTION_PERIODS", periods)
    # Accepted Friday 02/10/2026: + 30 days is Sunday 01/11 → Monday 02/11.
    assert resolution_due_on("complaint", date(2026, 10, 2)) == date(2026, 11, 2)


def test_an_unknown_unit_is_refused(app, monkeypatch):
    periods = _periods(app)
    periods["petition"]["unit"] = "weeks"
    monkeypatch.setitem(app.config, "CASE_RESOLUTION_PERIODS", periods)
    with pytest.raises(ValueError, match="unknown period unit"):
        resolution_due_on("petition", date(2026, 10, 2))


# --- The complaint limitation period -------------------------------------------------------


def test_complaint_limit_moves_past_a_day_off():
    # Learnt on Monday 04/05/2026: day 90 is Sunday 02/08, so Monday 03/08 is still in time.
    assert not complaint_is_late(date(2026, 5, 4), date(2026, 8, 3))
    assert complaint_is_late(date(2026, 5, 4), date(2026, 8, 4))
    # Learnt on Thursday 01/01/2026: day 90 is Wednesday 01/04, a working day.
    assert not complaint_is_late(date(2026, 1, 1), date(2026, 4, 1))
    assert complaint_is_late(date(2026, 1, 1), date(2026, 4, 2))
    assert not complaint_is_late(None, date(2026, 4, 2))


# --- refresh(case) -------------------------------------------------------------------------


def _case(**fields) -> Case:
    case, _ = create_case(**fields)
    return db.session.get(Case, case.id)


def _event(case, to_status, when, from_status="closed"):
    case.events.append(
        CaseEvent(
            actor=Actor.STAFF,
            action=f"status:{to_status}",
            from_status=from_status,
            to_status=to_status,
            occurred_at=when,
        )
    )


def _received(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam


def test_refresh_before_acceptance_runs_the_acceptance_deadline():
    case = _case(kind="denunciation", received_at=_received(date(2026, 10, 2)))
    case.several_places = True
    refresh(case)
    assert case.acceptance_due_on == date(2026, 10, 16)
    assert case.resolution_due_on is None
    assert case.due_on == date(2026, 10, 16)


def test_refresh_after_acceptance_runs_the_resolution_deadline():
    case = _case(
        kind="complaint",
        status="assigned",
        received_at=_received(date(2026, 9, 25)),
        accepted_on=date(2026, 10, 5),
        remote_area=True,
        complexity=1,
        second_time=True,
    )
    refresh(case)
    assert case.resolution_due_on == date(2027, 1, 13)
    assert case.due_on == date(2027, 1, 13)


def test_refresh_counts_the_extensions_granted():
    case = _case(
        kind="denunciation",
        status="verifying",
        received_at=_received(date(2026, 9, 25)),
        accepted_on=date(2026, 10, 2),
        complexity=2,
    )
    for ordinal, due in [(1, date(2026, 12, 1)), (2, date(2026, 12, 31))]:
        case.extensions.append(
            CaseExtension(ordinal=ordinal, reason="Cần xác minh thêm", decided_on=due, due_on=due)
        )
        refresh(case)
        assert case.resolution_due_on == due
        assert case.due_on == due
    db.session.commit()  # the recomputed columns are storable


@pytest.mark.parametrize(
    "status", ["responded", "closed", "not-accepted", "transferred", "merged", "withdrawn"]
)
def test_no_deadline_runs_once_the_case_ended(status):
    case = _case(kind="complaint", status=status, accepted_on=date(2026, 10, 5))
    refresh(case)
    assert case.due_on is None


def test_a_reopened_case_counts_acceptance_from_the_reopening():
    # First round: received 02/10/2026, accepted 05/10, closed. Reopened on Friday 29/01/2027
    # (a second complaint): acceptance within 10 working days of that day, Tết in between.
    case = _case(
        kind="complaint",
        status="reopened",
        received_at=_received(date(2026, 10, 2)),
        accepted_on=date(2026, 10, 5),
    )
    _event(case, "reopened", datetime(2027, 1, 29, 2, 0, tzinfo=UTC))
    refresh(case)
    assert case.acceptance_due_on == date(2027, 2, 19)
    assert case.due_on == date(2027, 2, 19)
    # The first round's resolution deadline no longer runs.
    assert case.resolution_due_on is None

    # Classified, then accepted again on Monday 22/02/2027 as a second complaint: 45
    # working days: 23–26/02 (4), the 23 weekdays of March (27), 01, 02, 05–09, 12–15/04
    # (38), 16/04 is Hùng Kings' day, 19–23/04 (43), 26 and 27/04 (45).
    case.status = "accepted"
    case.accepted_on = date(2027, 2, 22)
    case.second_time = True
    refresh(case)
    assert case.acceptance_due_on == date(2027, 2, 19)
    assert case.resolution_due_on == date(2027, 4, 27)
    assert case.due_on == date(2027, 4, 27)


def test_a_reopened_denunciation_starts_a_new_period_without_old_extensions():
    case = _case(
        kind="denunciation",
        status="closed",
        received_at=_received(date(2026, 9, 25)),
        accepted_on=date(2026, 10, 2),
        complexity=1,
    )
    due = date(2026, 12, 1)
    case.extensions.append(
        CaseExtension(
            ordinal=1, reason="Cần xác minh thêm", decided_on=date(2026, 10, 20), due_on=due
        )
    )
    _event(case, "reopened", datetime(2027, 1, 29, 2, 0, tzinfo=UTC))
    case.status = "accepted"
    case.accepted_on = date(2027, 2, 11)
    refresh(case)
    # 30 days from Thursday 11/02/2027 is Saturday 13/03 → Monday 15/03; the extension of
    # the first round does not lengthen it.
    assert deadlines.extensions_in_force(case) == 0
    assert case.resolution_due_on == date(2027, 3, 15)


def test_the_reopening_is_a_vietnam_date():
    # 17:30 UTC on Thursday 28/01/2027 is 00:30 on Friday 29/01 in Vietnam.
    case = _case(kind="complaint", status="classified", received_at=_received(date(2026, 10, 2)))
    _event(case, "reopened", datetime(2027, 1, 28, 17, 30, tzinfo=UTC))
    assert deadlines.reopened_on(case) == date(2027, 1, 29)
    refresh(case)
    assert case.due_on == date(2027, 2, 19)


def test_the_reopening_day_can_be_passed_in():
    case = _case(kind="complaint", status="reopened", received_at=_received(date(2026, 10, 2)))
    refresh(case, reopened=date(2027, 1, 29))
    assert case.due_on == date(2027, 2, 19)


def test_a_never_reopened_case_counts_from_receipt():
    case = _case(kind="complaint", status="classified", received_at=_received(date(2026, 10, 2)))
    assert deadlines.reopened_on(case) is None
    refresh(case)
    assert case.due_on == date(2026, 10, 16)


def test_a_denunciation_outside_our_competence_is_due_for_transfer():
    # Received Friday 28/08/2026: acceptance 11/09, forwarding 09/09 (5 working days).
    case = _case(kind="denunciation", status="classified", received_at=_received(date(2026, 8, 28)))
    case.within_competence = False
    refresh(case)
    assert case.acceptance_due_on == date(2026, 9, 11)
    assert case.due_on == date(2026, 9, 9)
    case.within_competence = True
    refresh(case)
    assert case.due_on == date(2026, 9, 11)


def test_a_reclassified_kind_changes_the_deadlines():
    # The citizen chose a complaint; the handler classifies it as a denunciation.
    case = _case(kind="complaint", status="classified", received_at=_received(date(2026, 10, 2)))
    refresh(case)
    assert case.due_on == date(2026, 10, 16)
    case.kind = "denunciation"
    refresh(case)
    assert case.due_on == date(2026, 10, 13)


# --- The calculator's questions --------------------------------------------------------------


def _q(**fields):
    return Question(
        **{"kind": "denunciation", "stage": "resolve", "day": date(2026, 10, 2)} | fields
    )


@pytest.mark.parametrize(
    "fields, found",
    [
        ({}, {}),
        ({"complexity": 2, "extensions": 2}, {}),
        ({"complexity": 1, "extensions": 2}, {"extensions": Reason.LIMIT}),
        ({"extensions": 1}, {"extensions": Reason.LIMIT}),
        ({"remote": True}, {"remote": Reason.KIND}),
        ({"kind": "complaint", "remote": True, "second": True, "complexity": 1}, {}),
        ({"kind": "complaint", "complexity": 2}, {"complexity": Reason.KIND}),
        ({"kind": "complaint", "extensions": 1}, {"extensions": Reason.KIND}),
        ({"kind": "complaint", "stage": "accept", "remote": True}, {"remote": Reason.STAGE}),
        ({"kind": "reflection", "complexity": 1}, {"complexity": Reason.KIND}),
        ({"several_places": True}, {"several_places": Reason.STAGE}),
        ({"stage": "accept", "several_places": True}, {}),
        (
            {"kind": "petition", "stage": "accept", "several_places": True},
            {"several_places": Reason.KIND},
        ),
        (
            {"stage": "accept", "complexity": 1, "extensions": 1},
            {"complexity": Reason.STAGE, "extensions": Reason.STAGE},
        ),
    ],
)
def test_options_that_do_not_apply_are_found(fields, found):
    assert deadlines.problems(_q(**fields)) == found


def test_the_answer_lists_the_days_off_not_counted():
    # Received Friday 29/01/2027, complaint: weekends and Tết are not counted.
    answer = deadlines.answer(_q(kind="complaint", stage="accept", day=date(2027, 1, 29)))
    assert answer.due_on == date(2027, 2, 19)
    assert (answer.days, answer.unit) == (10, "working")
    assert [(n.day.day, n.why) for n in answer.skipped] == [
        (30, Why.WEEKEND),
        (31, Why.WEEKEND),
        (4, Why.PUBLIC_HOLIDAY),
        (5, Why.PUBLIC_HOLIDAY),
        (6, Why.PUBLIC_HOLIDAY),  # Tết's first day, a Saturday: named, not just "weekend"
        (7, Why.PUBLIC_HOLIDAY),
        (8, Why.PUBLIC_HOLIDAY),
        (9, Why.PUBLIC_HOLIDAY),
        (10, Why.PUBLIC_HOLIDAY),
        (13, Why.WEEKEND),
        (14, Why.WEEKEND),
    ]
    assert answer.skipped[2].name == "29 of Lunar New Year"
    assert answer.made_up == []


def test_the_answer_lists_the_make_up_days_counted():
    answer = deadlines.answer(
        _q(kind="complaint", stage="accept", day=date(2026, 8, 21)), language="vi"
    )
    assert answer.due_on == date(2026, 9, 8)
    assert [n.day for n in answer.made_up] == [date(2026, 8, 22)]
    assert answer.made_up[0].why == Why.MAKE_UP_DAY
    holidays = [n for n in answer.skipped if n.why == Why.PUBLIC_HOLIDAY]
    assert [n.day for n in holidays] == [date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 2)]
    # Names in the language asked for.
    assert holidays[-1].name == "Quốc khánh"


def test_a_calendar_answer_lists_only_the_days_the_end_moved_over():
    # Accepted Thursday 07/01/2027: day 30 is Saturday 06/02; 06–10/02 are moved over.
    answer = deadlines.answer(_q(day=date(2027, 1, 7)))
    assert (answer.days, answer.unit) == (30, "calendar")
    assert answer.nominal_end == date(2027, 2, 6)
    assert answer.due_on == date(2027, 2, 11)
    assert [n.day.day for n in answer.skipped] == [6, 7, 8, 9, 10]
    # A period ending on a working day moves over nothing.
    answer = deadlines.answer(_q(day=date(2026, 7, 31), complexity=1, extensions=1))
    assert answer.days == 60
    assert answer.nominal_end == answer.due_on == date(2026, 9, 29)
    assert answer.skipped == []
