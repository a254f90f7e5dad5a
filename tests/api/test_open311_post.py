"""Open311 GeoReport v2, the write side: POST requests with a partner's api_key and
tokens/{token}, in XML and JSON, against the specification's field lists; every kind of bad
input answered with its error document and nothing stored; media_url never fetched."""

import http.server
import threading

import pytest
from sqlalchemy import func

from portal.api import partners
from portal.api.models import ApiKey, Open311Submission
from portal.cases.identity import unseal
from portal.cases.models import Case, CaseStatus
from portal.core.audit import AuditEvent
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from tests.api.test_open311 import BASE, FORMATS, both, fetch
from tests.apps import other_app
from tests.factories import create_user

PARTNER = "Tổng đài 1022 tỉnh"
POST_FIELDS = ["service_request_id", "service_notice", "account_id"]
BATCH_FIELDS = ["token", "service_notice", "account_id"]
TOKEN_FIELDS = ["service_request_id", "token"]

PETITION = {
    "service_code": "petition-procedure",
    "description": "Đề nghị hướng dẫn thủ tục cấp giấy phép xây dựng nhà ở riêng lẻ.\n"
    "Tôi đã nộp hồ sơ nhưng chưa được trả lời.",
    "first_name": "Lò Thị",
    "last_name": "Xuyến",
    "email": "xuyen.lo@example.vn",
    "address_string": "Thôn Nà Cạn, xã Tân Đoàn",
    "attribute[publish_consent]": "yes",
}
COMPLAINT = {
    "service_code": "complaint-procedure",
    "description": "Tôi khiếu nại quyết định trả lại hồ sơ cấp giấy chứng nhận.",
    "attribute[decision_concerned]": "Quyết định số 12/QĐ-UBND ngày 01/11/2026",
    "attribute[decision_known_on]": "2026-11-02T09:30:00+07:00",
    "attribute[full_name]": "Nguyễn Văn Bình",
    "attribute[address]": "Số 5 đường Trần Phú, thành phố Hà Giang",
    "attribute[contact]": "0987654321",
}
DENUNCIATION = {
    "service_code": "denunciation-public-finance",
    "description": "Tố cáo việc chi sai ngân sách xây trường.",
    "attribute[full_name]": "Người Tố Cáo",
    "attribute[address]": "Xã Tân Đoàn",
    "attribute[contact]": "to.cao@example.vn",
}


@pytest.fixture
def api(app):
    return app.test_client()


@pytest.fixture
def partner_key(app):
    """A live key of a registered partner, in clear, and the partner's public id."""
    with app.app_context():
        admin = create_user(role="admin")
        partner = partners.create_partner(name=PARTNER, contact="Phòng CNTT", by=admin)
        _key, raw = partners.issue_key(partner, by=admin)
        return raw


def post(api, fields, fmt="json", **kwargs):
    return api.post(f"{BASE}/requests.{fmt}", data=fields, **kwargs)


def created(response, fmt):
    """The one request document a successful POST answers with (either format)."""
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    if fmt == "json":
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        documents = response.get_json()
    else:
        from defusedxml import ElementTree

        assert response.headers["Content-Type"] == "text/xml; charset=utf-8"
        root = ElementTree.fromstring(response.get_data())
        assert root.tag == "service_requests"
        assert [child.tag for child in root] == ["request"]
        documents = [{child.tag: child.text for child in root[0]}]
    assert len(documents) == 1
    return documents[0]


def errors_of(response, status, fmt="json"):
    assert response.status_code == status, response.get_data(as_text=True)
    if fmt == "json":
        errors = response.get_json()
    else:
        from defusedxml import ElementTree

        root = ElementTree.fromstring(response.get_data())
        assert root.tag == "errors"
        errors = [{child.tag: child.text for child in error} for error in root]
        errors = [{"code": int(e["code"]), "description": e["description"]} for e in errors]
    assert errors and all(list(error) == ["code", "description"] for error in errors)
    assert all(error["code"] == status for error in errors)
    return [error["description"] for error in errors]


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(db.select(func.count()).select_from(model))


def the_case(app, number=None) -> Case:
    query = db.select(Case).order_by(Case.id.desc())
    if number:
        query = query.where(Case.number == number)
    return db.session.scalars(query).first()


