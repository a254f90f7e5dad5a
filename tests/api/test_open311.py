"""Open311 GeoReport v2, the read side: discovery, services and service definitions in XML and
JSON against the field lists of the specification (wiki.open311.org/GeoReport_v2 and
/Service_Discovery), and bad input answered with its error document. GET requests:
test_open311_requests.py; a third-party client: test_open311_client.py."""

import json
from datetime import datetime

import pytest
from defusedxml import ElementTree

from portal.api.open311_format import to_xml
from portal.core import site
from portal.extensions import db

BASE = "/open311/v2"
FORMATS = ("xml", "json")

# --- The specification's field lists -------------------------------------------------------
DISCOVERY_FIELDS = ["changeset", "contact", "key_service", "endpoints"]
ENDPOINT_FIELDS = ["specification", "url", "changeset", "type", "formats"]
SERVICE_FIELDS = [
    "service_code",
    "service_name",
    "description",
    "metadata",
    "type",
    "keywords",
    "group",
]
SERVICE_TYPES = {"realtime", "batch", "blackbox"}
DEFINITION_FIELDS = ["service_code", "attributes"]
ATTRIBUTE_FIELDS = [
    "variable",
    "code",
    "datatype",
    "required",
    "datatype_description",
    "order",
    "description",
    "values",
]
DATATYPES = {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"}
REQUEST_FIELDS = [  # GET Service Requests / GET Service Request, in the specification's order
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]
# The ones the specification does not mark "May not be returned".
REQUEST_REQUIRED = {
    "service_request_id",
    "status",
    "service_name",
    "service_code",
    "description",
    "requested_datetime",
    "updated_datetime",
}
# Where a case happened, or a photo of it, could identify the citizen: never published.
LOCATION_FIELDS = {"address", "address_id", "zipcode", "lat", "long", "media_url"}
ERROR_FIELDS = ["code", "description"]
# XML element holding repeated children -> the children's name.
LISTS = {
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "service_requests": "request",
    "errors": "error",
}


# --- Reading both formats into one shape ----------------------------------------------------
def _from_xml(element):
    children = list(element)
    if element.tag in LISTS:
        assert all(child.tag == LISTS[element.tag] for child in children), element.tag
        return [_from_xml(child) for child in children]
    if not children:
        return element.text or None
    tags = [child.tag for child in children]
    assert len(tags) == len(set(tags)), f"repeated element in {element.tag}"
    return {child.tag: _from_xml(child) for child in children}


def _as_text(value):
    """JSON values as XML carries them: text, booleans as true/false, null as empty."""
    if isinstance(value, dict):
        return {key: _as_text(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_as_text(child) for child in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return None if value is None else str(value)


def fetch(api, path, fmt, *, status=200, **kwargs):
    """GET a resource in one format; check the envelope; return (root tag or None, document)."""
    response = api.get(path.replace("{fmt}", fmt), **kwargs)
    body = response.get_data()
    assert response.status_code == status, body.decode()
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    if fmt == "xml":
        assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
        assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
        root = ElementTree.fromstring(body)
        return root.tag, _from_xml(root)
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    return None, json.loads(body.decode("utf-8"))


def both(api, path, *, status=200, **kwargs):
    """The JSON document, after checking the XML one says exactly the same."""
    root, from_xml = fetch(api, path, "xml", status=status, **kwargs)
    _, from_json = fetch(api, path, "json", status=status, **kwargs)
    assert from_xml == _as_text(from_json)
    return root, from_json


def assert_error(api, path, status, *, method="GET"):
    """Both formats answer with the error document (XML where the extension names no format)."""
    for fmt in FORMATS:
        response = api.open(path.replace("{fmt}", fmt), method=method)
        assert response.status_code == status, response.get_data(as_text=True)
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        body = response.get_data()
        if "{fmt}" in path and fmt == "json":
            assert response.headers["Content-Type"] == "application/json; charset=utf-8"
            document = json.loads(body)
        else:
            assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
            root = ElementTree.fromstring(body)
            assert root.tag == "errors"
            document = [
                {child.tag: child.text for child in error} for error in root.findall("error")
            ]
            document = [{**error, "code": int(error["code"])} for error in document]
        assert [list(error) for error in document] == [ERROR_FIELDS]
        assert document[0]["code"] == status
        assert document[0]["description"]


# --- Fixtures -------------------------------------------------------------------------------
@pytest.fixture
def api(app):
    return app.test_client()


# --- Discovery ------------------------------------------------------------------------------
def test_discovery_has_the_service_discovery_fields(app, api):
    with app.app_context():
        site.save({"agency_name": "Sở Tài chính", "email": "lienhe@stc.example.vn"})
        db.session.commit()

    root, document = both(api, f"{BASE}/discovery.{{fmt}}")

    assert root == "discovery"
    assert list(document) == DISCOVERY_FIELDS
    assert "lienhe@stc.example.vn" in document["contact"]
    assert "Sở Tài chính" in document["contact"]
    [endpoint] = document["endpoints"]
    assert list(endpoint) == ENDPOINT_FIELDS
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://localhost/open311/v2"
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert endpoint["changeset"] == document["changeset"]
    datetime.fromisoformat(document["changeset"])


# --- Services -------------------------------------------------------------------------------
def test_services_list_one_service_per_kind_and_topic(api):
    root, services = both(api, f"{BASE}/services.{{fmt}}")

    assert root == "services"
    assert len(services) == 4 * 6
    assert all(list(service) == SERVICE_FIELDS for service in services)
    by_code = {service["service_code"]: service for service in services}
    assert len(by_code) == len(services)
    assert by_code["complaint-procedure"]["group"] == "Khiếu nại"
    assert by_code["complaint-procedure"]["service_name"] == "Khiếu nại: Thủ tục hành chính"
    for code, service in by_code.items():
        kind = code.split("-")[0]
        assert service["type"] in SERVICE_TYPES
        assert service["type"] == ("batch" if kind in ("complaint", "denunciation") else "realtime")
        assert service["metadata"] is True  # every service has attributes (at least consent)
        assert service["description"] and service["keywords"]


@pytest.mark.parametrize(
    "how", [{"query_string": {"locale": "en"}}, {"headers": {"Accept-Language": "en-GB,en;q=0.8"}}]
)
def test_services_speak_english_when_asked(api, how):
    _, services = fetch(api, f"{BASE}/services.json", "json", **how)

    by_code = {service["service_code"]: service for service in services}
    assert by_code["petition-policy"]["service_name"] == "Petition: A policy"
    assert by_code["petition-policy"]["group"] == "Petition"


def test_an_unknown_locale_is_a_bad_request(api):
    assert_error(api, f"{BASE}/services.{{fmt}}?locale=fr", 400)


# --- Service definitions --------------------------------------------------------------------
def _definition(api, code):
    root, definition = both(api, f"{BASE}/services/{code}.{{fmt}}?locale=en")
    assert root == "service_definition"
    assert list(definition) == DEFINITION_FIELDS
    assert definition["service_code"] == code
    attributes = definition["attributes"]
    for attribute in attributes:
        assert list(attribute) == ATTRIBUTE_FIELDS
        assert attribute["datatype"] in DATATYPES
        assert attribute["variable"] is True
    assert [a["order"] for a in attributes] == list(range(1, len(attributes) + 1))
    return {a["code"]: a for a in attributes}


def test_a_complaint_needs_the_decision_and_when_it_was_learnt(api):
    attributes = _definition(api, "complaint-procedure")

    decision, known_on = attributes["decision_concerned"], attributes["decision_known_on"]
    assert (decision["datatype"], decision["required"]) == ("text", True)
    assert decision["description"] == "The decision or act you complain about"
    assert (known_on["datatype"], known_on["required"]) == ("datetime", True)
    assert "90 days" in known_on["datatype_description"]


def test_a_denunciation_needs_the_denouncers_name_and_contact(api):
    attributes = _definition(api, "denunciation-public-finance")

    for code in ("full_name", "address", "contact"):
        assert attributes[code]["required"] is True
        assert attributes[code]["datatype"] == "string"


def test_a_report_of_harassment_may_be_anonymous(api):
    attributes = _definition(api, "denunciation-harassment")

    assert {code: a["required"] for code, a in attributes.items()} == {
        "full_name": False,
        "address": False,
        "contact": False,
    }


@pytest.mark.parametrize("code", ["reflection-other", "petition-procedure", "complaint-policy"])
def test_a_request_may_consent_to_publication_except_a_denunciation(api, code):
    consent = _definition(api, code)["publish_consent"]

    assert (consent["datatype"], consent["required"]) == ("singlevaluelist", False)
    assert consent["values"] == [{"key": "yes", "name": "Yes"}, {"key": "no", "name": "No"}]
    assert "publish_consent" not in _definition(api, "denunciation-policy")


@pytest.mark.parametrize("code", ["reflection-other", "petition-procedure", "complaint-policy"])
def test_a_request_may_ask_for_confidentiality_a_denunciation_has_it_anyway(api, code):
    confidential = _definition(api, code)["confidential"]

    assert (confidential["datatype"], confidential["required"]) == ("singlevaluelist", False)
    assert confidential["values"] == [{"key": "yes", "name": "Yes"}, {"key": "no", "name": "No"}]
    assert "confidential" not in _definition(api, "denunciation-policy")


def test_a_reflection_asks_nothing_else(api):
    assert list(_definition(api, "reflection-other")) == ["publish_consent", "confidential"]


def test_an_unknown_service_code_is_not_found(api):
    assert_error(api, f"{BASE}/services/complaint-nothing.{{fmt}}", 404)
    assert_error(api, f"{BASE}/services/%3Cscript%3E.{{fmt}}", 404)


# --- Bad input ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "query",
    [
        "start_date=yesterday",
        "start_date=2026-13-01",
        "end_date=2026-02-30T00:00:00Z",
        "start_date=2026-01-01T00:00:00",  # no timezone
        "start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z",  # over 90 days
        "start_date=2026-03-01&end_date=2026-02-01",  # start after end
        "end_date=0001-01-01",
        "start_date=9999-12-31",
        "start_date=" + "2" * 500,
        "status=pending",
        "status=open,reopened",
        "service_code=complaint-nothing",
        "page_size=201",
        "page_size=0",
        "page_size=-1",
        "page=0",
        "page=abc",
        "page=99999999999999999999",
        "service_request_id=" + ",".join(f"PA-2026-{n:06d}" for n in range(201)),
        "service_request_id=" + "P" * 41,
    ],
)
def test_bad_arguments_are_answered_with_400_in_the_error_format(api, query):
    assert_error(api, f"{BASE}/requests.{{fmt}}?{query}", 400)


@pytest.mark.parametrize(
    "path",
    [
        f"{BASE}/services.csv",
        f"{BASE}/services.XML",
        f"{BASE}/discovery.html",
        f"{BASE}/requests.rss",
        f"{BASE}/requests/PA-2026-000001.txt",
        f"{BASE}/services/complaint-procedure.yaml",
        f"{BASE}/requests/PA-2099-999999.{{fmt}}",
        f"{BASE}/tokens.{{fmt}}",
        f"{BASE}/",
        f"{BASE}/no/such/thing.{{fmt}}",
    ],
)
def test_unknown_resources_and_formats_are_404_in_the_error_format(api, path):
    assert_error(api, path, 404)


def test_writing_to_a_read_only_resource_is_not_allowed(api):
    assert_error(api, f"{BASE}/services.{{fmt}}", 405, method="POST")
    assert_error(api, f"{BASE}/services.{{fmt}}", 405, method="DELETE")
    assert_error(api, f"{BASE}/requests.{{fmt}}", 405, method="DELETE")
    assert_error(api, f"{BASE}/tokens/abc.{{fmt}}", 405, method="POST")
    response = api.post(f"{BASE}/services.json")
    assert "GET" in response.headers["Allow"]


def test_a_fault_of_ours_is_answered_in_the_error_format(app, api, monkeypatch):
    from portal.api import open311_queries

    def broken(query):
        raise RuntimeError("database went away")

    monkeypatch.setattr(open311_queries, "service_requests", broken)

    response = api.get(f"{BASE}/requests.json")

    assert response.status_code == 500
    assert response.get_json()[0]["code"] == 500
    assert "database" not in response.get_data(as_text=True)


def test_xml_escapes_markup_and_drops_what_xml_cannot_carry():
    body = to_xml("services", [{"service_name": 'a <b> & "c"\x0b\x00 đ', "metadata": True}])

    root = ElementTree.fromstring(body)
    assert root.find("service/service_name").text == 'a <b> & "c" đ'
    assert root.find("service/metadata").text == "true"
