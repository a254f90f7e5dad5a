"""A third-party GeoReport v2 client from PyPI (`georeport`) lists the services and reads the
requests of the portal served on a local port, in JSON and in XML.

(`open311` 1.1 on PyPI, the other client, is Python 2 only: it does not import on Python 3.)
"""

import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from werkzeug.serving import make_server

from portal.answers.models import AnswerStatus, PublishedAnswer
from portal.extensions import db
from tests.cases.factories import create_case
from tests.contacts.factories import create_unit

georeport = pytest.importorskip("georeport")
requests = pytest.importorskip("requests")

QUESTION = "Thủ tục đăng ký hộ kinh doanh mất bao lâu?"
ANSWER = "3 ngày làm việc kể từ khi nhận đủ hồ sơ hợp lệ."


@pytest.fixture(scope="module")
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="open311-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


@pytest.fixture
def published_cases(app):
    """Two public requests (one answered, one not) and a denunciation that never shows."""
    now = datetime.now(UTC)
    with app.app_context():
        unit = create_unit(name="Thanh tra Sở", handles_cases=True)
        answered, _ = create_case(
            kind="petition",
            status="responded",
            publish_consent=True,
            handling_unit_id=unit.id,
            resolution_due_on=date(2026, 12, 24),
            received_at=now - timedelta(days=2),
        )
        waiting, _ = create_case(
            kind="reflection",
            topic="other",
            status="assigned",
            publish_consent=True,
            received_at=now - timedelta(days=1),
        )
        create_case(kind="denunciation", publish_consent=True, received_at=now)
        db.session.add(
            PublishedAnswer(
                case_id=answered.id,
                kind=answered.kind,
                topic=answered.topic,
                title="Đăng ký hộ kinh doanh",
                question=QUESTION,
                answer=ANSWER,
                status=AnswerStatus.PUBLISHED,
                published_at=now,
            )
        )
        db.session.commit()
    return answered, waiting


@pytest.fixture(params=["json", "xml"])
def geo(request, live_server):
    return georeport.GeoReport(f"{live_server}/open311/v2", output_format=request.param)


def test_the_client_lists_the_services(geo):
    services = geo.get_service_list()

    codes = {service["service_code"] for service in services}
    assert {"complaint-procedure", "denunciation-harassment", "reflection-other"} <= codes
    assert len(services) == 24


def test_the_client_reads_a_service_definition(geo):
    definition = geo.get_service_definition("complaint-procedure")

    assert definition["service_code"] == "complaint-procedure"
    attributes = definition["attributes"]
    if geo.output_format == "xml":  # xmltodict keeps the item element
        attributes = attributes["attribute"]
    assert [a["code"] for a in attributes][:2] == ["decision_concerned", "decision_known_on"]


def test_the_client_reads_the_requests(geo, published_cases):
    answered, waiting = published_cases

    listed = geo.get_service_requests()
    closed = geo.get_service_requests(status="closed")
    by_code = geo.get_service_requests(service_code="reflection-other")

    assert [r["service_request_id"] for r in listed] == [waiting.number, answered.number]
    if geo.output_format == "xml":  # one request: xmltodict gives the element, not a list
        closed, by_code = [closed], [by_code]
    assert [r["service_request_id"] for r in closed] == [answered.number]
    assert closed[0]["status_notes"] == ANSWER
    assert closed[0]["description"] == QUESTION
    assert closed[0]["agency_responsible"] == "Thanh tra Sở"
    assert [r["service_request_id"] for r in by_code] == [waiting.number]


def test_the_client_reads_one_request(geo, published_cases):
    answered, _waiting = published_cases

    request = geo.get_service_request(answered.number)

    assert request["service_request_id"] == answered.number
    assert request["status"] == "closed"
    assert request["expected_datetime"] == "2026-12-24T23:59:59+07:00"


def test_the_client_sees_an_error_for_what_is_not_public(geo, published_cases):
    with pytest.raises(requests.HTTPError) as raised:
        geo.get_service_request("TC-2026-000001")

    assert raised.value.response.status_code == 404
