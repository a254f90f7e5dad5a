"""The OpenAPI description at /api/openapi.json: served, valid, complete (every method of every
API route of app.url_map), and true: schemathesis calls every operation with generated
arguments and no answer may be a server error or depart from the documented status codes,
types and schemas. POST requests is fuzzed twice: with a key that is not valid (always
refused) and with a partner's real key (the whole validation path: recorded, or refused
without recording anything)."""

import re
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
import schemathesis
from defusedxml import ElementTree
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from portal.answers.models import AnswerStatus
from portal.api import openapi, partners
from portal.api.models import Open311Submission
from portal.api.open311_services import BY_CODE, Attribute
from portal.cases.models import Case, CaseStatus
from portal.core.site import SiteSetting
from portal.core.workdays import VIETNAM
from portal.extensions import db
from tests.api.test_open311_requests import make_case
from tests.contacts.factories import create_hotline, create_office, create_rule, create_unit
from tests.disclosures.factories import create_category, create_disclosure, open_consultation
from tests.factories import create_user
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


@pytest.fixture
def partner_key(app):
    """A live key of a registered partner system, in clear (as the admin was shown it)."""
    with app.app_context():
        admin = create_user(role="admin")
        partner = partners.create_partner(name="Tổng đài 1022", by=admin)
        _key, raw = partners.issue_key(partner, by=admin)
    return raw


