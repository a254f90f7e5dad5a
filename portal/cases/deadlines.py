"""The periods that apply to a case, counted as DOMAIN.md says (core.workdays does the days).

Every period is configuration (CASE_ACCEPTANCE_WORKING_DAYS, CASE_RESOLUTION_PERIODS): the
number of days and whether they are working or calendar days.
"""

from datetime import date, timedelta

from flask import current_app

from portal.core.workdays import add_calendar_days, add_working_days

STAGES = ("accept", "resolve")


def _add(start: date, days: int, unit: str) -> date:
    if unit == "calendar":
        return add_calendar_days(start, days)
    return add_working_days(start, days)


def acceptance_due_on(kind: str, received_on: date, *, several_places: bool = False) -> date:
    """The last day to accept the case (or give notice): N working days after receipt."""
    days = current_app.config["CASE_ACCEPTANCE_WORKING_DAYS"][kind]
    if several_places and kind == "denunciation":
        days = current_app.config["CASE_ACCEPTANCE_SEVERAL_PLACES_WORKING_DAYS"]
    return add_working_days(received_on, days)


def resolution_days(
    kind: str, *, remote: bool = False, complexity: int = 0, second: bool = False
) -> tuple[int, str]:
    """(days, unit) of the resolution period, before any extension."""
    period = current_app.config["CASE_RESOLUTION_PERIODS"][kind]
    if kind == "complaint":
        table = period["second" if second else "first"]
        variant = ("remote_" if remote else "") + ("complex" if complexity else "normal")
        variant = {"remote_normal": "remote"}.get(variant, variant)
        return table[variant], period["unit"]
    return period["days"], period["unit"]


def max_extensions(kind: str, complexity: int) -> int:
    """Denunciations: one extension if complex, two if especially complex; others none."""
    if kind != "denunciation":
        return 0
    return min(int(complexity), 2)


def resolution_due_on(
    kind: str,
    accepted_on: date,
    *,
    remote: bool = False,
    complexity: int = 0,
    second: bool = False,
    extensions: int = 0,
) -> date:
    """The last day to resolve, counted from acceptance.

    An extension lengthens the period itself (30 + 30 calendar days from acceptance, then
    moved past a non-working end day), never days added to an already moved date.
    """
    days, unit = resolution_days(kind, remote=remote, complexity=complexity, second=second)
    if extensions:
        period = current_app.config["CASE_RESOLUTION_PERIODS"][kind]
        days += extensions * period.get("extension_days", days)
    return _add(accepted_on, days, unit)


def refresh(case) -> None:
    """Recompute the case's deadlines from its fields and status; set `due_on` to the one
    that runs now (acceptance before acceptance, resolution after, none once it ended)."""
    from portal.cases.workflow import BEFORE_ACCEPTANCE, IN_PROGRESS

    case.acceptance_due_on = acceptance_due_on(
        case.kind, case.received_on, several_places=case.several_places
    )
    if case.accepted_on is not None:
        case.resolution_due_on = resolution_due_on(
            case.kind,
            case.accepted_on,
            remote=case.remote_area,
            complexity=case.complexity,
            second=case.second_time,
            extensions=len(case.extensions),
        )
    if case.status in BEFORE_ACCEPTANCE:
        case.due_on = case.acceptance_due_on
    elif case.status in IN_PROGRESS:
        case.due_on = case.resolution_due_on
    else:
        case.due_on = None


def complaint_is_late(known_on: date | None, received_on: date) -> bool:
    """True when a complaint comes after the limitation period (a warning, never a refusal)."""
    if known_on is None:
        return False
    limit = current_app.config["CASE_COMPLAINT_LIMIT_DAYS"]
    return received_on > known_on + timedelta(days=limit)
