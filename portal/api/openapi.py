"""The OpenAPI 3.0 description of the portal's APIs, at GET /api/openapi.json.

It describes every resource of the open data (/api/v1) and of Open311 GeoReport v2
(/open311/v2, both formats, openapi_open311.py): the GETs and the partners' POST requests.
The paths and schemas are fixed and built once; `servers` (the address the client used) and
`info` (the agency's name from the site settings) are filled in per request.
tests/api/test_openapi.py walks app.url_map so no route or method goes undescribed, and runs
schemathesis over every operation so no answer departs from it.
"""

from functools import cache

from flask import Blueprint, current_app, request

from portal.api import openapi_open311, v1_http
from portal.api import openapi_schemas as s
from portal.api.open311_services import CHANGESET
from portal.api.openapi_schemas import JSON, path_param, query
from portal.core import site
from portal.procedures.models import Level

bp = Blueprint("openapi", __name__)

OPENAPI_VERSION = "3.0.3"
API_VERSION = "1.0.0"
V1 = "/api/v1"
MAX_AGE_SECONDS = 300


# --- Parameters and responses --------------------------------------------------------------


PAGING = [
    query(
        "page",
        {"type": "integer", "minimum": 1, "maximum": v1_http.MAX_PAGE},
        "The page, from 1",
    ),
    query(
        "per_page",
        {"type": "integer", "minimum": 1, "maximum": v1_http.MAX_PER_PAGE},
        f"Items a page (default {v1_http.DEFAULT_PER_PAGE})",
    ),
]
UPDATED_SINCE = query(
    "updated_since",
    {"type": "string"},
    "Changed at or after: an ISO 8601 date or date-time (Vietnam's time without an offset)",
)


def v1_responses(schema: dict, *, not_found: bool = False) -> dict:
    error = {"content": {JSON: {"schema": s.ref("Error")}}}
    responses = {
        "200": {
            "description": "OK (strong ETag; Cache-Control public, max-age=60)",
            "headers": {"ETag": {"schema": {"type": "string"}}},
            "content": {JSON: {"schema": schema}},
        },
        "304": {"description": "Not modified (If-None-Match matched the ETag)"},
        "400": {"description": "A query-string argument is not valid", **error},
    }
    if not_found:
        responses["404"] = {"description": "No public item has this id", **error}
    responses["500"] = {"description": "The server failed to answer", **error}
    return responses


def v1_operation(op_id: str, summary: str, schema: dict, *, params=(), not_found=False) -> dict:
    return {
        "get": {
            "operationId": op_id,
            "tags": ["open data"],
            "summary": summary,
            "parameters": list(params),
            "responses": v1_responses(schema, not_found=not_found),
        }
    }


