"""Handling a case: who may take which action when, the unit of work every action runs in,
and the decisions on the case's course: triage (classify, accept, not accept, transfer,
merge), closing and reopening. Working the case once triaged is in `handling_work`.

Every service takes the case as loaded for this request and the version the user's form was
drawn from. It checks, in this order, that the user may act on the case (NotPermitted), that
the form is not stale (Stale), and that the case's state allows the action (Refused, or
workflow.IllegalMove); then it changes the case, appends its events through `workflow`,
records the audit entry (never citizen text or identity), calls the notification and commits
once. Every change touches the case row, so its version moves on and a form drawn before it is
refused rather than silently overwriting it. (`retain_until` follows the status in
`workflow.move`.)
"""

from contextlib import contextmanager
from datetime import UTC, date, datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from portal.cases import authz, deadlines, indexing, notify, workflow
from portal.cases.handling_forms import REFUSAL_REASONS, REOPEN_GROUNDS
from portal.cases.models import Case, CaseAttachment, CaseStatus, Kind
from portal.core import audit
from portal.core.text import nfc
from portal.core.workdays import local_date
from portal.extensions import db
from portal.notifications.services import deliver_due

S = CaseStatus
STALE_MESSAGE = _l(
    "This case was changed by someone else while you were working: review the changes and "
    "try again."
)


class NotPermitted(Exception):
    """The user may not take this action on this case (403)."""


class Stale(Exception):
    """The case changed since the form was drawn."""


class Refused(Exception):
    """The case's state or the data given does not allow the action; `message` says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# --- Who may do what, and when ---------------------------------------------------------------


def _moves_to(status: CaseStatus):
    def allowed(case: Case, user) -> bool:
        return workflow.allowed(case.status, status, workflow.role_of(user))

    return allowed


def _in(statuses):
    return lambda case, user: case.status in statuses


def _can_extend(case: Case, user) -> bool:
    return (
        case.kind == Kind.DENUNCIATION
        and case.status in workflow.IN_PROGRESS
        and case.accepted_on is not None
        # Only this round's extensions count: a reopened and re-accepted case starts anew.
        and deadlines.extensions_in_force(case)
        < deadlines.max_extensions(case.kind, case.complexity)
    )


# action -> (who may, on this case object; when the case's state allows it)
RULES = {
    "classify": (authz.can_work, _moves_to(S.CLASSIFIED)),
    "accept": (authz.can_assign, _moves_to(S.ACCEPTED)),
    "not-accept": (authz.can_assign, _moves_to(S.NOT_ACCEPTED)),
    "transfer": (authz.can_assign, _moves_to(S.TRANSFERRED)),
    "merge": (authz.can_assign, _moves_to(S.MERGED)),
    "assign": (authz.can_assign, _in(workflow.OPEN)),
    "complexity": (authz.can_assign, _in(workflow.OPEN)),
    "extend": (authz.can_approve, _can_extend),
    "verify": (
        authz.can_work,
        lambda c, u: c.status == S.ASSIGNED and _moves_to(S.VERIFYING)(c, u),
    ),
    "note": (authz.can_work, lambda c, u: True),
    "message": (authz.can_work, lambda c, u: c.status not in (S.WITHDRAWN, S.MERGED)),
    "consult": (authz.can_work, _in(workflow.OPEN)),
    "close": (authz.can_work, _moves_to(S.CLOSED)),
    "reopen": (authz.can_assign, _moves_to(S.REOPENED)),
}


def permitted(user, case: Case, action: str) -> bool:
    """The user's role and relation to the case allow the action (whatever the state)."""
    return RULES[action][0](user, case)


def possible(user, case: Case, action: str) -> bool:
    """The case's state allows the action now."""
    return RULES[action][1](case, user)


def available(user, case: Case) -> frozenset[str]:
    """The actions to offer this user on this case now."""
    return frozenset(a for a in RULES if permitted(user, case, a) and possible(user, case, a))


def not_now(case: Case) -> Refused:
    """The refusal for an action the case's status does not allow."""
    return Refused(
        _l(
            "This cannot be done while the case is “%(status)s”.",
            status=S(case.status).label,
        )
    )


def guard(user, case: Case, action: str, version: int | None) -> None:
    """Refuse a user without the right (NotPermitted) and a stale form (Stale)."""
    if not permitted(user, case, action):
        raise NotPermitted(action)
    if version != case.version:
        raise Stale