# --- Realtime services: a number at once ----------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_partner_posts_a_petition_and_gets_its_number(app, api, partner_key, fmt):
    response = post(api, {"api_key": partner_key, **PETITION}, fmt)

    document = created(response, fmt)
    assert list(document) == POST_FIELDS
    assert document["account_id"] is None
    number = document["service_request_id"]
    assert number.startswith("KN-")
    assert number in document["service_notice"]
    with app.app_context():
        case = the_case(app, number)
        assert (case.kind, case.topic, case.status) == ("petition", "procedure", "received")
        assert (case.channel, case.source) == ("api", PARTNER)
        assert case.title == "Đề nghị hướng dẫn thủ tục cấp giấy phép xây dựng nhà ở riêng lẻ."
        assert case.description == PETITION["description"]
        assert case.place == PETITION["address_string"]
        assert case.publish_consent is True and case.anonymous is False
        who = unseal(case.identity.sealed)
        assert (who.name, who.email) == ("Lò Thị Xuyến", "xuyen.lo@example.vn")
        submission = db.session.scalar(
            db.select(Open311Submission).where(Open311Submission.case_id == case.id)
        )
        assert submission.token is None and submission.partner.name == PARTNER
        # The acknowledgement, with the key to follow the case, goes to the citizen.
        assert db.session.scalar(
            db.select(OutboxMessage).where(OutboxMessage.recipient == "xuyen.lo@example.vn")
        )
        entry = db.session.scalar(
            db.select(AuditEvent).where(
                AuditEvent.action == "case.submitted", AuditEvent.target_id == case.public_id
            )
        )
        assert entry.detail["channel"] == "api"
        received = db.session.scalar(
            db.select(AuditEvent).where(AuditEvent.action == "api.request_received")
        )
        assert received.target_id == case.public_id
        assert received.detail == {
            "partner": submission.partner.public_id,
            "key": db.session.scalar(db.select(ApiKey.public_id)),
            "batch": False,
        }
        key = db.session.scalar(db.select(ApiKey))
        assert key.last_used_at is not None


def test_a_consenting_request_is_then_readable_by_get(app, api, partner_key):
    number = created(post(api, {"api_key": partner_key, **PETITION}), "json")["service_request_id"]

    _root, documents = both(api, f"{BASE}/requests/{number}.{{fmt}}")
    assert documents[0]["service_request_id"] == number
    assert documents[0]["status"] == "open"


def test_without_consent_nothing_is_published(app, api, partner_key):
    fields = {**PETITION, "attribute[publish_consent]": "no"}
    number = created(post(api, {"api_key": partner_key, **fields}), "json")["service_request_id"]

    fetch(api, f"{BASE}/requests/{number}.{{fmt}}".replace("{fmt}", "json"), "json", status=404)
    with app.app_context():
        assert the_case(app, number).publish_consent is False


def test_a_reflection_without_name_or_contact_is_anonymous(app, api, partner_key):
    fields = {"service_code": "reflection-other", "description": "Đèn đường hỏng ở ngã ba."}
    created(post(api, {"api_key": partner_key, **fields}), "json")

    with app.app_context():
        case = the_case(app)
        assert case.anonymous is True and case.identity is None
        assert case.track == "anonymous-information"


def test_coordinates_are_kept_with_the_place(app, api, partner_key):
    fields = {**PETITION, "lat": "22.8233", "long": "104.9836"}
    created(post(api, {"api_key": partner_key, **fields}), "json")

    with app.app_context():
        assert the_case(app).place == "Thôn Nà Cạn, xã Tân Đoàn (22.823300, 104.983600)"


def test_the_notice_is_in_vietnamese_unless_english_is_asked(app, api, partner_key):
    from tests.cases.wording import say

    vi = created(post(api, {"api_key": partner_key, **PETITION}), "json")
    en = created(
        api.post(f"{BASE}/requests.json?locale=en", data={"api_key": partner_key, **PETITION}),
        "json",
    )

    assert vi["service_notice"].startswith(
        say(app, "Received as case %(number)s.") % {"number": vi["service_request_id"]}
    )
    assert en["service_notice"].startswith(f"Received as case {en['service_request_id']}.")


