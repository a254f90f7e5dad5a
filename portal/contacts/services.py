"""Writes for hotlines, units, citizen reception and the working-day calendar.

Each function is one unit of work: change rows, append the audit record, commit. Rich text goes
through core.sanitize.clean_html on the way in; nothing here trusts what a form carried.
"""

import html
import re
from dataclasses import dataclass
from datetime import date, time

from portal.contacts import queries
from portal.contacts.models import (
    Hotline,
    ReceptionDocument,
    ReceptionOffice,
    ReceptionRule,
    ReceptionSession,
    Unit,
)
from portal.core import audit, workdays
from portal.core.sanitize import clean_html
from portal.core.text import slugify
from portal.core.uploads import store_upload
from portal.core.workdays import CalendarException
from portal.extensions import db

_TAG = re.compile(r"<[a-zA-Z/!]")


def rich_text(value: str | None) -> str:
    """Clean staff rich text; plain text becomes paragraphs (blank lines) and line breaks."""
    value = (value or "").strip()
    if not value:
        return ""
    if not _TAG.search(value):
        paragraphs = re.split(r"\n\s*\n", value.replace("\r\n", "\n"))
        value = "".join(
            "<p>" + "<br>".join(html.escape(line) for line in p.strip().split("\n")) + "</p>"
            for p in paragraphs
            if p.strip()
        )
    return clean_html(value)


def _changes(obj, values: dict) -> list[str]:
    """Set the values on obj; return the names of the fields that changed."""
    changed = []
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed.append(key)
    return changed


# --- Hotlines ------------------------------------------------------------------------------


@dataclass(frozen=True)
class HotlineData:
    label: str
    label_en: str
    purpose: str
    purpose_en: str
    phone_e164: str | None
    email: str | None
    hours: str
    hours_en: str
    is_harassment: bool
    is_main: bool
    position: int
    published: bool


def _only_one_main(hotline: Hotline) -> None:
    # The header shows one number: choosing a new main line demotes the old one.
    if hotline.is_main:
        db.session.execute(
            db.update(Hotline)
            .where(Hotline.id != hotline.id, Hotline.is_main.is_(True))
            .values(is_main=False)
        )


def create_hotline(data: HotlineData, *, actor) -> Hotline:
    """Add a hotline; audit; commit."""
    hotline = Hotline(**vars(data))
    db.session.add(hotline)
    db.session.flush()
    _only_one_main(hotline)
    audit.record(
        "hotline.created",
        actor=actor,
        target_type="hotline",
        target_id=hotline.public_id,
        detail={"published": data.published},
    )
    db.session.commit()
    queries.forget_hotlines()
    return hotline


def update_hotline(hotline: Hotline, data: HotlineData, *, actor) -> list[str]:
    """Change a hotline (publishing or unpublishing included); audit what changed; commit."""
    changed = _changes(hotline, vars(data))
    if not changed:
        return []
    db.session.flush()
    _only_one_main(hotline)
    action = "hotline.updated"
    if changed == ["published"]:
        action = "hotline.published" if hotline.published else "hotline.unpublished"
    audit.record(
        action,
        actor=actor,
        target_type="hotline",
        target_id=hotline.public_id,
        detail={"fields": changed},
    )
    db.session.commit()
    queries.forget_hotlines()
    return changed


def delete_hotline(hotline: Hotline, *, actor) -> None:
    """Remove a hotline for good; the audit log keeps what it was; commit."""
    audit.record(
        "hotline.deleted",
        actor=actor,
        target_type="hotline",
        target_id=hotline.public_id,
        detail={"label": hotline.label, "phone": hotline.phone_e164, "email": hotline.email},
    )
    db.session.delete(hotline)
    db.session.commit()
    queries.forget_hotlines()


# --- Units ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitData:
    name: str
    name_en: str
    functions: str  # as typed; cleaned into functions_html
    functions_en: str
    head_name: str
    head_title: str
    head_title_en: str
    phone_e164: str | None
    email: str | None
    handles_cases: bool
    position: int
    published: bool

    def columns(self) -> dict:
        values = vars(self).copy()
        values["functions_html"] = rich_text(values.pop("functions"))
        values["functions_en_html"] = rich_text(values.pop("functions_en"))
        return values


