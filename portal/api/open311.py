"""Open311 GeoReport v2 at /open311/v2 (wiki.open311.org/GeoReport_v2): the read side.

Every resource answers in XML (`.xml`, the specification's required format) and JSON
(`.json`); any other extension, and any other path under /open311/v2, is a 404 in the
specification's error document. Names, descriptions and unit names are Vietnamese unless the
client asks for English (`?locale=en` or Accept-Language). GET responses allow any origin.
"""

from functools import wraps

from flask import Blueprint, current_app, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from portal.api import open311_params as params
from portal.api import open311_post as post
from portal.api import open311_queries as queries
from portal.api.open311_format import (
    FORMATS,
    MIME_TYPES,
    Open311Error,
    error_response,
    format_of,
    render,
)
from portal.api.open311_services import BY_CODE, CHANGESET, SERVICES
from portal.core.i18n import in_locale
from portal.extensions import csrf, db, limiter

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")
# Other systems call this API without cookies or forms: no view here reads the session, so a
# CSRF token protects nothing (writes will require an api_key), and without the exemption a
# POST to a read-only resource would be a CSRF 400 instead of the 405 it is.
csrf.exempt(bp)

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"


def resource(view):
    """Check the format and the language, then run the view in that language."""

    @wraps(view)
    def wrapper(fmt: str, **kwargs):
        if fmt not in FORMATS:
            raise Open311Error(404, "Unknown format: use .xml or .json")
        # PostgreSQL refuses a NUL character in a string: a 400 here, never a 500 there.
        values = list(kwargs.values())
        values += [value for listed in request.args.listvalues() for value in listed]
        if any("\x00" in value for value in values):
            raise Open311Error(400, "The query string or address holds a NUL character")
        locale = params.locale()
        with in_locale(locale):
            return view(fmt, locale=locale, **kwargs)

    return wrapper


@bp.get("/discovery.<fmt>")
@resource
def discovery(fmt: str, *, locale: str):
    email = queries.agency_email()
    document = {
        "changeset": CHANGESET,
        "contact": queries.contact_line(locale=locale) or request.url_root,
        "key_service": "API keys for submitting requests are issued by the portal "
        "administrator to named partner systems" + (f": {email}" if email else "."),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": request.url_root.rstrip("/") + bp.url_prefix,
                "changeset": CHANGESET,
                "type": "production",
                "formats": list(MIME_TYPES),
            }
        ],
    }
    return render(fmt, "discovery", document)


@bp.get("/services.<fmt>")
@resource
def services(fmt: str, *, locale: str):
    return render(fmt, "services", [service.as_document() for service in SERVICES])


@bp.get("/services/<service_code>.<fmt>")
@resource
def service_definition(fmt: str, *, locale: str, service_code: str):
    service = BY_CODE.get(service_code)
    if service is None:
        raise Open311Error(404, "service_code not found")
    return render(fmt, "service_definition", service.definition())


@bp.get("/requests.<fmt>")
@resource
def service_requests(fmt: str, *, locale: str):
    rows = queries.service_requests(params.request_query())
    documents = [queries.as_document(row, locale=locale) for row in rows]
    return render(fmt, "service_requests", documents)


def _post_limit() -> str:
    return current_app.config["OPEN311_POST_RATE_LIMIT"]


@bp.post("/requests.<fmt>")
@resource
def create_service_request(fmt: str, *, locale: str):
    post.check_body()
    fields = post.form()
    # Per address, refused keys only (post.authenticate): guessing is stopped long before it
    # could matter, and a partner's own mistakes do not lock it out.
    key = post.authenticate(fields)
    # Per partner key: each partner has its own allowance, whatever address it calls from.
    with limiter.limit(_post_limit, key_func=lambda: f"open311-key:{key.id}"):
        document = post.submit(fields, key)
    return render(fmt, "service_requests", [document])


@bp.app_template_global("open311_submission")
def open311_submission(case):
    """What a partner sent with a case, for the staff case page (None for other cases)."""
    return post.submission_of(case)


@bp.get("/tokens/<token>.<fmt>")
@resource
def token(fmt: str, *, locale: str, token: str):
    document = post.token_status(token) if len(token) <= 64 else None
    if document is None:
        raise Open311Error(404, "token not found")
    return render(fmt, "service_requests", [document])


@bp.get("/requests/<service_request_id>.<fmt>")
@resource
def service_request(fmt: str, *, locale: str, service_request_id: str):
    # An extension of the specification: with its api_key, the partner that sent a request
    # follows it whether or not the citizen agreed to publication (a call centre answering
    # "where is my case?"). A key that is given must be good: 403, as for POST.
    partner_id = post.authenticate(request.args).partner_id if "api_key" in request.args else None
    row = queries.service_request(service_request_id, partner_id=partner_id)
    if row is None:
        raise Open311Error(404, "service_request_id not found")
    response = render(fmt, "service_requests", [queries.as_document(row, locale=locale)])
    if partner_id is not None:
        response.headers["Cache-Control"] = "no-store"  # read with a key: for that partner only
    return response


@bp.route("/", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
@bp.route("/<path:path>", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def unknown(path: str = ""):
    """Anything else under /open311/v2: 404, or 405 for a known resource and another method."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = []
    for method in ("GET", "POST"):
        try:
            endpoint, _args = adapter.match(method=method)
        except HTTPException:
            continue
        if endpoint != request.endpoint:
            allowed.append(method)
    if allowed:
        methods = allowed + (["HEAD"] if "GET" in allowed else []) + ["OPTIONS"]
        raise MethodNotAllowed(valid_methods=methods)
    raise NotFound()


def _fmt() -> str:
    fmt = (request.view_args or {}).get("fmt")
    return fmt if fmt in FORMATS else format_of(request.path)


@bp.errorhandler(Open311Error)
def open311_error(error: Open311Error):
    return error_response(_fmt(), error.status, error.descriptions)


@bp.errorhandler(400)
@bp.errorhandler(404)
@bp.errorhandler(405)
@bp.errorhandler(413)
@bp.errorhandler(429)
@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    if error.code == 404:
        return error_response(_fmt(), 404, "Unknown resource")
    if error.code == 405:
        response = error_response(_fmt(), 405, "Method not allowed")
        response.headers["Allow"] = ", ".join(getattr(error, "valid_methods", None) or ["GET"])
        return response
    if error.code == 429:
        return error_response(_fmt(), 429, "Too many requests")
    return error_response(_fmt(), 400, error.description or "Bad request")


@bp.errorhandler(Exception)
def unexpected_error(error: Exception):
    # A fault of ours, not of the request: said in the specification's format, and logged by
    # class and path only (never the query string, which may carry what a client sent).
    db.session.rollback()
    current_app.logger.error(
        "unhandled %s on %s %s", type(error).__name__, request.method, request.path, exc_info=error
    )
    return error_response(_fmt(), 500, "The service failed; please try again later")


@bp.after_request
def allow_any_origin(response):
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.vary.add("Accept-Language")
    return response
