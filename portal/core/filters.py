"""Template filters and globals: Vietnamese formats (dd/mm/yyyy, 1.234.567)."""

from flask import request
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from sqlalchemy.exc import SQLAlchemyError

from portal.core import site
from portal.extensions import db


def date_filter(value) -> str:
    return format_date(value, "dd/MM/yyyy") if value else ""


def datetime_filter(value) -> str:
    return format_datetime(value, "dd/MM/yyyy HH:mm") if value else ""


def number_filter(value) -> str:
    return format_decimal(value) if value is not None else ""


def tel_filter(value: str) -> str:
    """Phone number for a tel: link: digits only, +84 for Vietnamese numbers."""
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    if value.strip().startswith("+"):
        return "+" + digits
    return "+84" + digits[1:] if digits.startswith("0") else digits


def _site_or_blank():
    # Error pages must render even when the database is the thing that failed.
    try:
        return site.load()
    except SQLAlchemyError:
        db.session.rollback()
        return site.Site({})


def inject_globals():
    return {
        "site": _site_or_blank(),
        "locale": str(get_locale()),
        "current_path": request.full_path.rstrip("?") if request else "/",
    }


def init_app(app) -> None:
    app.add_template_filter(date_filter, "date")
    app.add_template_filter(datetime_filter, "datetime")
    app.add_template_filter(number_filter, "number")
    app.add_template_filter(tel_filter, "tel")
    app.jinja_env.add_extension("jinja2.ext.do")
    app.context_processor(inject_globals)
