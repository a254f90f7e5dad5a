"""Writing, publishing and withdrawing published answers. Each function is one unit of work.

Who may do what:
- the handler assigned to the case, or the head of its unit, writes the answer (a draft) once
  the case's response has reached the citizen and only if the submitter consented to
  publication; denunciations never give one;
- the head of the case's unit publishes it, confirming the text identifies nobody, and may
  withdraw it later. Editing a published answer takes it down until it is published again.

The text is written by staff, never copied silently from the case. A last check refuses text
that still holds the submitter's own e-mail address or phone number (compared by keyed digest,
so the identity is never unsealed), the case's number, or any long run of digits (phone, ID
card, account numbers).
"""

import re
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.exc import StaleDataError

from portal.accounts.permissions import Permission, Role
from portal.answers.models import ANSWER_MAX, QUESTION_MAX, TITLE_MAX, AnswerStatus, PublishedAnswer
from portal.cases import authz, indexing
from portal.cases.models import Case, CaseStatus, Kind
from portal.core import audit
from portal.core import search as search_index
from portal.core.text import nfc
from portal.extensions import db

SEARCH_KIND = "answer"
# The case has been answered: its response reached the citizen.
ANSWERED_STATUSES = frozenset({CaseStatus.RESPONDED, CaseStatus.CLOSED})

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Nine or more digits, possibly grouped by spaces, dots or hyphens: phones, ID cards, accounts.
_LONG_NUMBER = re.compile(r"\+?\d(?:[\s.\-]?\d){8,}")