def _unique_slug(name: str) -> str:
    base = slugify(name, max_length=100) or "don-vi"
    slug, n = base, 2
    while queries.slug_taken(slug):
        slug = f"{base}-{n}"
        n += 1
    return slug


def create_unit(data: UnitData, *, actor) -> Unit:
    """Add a unit with a slug made from its name (kept when renamed: links stay); commit."""
    unit = Unit(slug=_unique_slug(data.name), **data.columns())
    db.session.add(unit)
    db.session.flush()
    audit.record(
        "unit.created",
        actor=actor,
        target_type="unit",
        target_id=unit.public_id,
        detail={"name": unit.name, "published": unit.published},
    )
    db.session.commit()
    return unit


def update_unit(unit: Unit, data: UnitData, *, actor) -> list[str]:
    """Change a unit (unpublishing included; units are never deleted: records refer to them)."""
    changed = _changes(unit, data.columns())
    if not changed:
        return []
    action = "unit.updated"
    if changed == ["published"]:
        action = "unit.published" if unit.published else "unit.unpublished"
    audit.record(
        action,
        actor=actor,
        target_type="unit",
        target_id=unit.public_id,
        detail={"fields": changed},
    )
    db.session.commit()
    return changed


# --- Reception: place and hours, rules, sessions, documents ---------------------------------


@dataclass(frozen=True)
class OfficeData:
    place: str
    place_en: str
    morning_starts_at: time
    morning_ends_at: time
    afternoon_starts_at: time | None
    afternoon_ends_at: time | None
    note: str
    note_en: str


def save_reception_office(data: OfficeData, *, actor) -> list[str]:
    """Set the regular reception place and hours (one row); audit; commit."""
    office = queries.reception_office()
    if office is None:
        office = ReceptionOffice(**vars(data))
        db.session.add(office)
        changed = list(vars(data))
    else:
        changed = _changes(office, vars(data))
    if not changed:
        return []
    audit.record(
        "reception.office-updated",
        actor=actor,
        target_type="reception_office",
        detail={"fields": changed},
    )
    db.session.commit()
    return changed


@dataclass(frozen=True)
class RuleData:
    day_of_month: int
    shift: str
    host: str
    host_en: str
    place: str
    starts_at: time
    ends_at: time
    valid_from: date
    valid_until: date | None
    active: bool


def _rule_detail(rule: ReceptionRule) -> dict:
    return {"day_of_month": rule.day_of_month, "shift": rule.shift, "active": rule.active}


def create_rule(data: RuleData, *, actor) -> ReceptionRule:
    """Add a recurring reception rule; audit; commit."""
    rule = ReceptionRule(**vars(data))
    db.session.add(rule)
    db.session.flush()
    audit.record(
        "reception.rule-created",
        actor=actor,
        target_type="reception_rule",
        target_id=rule.public_id,
        detail=_rule_detail(rule),
    )
    db.session.commit()
    return rule


def update_rule(rule: ReceptionRule, data: RuleData, *, actor) -> list[str]:
    changed = _changes(rule, vars(data))
    if not changed:
        return []
    audit.record(
        "reception.rule-updated",
        actor=actor,
        target_type="reception_rule",
        target_id=rule.public_id,
        detail={"fields": changed, **_rule_detail(rule)},
    )
    db.session.commit()
    return changed


def delete_rule(rule: ReceptionRule, *, actor) -> None:
    audit.record(
        "reception.rule-deleted",
        actor=actor,
        target_type="reception_rule",
        target_id=rule.public_id,
        detail=_rule_detail(rule),
    )
    db.session.delete(rule)
    db.session.commit()


@dataclass(frozen=True)
class SessionData:
    day: date
    starts_at: time
    ends_at: time
    host: str
    host_en: str
    place: str
    note: str
    replaces_rule_day: date | None
    cancelled: bool


def _session_detail(row: ReceptionSession) -> dict:
    return {
        "day": row.day.isoformat(),
        "replaces_rule_day": row.replaces_rule_day and row.replaces_rule_day.isoformat(),
        "cancelled": row.cancelled,
    }


