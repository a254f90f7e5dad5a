"""The periods that apply to a case, counted as DOMAIN.md says (core.workdays does the days).

Every period is configuration (CASE_ACCEPTANCE_WORKING_DAYS, CASE_RESOLUTION_PERIODS,
CASE_ACCEPTANCE_SEVERAL_PLACES_WORKING_DAYS, CASE_TRANSFER_WORKING_DAYS): the number of days and
whether they are working or calendar days. A period starts the day after its event (Civil Code
2015 art. 147): N working days end at the Nth working day after it; N calendar days end on the
event's day + N, moved to the next working day when that is a day off (art. 148).
"""

import enum
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app

from portal.core import workdays
from portal.core.workdays import add_calendar_days, add_working_days, local_date


class Stage(enum.StrEnum):
    ACCEPT = "accept"  # from receipt: accept the case, or give notice
    RESOLVE = "resolve"  # from acceptance: resolve it


class Unit(enum.StrEnum):
    WORKING = "working"
    CALENDAR = "calendar"


STAGES = tuple(Stage)
KINDS = ("reflection", "petition", "complaint", "denunciation")
# Luật Tố cáo 2018: one extension for a complex denunciation, two for an especially complex one.
EXTENSIONS_BY_COMPLEXITY = (0, 1, 2)


def _add(start: date, days: int, unit: str) -> date:
    if unit == Unit.CALENDAR:
        return add_calendar_days(start, days)
    if unit == Unit.WORKING:
        return add_working_days(start, days)
    raise ValueError(f"unknown period unit {unit!r}: use 'working' or 'calendar'")


def acceptance_days(kind: str, *, several_places: bool = False) -> int:
    """Working days to accept the case (or give notice), counted from receipt."""
    if several_places and kind == "denunciation":
        return current_app.config["CASE_ACCEPTANCE_SEVERAL_PLACES_WORKING_DAYS"]
    return current_app.config["CASE_ACCEPTANCE_WORKING_DAYS"][kind]


def acceptance_due_on(kind: str, received_on: date, *, several_places: bool = False) -> date:
    """The last day to accept the case (or give notice): N working days after receipt."""
    return add_working_days(received_on, acceptance_days(kind, several_places=several_places))


def transfer_due_on(received_on: date) -> date:
    """The last day to forward a denunciation we are not competent for (Luật Tố cáo art. 24)."""
    return add_working_days(received_on, current_app.config["CASE_TRANSFER_WORKING_DAYS"])


def resolution_days(
    kind: str, *, remote: bool = False, complexity: int = 0, second: bool = False
) -> tuple[int, str]:
    """(days, unit) of the resolution period, before any extension.

    Complaints: first or second complaint × normal / complex / remote / remote and complex
    (an especially complex complaint counts as complex: the law knows no third level).
    """
    period = current_app.config["CASE_RESOLUTION_PERIODS"][kind]
    if kind == "complaint":
        table = period["second" if second else "first"]
        if remote:
            variant = "remote_complex" if complexity else "remote"
        else:
            variant = "complex" if complexity else "normal"
        return table[variant], period["unit"]
    return period["days"], period["unit"]


def extension_days(kind: str) -> int | None:
    """Days one extension adds to the resolution period; None when the kind has none."""
    return current_app.config["CASE_RESOLUTION_PERIODS"][kind].get("extension_days")


