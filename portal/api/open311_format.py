"""Open311 GeoReport v2 output: one document model rendered as XML or JSON, and the errors.

The specification's JSON is a mapping of its XML (the "Spark convention"): an element holding
repeated children becomes a JSON array, an empty element `null`. Views build plain Python
values (dict, list, str, int, bool, None) once and `render()` writes either format, so the
two cannot drift apart. XML is built as ElementTree elements, never by joining strings, so
every value is escaped.
"""

import json
import re
import xml.etree.ElementTree as ET

from flask import Response

FORMATS = ("xml", "json")
CONTENT_TYPES = {
    "xml": "text/xml; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
MIME_TYPES = ("text/xml", "application/json")  # as the discovery document lists them

# The element that holds a list -> the name of each of its items.
ITEMS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "service_requests": "request",
    "errors": "error",
}
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
# Characters XML 1.0 cannot carry at all, even escaped: dropped from any text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


class Open311Error(Exception):
    """A request the API answers with the specification's error document."""

    def __init__(self, status: int, description: str, descriptions: list[str] | None = None):
        super().__init__(description)
        self.status = status
        self.description = description
        # Every problem found, each its own <error> (a POST may have several).
        self.descriptions = descriptions or [description]


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        item_tag = ITEMS[element.tag]
        for child in value:
            _fill(ET.SubElement(element, item_tag), child)
    else:
        element.text = _text(value)


def to_xml(root: str, value) -> bytes:
    """Serialise a document under the root element `root` (a list's items are named by ITEMS)."""
    element = ET.Element(root)
    _fill(element, value)
    return XML_DECLARATION + ET.tostring(element, encoding="utf-8", xml_declaration=False)


def _json_value(value):
    if isinstance(value, dict):
        return {key: _json_value(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_json_value(child) for child in value]
    if isinstance(value, str):
        return value or None  # an empty element is null in the specification's JSON
    return value


def to_json(value) -> bytes:
    return json.dumps(_json_value(value), ensure_ascii=False).encode("utf-8")


def render(fmt: str, root: str, value, status: int = 200) -> Response:
    """Answer with the document in the requested format."""
    body = to_xml(root, value) if fmt == "xml" else to_json(value)
    return Response(body, status=status, content_type=CONTENT_TYPES[fmt])


def error_response(fmt: str, status: int, description: str | list[str]) -> Response:
    """The specification's error document: a list of errors, each with a code and description."""
    fmt = fmt if fmt in FORMATS else "xml"
    descriptions = [description] if isinstance(description, str) else description
    errors = [{"code": status, "description": text} for text in descriptions]
    return render(fmt, "errors", errors, status)


def format_of(path: str) -> str:
    """The format a path asks for by its extension; XML (the required format) otherwise."""
    return "json" if path.lower().endswith(".json") else "xml"
