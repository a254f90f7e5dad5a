"""Working a case once it is triaged: assignment (one case or many), complexity, extensions
of a denunciation, verification, internal notes, messages to the citizen and requests for input
from other units.

Same contract as `handling`: the user's right on the case, then the form's version, then the
case's state; one unit of work that appends the events, records the audit entry (never citizen
text), queues the notification and commits.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from portal.accounts.models import User
from portal.accounts.permissions import Role
from portal.cases import authz, deadlines, notify, workflow
from portal.cases.handling import (
    NotPermitted,
    Refused,
    Stale,
    audit_change,
    check,
    guard,
    in_default_locale,
    normalise_number,
    not_now,
    now,
    permitted,
    possible,
    today,
    touch,
    unit_of_work,
)
from portal.cases.handling_forms import COMPLEXITY_LABELS
from portal.cases.models import (
    Actor,
    Case,
    CaseConsultation,
    CaseExtension,
    CaseMessage,
    CaseStatus,
    Complexity,
    Kind,
)
from portal.contacts.models import Unit
from portal.core.text import nfc
from portal.extensions import db
from portal.notifications.services import deliver_due

S = CaseStatus
ASSIGNABLE_ROLES = (Role.HANDLER, Role.HEAD)
BULK_MAX = 200


# --- Who can be given a case or asked -------------------------------------------------------


def assignable_staff(case: Case) -> list[User]:
    """Active handlers and heads of the case's unit, by name."""
    return list(
        db.session.scalars(
            db.select(User)
            .where(
                User.active.is_(True),
                User.role.in_([str(r) for r in ASSIGNABLE_ROLES]),
                User.unit_id.is_not_distinct_from(case.handling_unit_id),
            )
            .order_by(User.full_name, User.id)
        )
    )


def _eligible_assignee(case: Case, user_id: int | None) -> User | None:
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    if (
        user is None
        or not user.active
        or user.role not in ASSIGNABLE_ROLES
        or user.unit_id != case.handling_unit_id
    ):
        return None
    return user


def _unit_staff(unit_id: int) -> list[User]:
    return list(
        db.session.scalars(
            db.select(User).where(
                User.active.is_(True),
                User.unit_id == unit_id,
                User.role.in_([str(r) for r in ASSIGNABLE_ROLES]),
            )
        )
    )


# --- Working the case ------------------------------------------------------------------------


def _assign(case: Case, assignee: User, by, moment: datetime) -> None:
    previous = case.assignee_id
    name = assignee.full_name
    if case.status == S.ACCEPTED:
        workflow.move(case, S.ASSIGNED, by=by, note=name, public=False)
    else:
        action = "assigned" if previous is None else "reassigned"
        workflow.record(case, action, by=by, note=name, public=False)
    case.assignee_id = assignee.id
    case.assigned_at = moment
    touch(case, moment)
    audit_change("assigned", case, by, assignee_id=assignee.id, previous_assignee_id=previous)
    notify.case_assigned(case, assignee)


def assign_case(case: Case, *, by, version: int | None, assignee_id: int | None) -> User:
    """Assign (or reassign) the case to a handler of its unit; tell them."""
    check(by, case, "assign", version)
    assignee = _eligible_assignee(case, assignee_id)
    if assignee is None:
        raise Refused(_l("Choose an active handler of the case's unit."))
    if case.assignee_id == assignee.id:
        raise Refused(_l("The case is already assigned to %(name)s.", name=assignee.full_name))
    with unit_of_work():
        _assign(case, assignee, by, now())
    deliver_due()
    return assignee


@dataclass
class BulkResult:
    assigned: list[str] = field(default_factory=list)
    skipped: list[tuple[str, object]] = field(default_factory=list)  # (number, why)


def assign_cases(numbers, *, by, assignee_id: int | None) -> BulkResult:
    """Assign each case the user may assign to the handler; say which were skipped and why."""
    result = BulkResult()
    wanted = list(dict.fromkeys(normalise_number(n) for n in numbers if n and n.strip()))
    moment = now()
    with unit_of_work():
        for number in wanted[:BULK_MAX]:
            case = db.session.scalar(
                db.select(Case).where(Case.number == number, authz.visible(by))
            )
            why = None
            if case is None:
                why = _l("no case you can see has this number")
            elif not permitted(by, case, "assign"):
                why = _l("you cannot assign this case")
            elif not possible(by, case, "assign"):
                why = _l("its status does not allow it")
            else:
                assignee = _eligible_assignee(case, assignee_id)
                if assignee is None:
                    why = _l("the handler is not an active member of its unit")
                elif case.assignee_id == assignee.id:
                    why = _l("it is already assigned to this handler")
            if why is not None:
                result.skipped.append((number, why))
                continue
            _assign(case, assignee, by, moment)
            result.assigned.append(number)
        for number in wanted[BULK_MAX:]:
            result.skipped.append((number, _l("too many cases at once")))
    deliver_due()
    return result


def set_complexity(case: Case, *, by, version: int | None, complexity: int) -> None:
    """Set how complex the case is; the resolution deadline follows."""
    check(by, case, "complexity", version)
    level = Complexity(int(complexity))
    if level == case.complexity:
        raise Refused(_l("The complexity is already “%(level)s”.", level=COMPLEXITY_LABELS[level]))
    if deadlines.extensions_in_force(case) > deadlines.max_extensions(case.kind, level):
        raise Refused(_l("The case already has more extensions than this complexity allows."))
    moment = now()
    with unit_of_work():
        previous = case.complexity
        case.complexity = int(level)
        workflow.record(
            case,
            "complexity",
            by=by,
            note=in_default_locale(COMPLEXITY_LABELS[level]),
            public=False,
        )
        deadlines.refresh(case)
        touch(case, moment)
        audit_change("complexity-set", case, by, complexity=int(level), previous=int(previous))