def rule_operations(app):
    """(OpenAPI path, method) of every API route (each format of an Open311 resource)."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(API_PREFIXES):
            continue
        if rule.endpoint.endswith(".unknown"):
            continue  # the catch-alls that answer 404/405 in each API's error format
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        paths = [path.replace("{fmt}", fmt) for fmt in ("json", "xml")]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            yield from ((each, method.lower()) for each in dict.fromkeys(paths))


def described_operations(document):
    return {
        (path, method)
        for path, methods in document["paths"].items()
        if path.startswith(API_PREFIXES)
        for method in methods
    }


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
    # The tests below fuzz GETs and POST requests; another method needs its own test.
    assert {op.method.upper() for op in operations} == {"GET", "POST"}
    assert sorted(op.path for op in operations if op.method.upper() == "POST") == POSTS


def test_every_api_route_and_method_is_described(app, api):
    document = api.get(DOCUMENT).get_json()
    routes = set(rule_operations(app))
    assert ("/open311/v2/requests.json", "post") in routes
    described = described_operations(document)
    missing = sorted(routes - described)
    assert not missing, f"routes missing from {DOCUMENT}: {missing}"
    extra = sorted(described - routes)
    assert not extra, f"described but not routed: {extra}"


def test_a_route_or_method_left_out_of_the_document_fails_the_walk(app, api):
    document = api.get(DOCUMENT).get_json()
    without_post = {**document, "paths": dict(document["paths"])}
    without_post["paths"]["/open311/v2/requests.xml"] = {"get": {}}
    missing = set(rule_operations(app)) - described_operations(without_post)
    assert missing == {("/open311/v2/requests.xml", "post")}


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
BUILT = openapi.document(server_url="", agency="")
OPERATIONS = BUILT["paths"]
GETS = sorted(path for path, methods in OPERATIONS.items() if "get" in methods)
POSTS = sorted(path for path, methods in OPERATIONS.items() if "post" in methods)
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


@pytest.mark.parametrize("path", GETS)
def test_every_answer_conforms_to_the_document(app, sample_data, path):
    # schemathesis' own pytest loader (from_fixture) fails on pytest 9 (`Function._nodeid`),
    # so each operation is driven by its hypothesis strategy here.
    operation = schemathesis.openapi.from_wsgi(DOCUMENT, app)[path]["GET"]

    @SETTINGS
    @given(case=operation.as_strategy())
    def check(case):
        case.call_and_validate(checks=CHECKS)

    check()


# --- POST requests, fuzzed ----------------------------------------------------------------

FORM_TYPE = "application/x-www-form-urlencoded"
FORM = BUILT["components"]["schemas"]["Open311NewServiceRequest"]
OFFSETS = st.sampled_from([UTC, VIETNAM, timezone(timedelta(hours=-5))])


def recorded(app) -> tuple[int, int]:
    """How many cases there are, and how many of them a partner sent."""
    with app.app_context():
        count = db.func.count()
        return (
            db.session.scalar(db.select(count).select_from(Case)),
            db.session.scalar(db.select(count).select_from(Open311Submission)),
        )


def newest_submission(app) -> tuple[str, str | None]:
    """(the case's number, the token) of the last case a partner sent."""
    with app.app_context():
        row = db.session.execute(
            db.select(Case.number, Open311Submission.token)
            .join(Open311Submission, Open311Submission.case_id == Case.id)
            .order_by(Open311Submission.id.desc())
            .limit(1)
        ).one()
        return row.number, row.token


def answered(fmt: str, response) -> dict:
    """The one request a 200 of POST requests or tokens/{token} describes, in either format."""
    if fmt == "json":
        [document] = response.json()
        return document
    root = ElementTree.fromstring(response.content)
    assert root.tag == "service_requests"
    [request] = root
    return {child.tag: child.text for child in request}


def attribute_values(attribute: Attribute) -> st.SearchStrategy[str]:
    if attribute.values:
        return st.sampled_from([key for key, _name in attribute.values])
    if attribute.datatype == "datetime":
        return st.one_of(
            st.dates().map(date.isoformat),
            st.datetimes(timezones=OFFSETS).map(datetime.isoformat),
        )
    if attribute.code == "contact":  # a phone number or an e-mail address
        return st.one_of(st.emails(), st.from_regex(r"0[35789]\d{8}", fullmatch=True), st.text())
    return st.text().filter(str.strip)  # a blank one is as good as none: tried without conform


def conform(body: dict, data) -> None:
    """Fit a generated form to its service's definition, its values still generated: no field
    the document does not name, no attribute the service lacks, each required one given.
    Left to chance, a form for a complaint almost never holds its five required attributes."""
    service = BY_CODE[body["service_code"]]
    defined = {f"attribute[{attribute.code}]": attribute for attribute in service.attributes}
    for name in list(body):
        if name not in FORM["properties"] or (
            name.startswith("attribute[") and name not in defined
        ):
            del body[name]
    for name, attribute in defined.items():
        if attribute.required and name not in body:
            body[name] = data.draw(attribute_values(attribute), label=name)


@pytest.mark.usefixtures("partner_key")  # a live key exists; random ones never match it
@pytest.mark.parametrize("path", POSTS)
def test_a_post_without_a_valid_key_is_refused_as_documented(app, path):
    operation = schemathesis.openapi.from_wsgi(DOCUMENT, app)[path]["POST"]
    before = recorded(app)

    @SETTINGS
    @given(case=operation.as_strategy(), without_key=st.booleans())
    def check(case, without_key):
        if without_key:
            case.body.pop("api_key", None)
        response = case.call_and_validate(checks=CHECKS)
        # 404 (a format) and 429 (the suite's limiter is off) are documented, not expected.
        assert response.status_code in (400, 403, 404, 429)
        assert recorded(app) == before

    check()


@pytest.mark.parametrize("path", POSTS)
def test_a_post_with_a_partner_key_records_one_case_or_nothing(app, partner_key, path):
    operation = schemathesis.openapi.from_wsgi(DOCUMENT, app)[path]["POST"]
    statuses = []

    @SETTINGS
    @given(case=operation.as_strategy(), data=st.data())
    def check(case, data):
        case.body["api_key"] = partner_key  # the whole validation path, past the key
        if data.draw(st.booleans(), label="conform"):
            conform(case.body, data)
        cases, submissions = recorded(app)
        response = case.call_and_validate(checks=CHECKS)
        statuses.append(response.status_code)
        assert response.status_code in (200, 400)
        if response.status_code == 400:
            # Refused: nothing was half-recorded.
            assert recorded(app) == (cases, submissions)
            return
        assert recorded(app) == (cases + 1, submissions + 1)
        number, token = newest_submission(app)
        document = answered(path.rsplit(".", 1)[-1], response)
        if token is None:
            assert document["service_request_id"] == number
        else:
            assert document["token"] == token

    check()
    # Both outcomes were reached, or the fuzzing proved little.
    assert {200, 400} <= set(statuses), statuses


# --- By hand ------------------------------------------------------------------------------

COMPLAINT = {
    "service_code": "complaint-procedure",
    "description": "Khiếu nại quyết định trả lại hồ sơ cấp giấy chứng nhận",
    "attribute[decision_concerned]": "Quyết định 12/QĐ-UBND ngày 03/10",
    "attribute[decision_known_on]": "2026-11-01T09:30:00+07:00",
    "attribute[full_name]": "Nguyễn Văn An",
    "attribute[address]": "Thôn Nà Cạn, xã Tân Đoàn",
    "attribute[contact]": "0987654321",
}


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_batch_request_and_its_token_answer_as_documented(app, partner_key, fmt):
    # Fuzzing seldom completes a complaint, and never guesses a live token: both by hand.
    schema = schemathesis.openapi.from_wsgi(DOCUMENT, app)
    created = schema[f"/open311/v2/requests.{fmt}"]["POST"].Case(
        body={"api_key": partner_key, **COMPLAINT}, media_type=FORM_TYPE
    )
    response = created.call_and_validate(checks=CHECKS)
    assert response.status_code == 200
    number, token = newest_submission(app)
    assert answered(fmt, response)["token"] == token
    status = schema[f"/open311/v2/tokens/{{token}}.{fmt}"]["GET"]

    def registered() -> str | None:
        response = status.Case(path_parameters={"token": token}).call_and_validate(checks=CHECKS)
        assert response.status_code == 200
        document = answered(fmt, response)
        assert document["token"] == token
        return document["service_request_id"]

    assert registered() is None  # until the Inspectorate registers the case
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.number == number))
        case.status = CaseStatus.CLASSIFIED
        db.session.commit()
    assert registered() == number


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


@pytest.mark.parametrize("known_on", ["0001-01-01T00:00:00+07:01", "9999-12-31T23:59:59-05:00"])
def test_a_decision_date_out_of_range_is_a_bad_request_not_a_server_error(
    app, api, partner_key, known_on
):
    form = {"api_key": partner_key, **COMPLAINT, "attribute[decision_known_on]": known_on}
    assert api.post("/open311/v2/requests.json", data=form).status_code == 400
    assert recorded(app) == (0, 0)
