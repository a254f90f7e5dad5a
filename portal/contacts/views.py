"""Public pages of the contacts domain: hotlines, organisation, citizen reception.

Also what every page needs from this domain: the main hotline for the header and the
harassment-report lines for the footer (a context processor, one query per request), the
`phone` filter and `localised` / `next_reception_sessions` for templates.
"""

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_babel import format_date, format_decimal, get_locale
from flask_babel import gettext as _
from sqlalchemy.exc import SQLAlchemyError

from portal.contacts import ical, queries, schedule
from portal.contacts.phones import format_phone
from portal.core.cache import public_page
from portal.core.uploads import send_stored_file
from portal.extensions import db

bp = Blueprint("contacts", __name__)


def _is_english() -> bool:
    return str(get_locale()) == "en"


def localised(obj, field: str) -> tuple[str, str | None]:
    """Return (text, lang): the English column on English pages when it is filled, else the
    Vietnamese one, with lang="vi" to mark it when the page is in English."""
    if _is_english():
        english = getattr(obj, f"{field}_en", "") or ""
        if english:
            return english, None
        return getattr(obj, field) or "", "vi"
    return getattr(obj, field) or "", None


def localised_html(obj, field: str) -> tuple[str, str | None]:
    """The same for rich-text columns: name_html / name_en_html."""
    base = field.removesuffix("_html")
    if _is_english():
        english = getattr(obj, f"{base}_en_html", "") or ""
        if english:
            return english, None
        return getattr(obj, field) or "", "vi"
    return getattr(obj, field) or "", None


@bp.app_context_processor
def inject_hotlines():
    """Give every template the main hotline and the harassment-report lines."""
    try:
        lines = queries.published_hotlines()
    except SQLAlchemyError:
        # Error pages must render even when the database is the thing that failed.
        db.session.rollback()
        lines = []
    return {
        "main_hotline": next((h for h in lines if h.is_main), None),
        "harassment_lines": [h for h in lines if h.is_harassment],
    }


@bp.app_template_filter("phone")
def phone_filter(e164: str | None) -> str:
    return format_phone(e164)


@bp.app_template_filter("hm")
def hours_minutes_filter(value) -> str:
    """7:30, 13:30: times as Vietnamese notices write them (24-hour, no leading zero)."""
    return f"{value.hour}:{value.minute:02d}" if value else ""


@bp.app_template_filter("weekday")
def weekday_filter(value) -> str:
    return format_date(value, "EEEE") if value else ""


@bp.app_template_filter("filesize")
def filesize_filter(size: int) -> str:
    if size < 1024 * 1024:
        return f"{format_decimal(max(1, round(size / 1024)))} KB"
    return f"{format_decimal(round(size / (1024 * 1024), 1))} MB"


bp.add_app_template_global(localised, "localised")
bp.add_app_template_global(localised_html, "localised_html")


@bp.app_template_global()
def next_reception_sessions(limit: int = 3):
    """The next sessions of the head's reception, cancelled ones left out (home page)."""
    return schedule.upcoming_sessions(
        schedule.today_in_vietnam(), limit=limit, include_cancelled=False
    )


@bp.route("/duong-day-nong")
@public_page
def hotlines():
    return render_template("contacts/hotlines.html", hotlines=queries.published_hotlines())


@bp.route("/co-cau-to-chuc")
@public_page
def organisation():
    return render_template("contacts/organisation.html", units=queries.published_units())


@bp.route("/tiep-cong-dan")
@public_page
def reception():
    today = schedule.today_in_vietnam()
    return render_template(
        "contacts/reception.html",
        office=queries.reception_office(),
        rules=queries.active_rules(),
        sessions=schedule.upcoming_sessions(today, limit=12),
        documents=[d for d in queries.reception_documents() if d.stored_file],
        handling_units=[u for u in queries.published_units() if u.handles_cases],
    )


def session_summary(session: schedule.Session) -> str:
    host = session.host_en if _is_english() and session.host_en else session.host
    if session.cancelled:
        return _("Cancelled: citizen reception by %(host)s", host=host)
    return _("Citizen reception by %(host)s", host=host)


@bp.route("/tiep-cong-dan/lich.ics")
@public_page
def reception_calendar():
    """The head's reception days as an iCalendar feed a phone's calendar can subscribe to."""
    text = ical.calendar_text(
        schedule.feed_sessions(schedule.today_in_vietnam()),
        name=_("Citizen reception schedule"),
        domain=request.host.split(":")[0] or "portal",
        summary_for=session_summary,
        url=url_for("contacts.reception", _external=True),
    )
    response = Response(text, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = 'inline; filename="tiep-cong-dan.ics"'
    return response


@bp.route("/tiep-cong-dan/tai-lieu/<string:public_id>")
def reception_document(public_id: str):
    """Download a reception rules or regulations document: every one of them is public."""
    document = queries.document_by_public_id(public_id)
    if document is None or document.stored_file is None:
        abort(404)
    try:
        return send_stored_file(document.stored_file)
    except FileNotFoundError:
        current_app.logger.error("reception document %s: stored file missing", public_id)
        abort(404)
