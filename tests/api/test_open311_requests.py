"""Open311 GeoReport v2, GET requests: the fields of a public request, which cases may be
published and what never is, the status mapping, the filters and the pages."""

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from defusedxml import ElementTree
from sqlalchemy import event

from portal.answers.models import AnswerStatus, PublishedAnswer
from portal.cases.models import Case, CaseStatus
from portal.extensions import db
from tests.api.test_open311 import (
    BASE,
    FORMATS,
    LOCATION_FIELDS,
    REQUEST_FIELDS,
    REQUEST_REQUIRED,
    assert_error,
    both,
    fetch,
)
from tests.cases.factories import create_case
from tests.contacts.factories import create_unit

# --- Personal data a response must never carry ---------------------------------------------
NAME = "Lò Thị Xuyến"
EMAIL = "xuyen.lo@example.vn"
PHONE = "0987654321"
TITLE = "Hồ sơ đất của nhà tôi ở bản Nà Cạn bị trả lại"
DESCRIPTION = "Ngày 3/10 tôi nộp hồ sơ tại bộ phận một cửa, đến nay chưa có kết quả."
PLACE = "Thôn Nà Cạn, xã Tân Đoàn"
SECRETS = (NAME, EMAIL, PHONE, "0987 654 321", TITLE, DESCRIPTION, PLACE, "Nà Cạn")

QUESTION = "Hồ sơ cấp giấy chứng nhận quyền sử dụng đất giải quyết trong bao lâu?"
ANSWER = "Thời hạn giải quyết là 15 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ."


@pytest.fixture
def api(app):
    return app.test_client()


def make_case(app, *, then=None, answer=None, **fields):
    """A case with the citizen's identity, place and text, and optionally a published answer.

    `then` sets columns create_case sets itself (confidential, acceptance_due_on).
    """
    fields.setdefault("publish_consent", True)
    fields.setdefault("kind", "petition")
    fields.setdefault("received_at", datetime.now(UTC) - timedelta(days=3))
    with app.app_context():
        case, _key = create_case(
            name=NAME,
            email=EMAIL,
            phone=PHONE,
            title=TITLE,
            description=DESCRIPTION,
            place=PLACE,
            **fields,
        )
        if then:
            saved = db.session.get(Case, case.id)
            for column, value in then.items():
                setattr(saved, column, value)
            db.session.commit()
        if answer is not None:
            db.session.add(
                PublishedAnswer(
                    case_id=case.id,
                    kind=case.kind,
                    topic=case.topic,
                    title="Thời hạn cấp giấy chứng nhận",
                    question=QUESTION,
                    answer=ANSWER,
                    status=answer,
                    published_at=datetime.now(UTC) if answer == AnswerStatus.PUBLISHED else None,
                )
            )
            db.session.commit()
    return case


@pytest.fixture
def world(app):
    """One public request of each kind that can be public, and the cases that never are."""
    with app.app_context():
        unit = create_unit(
            name='Phòng <Thanh tra> & "Pháp chế"',
            name_en="Inspection & Legal <Division>",
            handles_cases=True,
        )
    public = make_case(
        app,
        topic="procedure",
        status="responded",
        handling_unit_id=unit.id,
        resolution_due_on=date(2026, 12, 24),
        answer=AnswerStatus.PUBLISHED,
    )
    hidden = {
        "no consent": make_case(app, publish_consent=False),
        "denunciation": make_case(app, kind="denunciation", topic="harassment"),
        "confidential": make_case(app, kind="complaint", then={"confidential": True}),
        "was a denunciation": make_case(app, kind="complaint", submitted_kind="denunciation"),
    }
    return unit, public, hidden


