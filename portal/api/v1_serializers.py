"""Rows to JSON objects for /api/v1: only the fields the public pages show.

Ids are the rows' unguessable `public_id` (the slug where a row has none and its slug is kept
for life), never an integer key. Each item has `url`, the absolute address of its public page.
Both languages are given where the row has both (`name`, `name_en`): the output does not
depend on the reader's language cookie, so one ETag serves everyone.
Rich text (`*_html`) is stored cleaned by core.sanitize and is given as it is stored.
"""

from flask import url_for

from portal.api.v1_http import day, local_moment, moment
from portal.contacts.schedule import Session


def _hm(value) -> str | None:
    return f"{value:%H:%M}" if value else None


# --- Disclosures ---------------------------------------------------------------------------


def category_ref(category) -> dict:
    return {
        "id": category.slug,
        "name": category.name,
        "name_en": category.name_en,
        "url": url_for("disclosures.category", category_slug=category.slug, _external=True),
    }


def unit_ref(unit) -> dict | None:
    if unit is None or not unit.published:
        return None
    return {"id": unit.public_id, "slug": unit.slug, "name": unit.name, "name_en": unit.name_en}


def attachment(d, a) -> dict:
    f = a.stored_file
    return {
        "id": f.public_id,
        "title": a.title,
        "file_name": f.original_name,
        "format": f.kind,
        "content_type": f.content_type,
        "size": f.size,
        "url": url_for(
            "disclosures.attachment", slug=d.slug, file_public_id=f.public_id, _external=True
        ),
    }


def disclosure(d, *, approved_comments: int = 0) -> dict:
    consultation = None
    if d.is_consultation:
        consultation = {
            "comments_open_at": moment(d.comments_open_at),
            "comments_close_at": moment(d.comments_close_at),
            "comments_open": d.comments_open(),
            "approved_comments": approved_comments,
            "report_html": d.consultation_report_html or "",
            "report_published_at": moment(d.consultation_report_at),
        }
    return {
        "id": d.public_id,
        "slug": d.slug,
        "url": url_for("disclosures.detail", slug=d.slug, _external=True),
        "title": d.title,
        "summary": d.summary,
        "body_html": d.body_html,
        "status": d.status,
        "category": category_ref(d.category),
        "unit": unit_ref(d.unit),
        "document_type": d.document_type,
        "issuer": d.issuer,
        "number_symbol": d.number_symbol,
        "issued_on": day(d.issued_on),
        "effective_on": day(d.effective_on),
        "visible_until": day(d.visible_until),
        "disclosure_form": d.disclosure_form,
        "disclosure_place": d.disclosure_place,
        "papi_dimensions": d.papi_dimensions,
        "published_at": moment(d.publish_at),
        "updated_at": moment(d.updated_at),
        "revision_count": d.revision_count,
        "withdrawn_at": moment(d.withdrawn_at) if d.status == "withdrawn" else None,
        "withdrawal_reason": d.withdrawal_reason if d.status == "withdrawn" else "",
        "attachments": [attachment(d, a) for a in d.attachments],
        "consultation": consultation,
    }


def obligation(o) -> dict:
    c = o.category
    return {
        **category_ref(c),
        "description": c.description,
        "description_en": c.description_en,
        "legal_basis": c.legal_basis,
        "disclosure_form": c.disclosure_form,
        "disclosure_place": c.disclosure_place,
        "disclosure_time": c.disclosure_time,
        "disclosure_duration": c.disclosure_duration,
        "due_on": day(c.due_on),
        "overdue": o.overdue,
        "disclosure_count": o.count,
        "latest_published_at": moment(o.latest),
        "disclosures": url_for("api_v1.disclosures", category=c.slug, _external=True),
    }


# --- Procedures ----------------------------------------------------------------------------


def _component(p, c) -> dict:
    form = None
    if c.form_file is not None:
        form = {
            "id": c.form_file.public_id,
            "file_name": c.form_file.original_name,
            "format": c.form_file.kind,
            "size": c.form_file.size,
            "url": url_for(
                "procedures.form_file", slug=p.slug, public_id=c.form_file.public_id, _external=True
            ),
        }
    return {
        "name": c.name,
        "originals": c.originals,
        "copies": c.copies,
        "form_file": form,
        "form_url": c.form_url or None,
    }