def max_extensions(kind: str, complexity: int) -> int:
    """Denunciations: one extension if complex, two if especially complex; others none."""
    if extension_days(kind) is None:
        return 0
    level = max(0, min(int(complexity), len(EXTENSIONS_BY_COMPLEXITY) - 1))
    return EXTENSIONS_BY_COMPLEXITY[level]


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
    moved past a non-working end day), never days added to an already moved date. The number
    of extensions is not checked against the complexity here: an extension granted stays
    granted; services check max_extensions() before granting one.
    """
    days, unit = resolution_days(kind, remote=remote, complexity=complexity, second=second)
    if extensions:
        step = extension_days(kind)
        if step is None:
            raise ValueError(f"the resolution period of a {kind} cannot be extended")
        days += extensions * step
    return _add(accepted_on, days, unit)


def reopened_on(case) -> date | None:
    """The local date the case was last reopened, from its events; None if it never was."""
    days = [
        local_date(event.occurred_at)
        for event in case.events
        if event.to_status == "reopened" and event.from_status != "reopened"
    ]
    return max(days) if days else None


def extensions_in_force(case, accepted_on: date | None = None) -> int:
    """The extensions granted since the current acceptance (a reopened and accepted again
    case starts a new period: the previous round's extensions do not carry over)."""
    accepted_on = accepted_on or case.accepted_on
    if accepted_on is None or extension_days(case.kind) is None:
        return 0
    return sum(1 for extension in case.extensions if extension.decided_on >= accepted_on)


def refresh(case, *, reopened: date | None = None) -> None:
    """Recompute the case's deadlines from its fields and status; set `due_on` to the one
    that runs now (acceptance before acceptance, resolution after, none once it ended).

    A reopened case (a second complaint, new evidence) is received anew: its acceptance
    deadline counts from the day it was reopened (`reopened`, or found in its events), and
    its resolution deadline only from an acceptance on or after that day, with only the
    extensions granted since. Before then the previous round's resolution deadline no longer
    runs and is cleared.
    A denunciation classified as outside our competence must be forwarded within
    CASE_TRANSFER_WORKING_DAYS: while it waits, that (earlier) day is the one due.
    """
    from portal.cases.workflow import BEFORE_ACCEPTANCE, IN_PROGRESS

    # A case still "received" has never been reopened (reopening leads to "reopened").
    if reopened is None and case.status != "received":
        reopened = reopened_on(case)
    start = max(case.received_on, reopened) if reopened else case.received_on
    case.acceptance_due_on = acceptance_due_on(case.kind, start, several_places=case.several_places)
    accepted_on = case.accepted_on
    if accepted_on is not None and reopened is not None and accepted_on < reopened:
        accepted_on = None
    if accepted_on is None:
        case.resolution_due_on = None
    else:
        case.resolution_due_on = resolution_due_on(
            case.kind,
            accepted_on,
            remote=case.remote_area,
            complexity=case.complexity,
            second=case.second_time,
            extensions=extensions_in_force(case, accepted_on),
        )
    if case.status in BEFORE_ACCEPTANCE:
        case.due_on = case.acceptance_due_on
        if case.kind == "denunciation" and case.within_competence is False:
            case.due_on = min(case.due_on, transfer_due_on(start))
    elif case.status in IN_PROGRESS:
        case.due_on = case.resolution_due_on
    else:
        case.due_on = None


def complaint_is_late(known_on: date | None, received_on: date) -> bool:
    """True when a complaint comes after the limitation period (a warning, never a refusal).

    The 90 days are calendar days from the day after learning of the decision; a last day
    that is not a working day moves to the next working day (Civil Code art. 148).
    """
    if known_on is None:
        return False
    limit = current_app.config["CASE_COMPLAINT_LIMIT_DAYS"]
    return received_on > add_calendar_days(known_on, limit)


# --- The calculator (staff page and `flask cases deadline`) -------------------------------


@dataclass(frozen=True)
class Question:
    """A deadline to compute: `day` is the receipt (accept) or the acceptance (resolve)."""

    kind: str
    stage: str
    day: date
    remote: bool = False
    complexity: int = 0
    second: bool = False
    extensions: int = 0
    several_places: bool = False


class Reason(enum.StrEnum):
    KIND = "kind"  # the option does not exist for this kind
    STAGE = "stage"  # it changes only the other stage's deadline
    LIMIT = "limit"  # more extensions than the complexity allows


# Which kinds and stage each option of a Question applies to.
APPLIES = {
    "remote": (("complaint",), Stage.RESOLVE),
    "second": (("complaint",), Stage.RESOLVE),
    "complexity": (("complaint", "denunciation"), Stage.RESOLVE),
    "extensions": (("denunciation",), Stage.RESOLVE),
    "several_places": (("denunciation",), Stage.ACCEPT),
}


def problems(question: Question) -> dict[str, Reason]:
    """Options of the question that make no sense, by option name, with the reason.

    Options that do not apply are refused rather than ignored: a deadline computed without
    the option someone thought they gave is worse than an error message.
    """
    found = {}
    for option, (kinds, stage) in APPLIES.items():
        if not getattr(question, option):
            continue
        if question.kind not in kinds:
            found[option] = Reason.KIND
        elif question.stage != stage:
            found[option] = Reason.STAGE
    if question.complexity > 1 and question.kind == "complaint" and "complexity" not in found:
        found["complexity"] = Reason.KIND  # "especially complex" is a denunciation's level
    if "extensions" not in found and question.extensions > max_extensions(
        question.kind, question.complexity
    ):
        found["extensions"] = Reason.LIMIT
    return found


@dataclass(frozen=True)
class Answer:
    due_on: date
    days: int
    unit: str
    # Calendar periods: the event's day + N, before moving off a day off.
    nominal_end: date
    # Days off that did not count (working days) or that the end moved over (calendar days).
    skipped: list[workdays.DayNote] = field(default_factory=list)
    # Weekend days worked in exchange for a day off, counted as working days.
    made_up: list[workdays.DayNote] = field(default_factory=list)


def answer(question: Question, *, language: str = "en_US") -> Answer:
    """The deadline for a question problems() found nothing wrong with, explained."""
    if question.stage == Stage.ACCEPT:
        days = acceptance_days(question.kind, several_places=question.several_places)
        unit = Unit.WORKING
    else:
        days, unit = resolution_days(
            question.kind,
            remote=question.remote,
            complexity=question.complexity,
            second=question.second,
        )
        if question.extensions:
            days += question.extensions * extension_days(question.kind)
    due = _add(question.day, days, unit)
    if unit == Unit.CALENDAR:
        nominal = question.day + timedelta(days=days)
        notes = workdays.notable_days(nominal, due - timedelta(days=1), language=language)
    else:
        nominal = due
        notes = workdays.notable_days(question.day + timedelta(days=1), due, language=language)
    return Answer(
        due_on=due,
        days=days,
        unit=str(unit),
        nominal_end=nominal,
        skipped=[n for n in notes if not n.working],
        made_up=[n for n in notes if n.working],
    )
