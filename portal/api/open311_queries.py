"""Reads for Open311: the public service requests and the contact line of the discovery file.

A case is a public service request only if its submitter consented to publication, it is not
and never was a denunciation (a denouncer is protected by law: not even that the case exists
is published), and nobody asked for confidentiality. What is read and shown is a closed list of
columns: the number, kind, topic, status, dates and handling unit, and, once a head published
it, the staff-written question and answer (answers/models.py). Never the identity, the place,
the title, the description or any other text the citizen wrote.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from portal.answers.models import AnswerStatus, PublishedAnswer
from portal.api.models import Open311Submission
from portal.api.open311_services import service_for
from portal.cases.models import Case, CaseStatus, Kind
from portal.contacts.models import Hotline, Unit
from portal.core import site
from portal.core.workdays import VIETNAM
from portal.extensions import db

# Workflow statuses a client sees as `closed`: the case has been answered or has ended.
CLOSED_STATUSES = tuple(
    str(status)
    for status in (
        CaseStatus.RESPONDED,
        CaseStatus.CLOSED,
        CaseStatus.NOT_ACCEPTED,
        CaseStatus.TRANSFERRED,
        CaseStatus.MERGED,
        CaseStatus.WITHDRAWN,
    )
)
OPEN, CLOSED = "open", "closed"
# A statutory deadline is a day: met until that day ends, so it is given as its last second.
DEADLINE_TIME = time(23, 59, 59)


@dataclass(frozen=True)
class RequestQuery:
    """What GET requests asked for, already checked (open311_params.py)."""

    ids: tuple[str, ...] = ()  # when given, every other filter is ignored (the spec)
    services: tuple[tuple[str, str], ...] = ()  # (kind, topic) pairs
    start: datetime | None = None
    end: datetime | None = None
    statuses: frozenset[str] = frozenset()
    page: int = 1
    page_size: int = 50


def _visible() -> list:
    return [
        Case.publish_consent.is_(True),
        Case.kind != str(Kind.DENUNCIATION),
        Case.submitted_kind != str(Kind.DENUNCIATION),
        Case.confidential.is_(False),
    ]


def _select(*, partner_id: int | None = None):
    """Requests as GET shows them: the public ones, and with `partner_id` that partner's own."""
    visible = db.and_(*_visible())
    if partner_id is not None:
        own = db.select(Open311Submission.case_id).where(Open311Submission.partner_id == partner_id)
        visible = db.or_(visible, Case.id.in_(own))
    answer = PublishedAnswer
    return (
        db.select(
            Case.number,
            Case.kind,
            Case.topic,
            Case.status,
            Case.received_at,
            Case.updated_at,
            Case.resolution_due_on,
            Case.acceptance_due_on,
            Unit.name.label("unit_name"),
            Unit.name_en.label("unit_name_en"),
            answer.question,
            answer.answer,
        )
        .outerjoin(Unit, Unit.id == Case.handling_unit_id)
        .outerjoin(
            answer, (answer.case_id == Case.id) & (answer.status == str(AnswerStatus.PUBLISHED))
        )
        .where(visible)
    )


def service_requests(query: RequestQuery) -> list:
    """The public requests matching the query, newest first, one page."""
    statement = _select()
    if query.ids:
        statement = statement.where(Case.number.in_(query.ids))
    else:
        if query.services:
            statement = statement.where(
                db.or_(*((Case.kind == k) & (Case.topic == t) for k, t in query.services))
            )
        if query.start is not None:
            statement = statement.where(Case.received_at >= query.start)
        if query.end is not None:
            statement = statement.where(Case.received_at <= query.end)
        if query.statuses == {OPEN}:
            statement = statement.where(Case.status.not_in(CLOSED_STATUSES))
        elif query.statuses == {CLOSED}:
            statement = statement.where(Case.status.in_(CLOSED_STATUSES))
        statement = statement.limit(query.page_size).offset((query.page - 1) * query.page_size)
    statement = statement.order_by(Case.received_at.desc(), Case.id.desc())
    return list(db.session.execute(statement))


def service_request(number: str, *, partner_id: int | None = None):
    """One request by its case number, or None: a public one, or one the partner sent."""
    return db.session.execute(_select(partner_id=partner_id).where(Case.number == number)).first()


def _w3(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(VIETNAM).isoformat(timespec="seconds")


def _deadline(day: date | None) -> str | None:
    return None if day is None else datetime.combine(day, DEADLINE_TIME, VIETNAM).isoformat()


def as_document(row, *, locale: str) -> dict:
    """One request as the specification lists its fields (location and media never given)."""
    service = service_for(row.kind, row.topic)
    unit = row.unit_name_en if locale == "en" and row.unit_name_en else row.unit_name
    return {
        "service_request_id": row.number,
        "status": CLOSED if row.status in CLOSED_STATUSES else OPEN,
        "status_notes": row.answer or "",
        "service_name": service.name if service else "",
        "service_code": service.code if service else f"{row.kind}-{row.topic}",
        "description": row.question or "",
        "agency_responsible": unit or "",
        "requested_datetime": _w3(row.received_at),
        "updated_datetime": _w3(row.updated_at),
        "expected_datetime": _deadline(row.resolution_due_on or row.acceptance_due_on),
    }


def contact_line(*, locale: str) -> str:
    """The agency, its e-mail and main hotline, for the discovery file's `contact`."""
    settings = site.load()
    phone = db.session.scalar(
        db.select(Hotline.phone_e164)
        .where(Hotline.published.is_(True), Hotline.phone_e164.is_not(None))
        .order_by(Hotline.is_main.desc(), Hotline.position, Hotline.id)
        .limit(1)
    )
    parts = [settings.name_for(locale), settings.email, phone or ""]
    return ", ".join(part for part in parts if part)


def agency_email() -> str:
    return site.load().email