def extend_case(
    case: Case, *, by, version: int | None, reason: str, decided_on: date
) -> CaseExtension:
    """Extend a denunciation's resolution period once more; tell the citizen."""
    guard(by, case, "extend", version)
    if case.kind != Kind.DENUNCIATION:
        raise Refused(_l("Only the resolution period of a denunciation can be extended."))
    if case.status not in workflow.IN_PROGRESS or case.accepted_on is None:
        raise not_now(case)
    if not possible(by, case, "extend"):
        raise Refused(
            _l(
                "No further extension is allowed: a complex denunciation may be extended "
                "once, an especially complex one twice. Set the complexity first."
            )
        )
    if decided_on > today() or decided_on < case.accepted_on:
        raise Refused(_l("The decision date must be between acceptance and today."))
    moment = now()
    # The ordinal numbers every extension the case ever had (unique per case); the period
    # counts only those of the current acceptance.
    ordinal = len(case.extensions) + 1
    in_force = deadlines.extensions_in_force(case) + 1
    with unit_of_work():
        extension = CaseExtension(
            ordinal=ordinal,
            reason=nfc(reason),
            decided_on=decided_on,
            due_on=deadlines.resolution_due_on(
                case.kind,
                case.accepted_on,
                remote=case.remote_area,
                complexity=case.complexity,
                second=case.second_time,
                extensions=in_force,
            ),
            approved_by_id=by.id,
        )
        case.extensions.append(extension)
        workflow.record(case, "extended", by=by, note=extension.reason, public=True)
        deadlines.refresh(case)
        touch(case, moment)
        audit_change("extended", case, by, ordinal=ordinal, due_on=extension.due_on.isoformat())
        notify.case_extended(case, extension)
    deliver_due()
    return extension


def start_verifying(case: Case, *, by, version: int | None) -> None:
    """Start verifying the case's content."""
    check(by, case, "verify", version)
    moment = now()
    with unit_of_work():
        workflow.move(case, S.VERIFYING, by=by, public=True)
        touch(case, moment)
        audit_change("verifying", case, by)


def add_note(case: Case, *, by, version: int | None, note: str) -> None:
    """Add an internal note: staff only, never shown to the citizen."""
    check(by, case, "note", version)
    moment = now()
    with unit_of_work():
        workflow.record(case, "note", by=by, note=nfc(note), public=False)
        touch(case, moment)
        audit_change("note-added", case, by)


def send_message(case: Case, *, by, version: int | None, body: str) -> CaseMessage:
    """Write to the citizen in the case; tell them by e-mail."""
    check(by, case, "message", version)
    moment = now()
    with unit_of_work():
        message = CaseMessage(author=Actor.STAFF, staff_user_id=by.id, body=nfc(body))
        case.messages.append(message)
        workflow.record(case, "staff-message", by=by, public=True)
        touch(case, moment)
        audit_change("message-sent", case, by)
        notify.message_to_citizen(case, message)
    deliver_due()
    return message


def request_input(
    case: Case, *, by, version: int | None, unit_id: int | None, question: str, due_on: date
) -> CaseConsultation:
    """Ask another unit of the agency for its input by a date; tell its staff."""
    check(by, case, "consult", version)
    unit = db.session.get(Unit, unit_id) if unit_id is not None else None
    if unit is None or unit.id == case.handling_unit_id:
        raise Refused(_l("Choose another unit of the agency."))
    if due_on < today():
        raise Refused(_l("The date the answer is needed by cannot be in the past."))
    moment = now()
    with unit_of_work():
        consultation = CaseConsultation(
            unit_id=unit.id,
            question=nfc(question),
            due_on=due_on,
            requested_by_id=by.id,
            requested_at=moment,
        )
        case.consultations.append(consultation)
        workflow.record(case, "input-requested", by=by, note=unit.name, public=False)
        touch(case, moment)
        db.session.flush()  # gives the request its public id
        audit_change(
            "input-requested", case, by, unit_id=unit.id, consultation=consultation.public_id
        )
        notify.input_requested(case, consultation, _unit_staff(unit.id))
    deliver_due()
    return consultation


def consultation_of(case: Case, public_id: str) -> CaseConsultation | None:
    return next((c for c in case.consultations if c.public_id == public_id), None)


def answer_input(
    case: Case, consultation: CaseConsultation, *, by, version: int | None, answer: str
) -> None:
    """Give the consulted unit's answer in the case; the unit's access ends with it."""
    if not authz.can_answer_consultation(by, consultation):
        raise NotPermitted("answer")
    if version != case.version:
        raise Stale
    moment = now()
    with unit_of_work():
        consultation.answer = nfc(answer)
        consultation.answered_by_id = by.id
        consultation.answered_at = moment
        unit = db.session.get(Unit, consultation.unit_id)
        workflow.record(case, "input-given", by=by, note=unit.name if unit else "", public=False)
        touch(case, moment)
        audit_change("input-given", case, by, consultation=consultation.public_id)
