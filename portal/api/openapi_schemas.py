"""The building blocks of /api/openapi.json and the component schemas of /api/v1: exactly what
the views in v1*.py answer, field by field (tests/api/test_openapi.py checks every answer
against them). Open311's are in openapi_open311.py.

Objects are closed (`additionalProperties: false`) and list every field as required, so a field
added to a serialiser without its schema fails the tests instead of going undocumented.
"""

from portal.api import v1_http
from portal.core import exports
from portal.procedures.models import Level, OnlineLevel

STRING = {"type": "string"}
TEXT_OR_NULL = {"type": "string", "nullable": True}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
URL = {"type": "string", "format": "uri"}
DAY = {"type": "string", "format": "date"}
DAY_OR_NULL = {"type": "string", "format": "date", "nullable": True}
# ISO 8601 with Vietnam's offset (+07:00).
MOMENT = {"type": "string", "format": "date-time"}
MOMENT_OR_NULL = {"type": "string", "format": "date-time", "nullable": True}
HOUR_MINUTE = {"type": "string", "pattern": r"^\d{2}:\d{2}$"}
SMALL_COUNT = f"< {exports.SUPPRESSION_THRESHOLD}"
JSON = "application/json"
XML = "text/xml"


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict, *, description: str | None = None) -> dict:
    """A closed object whose every property is always present (null where the schema allows)."""
    schema = {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }
    if description:
        schema["description"] = description
    return schema


def query(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def path_param(name: str, description: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "string", "minLength": 1},
        "description": description,
    }


def nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


# A count of citizens' cases: the number, or "< 5" where it is from 1 to 4 (as the scorecard).
COUNT = {
    "description": 'A count, or "< 5" where it is from 1 to 4 (no citizen may be identified)',
    "anyOf": [{"type": "integer", "minimum": 0}, {"type": "string", "enum": [SMALL_COUNT]}],
}
RATE_OR_NULL = {"type": "number", "minimum": 0, "maximum": 1, "nullable": True}


