"""The query string of GET requests, checked: anything the API cannot honour is a 400.

The specification's rules: optional arguments sent empty count as not sent; `service_code`
and `status` may be repeated or comma delimited; `service_request_id` (comma delimited)
overrides every other argument; dates are W3C ISO 8601 with their timezone, and a search may
not span more than 90 days, the most recent 90 days when no date is given. `page` and
`page_size` are the common extension (wiki.open311.org/GeoReport_v2/Extensions).
"""

import re
from datetime import UTC, date, datetime, time, timedelta

from flask import request

from portal.api.open311_format import Open311Error
from portal.api.open311_queries import CLOSED, OPEN, RequestQuery
from portal.api.open311_services import BY_CODE
from portal.core.workdays import VIETNAM

WINDOW = timedelta(days=90)
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 10_000  # 2 million requests deep: past that, narrow the dates
MAX_IDS = MAX_PAGE_SIZE
ID_MAX_LENGTH = 40
LOCALES = ("vi", "en")

_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"\d{1,9}")


def _bad(description: str) -> Open311Error:
    return Open311Error(400, description)


def _values(name: str) -> list[str]:
    """Every value of a repeatable, comma-delimited argument, blanks dropped."""
    found = []
    for raw in request.args.getlist(name):
        found.extend(part.strip() for part in raw.split(","))
    return [value for value in found if value]


def _one(name: str) -> str | None:
    value = request.args.get(name, "").strip()
    return value or None


def parse_datetime(name: str, value: str, *, end: bool = False) -> datetime:
    """A W3C date-time with its timezone, or a date (a day in Vietnam: its start, or its end)."""
    try:
        if _DATE_ONLY.fullmatch(value):
            day = date.fromisoformat(value)
            moment = datetime.combine(day, time.max if end else time.min, VIETNAM)
        elif len(value) > 40 or "T" not in value.upper():
            raise ValueError(value)
        else:
            moment = datetime.fromisoformat(value)
            if moment.tzinfo is None:
                raise _bad(f"{name} must include a timezone (Z or an offset like +07:00)")
        return moment.astimezone(UTC)
    except (ValueError, OverflowError):
        raise _bad(
            f"{name} is not a W3C ISO 8601 date-time, e.g. 2026-01-01T00:00:00+07:00"
        ) from None


def _window(now: datetime) -> tuple[datetime, datetime]:
    start_text, end_text = _one("start_date"), _one("end_date")
    start = parse_datetime("start_date", start_text) if start_text else None
    end = parse_datetime("end_date", end_text, end=True) if end_text else None
    try:
        if start is None and end is None:
            return now - WINDOW, now
        if start is None:
            return end - WINDOW, end
        if end is None:
            return start, start + WINDOW
    except OverflowError:
        raise _bad("start_date or end_date is out of range") from None
    if start > end:
        raise _bad("start_date must not be after end_date")
    if end - start > WINDOW:
        raise _bad("start_date and end_date may not span more than 90 days")
    return start, end


def _number(name: str, default: int, largest: int) -> int:
    value = _one(name)
    if value is None:
        return default
    if not _NUMBER.fullmatch(value) or not 1 <= int(value) <= largest:
        raise _bad(f"{name} must be a whole number from 1 to {largest}")
    return int(value)


def request_query(*, now: datetime | None = None) -> RequestQuery:
    """Check GET requests' arguments; raise Open311Error(400) on the first one that is wrong."""
    ids = tuple(dict.fromkeys(_values("service_request_id")))
    if ids:
        if len(ids) > MAX_IDS:
            raise _bad(f"at most {MAX_IDS} service_request_id values at once")
        if any(len(i) > ID_MAX_LENGTH for i in ids):
            raise _bad("service_request_id is not a case number")
        return RequestQuery(ids=ids, page_size=len(ids))
    codes = _values("service_code")
    unknown = [code for code in codes if code not in BY_CODE]
    if unknown:
        raise _bad("service_code is not one of the codes GET services lists")
    statuses = frozenset(_values("status"))
    if not statuses <= {OPEN, CLOSED}:
        raise _bad("status must be open or closed")
    start, end = _window(now or datetime.now(UTC))
    return RequestQuery(
        services=tuple((BY_CODE[c].kind.value, BY_CODE[c].topic.value) for c in codes),
        start=start,
        end=end,
        statuses=statuses,
        page=_number("page", 1, MAX_PAGE),
        page_size=_number("page_size", PAGE_SIZE, MAX_PAGE_SIZE),
    )


def locale() -> str:
    """Vietnamese unless `locale=en` or the client's Accept-Language prefers English."""
    chosen = _one("locale")
    if chosen is not None:
        if chosen not in LOCALES:
            raise _bad("locale must be vi or en")
        return chosen
    return request.accept_languages.best_match(LOCALES) or LOCALES[0]
