"""Responses to cases: templates per kind and outcome, draft, approval, publication.

The handler (or the head) drafts a response from the template of its kind and outcome, edits
it and attaches documents; the head approves it or sends it back; publishing shows it on the
citizen's case page, e-mails the citizen and, for a complaint, may publish the decision on the
portal's disclosures with personal data removed. Every step moves the case through
`workflow.move` (the transitions table decides who may), is audited and commits once.

Optimistic locking: each form carries the response's and the case's version; a mismatch, or
a concurrent change caught at flush (version_id_col), raises `Conflict` and changes nothing.
"""

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from portal.cases import authz, deadlines, decisions, notify, workflow
from portal.cases.identity import unseal
from portal.cases.models import (
    Case,
    CaseAttachment,
    CaseResponse,
    CaseStatus,
    Kind,
    ResponseStatus,
    ResponseTemplate,
)
from portal.cases.response_templates import (
    outcomes_for,
    placeholder_problem,
)
from portal.cases.services import Upload, check_uploads
from portal.core import audit
from portal.core.text import fold, nfc
from portal.core.uploads import UploadRefused, discard_file, store_bytes, upload_name
from portal.extensions import db
from portal.notifications.services import deliver_due

BODY_MAX = 50_000
NOTE_MAX = 10_000
# A response's documents: the signed answer or decision, as PDF or Word.
RESPONSE_FILE_KINDS = frozenset({"pdf", "docx"})

RESPONSE_STATUS_LABELS = {
    ResponseStatus.DRAFT: _l("Draft"),
    ResponseStatus.APPROVED: _l("Approved"),
    ResponseStatus.PUBLISHED: _l("Published"),
}


class ResponseError(Exception):
    """The step is not allowed now; str(error) tells the staff member why (translated).

    `field` names the form field the message belongs to, when there is one.
    """

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class Conflict(Exception):
    """Someone else changed the response or the case since the form was drawn."""


# --- Reads -----------------------------------------------------------------------------------


def status_label(response: CaseResponse):
    return RESPONSE_STATUS_LABELS.get(response.status, response.status)


def open_response(case: Case) -> CaseResponse | None:
    """The response being prepared (draft or approved), if any."""
    return next((r for r in case.responses if r.status != ResponseStatus.PUBLISHED), None)


def published_responses(case: Case) -> list[CaseResponse]:
    return [r for r in case.responses if r.status == ResponseStatus.PUBLISHED]


def response_of(case: Case, public_id: str) -> CaseResponse | None:
    return next((r for r in case.responses if r.public_id == public_id), None)


def document_of(response: CaseResponse, public_id: str) -> CaseAttachment | None:
    return next((a for a in response.attachments if a.public_id == public_id), None)


def decision_of(response: CaseResponse):
    """The public disclosure of a complaint decision published with the response, if any."""
    from portal.disclosures.models import Disclosure

    if response.disclosure_id is None:
        return None
    return db.session.get(Disclosure, response.disclosure_id)


def may_draft(user, case: Case) -> bool:
    """The case is at a step where this user may draft its response, and none is open."""
    return (
        authz.can_work(user, case)
        and open_response(case) is None
        and workflow.allowed(case.status, CaseStatus.DRAFTED, workflow.role_of(user))
    )


def may_edit(user, response: CaseResponse) -> bool:
    case = response.case
    return (
        response.status == ResponseStatus.DRAFT
        and authz.can_work(user, case)
        and (
            case.status == CaseStatus.DRAFTED
            or workflow.allowed(case.status, CaseStatus.DRAFTED, workflow.role_of(user))
        )
    )


def may_approve(user, response: CaseResponse) -> bool:
    case = response.case
    return (
        response.status == ResponseStatus.DRAFT
        and case.status == CaseStatus.DRAFTED
        and authz.can_approve(user, case)
        and workflow.allowed(case.status, CaseStatus.APPROVED, workflow.role_of(user))
    )


def may_publish(user, response: CaseResponse) -> bool:
    case = response.case
    return (
        response.status == ResponseStatus.APPROVED
        and case.status == CaseStatus.APPROVED
        and authz.can_work(user, case)
        and workflow.allowed(case.status, CaseStatus.RESPONDED, workflow.role_of(user))
    )


