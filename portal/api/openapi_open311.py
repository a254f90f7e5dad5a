"""The Open311 GeoReport v2 part of /api/openapi.json: its paths and component schemas.

Every resource is described once per format (`.json`, `.xml`). The GET resources are public;
POST requests is for partner systems holding an api_key, and tokens/{token} tells a partner
the number of a request it sent to a batch service. The request body is in
openapi_open311_form.py; the answers are exactly what open311.py renders
(tests/api/test_openapi.py fuzzes every operation against them).
"""

from portal.api import open311_params, openapi_open311_form
from portal.api.openapi_schemas import (
    BOOLEAN,
    INTEGER,
    JSON,
    MOMENT_OR_NULL,
    STRING,
    TEXT_OR_NULL,
    XML,
    array,
    obj,
    path_param,
    query,
    ref,
)

PREFIX = "/open311/v2"
TAG = "Open311 GeoReport v2"
FORM = openapi_open311_form.MEDIA_TYPE
LOCALE = query("locale", {"type": "string", "enum": list(open311_params.LOCALES)}, "Language")
ACCEPT_LANGUAGE = {
    "name": "Accept-Language",
    "in": "header",
    "required": False,
    "schema": {"type": "string"},
    "description": "English when preferred over Vietnamese (locale wins)",
}
# account_id is always null: the portal keeps no citizen accounts.
ALWAYS_NULL = {"type": "string", "nullable": True, "enum": [None]}


def one(items: dict) -> dict:
    """An array of exactly one item (the answers of POST requests and tokens/{token})."""
    return {**array(items), "minItems": 1, "maxItems": 1}


def _contents(fmt: str, schema: str) -> tuple[dict, dict]:
    """(the 200 content, the errors' content) in one format."""
    if fmt == "json":
        return {JSON: {"schema": ref(schema)}}, {JSON: {"schema": ref("Open311Errors")}}
    # XML is described as text: its elements mirror the JSON (the specification's mapping).
    text = {XML: {"schema": {"type": "string"}}}
    return text, text


def _get(op_id: str, summary: str, fmt: str, schema: str, *, params, not_found) -> dict:
    ok, error = _contents(fmt, schema)
    responses = {
        "200": {"description": "OK", "content": ok},
        "400": {"description": "An argument is not valid", "content": error},
    }
    if not_found:
        responses["404"] = {"description": "Not found", "content": error}
    responses["500"] = {"description": "The service failed", "content": error}
    return {
        "operationId": f"{op_id}_{fmt}",
        "tags": [TAG],
        "summary": summary,
        "parameters": [*params, LOCALE, ACCEPT_LANGUAGE],
        "responses": responses,
    }


POST_DESCRIPTION = f"""\
For partner systems only. The portal administrator registers each partner system and issues \
it an API key, shown once (GET discovery's key_service says whom to ask). The key is sent as \
the form field `api_key`, not a header: a missing, wrong or revoked key, or a partner switched \
off, is a 403.

The body is a form in UTF-8 ({FORM}; multipart/form-data without files is accepted too), at \
most 64 KiB by default, each field once. It is checked by the same rules as the portal's own \
case form: nothing is stored unless every field is valid, and each problem found is its own \
error in the 400. A realtime service (reflection-*, petition-*) answers with the case number; \
a batch service (complaint-*, denunciation-*) answers with a token, and GET tokens/{{token}} \
gives the number once the Inspectorate has registered the case. Each key has an allowance a \
minute and a day (429)."""


FOLLOW_KEY = (
    "An extension of the specification, for partner systems: with its key, the partner that "
    "sent a request reads it even when the citizen did not agree to its publication. Without "
    "a key, only public requests are found. A key that is given must be valid (403)."
)


def _post(fmt: str) -> dict:
    ok, error = _contents(fmt, "Open311NewServiceRequestResponse")
    return {
        "operationId": f"open311_create_request_{fmt}",
        "tags": [TAG],
        "summary": "Submit a service request (partner systems, with an api_key)",
        "description": POST_DESCRIPTION,
        "parameters": [LOCALE, ACCEPT_LANGUAGE],
        "requestBody": {
            "required": True,
            "content": {FORM: {"schema": ref("Open311NewServiceRequest")}},
        },
        "responses": {
            "200": {"description": "The request is recorded", "content": ok},
            "400": {
                "description": "The form is not valid (every problem found is listed); "
                "nothing was recorded",
                "content": error,
            },
            "403": {
                "description": "api_key is missing, wrong or revoked, or its partner is "
                "switched off",
                "content": error,
            },
            "404": {"description": "Unknown format: use .xml or .json", "content": error},
            "429": {
                "description": "Too many requests: the key's allowance is used up, or this "
                "address sent too many refused keys",
                "content": error,
            },
            "500": {"description": "The service failed", "content": error},
        },
    }


