"""The form of POST requests in /api/openapi.json: the specification's fields with the limits
open311_post.py enforces, and attribute[code] for every attribute a service definition holds
(open311_services.py), saying which services require or take it."""

from flask_babel import force_locale

from portal.api import open311_params
from portal.api import open311_post as post
from portal.api.models import MEDIA_URL_MAX
from portal.api.open311_services import SERVICES, Attribute
from portal.cases.forms import EMAIL_MAX, PHONE_MAX

MEDIA_TYPE = "application/x-www-form-urlencoded"


def _services_text(codes: list[str]) -> str:
    """Service codes, a whole kind written `kind-*`."""
    parts = []
    for kind in dict.fromkeys(service.kind for service in SERVICES):
        every = [service.code for service in SERVICES if service.kind == kind]
        listed = [code for code in every if code in codes]
        parts.extend([f"{kind.value}-*"] if listed == every else listed)
    return ", ".join(parts)


def _attribute_schema(attribute: Attribute) -> dict:
    if attribute.values:
        return {"type": "string", "enum": [key for key, _name in attribute.values]}
    if attribute.datatype == "datetime":
        return {"type": "string", "anyOf": [{"format": "date"}, {"format": "date-time"}]}
    return {"type": "string"}


def _attributes() -> dict:
    """attribute[code] of every attribute a service defines, saying which services take it."""
    uses: dict[str, tuple[Attribute, list[str], list[str]]] = {}
    for service in SERVICES:
        for attribute in service.attributes:
            _first, required, optional = uses.setdefault(attribute.code, (attribute, [], []))
            (required if attribute.required else optional).append(service.code)
    properties = {}
    # The document is in English whatever the language of the request that builds it first.
    with force_locale("en"):
        for code, (attribute, required, optional) in uses.items():
            said = [f"{attribute.description}."]
            if required:
                said.append(f"Required for {_services_text(required)}.")
            if optional:
                said.append(f"Optional for {_services_text(optional)}.")
            if attribute.datatype == "datetime":
                said.append("A W3C date or date-time.")
            properties[f"attribute[{code}]"] = {
                **_attribute_schema(attribute),
                "description": " ".join(said),
            }
    return properties


def schema() -> dict:
    """The request body of POST requests."""
    ignored = "Accepted and ignored"
    other = {"type": "string", "maxLength": post.OTHER_MAX, "description": ignored}
    name_part = {"type": "string", "maxLength": post.NAME_PART_MAX}
    properties = {
        "api_key": {
            "type": "string",
            "description": "The partner system's key, issued by the portal administrator",
        },
        "jurisdiction_id": other,
        "service_code": {
            "type": "string",
            "enum": [service.code for service in SERVICES],
            "description": "A code GET services lists",
        },
        "lat": {
            "type": "number",
            "minimum": -90,
            "maximum": 90,
            "description": "Latitude in decimal degrees (WGS 84), given with long. A case "
            "need not be a place: the location is optional",
        },
        "long": {
            "type": "number",
            "minimum": -180,
            "maximum": 180,
            "description": "Longitude in decimal degrees (WGS 84), given with lat",
        },
        "address_string": {
            "type": "string",
            "maxLength": post.ADDRESS_STRING_MAX,
            "description": "Where it happened",
        },
        "address_id": other,
        "email": {
            "type": "string",
            "format": "email",
            "maxLength": EMAIL_MAX,
            "description": "The submitter's e-mail: the receipt and the key to follow the case "
            "are sent there",
        },
        "device_id": other,
        "account_id": other,
        "first_name": name_part,
        "last_name": name_part,
        "phone": {"type": "string", "maxLength": PHONE_MAX, "description": "A phone number"},
        "description": {
            "type": "string",
            "minLength": 1,
            "maxLength": post.DESCRIPTION_MAX,
            "description": "What happened and what is asked; its first line is the subject",
        },
        "media_url": {
            "type": "string",
            "format": "uri",
            "maxLength": MEDIA_URL_MAX,
            "description": "An http or https address of a photo or document: kept for staff "
            "to open, never fetched by the portal",
        },
        "locale": {
            "type": "string",
            "enum": list(open311_params.LOCALES),
            "description": f"{ignored}: the answer's language is the locale query argument's "
            "or Accept-Language's",
        },
        **_attributes(),
    }
    return {
        "type": "object",
        "required": ["api_key", "service_code", "description"],
        "properties": properties,
        "additionalProperties": {
            "type": "string",
            "description": "attribute[code] for the attributes of the service's definition "
            "(GET services/{service_code}) only: any other field is a 400",
        },
        "description": "The specification's form. Without a name, phone, e-mail or address, "
        "a reflection, a petition or denunciation-harassment is sent anonymously",
    }