def check(user, case: Case, action: str, version: int | None) -> None:
    """Guard, then refuse an action the case's state does not allow now."""
    guard(user, case, action, version)
    if not possible(user, case, action):
        raise not_now(case)


# --- The unit of work ------------------------------------------------------------------------


@contextmanager
def unit_of_work():
    """Commit what the block changed, or roll it all back; a concurrent change is Stale."""
    try:
        yield
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Stale from None
    except BaseException:
        db.session.rollback()
        raise


def now() -> datetime:
    """The moment, in UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today in Vietnam: the day every period counts from."""
    return local_date(now())


def touch(case: Case, moment: datetime) -> None:
    """Write the case row, so its version moves on: forms drawn before it are stale."""
    case.updated_at = moment


def audit_change(action: str, case: Case, by, **detail) -> None:
    """Add `case.<action>` to the audit log; `detail` holds ids and codes, never text."""
    audit.record(
        f"case.{action}", actor=by, target_type="case", target_id=case.number, detail=detail
    )


def in_default_locale(text) -> str:
    """The text in the portal's language."""
    # Notices to the citizen are written in the portal's language, whatever the staff
    # member's own page language is.
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return str(text)


def _move(case: Case, to: CaseStatus, by, *, note: str = "", public: bool = True) -> None:
    """Move the case; an internal note on a public move goes into its own internal event."""
    if public and note:
        workflow.move(case, to, by=by, public=True)
        workflow.record(case, "note", by=by, note=note, public=False)
    else:
        workflow.move(case, to, by=by, note=note, public=public)


def normalise_number(typed: str) -> str:
    """A case number as typed with spaces or in lower case."""
    return "".join((typed or "").split()).upper()


# --- Reading the case (audited) --------------------------------------------------------------


def record_view(case: Case, *, by) -> None:
    """Audit a staff member's view of the case; commit."""
    audit_change("viewed", case, by)
    db.session.commit()


def record_download(case: Case, attachment: CaseAttachment, *, by) -> None:
    """Audit a staff member's download of a file of the case; commit."""
    audit_change("file.downloaded", case, by, file=attachment.public_id)
    db.session.commit()


# --- Triage ----------------------------------------------------------------------------------


def classify_case(
    case: Case,
    *,
    by,
    version: int | None,
    kind: str,
    processable: bool,
    within_competence: bool,
    many_people: bool = False,
    resolving_authority: str = "",
    remote_area: bool = False,
    several_places: bool = False,
    second_time: bool = False,
    note: str = "",
) -> None:
    """Record the classification (Thông tư 05/2021); the deadlines follow the kind."""
    check(by, case, "classify", version)
    new_kind = Kind(kind)
    moment = now()
    with unit_of_work():
        previous_kind = case.kind
        if new_kind != previous_kind:
            # The number keeps its prefix; the deadlines and the search follow the new kind.
            case.kind = new_kind
            workflow.record(
                case,
                "kind-corrected",
                by=by,
                note=in_default_locale(f"{Kind(previous_kind).label} → {new_kind.label}"),
                public=False,
            )
        if new_kind == Kind.DENUNCIATION:
            # A denouncer's identity is secret (Luật Tố cáo art. 56); never relaxed here.
            case.confidential = True
        case.processable = processable
        case.within_competence = within_competence
        case.many_people = many_people
        case.resolving_authority = nfc(resolving_authority)
        case.remote_area = remote_area
        case.several_places = several_places and new_kind == Kind.DENUNCIATION
        case.second_time = second_time and new_kind == Kind.COMPLAINT
        case.classified_at = moment
        workflow.move(case, S.CLASSIFIED, by=by, note=nfc(note), public=False)
        deadlines.refresh(case)
        indexing.refresh_search(case)
        touch(case, moment)
        audit_change(
            "classified",
            case,
            by,
            kind=str(new_kind),
            previous_kind=str(previous_kind),
            processable=processable,
            within_competence=within_competence,
        )