# --- Batch services: a token, then the number -----------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_complaint_gets_a_token_and_its_number_once_registered(app, api, partner_key, fmt):
    document = created(post(api, {"api_key": partner_key, **COMPLAINT}, fmt), fmt)

    assert list(document) == BATCH_FIELDS
    token = document["token"]
    assert token and len(token) >= 20
    root, pending = both(api, f"{BASE}/tokens/{token}.{{fmt}}")
    assert root == "service_requests"
    assert pending == [{"service_request_id": None, "token": token}]
    assert all(list(item) == TOKEN_FIELDS for item in pending)

    with app.app_context():
        case = the_case(app)
        assert case.kind == "complaint" and case.decision_concerned.startswith("Quyết định số 12")
        assert case.decision_known_on.isoformat() == "2026-11-02"
        who = unseal(case.identity.sealed)
        assert (who.name, who.phone) == ("Nguyễn Văn Bình", "+84987654321")
        case.status = CaseStatus.CLASSIFIED  # the Inspectorate registered and classified it
        db.session.commit()
        number = case.number

    _root, registered = both(api, f"{BASE}/tokens/{token}.{{fmt}}")
    assert registered == [{"service_request_id": number, "token": token}]


def test_a_denunciation_is_confidential_and_never_published(app, api, partner_key):
    token = created(post(api, {"api_key": partner_key, **DENUNCIATION}), "json")["token"]

    with app.app_context():
        case = the_case(app)
        assert case.confidential is True and case.kind == "denunciation"
        number = case.number
        details = [e.detail for e in db.session.scalars(db.select(AuditEvent))]
    assert "Người Tố Cáo" not in str(details) and "to.cao@example.vn" not in str(details)
    fetch(api, f"{BASE}/requests/{number}.json", "json", status=404)
    assert fetch(api, f"{BASE}/tokens/{token}.json", "json")[1][0]["token"] == token


@pytest.mark.parametrize("token", ["unknown-token-123", "x" * 65, "%00"])
def test_an_unknown_token_is_not_found(api, token):
    for fmt in FORMATS:
        response = api.get(f"{BASE}/tokens/{token}.{fmt}")
        assert response.status_code in (400, 404)
        errors_of(response, response.status_code, fmt)


def test_a_purged_case_takes_its_token_with_it(app, api, partner_key):
    token = created(post(api, {"api_key": partner_key, **COMPLAINT}), "json")["token"]
    with app.app_context():
        db.session.delete(the_case(app))
        db.session.commit()

    errors_of(api.get(f"{BASE}/tokens/{token}.json"), 404)
    assert count(app, Open311Submission) == 0


# --- The api_key ----------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("key", [None, "", "o311_not-a-key", "x" * 500])
def test_a_missing_or_unknown_key_is_403(app, api, partner_key, key, fmt):
    fields = dict(PETITION) if key is None else {"api_key": key, **PETITION}

    assert errors_of(post(api, fields, fmt), 403, fmt) == [
        "api_key was not provided or is not valid"
    ]
    assert count(app, Case) == 0


def test_a_revoked_key_or_switched_off_partner_is_403(app, api, partner_key):
    with app.app_context():
        admin = create_user(role="admin", email="second.admin@so.example")
        partner = partners.partners()[0]
        other_key, other_raw = partners.issue_key(partner, by=admin)
        partners.revoke_key(db.session.get(ApiKey, other_key.id), by=admin)

    errors_of(post(api, {"api_key": other_raw, **PETITION}), 403)
    created(post(api, {"api_key": partner_key, **PETITION}), "json")  # the other key works

    with app.app_context():
        partner = partners.partners()[0]
        partners.update_partner(
            partner, name=partner.name, contact="", note="", active=False, by=admin
        )
    errors_of(post(api, {"api_key": partner_key, **PETITION}), 403)
    assert count(app, Case) == 1


def test_the_key_is_checked_before_anything_else_is_said(app, api):
    # No service_code, no description: an unknown caller learns only that its key is wrong.
    assert errors_of(post(api, {"api_key": "guess"}), 403)