@dataclass(frozen=True)
class Panel:
    """What the case page's responses section shows to this user."""

    responses: list[CaseResponse]
    can_draft: bool


def panel(case: Case, user) -> Panel:
    return Panel(responses=list(case.responses), can_draft=may_draft(user, case))


# --- Writes ----------------------------------------------------------------------------------


def _now() -> datetime:
    return datetime.now(UTC)


def _allowed(ok: bool) -> None:
    # The views check first (403); this keeps a service safe whoever calls it.
    if not ok:
        raise ResponseError(_l("You may not do this for this case."))


def _same(drawn: int | None, current: int) -> None:
    if drawn != current:
        raise Conflict


def _commit() -> None:
    try:
        db.session.commit()
    except StaleDataError as error:
        db.session.rollback()
        raise Conflict from error


def _flush() -> None:
    try:
        db.session.flush()
    except StaleDataError as error:
        db.session.rollback()
        raise Conflict from error


def _deliver() -> None:
    # Mail never fails the staff member's action: the outbox keeps it and retries.
    try:
        deliver_due()
    except Exception as error:
        db.session.rollback()
        current_app.logger.warning("outbox delivery failed (%s)", type(error).__name__)


def _audit(action: str, case: Case, actor, **detail) -> None:
    # Ids, outcomes and counts only: never the response's text or anyone's identity.
    audit.record(action, actor=actor, target_type="case", target_id=case.number, detail=detail)


def _checked_documents(files) -> list[tuple[Upload, str]]:
    limit = current_app.config["CASE_MAX_FILE_BYTES"]
    uploads = [
        Upload(name=upload_name(f), data=f.read(limit + 1)) for f in files or () if f and f.filename
    ]
    checked = check_uploads(uploads)
    for upload, kind in checked:
        if kind not in RESPONSE_FILE_KINDS:
            raise UploadRefused(
                _l(
                    "The file %(name)s is not an accepted type. Attach PDF or Word (DOCX) "
                    "documents.",
                    name=upload.name,
                )
            )
    return checked


def _store_documents(response: CaseResponse, checked, actor, written: list) -> None:
    for upload, kind in checked:
        stored = store_bytes(upload.data, name=upload.name, kind=kind)
        written.append(stored)
        db.session.add(
            CaseAttachment(
                case=response.case,
                response=response,
                staff_user_id=actor.id,
                stored_file=stored,
                original_sha256=hashlib.sha256(upload.data).hexdigest(),
            )
        )


def _outcome(case: Case, outcome: str) -> str:
    if outcome not in {str(o) for o in outcomes_for(case.kind)}:
        raise ResponseError(_l("Choose the outcome of the response"), field="outcome")
    return outcome


def _move(case: Case, to: CaseStatus, *, actor, **kwargs) -> None:
    try:
        workflow.move(case, to, by=actor, **kwargs)
    except workflow.IllegalMove as error:
        raise ResponseError(_l("This step is not possible at the case's current stage.")) from error
    deadlines.refresh(case)


def draft_response(
    case: Case, *, outcome: str, body: str, files, actor, case_version
) -> CaseResponse:
    """Start the case's response with its documents; the case moves to "drafted"; commit.

    Raises Conflict, ResponseError, or UploadRefused (nothing stored).
    """
    _allowed(authz.can_work(actor, case))
    _same(case_version, case.version)
    if open_response(case) is not None:
        raise ResponseError(_l("A response is already being prepared for this case."))
    outcome = _outcome(case, outcome)
    checked = _checked_documents(files)
    written = []
    try:
        response = CaseResponse(
            case=case, outcome=outcome, body=nfc(body), drafted_by_id=actor.id, drafted_at=_now()
        )
        db.session.add(response)
        _store_documents(response, checked, actor, written)
        _move(case, CaseStatus.DRAFTED, actor=actor, public=False, action="response-drafted")
        _flush()
        _audit(
            "case.response.drafted",
            case,
            actor,
            response=response.public_id,
            outcome=outcome,
            documents=len(checked),
        )
        _commit()
    except BaseException:
        db.session.rollback()
        for stored in written:
            discard_file(stored)
        raise
    return response