# --- Service requests: what is published ----------------------------------------------------
def test_a_public_request_has_the_specifications_fields(api, world):
    _unit, public, _hidden = world

    root, requests = both(api, f"{BASE}/requests.{{fmt}}")

    assert root == "service_requests"
    [request] = requests
    assert REQUEST_REQUIRED <= set(request) <= set(REQUEST_FIELDS)
    assert not LOCATION_FIELDS & set(request)
    assert list(request) == [field for field in REQUEST_FIELDS if field in request]
    assert request["service_request_id"] == public.number
    assert request["status"] == "closed"
    assert request["status_notes"] == ANSWER
    assert request["description"] == QUESTION
    assert request["service_code"] == "petition-procedure"
    assert request["service_name"] == "Kiến nghị: Thủ tục hành chính"
    assert request["agency_responsible"] == 'Phòng <Thanh tra> & "Pháp chế"'
    requested = datetime.fromisoformat(request["requested_datetime"])
    assert request["requested_datetime"].endswith("+07:00")
    assert requested == public.received_at.replace(microsecond=0)
    assert datetime.fromisoformat(request["updated_datetime"]).tzinfo is not None
    # The statutory deadline is a day, met until its end (Vietnam time).
    assert request["expected_datetime"] == "2026-12-24T23:59:59+07:00"


def test_one_request_by_its_number(api, world):
    _unit, public, _hidden = world

    root, requests = both(api, f"{BASE}/requests/{public.number}.{{fmt}}")

    assert root == "service_requests"
    assert [r["service_request_id"] for r in requests] == [public.number]
    assert REQUEST_REQUIRED <= set(requests[0]) <= set(REQUEST_FIELDS) - LOCATION_FIELDS


def test_unit_names_are_escaped_and_english_when_asked(api, world):
    response = api.get(f"{BASE}/requests.xml?locale=en")

    assert b"Inspection &amp; Legal &lt;Division&gt;" in response.get_data()
    root = ElementTree.fromstring(response.get_data())
    assert root.find("request/agency_responsible").text == "Inspection & Legal <Division>"
    assert root.find("request/service_name").text == "Petition: An administrative procedure"


def test_cases_without_consent_denunciations_and_confidential_cases_never_appear(api, world):
    _unit, public, hidden = world

    _, requests = both(api, f"{BASE}/requests.{{fmt}}")
    numbers = ",".join(case.number for case in hidden.values())
    _, by_id = both(api, f"{BASE}/requests.{{fmt}}?service_request_id={numbers}")

    assert [r["service_request_id"] for r in requests] == [public.number]
    assert by_id == []
    for case in hidden.values():
        assert_error(api, f"{BASE}/requests/{case.number}.{{fmt}}", 404)


def test_no_response_carries_the_citizens_identity_or_text(api, world):
    _unit, public, hidden = world
    paths = [
        "/discovery",
        "/services",
        "/services/complaint-procedure",
        "/requests",
        f"/requests/{public.number}",
        "/requests?service_request_id=" + ",".join(c.number for c in hidden.values()),
        "/requests?status=open",
    ] + [f"/requests/{case.number}" for case in hidden.values()]

    for path in paths:
        for fmt in FORMATS:
            base, _, query = path.partition("?")
            body = api.get(f"{BASE}{base}.{fmt}", query_string=query).get_data(as_text=True)
            if fmt == "json":
                body = json.dumps(json.loads(body), ensure_ascii=False)
            for secret in SECRETS:
                assert secret not in body, f"{secret!r} in {path}.{fmt}"


def test_without_a_published_answer_notes_and_description_are_empty(app, api):
    draft = make_case(app, status="responded", answer=AnswerStatus.DRAFT)
    withdrawn = make_case(app, status="closed", answer=AnswerStatus.WITHDRAWN)
    bare = make_case(app, status="verifying")

    _, requests = both(api, f"{BASE}/requests.{{fmt}}")

    assert {r["service_request_id"] for r in requests} == {
        draft.number,
        withdrawn.number,
        bare.number,
    }
    for request in requests:
        assert request["status_notes"] is None
        assert request["description"] is None
        assert request["agency_responsible"] is None


CLOSED = {"responded", "closed", "not-accepted", "transferred", "merged", "withdrawn"}


@pytest.mark.parametrize("status", list(CaseStatus))
def test_workflow_statuses_map_to_open_or_closed(app, api, status):
    case = make_case(app, status=status)

    _, [request] = fetch(api, f"{BASE}/requests/{case.number}.json", "json")

    assert request["status"] == ("closed" if status in CLOSED else "open")


