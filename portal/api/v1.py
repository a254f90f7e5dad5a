"""Read-only open data at /api/v1: disclosures, procedures, contacts, the reception schedule and
the public statistics, as JSON.

Every answer is JSON, errors included ({"error": {"status", "code", "message"}}): an unknown
address under /api/v1 and a method other than GET, HEAD or OPTIONS are answered here too (the
catch-all route at the end), never by the site's HTML error pages. Lists are paginated
(`page`, `per_page` up to 200) with links in the body and a `Link` header. Every 200 carries a
strong ETag and honours If-None-Match; any origin may read (CORS), nothing may be written.
"""

from datetime import timedelta

from flask import Blueprint, current_app, redirect, request, url_for
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from portal.api import v1_http as http
from portal.api import v1_queries as queries
from portal.api import v1_serializers as serialize
from portal.api import v1_statistics as scorecard_data
from portal.contacts import queries as contact_queries
from portal.contacts import schedule
from portal.core.cache import public_page
from portal.extensions import csrf, db
from portal.procedures.models import Level, OnlineLevel
from portal.reports import stats

bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")
# Nothing here writes or reads a session: a POST only ever gets the API's 405, not the site's
# CSRF page.
csrf.exempt(bp)

# The longest run of days /reception/sessions lists at once (the public schedule's horizon).
MAX_SESSION_DAYS = schedule.HORIZON_DAYS
ONLINE_FILTERS = {
    "none": (OnlineLevel.NONE,),
    "partial": (OnlineLevel.PARTIAL,),
    "full": (OnlineLevel.FULL,),
    "any": (OnlineLevel.PARTIAL, OnlineLevel.FULL),
}
ALL_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
UNKNOWN_ENDPOINT = "api_v1.unknown"


# --- Hooks: input guard, preflight, CORS, ETag, errors -------------------------------------


@bp.before_request
def guard_and_preflight():
    if request.endpoint == UNKNOWN_ENDPOINT:
        return None
    if http.has_nul(request.args.values()) or http.has_nul((request.view_args or {}).values()):
        raise http.bad_request("The query string or address holds a NUL character.")
    if request.method == "OPTIONS":
        return http.preflight_response()
    return None


@bp.after_request
def cors_and_etag(response):
    http.add_cors_headers(response)
    return http.make_cacheable(response)


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    status = error.code if error.code in http.ERROR_CODES else 500
    message = error.description if isinstance(error, http.ApiError) else None
    headers = {}
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    return http.error_response(status, message, headers)


@bp.errorhandler(Exception)
def unexpected_error(error: Exception):
    # Log the exception class and where, never what was asked for.
    db.session.rollback()
    current_app.logger.error(
        "unhandled %s on %s %s", type(error).__name__, request.method, request.path, exc_info=error
    )
    return http.error_response(500)


# --- Index ---------------------------------------------------------------------------------


@bp.route("/")
@public_page
def index():
    """Where each resource is, for a client starting from the root."""
    endpoints = (
        "disclosures",
        "disclosure_categories",
        "procedures",
        "hotlines",
        "units",
        "reception",
        "reception_sessions",
        "statistics",
    )
    return http.item_response(
        {name: url_for(f"api_v1.{name}", _external=True) for name in endpoints}
    )


# --- Disclosures ---------------------------------------------------------------------------


def _disclosure_filters() -> queries.DisclosureFilters:
    category = unit = None
    if request.args.get("category"):
        category = queries.active_category(request.args["category"])
        if category is None:
            raise http.bad_request("'category' is not the id of a category.")
    if request.args.get("unit"):
        unit = queries.published_unit(request.args["unit"])
        if unit is None:
            raise http.bad_request("'unit' is not the id of a unit.")
    return queries.DisclosureFilters(
        category=category,
        unit=unit,
        year=http.int_arg("year", default=None, low=1900, high=2999),
        updated_since=http.datetime_arg("updated_since"),
    )


@bp.route("/disclosures")
@public_page
def disclosures():
    paging = http.page_request()
    found = queries.disclosures(_disclosure_filters(), offset=paging.offset, limit=paging.per_page)
    counts = queries.approved_comment_counts(found.items)
    items = [serialize.disclosure(d, approved_comments=counts.get(d.id, 0)) for d in found.items]
    return http.list_response(items, found.total, paging)