def update_response(
    response: CaseResponse, *, outcome: str, body: str, files, actor, version
) -> None:
    """Save the edited draft and any new documents; a draft sent back moves to "drafted" again.

    Raises Conflict, ResponseError, or UploadRefused (nothing stored).
    """
    _allowed(authz.can_work(actor, response.case))
    _same(version, response.version)
    if response.status != ResponseStatus.DRAFT:
        raise ResponseError(_l("Only a draft response can be changed."))
    case = response.case
    outcome = _outcome(case, outcome)
    checked = _checked_documents(files)
    written = []
    try:
        response.outcome = outcome
        response.body = nfc(body)
        # Every save is a new version, even one that only adds documents.
        flag_modified(response, "body")
        _store_documents(response, checked, actor, written)
        if case.status != CaseStatus.DRAFTED:
            _move(case, CaseStatus.DRAFTED, actor=actor, public=False, action="response-drafted")
        _flush()
        _audit(
            "case.response.updated",
            case,
            actor,
            response=response.public_id,
            outcome=outcome,
            documents=len(checked),
        )
        _commit()
    except BaseException:
        db.session.rollback()
        for stored in written:
            discard_file(stored)
        raise


def remove_document(response: CaseResponse, file_id: str, *, actor, version) -> None:
    """Take a document off a draft response and delete its file; commit."""
    _allowed(authz.can_work(actor, response.case))
    _same(version, response.version)
    if response.status != ResponseStatus.DRAFT:
        raise ResponseError(_l("Only a draft response can be changed."))
    attachment = document_of(response, file_id)
    if attachment is None:
        raise ResponseError(_l("That document is not attached to this response."))
    stored = attachment.stored_file
    response.attachments.remove(attachment)
    db.session.delete(attachment)
    db.session.delete(stored)
    flag_modified(response, "body")
    _flush()
    _audit("case.response.document-removed", response.case, actor, response=response.public_id)
    _commit()
    # After the commit only: a failed commit must leave the file its row still names.
    discard_file(stored)


def approve_response(response: CaseResponse, *, actor, version, case_version) -> None:
    """The head approves the draft; the case moves to "approved"; commit."""
    case = response.case
    _allowed(authz.can_approve(actor, case))
    _same(version, response.version)
    _same(case_version, case.version)
    if response.status != ResponseStatus.DRAFT or case.status != CaseStatus.DRAFTED:
        raise ResponseError(_l("Only a drafted response can be approved."))
    response.status = ResponseStatus.APPROVED
    response.approved_by_id = actor.id
    response.approved_at = _now()
    _move(case, CaseStatus.APPROVED, actor=actor, public=False, action="response-approved")
    _flush()
    _audit("case.response.approved", case, actor, response=response.public_id)
    _commit()


def return_response(response: CaseResponse, *, actor, note: str, version, case_version) -> None:
    """The head sends the draft back for more work, with a note; the case goes back to
    "verifying" and the response stays a draft; commit."""
    case = response.case
    _allowed(authz.can_approve(actor, case))
    _same(version, response.version)
    _same(case_version, case.version)
    if response.status != ResponseStatus.DRAFT or case.status != CaseStatus.DRAFTED:
        raise ResponseError(_l("Only a drafted response can be sent back."))
    if not (note or "").strip():
        raise ResponseError(_l("Enter what needs more work"), field="note")
    flag_modified(response, "body")
    # Internal: the citizen's timeline never shows a draft going back and forth.
    _move(
        case,
        CaseStatus.VERIFYING,
        actor=actor,
        note=nfc(note.strip()),
        public=False,
        action="response-returned",
    )
    _flush()
    _audit("case.response.returned", case, actor, response=response.public_id)
    _commit()


