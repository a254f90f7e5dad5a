"""Who may see and do what with which case: the object-level half of the staff guard.

The guard (core.security) checks the role's permission; these helpers check the object. Every
staff case view loads its case through `case_for()` and every list through `visible()`, so a
handler who changes the number in the URL gets a 404 for a case outside their unit.

- A handler reads the cases of their unit and works those assigned to them.
- A head reads and works every case of their unit, assigns, approves and extends.
- A leader reads every case of the agency and changes nothing.
- Staff of a unit asked for input read that case while the request is open, and answer it.
- The identity of a confidential submitter: only the assigned handler and the head of the
  case's unit, by a deliberate, audited reveal (identity.py).
"""

from flask import abort
from sqlalchemy import exists, or_

from portal.accounts.permissions import Permission, Role
from portal.cases.models import Case, CaseConsultation
from portal.extensions import db


def _unit_match(user):
    # Small agencies may have no units at all: a staff member without a unit then sees the
    # cases that have no handling unit either.
    return Case.handling_unit_id.is_not_distinct_from(user.unit_id)


def _consulted(user):
    return exists().where(
        CaseConsultation.case_id == Case.id,
        CaseConsultation.unit_id == user.unit_id,
        CaseConsultation.answered_at.is_(None),
    )


def visible(user):
    """A WHERE clause for the cases this staff member may read (False for nobody)."""
    if not user.can(Permission.READ_CASES):
        return db.false()
    if user.role == Role.LEADER:
        return db.true()
    if user.unit_id is None:
        return _unit_match(user)
    return or_(_unit_match(user), _consulted(user))


def can_read(user, case: Case) -> bool:
    if not user.can(Permission.READ_CASES):
        return False
    if user.role == Role.LEADER:
        return True
    if case.handling_unit_id == user.unit_id:
        return True
    return is_consulted(user, case)


def is_consulted(user, case: Case) -> bool:
    """An unanswered request for input is open to the user's unit."""
    return user.unit_id is not None and any(
        c.unit_id == user.unit_id and c.answered_at is None for c in case.consultations
    )


def is_head_of(user, case: Case) -> bool:
    return user.role == Role.HEAD and case.handling_unit_id == user.unit_id


def can_work(user, case: Case) -> bool:
    """Change the case: its head, or the handler it is assigned to."""
    if not user.can(Permission.WORK_CASES):
        return False
    return is_head_of(user, case) or (
        case.assignee_id == user.id and case.handling_unit_id == user.unit_id
    )


def can_assign(user, case: Case) -> bool:
    return user.can(Permission.ASSIGN_CASES) and is_head_of(user, case)


def can_approve(user, case: Case) -> bool:
    return user.can(Permission.APPROVE_RESPONSES) and is_head_of(user, case)


def can_reveal(user, case: Case) -> bool:
    """Only the assigned handler and the head of the case's unit (Luật Tố cáo art. 56)."""
    return can_work(user, case)


def can_answer_consultation(user, consultation: CaseConsultation) -> bool:
    return (
        user.can(Permission.WORK_CASES)
        and user.unit_id is not None
        and consultation.unit_id == user.unit_id
        and consultation.answered_at is None
    )


def case_for(user, number: str) -> Case:
    """The case with this number if the user may read it; 404 otherwise (no enumeration)."""
    case = db.session.scalar(db.select(Case).where(Case.number == number, visible(user)))
    if case is None:
        abort(404)
    return case