# --- Bad input: the error document, and nothing stored --------------------------------------
BAD = [
    ({"service_code": ""}, "service_code was not provided"),
    ({"service_code": "petition-nothing"}, "service_code not found"),
    ({"description": "   "}, "description was not provided"),
    ({"description": "đ" * 4001}, "description is longer than 4000 characters"),
    ({"attribute[colour]": "red"}, "attribute[colour] is not an attribute of petition-procedure"),
    ({"attribute[publish_consent]": "maybe"}, "attribute[publish_consent] must be one of: yes, no"),
    ({"attribute[confidential]": "y"}, "attribute[confidential] must be one of: yes, no"),
    ({"photo": "x"}, "photo is not an argument of POST requests"),
    ({"lat": "91", "long": "100"}, "lat must be between -90 and 90"),
    ({"lat": "nan", "long": "100"}, "lat must be a decimal number of degrees"),
    ({"lat": "abc", "long": "100"}, "lat must be a decimal number of degrees"),
    ({"lat": "1_0", "long": "100"}, "lat must be a decimal number of degrees"),
    ({"lat": "١٢", "long": "100"}, "lat must be a decimal number of degrees"),
    ({"lat": "10", "long": "1e2"}, "long must be a decimal number of degrees"),
    ({"lat": "22.1"}, "lat and long are given together"),
    ({"media_url": "ftp://files.example/a.jpg"}, "media_url must be an http or https address"),
    ({"media_url": "javascript:alert(1)"}, "media_url must be an http or https address"),
    ({"media_url": "https://a.example/" + "a" * 2000}, "media_url is longer than 2000 characters"),
    ({"device_id": "d" * 201}, "device_id is longer than 200 characters"),
    ({"first_name": "n" * 101}, "first_name is longer than 100 characters"),
    ({"email": "not-an-address"}, "email: "),
    (
        {"email": "", "first_name": "", "last_name": "", "phone": "0987654321"},
        "first_name, last_name: ",
    ),
    ({"phone": "12"}, "phone: "),
    ({"description": "Có ký tự \x00 lạ"}, "description holds a character that is not allowed"),
]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("change, said", BAD)
def test_bad_input_is_400_with_what_is_wrong(app, api, partner_key, change, said, fmt):
    fields = {"api_key": partner_key, **PETITION, **change}

    descriptions = errors_of(post(api, fields, fmt), 400, fmt)

    assert any(text.startswith(said) for text in descriptions), descriptions
    assert count(app, Case) == 0 and count(app, Open311Submission) == 0


def test_a_complaint_without_its_required_attributes_lists_each(app, api, partner_key):
    fields = {
        "api_key": partner_key,
        "service_code": "complaint-policy",
        "description": "Khiếu nại",
    }

    descriptions = errors_of(post(api, fields), 400)

    assert descriptions == [
        f"attribute[{code}] is required for complaint-policy"
        for code in ("decision_concerned", "decision_known_on", "full_name", "address", "contact")
    ]
    assert count(app, Case) == 0


@pytest.mark.parametrize(
    "known_on, said",
    [
        ("2026-02-30", "must be an ISO 8601 date"),
        ("yesterday", "must be an ISO 8601 date"),
        ("02/11/2026", "must be an ISO 8601 date"),
        ("9999-12-31T23:59:59-05:00", "must be an ISO 8601 date"),
        ("2999-01-01", "must be from 1945-09-02 to today"),
        ("1900-01-01", "must be from 1945-09-02 to today"),
    ],
)
def test_an_invalid_date_is_400(app, api, partner_key, known_on, said):
    fields = {"api_key": partner_key, **COMPLAINT, "attribute[decision_known_on]": known_on}

    assert errors_of(post(api, fields), 400) == [f"attribute[decision_known_on] {said}"]


def test_a_repeated_field_is_400(app, api, partner_key):
    fields = ["service_code=petition-procedure", "description=a", "email=a@b.vn", "description=b"]
    body = "&".join([f"api_key={partner_key}", *fields])
    response = api.post(
        f"{BASE}/requests.json", data=body, content_type="application/x-www-form-urlencoded"
    )

    assert errors_of(response, 400) == ["description is given more than once"]


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    "<request><service_code>&lol2;</service_code></request>"
)


@pytest.mark.parametrize(
    "body, content_type",
    [
        ('{"service_code": "petition-procedure"}', "application/json"),
        (BILLION_LAUGHS, "application/xml"),
        (BILLION_LAUGHS, "text/xml"),
        ("service_code=petition-procedure", "text/plain"),
        ("service_code=petition-procedure", "application/x-www-form-urlencoded; charset=latin-1"),
    ],
)
def test_a_body_that_is_not_a_utf8_form_is_400(app, api, partner_key, body, content_type):
    response = api.post(f"{BASE}/requests.json", data=body, content_type=content_type)

    descriptions = errors_of(response, 400)
    assert descriptions[0] in (
        "Content-Type must be application/x-www-form-urlencoded",
        "The form must be encoded in UTF-8",
    )
    assert count(app, Case) == 0


@pytest.mark.parametrize("description", [b"%FF%FE", b"\xff\xfe", b"%C3"])
def test_invalid_utf8_is_400(app, api, partner_key, description):
    body = f"api_key={partner_key}&service_code=petition-procedure&description=".encode()
    response = api.post(
        f"{BASE}/requests.json",
        data=body + description,
        content_type="application/x-www-form-urlencoded",
    )

    assert errors_of(response, 400) == ["The form is not valid UTF-8 in percent-encoding"]
    assert count(app, Case) == 0


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "multipart/form-data"]
)
def test_a_form_of_too_many_fields_is_400(app, api, partner_key, content_type):
    fields = {"api_key": partner_key, **PETITION}
    fields.update({f"attribute[a{n}]": "x" for n in range(100)})

    response = api.post(f"{BASE}/requests.json", data=fields, content_type=content_type)

    assert errors_of(response, 400) == ["The form has more than 100 fields"]


