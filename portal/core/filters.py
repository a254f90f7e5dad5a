"""Template filters and globals: Vietnamese formats (dd/mm/yyyy, 1.234.567)."""

import hashlib
import os
from functools import lru_cache

from flask import current_app, request
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


@lru_cache(maxsize=256)
def _fingerprint(path: str, mtime_ns: int, size: int) -> str:
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()[:12]


def add_static_version(endpoint: str, values: dict) -> None:
    """Add ?v=<content hash> to static URLs, so browsers may cache them for a year.

    A slow phone then asks for the stylesheet once, not on every page; a changed file gets a
    new URL. The hash is recomputed only when the file's mtime or size changes.
    """
    if endpoint != "static" or "filename" not in values:
        return
    path = os.path.join(current_app.static_folder, values["filename"])
    try:
        stat = os.stat(path)
    except OSError:
        return
    values["v"] = _fingerprint(path, stat.st_mtime_ns, stat.st_size)


def init_app(app) -> None:
    app.url_defaults(add_static_version)
    app.add_template_filter(date_filter, "date")
    app.add_template_filter(datetime_filter, "datetime")
    app.add_template_filter(number_filter, "number")
    app.jinja_env.add_extension("jinja2.ext.do")
    app.context_processor(inject_globals)
