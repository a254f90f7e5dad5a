"""One function per e-mail event of a case, queued in the outbox inside the caller's
transaction (the caller's service commits; mail goes after the commit).

To the citizen (the only person whose address is unsealed for mail): acceptance, refusal,
transfer, extension, a message from the unit, the response. To staff: an assignment, a
request for input, the daily digest. No e-mail to staff ever carries the submitter's identity.
Each is in Vietnamese with an English line.

What a citizen's e-mail may say: the case number, its kind, dates, and what the unit decided
(the legal reason of a refusal, the body a case went to, an extension's reason). Never the
case's own text, never anyone's identity (not even the handler's name): whoever reads the
mailbox learns only that something happened and where to read it (the case page opens with
the number and the secret key). No e-mail address given: nothing is queued.

Staff e-mails carry the number, the kind, the status, the due date and a link to the staff
case page: never the citizen's title or text, never the identity.
"""

from flask import current_app
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

from portal.cases.identity import unseal
from portal.cases.models import (
    Case,
    CaseConsultation,
    CaseExtension,
    CaseMessage,
    CaseResponse,
    CaseStatus,
    Kind,
)
from portal.core import site
from portal.core.urls import external_url
from portal.notifications.services import queue_email

# Staff e-mails link to the case page; the register when a build has no case page.
STAFF_CASE_ENDPOINTS = ("staff_cases.case", "staff_cases.cases")


def _locale() -> str:
    # Mail is read later, by someone else: always the portal's language (plus the English line).
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def staff_case_url(case: Case) -> str:
    for endpoint in STAFF_CASE_ENDPOINTS:
        if endpoint in current_app.view_functions:
            try:
                if endpoint == "staff_cases.cases":
                    return external_url(endpoint)
                return external_url(endpoint, number=case.number)
            except BuildError:
                continue
    return external_url("accounts.dashboard")


def _citizen_email(case: Case) -> str:
    """The citizen's own address from the sealed identity; "" when none was given."""
    if case.identity is None:
        return ""
    return unseal(case.identity.sealed).email.strip()


def _to_citizen(case: Case, event: str, subject, **context) -> None:
    recipient = _citizen_email(case)
    if not recipient:
        return
    queue_email(
        event=f"cases/{event}",
        recipient=recipient,
        subject=subject,
        locale=_locale(),
        number=case.number,
        kind_label=Kind(case.kind).label,
        agency=site.load(),
        follow_url=external_url("cases.lookup"),
        **context,
    )


def _to_staff(user, case: Case | None, event: str, subject, **context) -> None:
    if not getattr(user, "email", None) or not getattr(user, "active", True):
        return
    queue_email(
        event=f"cases/{event}",
        recipient=user.email,
        subject=subject,
        locale=_locale(),
        agency=site.load(),
        **({"case": _staff_line(case)} if case is not None else {}),
        **context,
    )


class _StaffLine:
    """What a staff e-mail may say about a case: no title, no text, no identity."""

    def __init__(self, case: Case):
        self.number = case.number
        self.kind_label = Kind(case.kind).label
        self.status_label = CaseStatus(case.status).label
        self.due_on = case.due_on
        self.url = staff_case_url(case)


def _staff_line(case: Case) -> _StaffLine:
    return _StaffLine(case)


def case_accepted(case: Case) -> None:
    """Tell the citizen the case was accepted (thụ lý) and by when it will be resolved."""
    _to_citizen(
        case,
        "accepted",
        _l("Case %(number)s was accepted", number=case.number),
        accepted_on=case.accepted_on,
        resolution_due_on=case.resolution_due_on,
    )


def case_not_accepted(case: Case, reason_text: str) -> None:
    """Tell the citizen the case was not accepted, with the legal reason."""
    _to_citizen(
        case,
        "not_accepted",
        _l("Case %(number)s was not accepted", number=case.number),
        reason_text=reason_text,
    )


def case_transferred(case: Case) -> None:
    """Tell the citizen the case went to another body (`case.transferred_to`), same number."""
    _to_citizen(
        case,
        "transferred",
        _l("Case %(number)s was transferred", number=case.number),
        transferred_to=case.transferred_to,
    )


def case_extended(case: Case, extension: CaseExtension) -> None:
    """Tell the citizen the resolution period was extended, why and until when."""
    _to_citizen(
        case,
        "extended",
        _l("The resolution period of case %(number)s was extended", number=case.number),
        extension=extension,
    )


def message_to_citizen(case: Case, message: CaseMessage) -> None:
    """Tell the citizen the unit wrote in the case (the text stays behind the case page)."""
    _to_citizen(
        case,
        "message",
        _l("New message in case %(number)s", number=case.number),
    )


def response_published(case: Case, response: CaseResponse) -> None:
    """Tell the citizen the response is published on the case page."""
    _to_citizen(
        case,
        "response_published",
        _l("The response to case %(number)s is published", number=case.number),
        published_at=response.published_at,
        documents=len(response.attachments),
    )


def case_assigned(case: Case, assignee) -> None:
    """Tell a handler a case was assigned to them (number, kind, due date; no identity)."""
    _to_staff(
        assignee,
        case,
        "assigned",
        _l("Case %(number)s was assigned to you", number=case.number),
    )


def input_requested(case: Case, consultation: CaseConsultation, recipients: list) -> None:
    """Tell the staff of a unit their input is requested by a date."""
    for user in recipients:
        _to_staff(
            user,
            case,
            "input_requested",
            _l("Your input is requested on case %(number)s", number=case.number),
            input_due_on=consultation.due_on,
        )


def daily_digest(user, due_soon: list[Case], overdue: list[Case]) -> None:
    """Send one staff member the cases due within N working days and those overdue."""
    if not due_soon and not overdue:
        return
    _to_staff(
        user,
        None,
        "daily_digest",
        _l(
            "Cases: %(overdue)d overdue, %(soon)d due soon",
            overdue=len(overdue),
            soon=len(due_soon),
        ),
        due_soon=[_staff_line(c) for c in due_soon],
        overdue=[_staff_line(c) for c in overdue],
        days=current_app.config["CASE_REMIND_WORKING_DAYS"],
        register_url=external_url("staff_cases.cases"),
    )