@bp.route("/disclosures/<string:public_id>")
@public_page
def disclosure(public_id: str):
    found = queries.public_disclosure(public_id)
    if found is None:
        raise http.not_found("No public disclosure has this id.")
    counts = queries.approved_comment_counts([found])
    return http.item_response(
        serialize.disclosure(found, approved_comments=counts.get(found.id, 0))
    )


@bp.route("/disclosure-categories")
@public_page
def disclosure_categories():
    paging = http.page_request()
    return http.paginate_list([serialize.obligation(o) for o in queries.obligations()], paging)


# --- Procedures ----------------------------------------------------------------------------


def _procedure_filters() -> queries.ProcedureFilters:
    field = None
    if request.args.get("field"):
        field = queries.procedure_field(request.args["field"])
        if field is None:
            raise http.bad_request("'field' is not the id of a field.")
    online = http.choice_arg("online", tuple(ONLINE_FILTERS))
    return queries.ProcedureFilters(
        field=field,
        level=http.choice_arg("level", tuple(str(level) for level in Level)),
        online_levels=ONLINE_FILTERS[online] if online else (),
        updated_since=http.datetime_arg("updated_since"),
    )


@bp.route("/procedures")
@public_page
def procedures():
    paging = http.page_request()
    found = queries.procedures(_procedure_filters(), offset=paging.offset, limit=paging.per_page)
    return http.list_response([serialize.procedure(p) for p in found.items], found.total, paging)


@bp.route("/procedures/<string:slug>")
@public_page
def procedure(slug: str):
    found = queries.published_procedure(slug)
    if found is None:
        raise http.not_found("No published procedure has this id.")
    return http.item_response(serialize.procedure(found))


# --- Contacts and reception ----------------------------------------------------------------


@bp.route("/hotlines")
@public_page
def hotlines():
    paging = http.page_request()
    found = queries.hotlines(offset=paging.offset, limit=paging.per_page)
    return http.list_response([serialize.hotline(h) for h in found.items], found.total, paging)


@bp.route("/units")
@public_page
def units():
    paging = http.page_request()
    found = queries.units(offset=paging.offset, limit=paging.per_page)
    return http.list_response([serialize.unit(u) for u in found.items], found.total, paging)


@bp.route("/reception")
@public_page
def reception():
    documents = contact_queries.reception_documents()
    return http.item_response(
        serialize.reception_office(
            contact_queries.reception_office(), contact_queries.active_rules(), documents
        )
    )


@bp.route("/reception/sessions")
@public_page
def reception_sessions():
    paging = http.page_request()
    start = http.date_arg("from", default=schedule.today_in_vietnam())
    end = http.date_arg("to", default=start + timedelta(days=MAX_SESSION_DAYS - 1))
    if end < start:
        raise http.bad_request("'to' must not be before 'from'.")
    if (end - start).days >= MAX_SESSION_DAYS:
        raise http.bad_request(f"'from' to 'to' may span at most {MAX_SESSION_DAYS} days.")
    sessions = schedule.sessions_between(start, end)
    return http.paginate_list([serialize.reception_session(s) for s in sessions], paging)


# --- Statistics ----------------------------------------------------------------------------


@bp.route("/statistics")
@public_page(version=stats.data_version)
def statistics():
    period = scorecard_data.parse_period(request.args.get("period"))
    return http.item_response(scorecard_data.build(period))


# --- Anything else under /api/v1 -----------------------------------------------------------


@bp.route("/<path:unknown>", methods=ALL_METHODS)
def unknown(unknown: str):
    """A JSON 404 for an unknown address, a JSON 405 for a known one asked with POST & co."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        endpoint, _args = adapter.match(method="GET")
    except HTTPException:
        endpoint = None
    if endpoint and endpoint != UNKNOWN_ENDPOINT:
        raise MethodNotAllowed(valid_methods=["GET", "HEAD", "OPTIONS"])
    raise NotFound()


@bp.route("", strict_slashes=True)
def root_without_slash():
    return redirect(url_for("api_v1.index"), code=308)