class AnswerError(Exception):
    """The step is not allowed; str(error) tells the staff member why (translated)."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class Conflict(Exception):
    """Someone else changed the answer since the form was drawn."""


def _now() -> datetime:
    return datetime.now(UTC)


# --- Rules -------------------------------------------------------------------------------------


def eligible(case: Case) -> bool:
    """A case that may give a published answer."""
    return (
        case.publish_consent and case.kind != Kind.DENUNCIATION and case.status in ANSWERED_STATUSES
    )


def may_write(user, case: Case) -> bool:
    return authz.can_work(user, case) and eligible(case)


def may_publish(user, answer: PublishedAnswer, case: Case | None) -> bool:
    """The head of the unit that answered (of the case's unit while the case exists)."""
    if case is not None:
        return authz.can_approve(user, case)
    return (
        user.can(Permission.APPROVE_RESPONSES)
        and user.role == Role.HEAD
        and answer.unit_id is not None
        and answer.unit_id == user.unit_id
    )


def personal_data_problems(case: Case | None, *texts: str) -> list:
    """Reasons the text may still identify the submitter (empty when none is found)."""
    problems = []
    joined = "\n".join(texts)
    emails = _EMAIL.findall(joined)
    if emails:
        own = case is not None and case.email_digest is not None
        if own and any(indexing.digest(e.strip().lower()) == case.email_digest for e in emails):
            problems.append(_l("The text still contains the submitter's e-mail address."))
        else:
            problems.append(_l("Remove the e-mail addresses: an answer names no one's contact."))
    if _LONG_NUMBER.search(joined):
        problems.append(
            _l("Remove the phone, ID card and account numbers (runs of nine digits or more).")
        )
    if case is not None and case.number and case.number.lower() in joined.lower():
        problems.append(_l("Remove the case number: it would link the answer to the case."))
    return problems


# --- Writes ------------------------------------------------------------------------------------


def answer_of(case: Case) -> PublishedAnswer | None:
    return db.session.scalar(db.select(PublishedAnswer).where(PublishedAnswer.case_id == case.id))


def _checked(case: Case, title: str, question: str, answer_text: str) -> tuple[str, str, str]:
    title, question, answer_text = nfc(title).strip(), nfc(question).strip(), nfc(answer_text)
    answer_text = answer_text.strip()
    for value, field, limit, message in (
        (title, "title", TITLE_MAX, _l("Enter a short title for the question")),
        (question, "question", QUESTION_MAX, _l("Enter the question")),
        (answer_text, "answer", ANSWER_MAX, _l("Enter the answer")),
    ):
        if not value:
            raise AnswerError(message, field=field)
        if len(value) > limit:
            raise AnswerError(_l("The text is too long."), field=field)
    problems = personal_data_problems(case, title, question, answer_text)
    if problems:
        raise AnswerError(" ".join(str(p) for p in problems))
    return title, question, answer_text


def _audit(action: str, answer: PublishedAnswer, actor, case: Case | None) -> None:
    # Ids and statuses only: never the text.
    detail = {"answer": answer.public_id, "status": answer.status}
    if case is not None:
        detail["case"] = case.number
    audit.record(
        action,
        actor=actor,
        target_type="published_answer",
        target_id=answer.public_id,
        detail=detail,
    )


def _commit_or_conflict() -> None:
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict() from None


def _check_version(answer: PublishedAnswer, version: int | None) -> None:
    if version is None or version != answer.version:
        raise Conflict()


def save_answer(
    case: Case, *, title: str, question: str, answer: str, actor, version: int | None = None
) -> PublishedAnswer:
    """Write (or rewrite) the case's answer as a draft; commit.

    Rewriting a published answer takes it down until a head publishes it again.
    """
    if not may_write(actor, case):
        raise AnswerError(_l("This case cannot give a published answer."))
    title, question, answer_text = _checked(case, title, question, answer)
    row = answer_of(case)
    action = "answer.updated"
    if row is None:
        row = PublishedAnswer(case_id=case.id, drafted_by_id=actor.id)
        db.session.add(row)
        action = "answer.drafted"
    else:
        _check_version(row, version)
        if row.status == AnswerStatus.PUBLISHED:
            search_index.remove_entry(kind=SEARCH_KIND, ref_id=row.id)
    row.kind = case.kind
    row.topic = case.topic
    row.unit_id = case.handling_unit_id
    row.title, row.question, row.answer = title, question, answer_text
    row.answered_on = case.resolved_on
    row.status = AnswerStatus.DRAFT
    row.drafted_by_id = actor.id
    row.drafted_at = _now()
    row.published_by_id = None
    row.published_at = None
    db.session.flush()
    _audit(action, row, actor, case)
    _commit_or_conflict()
    return row


def case_of(answer: PublishedAnswer) -> Case | None:
    return db.session.get(Case, answer.case_id) if answer.case_id is not None else None


def publish_answer(answer: PublishedAnswer, *, actor, version: int | None) -> None:
    """Make the answer public and searchable; commit."""
    case = case_of(answer)
    if not may_publish(actor, answer, case):
        raise AnswerError(_l("Only the head of the unit publishes answers."))
    if answer.status == AnswerStatus.PUBLISHED:
        raise AnswerError(_l("This answer is already published."))
    _check_version(answer, version)
    # The same check again: the case (and its digests) may have changed since the draft.
    problems = personal_data_problems(case, answer.title, answer.question, answer.answer)
    if problems:
        raise AnswerError(" ".join(str(p) for p in problems))
    answer.status = AnswerStatus.PUBLISHED
    answer.published_by_id = actor.id
    answer.published_at = _now()
    answer.withdrawn_at = None
    search_index.index_entry(
        kind=SEARCH_KIND,
        ref_id=answer.id,
        slug=answer.public_id,
        title=answer.title,
        body=f"{answer.question}\n{answer.answer}",
        published_at=answer.published_at,
    )
    _audit("answer.published", answer, actor, case)
    _commit_or_conflict()


def withdraw_answer(answer: PublishedAnswer, *, actor, version: int | None) -> None:
    """Take a published answer down (it stays as a withdrawn record for staff); commit."""
    case = case_of(answer)
    if not may_publish(actor, answer, case):
        raise AnswerError(_l("Only the head of the unit withdraws answers."))
    if answer.status != AnswerStatus.PUBLISHED:
        raise AnswerError(_l("Only a published answer can be withdrawn."))
    _check_version(answer, version)
    answer.status = AnswerStatus.WITHDRAWN
    answer.withdrawn_at = _now()
    search_index.remove_entry(kind=SEARCH_KIND, ref_id=answer.id)
    _audit("answer.withdrawn", answer, actor, case)
    _commit_or_conflict()