def accept_case(case: Case, *, by, version: int | None) -> None:
    """Accept the case (thụ lý): the resolution period starts; tell the citizen."""
    check(by, case, "accept", version)
    if case.processable is False or case.within_competence is False:
        raise Refused(
            _l(
                "The case is classified as not processable or not within the agency's "
                "competence: correct the classification, or do not accept or transfer it."
            )
        )
    moment = now()
    with unit_of_work():
        case.accepted_on = local_date(moment)
        workflow.move(case, S.ACCEPTED, by=by, public=True)
        deadlines.refresh(case)
        touch(case, moment)
        audit_change("accepted", case, by, resolution_due_on=str(case.resolution_due_on))
        notify.case_accepted(case)
    deliver_due()


def refusal_text(code: str, note: str = "") -> str:
    """The legal reason as the citizen reads it (portal language), with the explanation."""
    label = in_default_locale(REFUSAL_REASONS[code])
    return f"{label}. {note}" if note else label


def not_accept_case(case: Case, *, by, version: int | None, reason: str, note: str = "") -> None:
    """Do not accept the case, with its legal reason; file it for a year; tell the citizen."""
    check(by, case, "not-accept", version)
    if reason not in REFUSAL_REASONS:
        raise Refused(_l("Choose the reason for not accepting the case"))
    moment = now()
    note = nfc(note)
    with unit_of_work():
        case.refusal_reason = reason
        workflow.move(case, S.NOT_ACCEPTED, by=by, note=note, public=True)
        deadlines.refresh(case)
        touch(case, moment)
        audit_change("not-accepted", case, by, reason=reason)
        notify.case_not_accepted(case, refusal_text(reason, note))
    deliver_due()


def transfer_case(
    case: Case, *, by, version: int | None, transferred_to: str, note: str = ""
) -> None:
    """Transfer the case to another body; the citizen keeps the number and is told."""
    check(by, case, "transfer", version)
    moment = now()
    with unit_of_work():
        case.transferred_to = nfc(transferred_to)
        workflow.move(case, S.TRANSFERRED, by=by, note=nfc(note), public=True)
        deadlines.refresh(case)
        touch(case, moment)
        audit_change("transferred", case, by)
        notify.case_transferred(case)
    deliver_due()


def merge_case(case: Case, *, by, version: int | None, target_number: str, note: str = "") -> Case:
    """Merge the case into another the user can see, as its duplicate; return that case."""
    check(by, case, "merge", version)
    target = db.session.scalar(
        db.select(Case).where(Case.number == normalise_number(target_number), authz.visible(by))
    )
    if target is None:
        raise Refused(_l("There is no case with this number that you can see."))
    if target.id == case.id:
        raise Refused(_l("A case cannot be merged into itself."))
    if target.status == S.MERGED or target.merged_into_id is not None:
        raise Refused(
            _l("Case %(number)s is itself merged into another case.", number=target.number)
        )
    moment = now()
    note = nfc(note)
    with unit_of_work():
        case.merged_into_id = target.id
        workflow.move(case, S.MERGED, by=by, public=True)
        workflow.record(
            case, "merged-into", by=by, note=f"{target.number} {note}".strip(), public=False
        )
        workflow.record(
            target, "merged-from", by=by, note=f"{case.number} {note}".strip(), public=False
        )
        deadlines.refresh(case)
        touch(case, moment)
        touch(target, moment)
        audit_change("merged", case, by, into=target.number)
        audit_change("merged-from", target, by, duplicate=case.number)
    return target


# --- Ending and reopening ---------------------------------------------------------------------


def close_case(case: Case, *, by, version: int | None, note: str = "") -> None:
    """Close the case once the response is published."""
    check(by, case, "close", version)
    moment = now()
    with unit_of_work():
        _move(case, S.CLOSED, by, note=nfc(note))
        case.closed_at = moment
        deadlines.refresh(case)
        touch(case, moment)
        audit_change("closed", case, by)


def reopen_case(case: Case, *, by, version: int | None, ground: str, note: str) -> None:
    """Reopen the case on a second complaint or new evidence; it goes back to triage."""
    check(by, case, "reopen", version)
    if ground not in REOPEN_GROUNDS:
        raise Refused(_l("Choose why the case is reopened"))
    moment = now()
    with unit_of_work():
        _move(case, S.REOPENED, by, note=nfc(note))
        if ground == "second-complaint" and case.kind == Kind.COMPLAINT:
            case.second_time = True
        case.closed_at = None
        deadlines.refresh(case)
        touch(case, moment)
        audit_change("reopened", case, by, ground=ground)
