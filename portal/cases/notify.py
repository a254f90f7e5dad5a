"""One function per e-mail event of a case, queued in the outbox inside the caller's
transaction (the caller's service commits; mail goes after the commit).

To the citizen (the only person whose address is unsealed for mail): acceptance, refusal,
transfer, extension, a message from the unit, the response. To staff: an assignment, a
request for input, the daily digest. No e-mail to staff ever carries the submitter's identity.
Each is in Vietnamese with an English line.

CONTRACT (issue 5 design): the signatures below are what services call. Bodies are filled in
by the notifications work; until then each function queues nothing.
"""

from portal.cases.models import Case, CaseConsultation, CaseExtension, CaseMessage, CaseResponse


def case_accepted(case: Case) -> None:
    """Tell the citizen the case was accepted (thụ lý) and by when it will be resolved."""


def case_not_accepted(case: Case, reason_text: str) -> None:
    """Tell the citizen the case was not accepted, with the legal reason."""


def case_transferred(case: Case) -> None:
    """Tell the citizen the case went to another body (`case.transferred_to`), same number."""


def case_extended(case: Case, extension: CaseExtension) -> None:
    """Tell the citizen the resolution period was extended, why and until when."""


def message_to_citizen(case: Case, message: CaseMessage) -> None:
    """Tell the citizen the unit wrote in the case (the text stays behind the case page)."""


def response_published(case: Case, response: CaseResponse) -> None:
    """Tell the citizen the response is published on the case page."""


def case_assigned(case: Case, assignee) -> None:
    """Tell a handler a case was assigned to them (number, kind, due date; no identity)."""


def input_requested(case: Case, consultation: CaseConsultation, recipients: list) -> None:
    """Tell the staff of a unit their input is requested by a date."""


def daily_digest(user, due_soon: list[Case], overdue: list[Case]) -> None:
    """Send one staff member the cases due within N working days and those overdue."""