def procedure(p) -> dict:
    return {
        "id": p.slug,
        "code": p.code,
        "url": url_for("procedures.detail", slug=p.slug, _external=True),
        "name": p.name,
        "decision_number": p.decision_number,
        "level": p.level,
        "field": {"id": p.field.slug, "name": p.field.name, "name_en": p.field.name_en},
        "applicants": p.applicants,
        "implementing_body": p.implementing_body,
        "result": p.result,
        "steps_html": p.steps_html,
        "conditions_html": p.conditions_html,
        "legal_basis_html": p.legal_basis_html,
        "online_level": p.online_level,
        "online_url": p.online_url or None,
        "channels": [
            {
                "channel": ch.channel,
                "processing_time": ch.processing_time,
                "fee": ch.fee,
                "note": ch.note,
            }
            for ch in p.channels
        ],
        "components": [_component(p, c) for c in p.components],
        "updated_at": moment(p.updated_at),
    }


# --- Contacts ------------------------------------------------------------------------------


def hotline(h) -> dict:
    return {
        "id": h.public_id,
        "url": url_for("contacts.hotlines", _external=True),
        "label": h.label,
        "label_en": h.label_en,
        "purpose": h.purpose,
        "purpose_en": h.purpose_en,
        "phone": h.phone_e164,
        "email": h.email,
        "hours": h.hours,
        "hours_en": h.hours_en,
        "is_main": h.is_main,
        "is_harassment_report_line": h.is_harassment,
        "updated_at": moment(h.updated_at),
    }


def unit(u) -> dict:
    return {
        "id": u.public_id,
        "slug": u.slug,
        "url": url_for("contacts.organisation", _external=True, _anchor=f"don-vi-{u.slug}"),
        "name": u.name,
        "name_en": u.name_en,
        "functions_html": u.functions_html,
        "functions_en_html": u.functions_en_html,
        "head_name": u.head_name,
        "head_title": u.head_title,
        "head_title_en": u.head_title_en,
        "phone": u.phone_e164,
        "email": u.email,
        "handles_cases": u.handles_cases,
        "updated_at": moment(u.updated_at),
    }


def reception_session(s: Session) -> dict:
    return {
        "id": s.uid,
        "url": url_for("contacts.reception", _external=True),
        "date": day(s.day),
        "starts_at": local_moment(s.day, s.starts_at),
        "ends_at": local_moment(s.day, s.ends_at),
        "host": s.host,
        "host_en": s.host_en,
        "place": s.place,
        "note": s.note,
        "cancelled": s.cancelled,
        "moved_from": day(s.moved_from),
        "recurring": s.from_rule,
    }


def reception_office(office, rules, documents) -> dict:
    hours = []
    if office is not None:
        hours.append(
            {"starts_at": _hm(office.morning_starts_at), "ends_at": _hm(office.morning_ends_at)}
        )
        if office.afternoon_starts_at and office.afternoon_ends_at:
            hours.append(
                {
                    "starts_at": _hm(office.afternoon_starts_at),
                    "ends_at": _hm(office.afternoon_ends_at),
                }
            )
    return {
        "url": url_for("contacts.reception", _external=True),
        "place": office.place if office else None,
        "place_en": office.place_en if office else None,
        "working_day_hours": hours,
        "note": office.note if office else "",
        "note_en": office.note_en if office else "",
        "updated_at": moment(office.updated_at) if office else None,
        "head_reception_rules": [
            {
                "id": r.public_id,
                "day_of_month": r.day_of_month,
                "shift": r.shift,
                "host": r.host,
                "host_en": r.host_en,
                "place": r.place,
                "starts_at": _hm(r.starts_at),
                "ends_at": _hm(r.ends_at),
                "valid_from": day(r.valid_from),
                "valid_until": day(r.valid_until),
            }
            for r in rules
        ],
        "documents": [
            {
                "id": d.public_id,
                "kind": d.kind,
                "title": d.title,
                "title_en": d.title_en,
                "summary_html": d.summary_html,
                "issued_on": day(d.issued_on),
                "format": d.stored_file.kind,
                "size": d.stored_file.size,
                "url": url_for(
                    "contacts.reception_document", public_id=d.public_id, _external=True
                ),
            }
            for d in documents
            if d.stored_file is not None
        ],
        "sessions": url_for("api_v1.reception_sessions", _external=True),
    }
