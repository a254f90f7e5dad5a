"""The OpenAPI description at /api/openapi.json: served, valid, complete (every API route of
app.url_map), and true: schemathesis calls every GET operation with generated arguments and no
answer may be a server error or depart from the documented status codes, types and schemas."""

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.answers.models import AnswerStatus
from portal.api import openapi
from portal.core.site import SiteSetting
from portal.extensions import db
from tests.api.test_open311_requests import make_case
from tests.contacts.factories import create_hotline, create_office, create_rule, create_unit
from tests.disclosures.factories import create_category, create_disclosure, open_consultation
from tests.procedures.factories import create_procedure

DOCUMENT = "/api/openapi.json"
API_PREFIXES = ("/api/v1", "/open311/v2")
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api(app):
    return app.test_client()


@pytest.fixture
def sample_data(app):
    """A little of everything public, so the answers checked are not all empty lists."""
    with app.app_context():
        db.session.add(SiteSetting(key="agency_name", value="Sở Nội vụ tỉnh Thử"))
        db.session.commit()
        unit = create_unit(name="Phòng Pháp chế", name_en="Legal Division", handles_cases=True)
        category = create_category(name="Ngân sách", slug="ngan-sach")
        create_disclosure(category=category, title="Dự toán ngân sách", unit=unit)
        open_consultation(category=category, title="Dự thảo quy chế")
        create_procedure()
        create_hotline(label="Đường dây nóng", is_main=True)
        create_office()
        create_rule()
        unit_id = unit.id
    make_case(app, answer=AnswerStatus.PUBLISHED, handling_unit_id=unit_id)


def rule_paths(app):
    """The OpenAPI path of every API route (each format of an Open311 resource)."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API_PREFIXES) or "GET" not in rule.methods:
            continue
        if rule.endpoint.endswith(".unknown"):
            continue  # the catch-alls that answer 404/405 in each API's error format
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        if "{fmt}" in path:
            yield from (path.replace("{fmt}", fmt) for fmt in ("json", "xml"))
        else:
            yield path


# --- The document --------------------------------------------------------------------------


def test_the_document_is_served_as_json_to_any_origin_and_cached(app, api, sample_data):
    response = api.get(DOCUMENT, base_url="https://cong.example.vn")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "max-age" in response.headers["Cache-Control"]
    document = response.get_json()
    assert document["openapi"].startswith("3.")
    assert document["servers"] == [{"url": "https://cong.example.vn"}]
    assert "Sở Nội vụ tỉnh Thử" in document["info"]["title"]
    assert document["info"]["version"]
    again = api.get(
        DOCUMENT,
        base_url="https://cong.example.vn",
        headers={"If-None-Match": response.headers["ETag"]},
    )
    assert again.status_code == 304


def test_the_document_is_a_valid_openapi_description(app, api):
    document = api.get(DOCUMENT).get_json()
    schema = schemathesis.openapi.from_dict(document)
    schema.validate()  # against the OpenAPI 3.0 meta-schema; raises on any error
    operations = [result.ok() for result in schema.get_all_operations()]
    described = sum(len(methods) for methods in document["paths"].values())
    assert len(operations) == described
    assert {op.method.upper() for op in operations} == {"GET"}


def test_every_api_route_is_described(app, api):
    paths = api.get(DOCUMENT).get_json()["paths"]
    routes = set(rule_paths(app))
    assert routes, "no API route found in app.url_map"
    missing = sorted(path for path in routes if "get" not in paths.get(path, {}))
    assert not missing, f"routes missing from {DOCUMENT}: {missing}"
    described = {p for p in paths if p.startswith(API_PREFIXES)}
    assert described <= routes, f"described but not routed: {sorted(described - routes)}"


LISTS = (
    "/api/v1/disclosures",
    "/api/v1/disclosure-categories",
    "/api/v1/procedures",
    "/api/v1/hotlines",
    "/api/v1/units",
    "/open311/v2/requests.json",
)


def test_the_sample_data_fills_every_list(api, sample_data):
    for path in LISTS:
        payload = api.get(path).get_json()
        assert payload["data"] if isinstance(payload, dict) else payload, path


# --- Every operation against the app -------------------------------------------------------


# Built without the app: the paths are fixed (only servers and info depend on the request).
PATHS = sorted(openapi.document(server_url="", agency="")["paths"])
SETTINGS = settings(
    max_examples=15,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.function_scoped_fixture,
    ],
)


@pytest.mark.parametrize("path", PATHS)
def test_every_answer_conforms_to_the_document(app, sample_data, path):
    # schemathesis' own pytest loader (from_fixture) fails on pytest 9 (`Function._nodeid`),
    # so each operation is driven by its hypothesis strategy here.
    operation = schemathesis.openapi.from_wsgi(DOCUMENT, app)[path]["GET"]

    @SETTINGS
    @given(case=operation.as_strategy())
    def check(case):
        case.call_and_validate(checks=CHECKS)

    check()


@pytest.mark.parametrize(
    "path",
    [
        "/open311/v2/requests/PA%00.json",
        "/open311/v2/requests.xml?service_request_id=PA-1&service_request_id=PA%00",
        "/open311/v2/services/a%00.json",
        "/api/v1/disclosures/a%00",
        "/api/v1/disclosures?category=%00",
    ],
)
def test_a_nul_character_is_a_bad_request_not_a_server_error(api, path):
    # PostgreSQL refuses NUL in a string; hypothesis rarely sends one in 15 examples.
    assert api.get(path).status_code == 400