def publish_response(
    response: CaseResponse,
    *,
    actor,
    version,
    case_version,
    decision_text: str | None = None,
) -> None:
    """Publish the approved response to the citizen (case page and e-mail); the case moves to
    "responded". With `decision_text` (complaints), the decision is also published on the
    portal's disclosures, personal data removed, and kept public at least 15 days.

    Raises Conflict or ResponseError (nothing changed).
    """
    case = response.case
    _allowed(authz.can_work(actor, case))
    _same(version, response.version)
    _same(case_version, case.version)
    if response.status != ResponseStatus.APPROVED or case.status != CaseStatus.APPROVED:
        raise ResponseError(_l("Only an approved response can be published."))
    if decision_text is not None:
        decision_text = nfc(decision_text.strip())
        _check_decision(case, decision_text)
        # Looked up (or created, its own commit) before anything of this step changes.
        category = decisions.decision_category(actor)
    response.status = ResponseStatus.PUBLISHED
    response.published_at = _now()
    _move(case, CaseStatus.RESPONDED, actor=actor, public=True, action="response-published")
    _audit(
        "case.response.published",
        case,
        actor,
        response=response.public_id,
        decision_published=decision_text is not None,
    )
    notify.response_published(case, response)
    _flush()
    if decision_text is not None:
        # In the same transaction: a failure leaves the case approved and nothing public.
        decisions.publish_decision(case, response, decision_text, category, actor)
    _commit()
    _deliver()


def _check_decision(case: Case, text: str) -> None:
    if case.kind != Kind.COMPLAINT:
        raise ResponseError(_l("Only complaint decisions are published on the portal."))
    if not text:
        raise ResponseError(
            _l("Enter the text of the decision with personal data removed"),
            field="decision_text",
        )
    if _names_the_citizen(case, text):
        raise ResponseError(
            _l(
                "The text still contains the complainant's name, address or contact details: "
                "remove them before publishing."
            ),
            field="decision_text",
        )


def _names_the_citizen(case: Case, text: str) -> bool:
    """A safety net under the handler's own reading: the sealed identity's values, folded."""
    if case.identity is None:
        return False
    who = unseal(case.identity.sealed)
    haystack = fold(text)
    needles = [who.name, who.address, who.email, who.id_number, who.phone]
    if who.phone.startswith("+84"):
        needles.append("0" + who.phone[3:])
    return any(len(n.strip()) >= 3 and fold(n) in haystack for n in needles if n)


def record_viewed(case: Case, response: CaseResponse, actor) -> None:
    """Audit a staff member opening a response page; commit."""
    _audit("case.response.viewed", case, actor, response=response.public_id)
    db.session.commit()


def record_downloaded(case: Case, attachment: CaseAttachment, actor) -> None:
    """Audit a staff member downloading a response document; commit."""
    _audit("case.response.document-downloaded", case, actor, file=attachment.public_id)
    db.session.commit()


def save_template(kind: str, outcome: str, body: str, *, actor) -> ResponseTemplate:
    """Write the administrator's text for (kind, outcome); commit.

    Raises ResponseError when a placeholder is malformed or unknown.
    """
    body = nfc(body)
    problem = placeholder_problem(body)
    if problem:
        raise ResponseError(problem, field="body")
    row = db.session.scalar(
        db.select(ResponseTemplate).where(
            ResponseTemplate.kind == kind, ResponseTemplate.outcome == outcome
        )
    )
    if row is None:
        row = ResponseTemplate(kind=kind, outcome=outcome, body=body)
        db.session.add(row)
    else:
        row.body = body
    audit.record(
        "case.response-template.saved",
        actor=actor,
        target_type="response_template",
        target_id=f"{kind}/{outcome}",
    )
    db.session.commit()
    return row


def reset_template(kind: str, outcome: str, *, actor) -> None:
    """Go back to the built-in text for (kind, outcome); commit."""
    row = db.session.scalar(
        db.select(ResponseTemplate).where(
            ResponseTemplate.kind == kind, ResponseTemplate.outcome == outcome
        )
    )
    if row is not None:
        db.session.delete(row)
        audit.record(
            "case.response-template.reset",
            actor=actor,
            target_type="response_template",
            target_id=f"{kind}/{outcome}",
        )
        db.session.commit()