def test_expected_datetime_is_the_acceptance_deadline_before_acceptance(app, api):
    case = make_case(app, status="received", then={"acceptance_due_on": date(2027, 1, 5)})

    _, [request] = fetch(api, f"{BASE}/requests/{case.number}.json", "json")

    assert request["expected_datetime"] == "2027-01-05T23:59:59+07:00"


# --- Service requests: filters and pages ----------------------------------------------------
def _numbers(api, query=""):
    _, requests = both(api, f"{BASE}/requests.{{fmt}}{query}")
    return [r["service_request_id"] for r in requests]


def test_filters_by_service_code_and_status(app, api):
    now = datetime.now(UTC)
    open_policy = make_case(app, topic="policy", status="assigned", received_at=now)
    closed_policy = make_case(
        app, topic="policy", status="closed", received_at=now - timedelta(hours=1)
    )
    reflection = make_case(
        app, kind="reflection", topic="other", received_at=now - timedelta(hours=2)
    )

    assert _numbers(api, "?service_code=petition-policy") == [
        open_policy.number,
        closed_policy.number,
    ]
    assert _numbers(api, "?service_code=petition-policy,reflection-other&status=closed") == [
        closed_policy.number
    ]
    assert _numbers(api, "?service_code=reflection-other&service_code=petition-policy") == [
        open_policy.number,
        closed_policy.number,
        reflection.number,
    ]
    assert _numbers(api, "?status=open") == [open_policy.number, reflection.number]
    assert _numbers(api, "?status=open,closed") == _numbers(api)
    assert _numbers(api, "?status=&service_code=") == _numbers(api)  # empty = not sent


def test_dates_default_to_the_last_90_days(app, api):
    now = datetime.now(UTC)
    recent = make_case(app, received_at=now - timedelta(days=89))
    old = make_case(app, received_at=now - timedelta(days=91))

    assert _numbers(api) == [recent.number]
    start = (now - timedelta(days=120)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (now - timedelta(days=90)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _numbers(api, f"?start_date={start}&end_date={end}") == [old.number]
    long_ago = (now - timedelta(days=180)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert _numbers(api, f"?start_date={long_ago}") == [old.number]  # 90 days from the start
    assert _numbers(api, f"?end_date={end}") == [old.number]  # 90 days up to the end
    # A list of ids overrides every other argument, the dates included.
    assert _numbers(api, f"?service_request_id={old.number},{recent.number}&status=open") == [
        recent.number,
        old.number,
    ]


def test_dates_may_be_days_in_vietnam_or_moments_with_a_timezone(app, api):
    # 2026-10-01 00:30 in Vietnam is still 30 September in UTC.
    case = make_case(app, received_at=datetime(2026, 9, 30, 17, 30, tzinfo=UTC))

    assert _numbers(api, "?start_date=2026-10-01&end_date=2026-10-01") == [case.number]
    assert _numbers(api, "?start_date=2026-09-30T17:30:00Z&end_date=2026-10-02") == [case.number]
    assert _numbers(api, "?start_date=2026-10-01T00:31:00%2B07:00&end_date=2026-10-02") == []


def test_pages_newest_first(app, api):
    now = datetime.now(UTC)
    cases = [make_case(app, received_at=now - timedelta(hours=h)) for h in range(5)]
    numbers = [case.number for case in cases]

    assert _numbers(api) == numbers
    assert _numbers(api, "?page_size=2") == numbers[:2]
    assert _numbers(api, "?page_size=2&page=2") == numbers[2:4]
    assert _numbers(api, "?page_size=2&page=3") == numbers[4:]
    assert _numbers(api, "?page_size=2&page=4") == []
    assert _numbers(api, "?page_size=200") == numbers


def test_a_page_of_requests_takes_the_same_queries_however_many_it_holds(app, api):
    def count_queries(path):
        statements = []
        with app.app_context():
            engine = db.engine

        def record(*args):
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", record)
        try:
            api.get(path)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(statements)

    make_case(app, answer=AnswerStatus.PUBLISHED)
    one = count_queries(f"{BASE}/requests.json")
    for _ in range(6):
        make_case(app, answer=AnswerStatus.PUBLISHED)

    assert count_queries(f"{BASE}/requests.json") == one
