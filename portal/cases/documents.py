"""Printable documents the law expects for a case: acceptance notice (thông báo thụ lý),
refusal notice with its reasons (thông báo không thụ lý), transfer letter (phiếu chuyển đơn),
extension notice (thông báo gia hạn).

Each is an HTML page for print (templates/staff/cases/documents/, a print stylesheet, no
script) filled with the case's data. Printing is an export: it is audited.

The submitter's name and address follow identity.shown_to(): a confidential submitter (every
denouncer, and anyone who asked) is printed masked ("Người tố cáo — đã bảo mật"), and so is any
submitter for staff who only read the case. Someone allowed to reveal the identity
(identity.can_reveal: the assigned handler, the head) may print the document with the name and
address by a deliberate POST with a reason, which identity.reveal() audits first; the print
record then says it carried a revealed identity. Nothing of the identity is kept.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l

from portal.cases import identity
from portal.cases.identity import Identity
from portal.cases.models import Case, CaseExtension, CaseStatus, Kind
from portal.contacts.models import Unit
from portal.core import audit, site
from portal.core.workdays import local_date
from portal.extensions import db


@dataclass(frozen=True)
class Document:
    name: str  # in the URL
    title: object
    applies: Callable[[Case], bool]

    @property
    def template(self) -> str:
        return f"staff/cases/documents/{self.name.replace('-', '_')}.html"


def _was(case: Case, status: CaseStatus) -> bool:
    return case.status == status or any(e.to_status == status for e in case.events)


DOCUMENTS = {
    d.name: d
    for d in (
        Document(
            "acceptance-notice",
            _l("Acceptance notice"),
            lambda case: case.accepted_on is not None,
        ),
        Document(
            "refusal-notice",
            _l("Refusal notice"),
            lambda case: _was(case, CaseStatus.NOT_ACCEPTED),
        ),
        Document(
            "transfer-letter",
            _l("Transfer letter"),
            lambda case: _was(case, CaseStatus.TRANSFERRED) or bool(case.transferred_to),
        ),
        Document(
            "extension-notice",
            _l("Extension notice"),
            lambda case: bool(case.extensions),
        ),
    )
}


@dataclass(frozen=True)
class Available:
    name: str
    title: object
    extension: int | None = None  # the extension's ordinal, for extension notices


def available(case: Case) -> list[Available]:
    """The documents that can be printed for the case as it stands."""
    result = []
    for document in DOCUMENTS.values():
        if not document.applies(case):
            continue
        if document.name == "extension-notice":
            result.extend(
                Available(document.name, document.title, e.ordinal) for e in case.extensions
            )
        else:
            result.append(Available(document.name, document.title))
    return result


def document_for(case: Case, name: str) -> Document | None:
    """The document by its URL name, if it applies to the case."""
    document = DOCUMENTS.get(name)
    return document if document is not None and document.applies(case) else None


def extension_of(case: Case, ordinal: int | None) -> CaseExtension | None:
    """The extension with this ordinal, or the latest when none is given."""
    if not case.extensions:
        return None
    if ordinal is None:
        return case.extensions[-1]
    return next((e for e in case.extensions if e.ordinal == ordinal), None)


@dataclass(frozen=True)
class Addressee:
    name: str
    address: str
    masked: bool


def addressee(case: Case, user, *, revealed: Identity | None = None) -> Addressee:
    """Who the document is addressed to, as this staff member may see it (identity.shown_to):
    in clear for those who work a non-confidential case, masked for everyone else unless
    `revealed` (the result of an audited identity.reveal)."""
    if revealed is not None:
        return Addressee(name=revealed.name, address=revealed.address, masked=False)
    shown = identity.shown_to(user, case)
    if shown.state == identity.Shown.CLEAR and shown.identity is not None:
        return Addressee(name=shown.identity.name, address=shown.identity.address, masked=False)
    return Addressee(name=str(shown.label), address="", masked=True)


def refusal_reason(case: Case) -> tuple[str, str]:
    """(the legal reason's label, the explanation given with the refusal).

    The explanation is the note of the public "not accepted" event: the citizen's notice.
    """
    from portal.cases.handling_forms import REFUSAL_REASONS

    label = REFUSAL_REASONS.get(case.refusal_reason)
    refusals = [
        e for e in case.events if e.to_status == CaseStatus.NOT_ACCEPTED and e.public and e.note
    ]
    explanation = refusals[-1].note if refusals else ""
    return (str(label) if label is not None else ""), explanation


def context(
    case: Case, document: Document, user, *, revealed: Identity | None = None, extension=None
) -> dict:
    """What the document's template fills in."""
    unit = db.session.get(Unit, case.handling_unit_id) if case.handling_unit_id else None
    reason, explanation = refusal_reason(case) if document.name == "refusal-notice" else ("", "")
    return {
        "case": case,
        "document": document,
        "kind_label": Kind(case.kind).label,
        "agency": site.load(),
        "unit_name": unit.name if unit else "",
        "today": local_date(datetime.now(UTC)),
        "addressee": addressee(case, user, revealed=revealed),
        "reason": reason,
        "explanation": explanation,
        "extension": extension,
    }


def record_printed(
    case: Case, document: Document, actor, *, revealed: bool = False, extension=None
) -> None:
    """Audit the print (an export), saying whether it carried a revealed identity; commit.

    The reveal itself is audited, with its reason, by identity.reveal() before this.
    """
    detail = {"document": document.name, "revealed": revealed}
    if extension is not None:
        detail["extension"] = extension.ordinal
    audit.record(
        "case.document.printed",
        actor=actor,
        target_type="case",
        target_id=case.number,
        detail=detail,
    )
    db.session.commit()