def create_session(data: SessionData, *, actor) -> ReceptionSession:
    """Add a one-off session, or a change (move, cancellation) to a regular one; commit."""
    row = ReceptionSession(**vars(data))
    db.session.add(row)
    db.session.flush()
    audit.record(
        "reception.session-created",
        actor=actor,
        target_type="reception_session",
        target_id=row.public_id,
        detail=_session_detail(row),
    )
    db.session.commit()
    return row


def update_session(row: ReceptionSession, data: SessionData, *, actor) -> list[str]:
    changed = _changes(row, vars(data))
    if not changed:
        return []
    audit.record(
        "reception.session-updated",
        actor=actor,
        target_type="reception_session",
        target_id=row.public_id,
        detail={"fields": changed, **_session_detail(row)},
    )
    db.session.commit()
    return changed


def delete_session(row: ReceptionSession, *, actor) -> None:
    """Remove a one-off session or a change (the regular session comes back); commit."""
    audit.record(
        "reception.session-deleted",
        actor=actor,
        target_type="reception_session",
        target_id=row.public_id,
        detail=_session_detail(row),
    )
    db.session.delete(row)
    db.session.commit()


@dataclass(frozen=True)
class DocumentData:
    kind: str
    title: str
    title_en: str
    summary: str  # as typed; cleaned into summary_html
    issued_on: date | None
    position: int

    def columns(self) -> dict:
        values = vars(self).copy()
        values["summary_html"] = rich_text(values.pop("summary"))
        return values


def create_document(data: DocumentData, upload, *, actor) -> ReceptionDocument:
    """Check and store the file, then add the document; commit. Raises UploadRefused before
    anything is added, so a refused file leaves nothing behind."""
    stored = store_upload(upload)
    document = ReceptionDocument(stored_file=stored, **data.columns())
    db.session.add(document)
    db.session.flush()
    audit.record(
        "reception.document-created",
        actor=actor,
        target_type="reception_document",
        target_id=document.public_id,
        detail={"kind": document.kind, "file": stored.public_id, "sha256": stored.sha256},
    )
    db.session.commit()
    return document


def update_document(document: ReceptionDocument, data: DocumentData, upload=None, *, actor):
    """Change a document's details and, when a file is given, replace its file; commit."""
    stored = store_upload(upload) if upload is not None else None
    changed = _changes(document, data.columns())
    detail: dict = {"fields": changed}
    if stored is not None:
        document.stored_file = stored
        changed.append("file")
        detail.update(file=stored.public_id, sha256=stored.sha256)
    if not changed:
        return []
    audit.record(
        "reception.document-updated",
        actor=actor,
        target_type="reception_document",
        target_id=document.public_id,
        detail=detail,
    )
    db.session.commit()
    return changed


def delete_document(document: ReceptionDocument, *, actor) -> None:
    """Take a document off the portal; the stored file stays, the audit log names it; commit."""
    audit.record(
        "reception.document-deleted",
        actor=actor,
        target_type="reception_document",
        target_id=document.public_id,
        detail={
            "title": document.title,
            "file": document.stored_file.public_id if document.stored_file else None,
        },
    )
    db.session.delete(document)
    db.session.commit()


# --- Working-day calendar (administrators) -------------------------------------------------


def set_calendar_day(day: date, kind: str, note: str, *, actor) -> CalendarException:
    """Declare a day off or a make-up working day (replacing what that date had); commit."""
    row = queries.calendar_exception(day)
    before = row.kind if row else None
    if row is None:
        row = CalendarException(day=day, kind=kind, note=note)
        db.session.add(row)
    else:
        row.kind, row.note = kind, note
    audit.record(
        "calendar.day-set",
        actor=actor,
        target_type="calendar_day",
        target_id=day.isoformat(),
        detail={"kind": kind, "before": before},
    )
    db.session.commit()
    workdays.forget_exceptions()
    return row


def remove_calendar_day(row: CalendarException, *, actor) -> None:
    """Return a date to the standard calendar; commit."""
    audit.record(
        "calendar.day-removed",
        actor=actor,
        target_type="calendar_day",
        target_id=row.day.isoformat(),
        detail={"kind": row.kind},
    )
    db.session.delete(row)
    db.session.commit()
    workdays.forget_exceptions()
