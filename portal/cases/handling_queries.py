"""What the staff case page reads besides the case: deadlines with the days left, related
cases, the names behind the timeline, the units that can be asked for input. No identity data:
related cases are matched on keyed digests, never on unsealed contact details."""

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_

from portal.accounts.models import User
from portal.cases import authz, workflow
from portal.cases.models import Actor, Case, CaseAttachment, CaseEvent, CaseStatus
from portal.cases.services import recorded_text
from portal.contacts.models import Unit
from portal.core.workdays import add_working_days
from portal.extensions import db

RELATED_LIMIT = 20

EVENT_LABELS = {
    "submitted": _l("Case received"),
    "message": _l("The citizen added information"),
    "staff-message": _l("Message sent to the citizen"),
    "withdrawn": _l("Withdrawn by the citizen"),
    "rated": _l("The citizen rated the handling"),
    "key-reissued": _l("A new access key was sent to the citizen"),
    "closed": _l("Closed"),
    "note": _l("Internal note"),
    "kind-corrected": _l("Kind corrected"),
    "assigned": _l("Assigned"),
    "reassigned": _l("Reassigned"),
    "complexity": _l("Complexity set"),
    "extended": _l("Resolution period extended"),
    "merged-into": _l("Merged into another case"),
    "merged-from": _l("A duplicate case was merged into this one"),
    "input-requested": _l("Input requested from another unit"),
    "input-given": _l("Input given by another unit"),
    "response-drafted": _l("Response drafted"),
    "response-returned": _l("Response sent back for more work"),
    "response-approved": _l("Response approved"),
    "response-published": _l("Response published to the citizen"),
    "identity-revealed": _l("Identity of the submitter revealed"),
}
STATUS_CHANGE = _l("Status changed")

RELATED_BY = {
    "email_digest": _l("same e-mail address"),
    "phone_digest": _l("same phone number"),
    "text_digest": _l("same text"),
}


def event_label(event: CaseEvent):
    if event.action in EVENT_LABELS:
        return EVENT_LABELS[event.action]
    if event.action.startswith("status:"):
        return STATUS_CHANGE
    return recorded_text(event.action) or event.action


def status_label(status: str | None):
    try:
        return CaseStatus(status).label
    except ValueError:
        return status or ""


@dataclass(frozen=True)
class Deadline:
    label: object
    due_on: date
    running: bool  # the deadline that runs now (the case's due_on)
    days_left: int | None = None  # calendar days; negative when overdue
    state: str | None = None  # "overdue", "due-soon" or "on-time", for the running one


def deadline_state(due_on: date, today: date) -> str:
    """Overdue after the day; due soon within the reminder's working days."""
    if today > due_on:
        return "overdue"
    soon = add_working_days(today, current_app.config["CASE_REMIND_WORKING_DAYS"])
    return "due-soon" if due_on <= soon else "on-time"


def _deadline(label, due_on: date, running: bool, today: date) -> Deadline:
    if not running:
        return Deadline(label, due_on, False)
    return Deadline(label, due_on, True, (due_on - today).days, deadline_state(due_on, today))


def deadlines_of(case: Case, today: date) -> list[Deadline]:
    """Acceptance, then resolution (with its extensions); the running one with days left."""
    rows = []
    if case.acceptance_due_on:
        running = case.status in workflow.BEFORE_ACCEPTANCE and case.due_on is not None
        rows.append(_deadline(_l("Acceptance"), case.acceptance_due_on, running, today))
    if case.resolution_due_on:
        running = case.status in workflow.IN_PROGRESS and case.due_on is not None
        label = _l("Resolution") if not case.extensions else _l("Resolution, as extended")
        rows.append(_deadline(label, case.resolution_due_on, running, today))
    return rows


@dataclass(frozen=True)
class Related:
    case: Case
    reasons: list


def related_cases(user, case: Case, limit: int = RELATED_LIMIT) -> list[Related]:
    """Other cases the user can read from the same contact or with the same text; a
    confidential case is linked only for those who may reveal its submitter."""
    matches = [
        getattr(Case, column) == getattr(case, column)
        for column in RELATED_BY
        if getattr(case, column)
    ]
    if not matches:
        return []
    found = db.session.scalars(
        db.select(Case)
        .where(or_(*matches), Case.id != case.id, authz.visible(user))
        .order_by(Case.received_at.desc(), Case.id.desc())
        .limit(limit)
    )
    return [
        Related(
            other, [label for column, label in RELATED_BY.items() if _same(case, other, column)]
        )
        for other in found
        if _may_link(user, case) and _may_link(user, other)
    ]


def _may_link(user, case: Case) -> bool:
    # Linking a confidential case to another (same contact, same words) can name its
    # submitter: only those who may reveal that identity see such a suggestion.
    return not case.confidential or authz.can_reveal(user, case)


def _same(case: Case, other: Case, column: str) -> bool:
    value = getattr(case, column)
    return value is not None and value == getattr(other, column)


def staff_names(case: Case) -> dict[int, str]:
    """Names of the staff in the case's timeline, messages, requests and assignment."""
    ids = {e.staff_user_id for e in case.events}
    ids |= {m.staff_user_id for m in case.messages}
    ids |= {c.requested_by_id for c in case.consultations}
    ids |= {c.answered_by_id for c in case.consultations}
    ids |= {x.approved_by_id for x in case.extensions}
    ids.add(case.assignee_id)
    ids.discard(None)
    if not ids:
        return {}
    rows = db.session.execute(db.select(User.id, User.full_name).where(User.id.in_(ids)))
    return dict(rows.all())


def who(event: CaseEvent, names: dict[int, str]):
    if event.actor == Actor.CITIZEN:
        return _l("Citizen")
    if event.actor == Actor.SYSTEM or event.staff_user_id is None:
        return _l("System")
    return names.get(event.staff_user_id, "")


def unit_names() -> dict[int, str]:
    return dict(db.session.execute(db.select(Unit.id, Unit.name)).all())


def other_units(case: Case) -> list[Unit]:
    """Units that can be asked for input: every unit but the case's own."""
    query = db.select(Unit).order_by(Unit.position, Unit.name)
    if case.handling_unit_id is not None:
        query = query.where(Unit.id != case.handling_unit_id)
    return list(db.session.scalars(query))


def case_files(case: Case) -> list[CaseAttachment]:
    """Files sent with the case itself or attached by staff (not messages', not responses')."""
    return [a for a in case.attachments if a.message_id is None and a.response_id is None]


def files_protected_from(user, case: Case) -> bool:
    """A confidential submitter's own letter and files (the scanned letter shows name, address
    and handwriting: Luật Tố cáo art. 56) open only for those who may reveal the identity.

    That is the files of the case itself and every file the citizen sent later with a message:
    a signed statement or a photo sent in answer to a question identifies as much as the letter.
    """
    return case.confidential and not authz.can_reveal(user, case)


def from_the_submitter(attachment: CaseAttachment) -> bool:
    """A file of the case itself or one the citizen sent with a message (not staff's, not a
    response's): the files files_protected_from() keeps."""
    if attachment.response_id is not None:
        return False
    return attachment.message_id is None or attachment.message.author == Actor.CITIZEN


def attachment_of(case: Case, public_id: str) -> CaseAttachment | None:
    return db.session.scalar(
        db.select(CaseAttachment).where(
            CaseAttachment.case_id == case.id, CaseAttachment.public_id == public_id
        )
    )