def v1_schemas() -> dict:
    """The component schemas of /api/v1."""
    refs = {
        "CategoryRef": obj({"id": STRING, "name": STRING, "name_en": STRING, "url": URL}),
        "UnitRef": obj({"id": STRING, "slug": STRING, "name": STRING, "name_en": STRING}),
        "Attachment": obj(
            {
                "id": STRING,
                "title": STRING,
                "file_name": STRING,
                "format": STRING,
                "content_type": STRING,
                "size": INTEGER,
                "url": URL,
            }
        ),
        "Consultation": obj(
            {
                "comments_open_at": MOMENT_OR_NULL,
                "comments_close_at": MOMENT_OR_NULL,
                "comments_open": BOOLEAN,
                "approved_comments": INTEGER,
                "report_html": STRING,
                "report_published_at": MOMENT_OR_NULL,
            }
        ),
    }
    disclosure = obj(
        {
            "id": STRING,
            "slug": STRING,
            "url": URL,
            "title": STRING,
            "summary": STRING,
            "body_html": STRING,
            "status": STRING,
            "category": ref("CategoryRef"),
            "unit": nullable({"allOf": [ref("UnitRef")]}),
            "document_type": STRING,
            "issuer": STRING,
            "number_symbol": STRING,
            "issued_on": DAY_OR_NULL,
            "effective_on": DAY_OR_NULL,
            "visible_until": DAY_OR_NULL,
            "disclosure_form": STRING,
            "disclosure_place": STRING,
            "papi_dimensions": array(INTEGER),
            "published_at": MOMENT_OR_NULL,
            "updated_at": MOMENT,
            "revision_count": INTEGER,
            "withdrawn_at": MOMENT_OR_NULL,
            "withdrawal_reason": STRING,
            "attachments": array(ref("Attachment")),
            "consultation": nullable({"allOf": [ref("Consultation")]}),
        },
        description="Published information (a public disclosure)",
    )
    category = obj(
        {
            "id": STRING,
            "name": STRING,
            "name_en": STRING,
            "url": URL,
            "description": STRING,
            "description_en": STRING,
            "legal_basis": STRING,
            "disclosure_form": STRING,
            "disclosure_place": STRING,
            "disclosure_time": STRING,
            "disclosure_duration": STRING,
            "due_on": DAY_OR_NULL,
            "overdue": BOOLEAN,
            "disclosure_count": INTEGER,
            "latest_published_at": MOMENT_OR_NULL,
            "disclosures": URL,
        },
        description="A category of information the agency must publish",
    )
    form_file = obj(
        {"id": STRING, "file_name": STRING, "format": STRING, "size": INTEGER, "url": URL}
    )
    procedure = obj(
        {
            "id": STRING,
            "code": STRING,
            "url": URL,
            "name": STRING,
            "decision_number": STRING,
            "level": {"type": "string", "enum": [str(level) for level in Level]},
            "field": obj({"id": STRING, "name": STRING, "name_en": STRING}),
            "applicants": STRING,
            "implementing_body": STRING,
            "result": STRING,
            "steps_html": STRING,
            "conditions_html": STRING,
            "legal_basis_html": STRING,
            "online_level": {"type": "string", "enum": [str(level) for level in OnlineLevel]},
            "online_url": nullable(URL),
            "channels": array(
                obj(
                    {
                        "channel": STRING,
                        "processing_time": STRING,
                        "fee": STRING,
                        "note": STRING,
                    }
                )
            ),
            "components": array(
                obj(
                    {
                        "name": STRING,
                        "originals": INTEGER,
                        "copies": INTEGER,
                        "form_file": nullable(form_file),
                        "form_url": TEXT_OR_NULL,
                    }
                )
            ),
            "updated_at": MOMENT,
        },
        description="An administrative procedure",
    )
    hotline = obj(
        {
            "id": STRING,
            "url": URL,
            "label": STRING,
            "label_en": STRING,
            "purpose": STRING,
            "purpose_en": STRING,
            "phone": TEXT_OR_NULL,
            "email": TEXT_OR_NULL,
            "hours": STRING,
            "hours_en": STRING,
            "is_main": BOOLEAN,
            "is_harassment_report_line": BOOLEAN,
            "updated_at": MOMENT,
        }
    )
    unit = obj(
        {
            "id": STRING,
            "slug": STRING,
            "url": URL,
            "name": STRING,
            "name_en": STRING,
            "functions_html": STRING,
            "functions_en_html": STRING,
            "head_name": STRING,
            "head_title": STRING,
            "head_title_en": STRING,
            "phone": TEXT_OR_NULL,
            "email": TEXT_OR_NULL,
            "handles_cases": BOOLEAN,
            "updated_at": MOMENT,
        }
    )
    session = obj(
        {
            "id": STRING,
            "url": URL,
            "date": DAY,
            "starts_at": MOMENT,
            "ends_at": MOMENT,
            "host": STRING,
            "host_en": STRING,
            "place": STRING,
            "note": STRING,
            "cancelled": BOOLEAN,
            "moved_from": DAY_OR_NULL,
            "recurring": BOOLEAN,
        },
        description="A citizen-reception session",
    )
    reception = obj(
        {
            "url": URL,
            "place": TEXT_OR_NULL,
            "place_en": TEXT_OR_NULL,
            "working_day_hours": array(obj({"starts_at": HOUR_MINUTE, "ends_at": HOUR_MINUTE})),
            "note": STRING,
            "note_en": STRING,
            "updated_at": MOMENT_OR_NULL,
            "head_reception_rules": array(
                obj(
                    {
                        "id": STRING,
                        "day_of_month": INTEGER,
                        "shift": STRING,
                        "host": STRING,
                        "host_en": STRING,
                        "place": STRING,
                        "starts_at": HOUR_MINUTE,
                        "ends_at": HOUR_MINUTE,
                        "valid_from": DAY,
                        "valid_until": DAY_OR_NULL,
                    }
                )
            ),
            "documents": array(
                obj(
                    {
                        "id": STRING,
                        "kind": STRING,
                        "title": STRING,
                        "title_en": STRING,
                        "summary_html": STRING,
                        "issued_on": DAY_OR_NULL,
                        "format": STRING,
                        "size": INTEGER,
                        "url": URL,
                    }
                )
            ),
            "sessions": URL,
        },
        description="The citizen-reception office, the head's reception rules, the documents",
    )
    counts = {"received": COUNT, "resolved": COUNT}
    labelled = {"label": STRING, "label_en": STRING}
    statistics = obj(
        {
            "period": obj({"id": STRING, "kind": STRING, "start": DAY, "end": DAY, **labelled}),
            "counted_on": DAY,
            "suppression": obj(
                {"threshold": INTEGER, "small_count": STRING, "note": STRING, "note_en": STRING}
            ),
            "figures": obj(
                {
                    "received": COUNT,
                    "accepted": COUNT,
                    "resolved": COUNT,
                    "transferred": COUNT,
                    "overdue_now": COUNT,
                    "resolved_on_time_rate": RATE_OR_NULL,
                    "median_days_to_respond": {"type": "number", "nullable": True},
                    "average_rating": {"type": "number", "nullable": True},
                    "solved_rate": RATE_OR_NULL,
                }
            ),
            "by_month": array(obj({"month": STRING, **counts})),
            "by_kind": array(obj({"id": STRING, **labelled, **counts})),
            "by_topic": array(obj({"id": STRING, **labelled, **counts})),
            "by_unit": array(obj({"id": TEXT_OR_NULL, **labelled, **counts})),
            "url": URL,
        },
        description="The public scorecard of a period, small counts hidden",
    )
    index = obj(
        dict.fromkeys(
            (
                "disclosures",
                "disclosure_categories",
                "procedures",
                "hotlines",
                "units",
                "reception",
                "reception_sessions",
                "statistics",
            ),
            URL,
        )
    )
    items = {
        "Disclosure": disclosure,
        "DisclosureCategory": category,
        "Procedure": procedure,
        "Hotline": hotline,
        "Unit": unit,
        "ReceptionSession": session,
        "Reception": reception,
        "Statistics": statistics,
        "Index": index,
    }
    envelopes = {
        "Meta": obj(
            {
                "page": {"type": "integer", "minimum": 1},
                "per_page": {"type": "integer", "minimum": 1, "maximum": v1_http.MAX_PER_PAGE},
                "total": {"type": "integer", "minimum": 0},
                "pages": {"type": "integer", "minimum": 1},
            }
        ),
        "Links": obj(
            {"self": URL, "first": URL, "last": URL, "next": nullable(URL), "prev": nullable(URL)}
        ),
        "Error": obj(
            {
                "error": obj(
                    {
                        "status": INTEGER,
                        "code": {"type": "string", "enum": list(v1_http.ERROR_CODES.values())},
                        "message": STRING,
                    }
                )
            },
            description="The one error shape of /api/v1",
        ),
    }
    return refs | items | envelopes


def item_envelope(name: str) -> dict:
    return obj({"data": ref(name)})


def list_envelope(name: str) -> dict:
    return obj({"data": array(ref(name)), "meta": ref("Meta"), "links": ref("Links")})