def _v1_paths() -> dict:
    listed = s.list_envelope
    return {
        f"{V1}": {
            "get": {
                "operationId": "v1_root_without_slash",
                "tags": ["open data"],
                "summary": "Redirect to the index",
                "responses": {"308": {"description": f"Permanent redirect to {V1}/"}},
            }
        },
        f"{V1}/": v1_operation("v1_index", "Where each resource is", s.item_envelope("Index")),
        f"{V1}/disclosures": v1_operation(
            "v1_disclosures",
            "Published information, newest first",
            listed("Disclosure"),
            params=[
                query("category", {"type": "string"}, "A category's id"),
                query("unit", {"type": "string"}, "A unit's id"),
                query("year", {"type": "integer", "minimum": 1900, "maximum": 2999}, "Year"),
                UPDATED_SINCE,
                *PAGING,
            ],
        ),
        f"{V1}/disclosures/{{public_id}}": v1_operation(
            "v1_disclosure",
            "One published item",
            s.item_envelope("Disclosure"),
            params=[path_param("public_id", "The item's id")],
            not_found=True,
        ),
        f"{V1}/disclosure-categories": v1_operation(
            "v1_disclosure_categories",
            "The categories of information the agency must publish",
            listed("DisclosureCategory"),
            params=PAGING,
        ),
        f"{V1}/procedures": v1_operation(
            "v1_procedures",
            "Administrative procedures",
            listed("Procedure"),
            params=[
                query("field", {"type": "string"}, "A field's id"),
                query("level", {"type": "string", "enum": [str(x) for x in Level]}, "Level"),
                query(
                    "online",
                    {"type": "string", "enum": ["none", "partial", "full", "any"]},
                    "Online service level (any: partial or full)",
                ),
                UPDATED_SINCE,
                *PAGING,
            ],
        ),
        f"{V1}/procedures/{{slug}}": v1_operation(
            "v1_procedure",
            "One procedure",
            s.item_envelope("Procedure"),
            params=[path_param("slug", "The procedure's id")],
            not_found=True,
        ),
        f"{V1}/hotlines": v1_operation("v1_hotlines", "Hotlines", listed("Hotline"), params=PAGING),
        f"{V1}/units": v1_operation(
            "v1_units", "The agency's units", listed("Unit"), params=PAGING
        ),
        f"{V1}/reception": v1_operation(
            "v1_reception", "Citizen reception", s.item_envelope("Reception")
        ),
        f"{V1}/reception/sessions": v1_operation(
            "v1_reception_sessions",
            "Citizen-reception sessions between two days",
            listed("ReceptionSession"),
            params=[
                query("from", {"type": "string", "format": "date"}, "First day (default today)"),
                query("to", {"type": "string", "format": "date"}, "Last day (at most 366 days)"),
                *PAGING,
            ],
        ),
        f"{V1}/statistics": v1_operation(
            "v1_statistics",
            "The public scorecard of a period",
            s.item_envelope("Statistics"),
            params=[
                query(
                    "period",
                    {"type": "string"},
                    "2025, 2025-H1, 2025-Q1, 2025-03 or 2025-01-05..2025-02-10 "
                    "(default: this year)",
                )
            ],
        ),
    }


@cache
def _fixed_parts() -> dict:
    """What does not depend on the request: paths and components."""
    document_path = {
        "/api/openapi.json": {
            "get": {
                "operationId": "openapi",
                "tags": ["meta"],
                "summary": "This document",
                "responses": {
                    "200": {
                        "description": "OpenAPI 3.0",
                        "content": {JSON: {"schema": {"type": "object"}}},
                    },
                    "304": {"description": "Not modified"},
                },
            }
        }
    }
    return {
        "paths": _v1_paths() | openapi_open311.paths() | document_path,
        "components": {"schemas": s.v1_schemas() | openapi_open311.schemas()},
        "tags": [
            {"name": "open data", "description": "Read-only open data, JSON"},
            {
                "name": "Open311 GeoReport v2",
                "description": "http://wiki.open311.org/GeoReport_v2, in JSON and XML",
                "externalDocs": {"url": "http://wiki.open311.org/GeoReport_v2"},
            },
            {"name": "meta"},
        ],
    }


def document(*, server_url: str, agency: str) -> dict:
    """The OpenAPI document for clients reaching the portal at `server_url`."""
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": f"{agency} — APIs" if agency else "Citizen feedback portal — APIs",
            "version": API_VERSION,
            "description": "Read-only open data (/api/v1) and Open311 GeoReport v2 "
            "(/open311/v2). Any origin may read; nothing personal is ever published. Only "
            "partner systems holding a key from the portal administrator may submit "
            "requests (POST).",
            "x-open311-changeset": CHANGESET,
        },
        "servers": [{"url": server_url}],
        **_fixed_parts(),
    }


@bp.get("/api/openapi.json")
def openapi():
    body = document(server_url=request.url_root.rstrip("/"), agency=site.load().name_for("en"))
    response = current_app.json.response(body)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE_SECONDS}"
    response.vary.add("Host")
    response.add_etag()
    return response.make_conditional(request)