def paths() -> dict:
    window = "W3C date-time with its offset, or a date; at most 90 days apart"
    request_params = [
        query("service_request_id", {"type": "string"}, "Case numbers, comma delimited"),
        query("service_code", {"type": "string"}, "Service codes, comma delimited"),
        query("start_date", {"type": "string"}, window),
        query("end_date", {"type": "string"}, window),
        query("status", {"type": "string"}, "open, closed or both, comma delimited"),
        query(
            "page",
            {"type": "integer", "minimum": 1, "maximum": open311_params.MAX_PAGE},
            "The page, from 1",
        ),
        query(
            "page_size",
            {"type": "integer", "minimum": 1, "maximum": open311_params.MAX_PAGE_SIZE},
            f"Requests a page (default {open311_params.PAGE_SIZE})",
        ),
    ]
    resources = (
        ("discovery", "open311_discovery", "Service discovery", "Open311Discovery", [], False),
        ("services", "open311_services", "The services", "Open311Services", [], False),
        (
            "services/{service_code}",
            "open311_service_definition",
            "A service's attributes",
            "Open311ServiceDefinition",
            [path_param("service_code", "A code GET services lists")],
            True,
        ),
        (
            "requests",
            "open311_requests",
            "Public service requests",
            "Open311ServiceRequests",
            request_params,
            False,
        ),
        (
            "requests/{service_request_id}",
            "open311_request",
            "One public service request, or one the partner sent",
            "Open311ServiceRequests",
            [
                path_param("service_request_id", "The case number"),
                query("api_key", {"type": "string"}, FOLLOW_KEY),
            ],
            True,
        ),
        (
            "tokens/{token}",
            "open311_token",
            "The number of a request sent to a batch service, once it is registered",
            "Open311Token",
            [path_param("token", "The token POST requests answered with")],
            True,
        ),
    )
    found = {}
    for resource, op_id, summary, schema, params, not_found in resources:
        for fmt in ("json", "xml"):
            found[f"{PREFIX}/{resource}.{fmt}"] = {
                "get": _get(op_id, summary, fmt, schema, params=params, not_found=not_found)
            }
    for fmt in ("json", "xml"):
        found[f"{PREFIX}/requests.{fmt}"]["post"] = _post(fmt)
        _, error = _contents(fmt, "Open311Errors")
        found[f"{PREFIX}/requests/{{service_request_id}}.{fmt}"]["get"]["responses"].update(
            {
                "403": {"description": "api_key is given but not valid", "content": error},
                "429": {
                    "description": "This address sent too many refused keys",
                    "content": error,
                },
            }
        )
    return found


# --- Answers -------------------------------------------------------------------------------


def schemas() -> dict:
    # The specification's JSON writes an empty element as null, so any text may be null.
    text = TEXT_OR_NULL
    return {
        "Open311Discovery": obj(
            {
                "changeset": text,
                "contact": text,
                "key_service": text,
                "endpoints": array(
                    obj(
                        {
                            "specification": text,
                            "url": text,
                            "changeset": text,
                            "type": text,
                            "formats": array(STRING),
                        }
                    )
                ),
            }
        ),
        "Open311Services": array(
            obj(
                {
                    "service_code": STRING,
                    "service_name": text,
                    "description": text,
                    "metadata": BOOLEAN,
                    "type": {"type": "string", "enum": ["realtime", "batch", "blackbox"]},
                    "keywords": text,
                    "group": text,
                }
            )
        ),
        "Open311ServiceDefinition": obj(
            {
                "service_code": STRING,
                "attributes": array(
                    obj(
                        {
                            "variable": BOOLEAN,
                            "code": STRING,
                            "datatype": {
                                "type": "string",
                                "enum": [
                                    "string",
                                    "number",
                                    "datetime",
                                    "text",
                                    "singlevaluelist",
                                    "multivaluelist",
                                ],
                            },
                            "required": BOOLEAN,
                            "datatype_description": text,
                            "order": INTEGER,
                            "description": text,
                            "values": array(obj({"key": STRING, "name": text})),
                        }
                    )
                ),
            }
        ),
        "Open311ServiceRequests": array(
            obj(
                {
                    "service_request_id": STRING,
                    "status": {"type": "string", "enum": ["open", "closed"]},
                    "status_notes": text,
                    "service_name": text,
                    "service_code": STRING,
                    "description": text,
                    "agency_responsible": text,
                    "requested_datetime": MOMENT_OR_NULL,
                    "updated_datetime": MOMENT_OR_NULL,
                    "expected_datetime": MOMENT_OR_NULL,
                }
            )
        ),
        "Open311NewServiceRequest": openapi_open311_form.schema(),
        "Open311NewServiceRequestResponse": one(
            {
                "oneOf": [
                    obj(
                        {
                            "service_request_id": STRING,
                            "service_notice": STRING,
                            "account_id": ALWAYS_NULL,
                        },
                        description="A realtime service: the case's number",
                    ),
                    obj(
                        {"token": STRING, "service_notice": STRING, "account_id": ALWAYS_NULL},
                        description="A batch service: the token for GET tokens/{token}",
                    ),
                ]
            }
        ),
        "Open311Token": one(
            obj(
                {"service_request_id": TEXT_OR_NULL, "token": STRING},
                description="service_request_id is null until the case is registered",
            )
        ),
        "Open311Errors": array(obj({"code": INTEGER, "description": text})),
    }