def test_a_form_with_a_file_is_400_but_without_one_is_accepted(app, api, partner_key):
    import io

    with_file = {"api_key": partner_key, **PETITION, "photo": (io.BytesIO(b"x"), "a.jpg")}
    response = api.post(f"{BASE}/requests.json", data=with_file, content_type="multipart/form-data")
    assert errors_of(response, 400) == [
        "Files are not accepted: give the document's address in media_url"
    ]

    response = api.post(
        f"{BASE}/requests.json",
        data={"api_key": partner_key, **PETITION},
        content_type="multipart/form-data",
    )
    created(response, "json")


def test_an_oversized_body_is_400_before_it_is_read(app, api, partner_key):
    fields = {"api_key": partner_key, **PETITION, "description": "a" * (70 * 1024)}

    assert errors_of(post(api, fields), 400) == ["The request body is larger than 65536 bytes"]
    assert count(app, Case) == 0


# --- media_url: stored as text, never fetched -----------------------------------------------
def test_media_url_is_stored_and_never_fetched(app, api, partner_key):
    hits = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/anh/duong-hong.jpg?x=1"
        created(post(api, {"api_key": partner_key, **PETITION, "media_url": url}), "json")
    finally:
        server.shutdown()
        server.server_close()

    assert hits == []
    with app.app_context():
        assert db.session.scalar(db.select(Open311Submission.media_url)) == url


# --- Never half-created ---------------------------------------------------------------------
def test_a_failure_inside_the_transaction_leaves_nothing(app, api, partner_key, monkeypatch):
    def broken(key, *, now):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(partners, "mark_used", broken)

    response = post(api, {"api_key": partner_key, **COMPLAINT})

    assert errors_of(response, 500) == ["The service failed; please try again later"]
    assert count(app, Case) == 0 and count(app, Open311Submission) == 0
    with app.app_context():
        assert not db.session.scalar(
            db.select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "case.submitted")
        )


# --- Rate limits ----------------------------------------------------------------------------
def test_each_key_has_its_allowance_and_refused_keys_are_limited_per_address(app, partner_key):
    settings = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "OPEN311_POST_RATE_LIMIT": "2 per day",  # a fixed window: never "per minute" in a test
        "OPEN311_REFUSED_KEY_LIMIT": "2 per day",
        "MAIL_PORT": app.config["MAIL_PORT"],
    }
    with other_app(app, "testing", settings) as limited:
        client = limited.test_client()
        with limited.app_context():
            admin = create_user(role="admin", email="limits.admin@so.example")
            second = partners.create_partner(name="Ứng dụng công dân", by=admin)
            _key, second_raw = partners.issue_key(second, by=admin)
        ok = [post(client, {"api_key": partner_key, **PETITION}).status_code for _ in range(3)]
        assert ok == [200, 200, 429]
        assert errors_of(post(client, {"api_key": partner_key, **PETITION}), 429) == [
            "Too many requests"
        ]
        assert post(client, {"api_key": second_raw, **PETITION}).status_code == 200
        guesses = [
            post(client, {"api_key": f"guess-{n}", **PETITION}).status_code for n in range(3)
        ]
        assert guesses == [403, 403, 429]
        # A good key from the same address is not held up by the guesses.
        assert post(client, {"api_key": second_raw, **PETITION}).status_code == 200


# --- What staff see -------------------------------------------------------------------------
def test_staff_see_the_partner_and_the_media_address_as_text(app, api, partner_key):
    from tests.auth import sign_in
    from tests.pages import PageClient

    url = 'https://anh.example/a.jpg?"><script>alert(1)</script>'
    fields = {"api_key": partner_key, **PETITION, "media_url": url}
    number = created(post(api, fields), "json")["service_request_id"]
    with app.app_context():
        leader = create_user(role="leader", email="leader.api@so.example")
    client = PageClient(app.test_client())
    sign_in(client, leader)

    html = client.get(f"/staff/cases/{number}", expect=200).get_data(as_text=True)

    assert f": {PARTNER}</dd>" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="https://anh.example' not in html  # text to copy, never a link
