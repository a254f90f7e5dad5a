"""The HTTP side of /api/v1: the JSON envelope, errors, query-string parsing, pagination links,
ETag and CORS. Views in v1.py stay thin: parse with these helpers, read, serialise, answer.

Every bad query string is a 400 in one error format, never a 500: numbers are bounded before
they reach SQL (an OFFSET past a BIGINT fails on PostgreSQL), dates before date arithmetic
(9999-12-31 plus a day overflows), and a NUL character never reaches PostgreSQL (it refuses
one in a string literal).
"""

import json
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from flask import current_app, request, url_for
from werkzeug.exceptions import HTTPException

from portal.core.workdays import VIETNAM

JSON_MIME = "application/json"
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
MAX_PAGE = 100_000
MAX_AGE_SECONDS = 60
# Dates an API client may ask about: wide enough for any record, narrow enough for arithmetic.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2999, 12, 31)
CORS_METHODS = "GET, HEAD, OPTIONS"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Link",
}
PREFLIGHT_HEADERS = {
    "Access-Control-Allow-Methods": CORS_METHODS,
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match",
    "Access-Control-Max-Age": "86400",
}
ERROR_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    429: "too_many_requests",
    500: "server_error",
}
ERROR_MESSAGES = {
    400: "The request is not valid.",
    404: "No such resource.",
    405: "This method is not allowed here; the API is read-only.",
    429: "Too many requests.",
    500: "The server failed to answer.",
}


class ApiError(HTTPException):
    """An error answered in the API's format; `message` is stable English for programmers."""

    def __init__(self, status: int, message: str | None = None):
        super().__init__(description=message or ERROR_MESSAGES.get(status, ""))
        self.code = status


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def not_found(message: str = ERROR_MESSAGES[404]) -> ApiError:
    return ApiError(404, message)


# --- Responses ---------------------------------------------------------------------------


def json_response(payload: dict, status: int = 200, headers: dict | None = None):
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    response = current_app.response_class(body, status=status, mimetype=JSON_MIME)
    response.headers.update(headers or {})
    return response


def error_response(status: int, message: str | None = None, headers: dict | None = None):
    """{"error": {"status", "code", "message"}}: the one error shape of /api/v1."""
    return json_response(
        {
            "error": {
                "status": status,
                "code": ERROR_CODES.get(status, "error"),
                "message": message or ERROR_MESSAGES.get(status, ""),
            }
        },
        status,
        headers,
    )


def item_response(data: dict):
    return json_response({"data": data})


def add_cors_headers(response):
    response.headers.update(CORS_HEADERS)
    return response


def preflight_response():
    """The answer to a CORS preflight: any origin may GET, nothing else."""
    response = current_app.response_class(status=204)
    response.headers["Allow"] = CORS_METHODS
    response.headers.update(PREFLIGHT_HEADERS)
    return response


def make_cacheable(response):
    """A strong ETag from the body, 304 for a matching If-None-Match, a minute in caches."""
    if request.method not in ("GET", "HEAD") or response.status_code != 200:
        return response
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE_SECONDS}"
    response.add_etag()
    return response.make_conditional(request)


# --- Query strings -----------------------------------------------------------------------


def has_nul(values) -> bool:
    return any("\x00" in value for value in values if isinstance(value, str))


def int_arg(name: str, *, default: int | None, low: int, high: int) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        raise bad_request(f"'{name}' must be a whole number from {low} to {high}.")
    value = int(raw)
    if not low <= value <= high:
        raise bad_request(f"'{name}' must be a whole number from {low} to {high}.")
    return value


def choice_arg(name: str, choices) -> str | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    if raw not in choices:
        raise bad_request(f"'{name}' must be one of: {', '.join(choices)}.")
    return raw


def date_arg(name: str, *, default: date | None = None) -> date | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        value = None
    if value is None or not FIRST_DAY <= value <= LAST_DAY:
        raise bad_request(f"'{name}' must be a date as YYYY-MM-DD.")
    return value


def datetime_arg(name: str) -> datetime | None:
    """An ISO 8601 date or date and time; without an offset it is Vietnam's time. In UTC."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    message = f"'{name}' must be an ISO 8601 date or date-time, e.g. 2025-07-01T08:00:00+07:00."
    try:
        if len(raw) == 10:
            moment = datetime.combine(date.fromisoformat(raw), time(), VIETNAM)
        else:
            moment = datetime.fromisoformat(raw)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=VIETNAM)
        if not FIRST_DAY <= moment.date() <= LAST_DAY:
            raise ValueError(raw)
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise bad_request(message) from None


@dataclass(frozen=True)
class PageRequest:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def page_request() -> PageRequest:
    return PageRequest(
        page=int_arg("page", default=1, low=1, high=MAX_PAGE),
        per_page=int_arg("per_page", default=DEFAULT_PER_PAGE, low=1, high=MAX_PER_PAGE),
    )


def list_response(items: list, total: int, paging: PageRequest):
    """The list envelope: data, meta (page, per_page, total, pages) and links, plus `Link`."""
    pages = max(1, math.ceil(total / paging.per_page))
    # The filters in a fixed order, so a page has one address whatever order it was asked in.
    args = {k: v for k, v in sorted(request.args.items()) if k not in ("page", "per_page")}
    view_args = request.view_args or {}

    def link(page: int) -> str:
        return url_for(
            request.endpoint,
            _external=True,
            **view_args,
            **args,
            page=page,
            per_page=paging.per_page,
        )

    links = {
        "self": link(paging.page),
        "first": link(1),
        "last": link(pages),
        "next": link(paging.page + 1) if paging.page < pages else None,
        "prev": link(min(paging.page - 1, pages)) if paging.page > 1 else None,
    }
    header = ", ".join(
        f'<{links[rel]}>; rel="{rel}"' for rel in ("next", "prev", "first", "last") if links[rel]
    )
    return json_response(
        {
            "data": items,
            "meta": {
                "page": paging.page,
                "per_page": paging.per_page,
                "total": total,
                "pages": pages,
            },
            "links": links,
        },
        headers={"Link": header},
    )


def paginate_list(items: list, paging: PageRequest):
    """The list envelope for rows already in memory (a computed schedule, a short list)."""
    return list_response(items[paging.offset : paging.offset + paging.per_page], len(items), paging)


# --- Output values -----------------------------------------------------------------------


def moment(value: datetime | None) -> str | None:
    """ISO 8601 in Vietnam's time with its offset: 2025-07-01T08:00:00+07:00."""
    return value.astimezone(VIETNAM).isoformat(timespec="seconds") if value else None


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def local_moment(on: date, at: time) -> str:
    return datetime.combine(on, at, VIETNAM).isoformat(timespec="seconds")
