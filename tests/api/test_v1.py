"""The read-only open data at /api/v1: shapes, pagination, filters, errors, ETag, CORS, and that
nothing non-public (drafts, scheduled items, unpublished rows, staff or personal data) leaks."""

import json
import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask_babel import gettext

from portal.contacts import schedule
from portal.core.i18n import in_locale
from portal.disclosures import services as disclosure_services
from portal.reports import scorecard
from portal.reports.periods import Period
from tests.cases.factories import create_case
from tests.contacts.factories import (
    create_document,
    create_hotline,
    create_office,
    create_rule,
    create_session,
    create_unit,
)
from tests.disclosures.factories import (
    create_category,
    create_disclosure,
    open_consultation,
    upload,
)
from tests.factories import create_user
from tests.procedures.factories import create_procedure, docx_bytes

ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$")
ENVELOPE = {"data", "meta", "links"}


@pytest.fixture
def api(app):
    return app.test_client()


def get_json(api, path, status=200, **kwargs):
    response = api.get(path, **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    return response.get_json()


def ids(payload):
    return [item["id"] for item in payload["data"]]


def assert_error(api, path, status, *, method="GET"):
    response = api.open(path, method=method)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["status"] == status
    assert error["code"] in {"bad_request", "not_found", "method_not_allowed"}
    assert error["message"]
    return response


# --- Disclosures ---------------------------------------------------------------------------


@pytest.fixture
def disclosures(app_ctx):
    """One of each state, plus a withdrawn one; return their public ids by name."""
    unit = create_unit(name="Phòng Pháp chế", slug="phap-che")
    category = create_category(name="Văn bản quy phạm", slug="van-ban-qp")
    other = create_category(name="Ngân sách", slug="ngan-sach")
    published = create_disclosure(
        category=category,
        title="Quyết định công khai",
        unit=unit,
        publish_at=datetime(2025, 3, 1, 2, tzinfo=UTC),
    )
    disclosure_services.add_attachments(
        published, [upload()], actor=None, title="Toàn văn", change_note="Thêm toàn văn."
    )
    withdrawn = create_disclosure(
        category=other, status="withdrawn", publish_at=datetime(2024, 5, 1, 2, tzinfo=UTC)
    )
    draft = create_disclosure(category=category, status="draft", title="Bản nháp bí mật")
    scheduled = create_disclosure(category=category, status="scheduled", title="Sắp công bố")
    return {
        "published": published.public_id,
        "withdrawn": withdrawn.public_id,
        "draft": draft.public_id,
        "scheduled": scheduled.public_id,
        "unit": unit.public_id,
    }


def test_disclosures_lists_only_what_the_public_sees(api, disclosures):
    payload = get_json(api, "/api/v1/disclosures")

    assert set(payload) == ENVELOPE
    assert ids(payload) == [disclosures["published"], disclosures["withdrawn"]]
    assert payload["meta"] == {"page": 1, "per_page": 50, "total": 2, "pages": 1}
    assert "Bản nháp bí mật" not in json.dumps(payload, ensure_ascii=False)


def test_a_disclosure_has_stable_ids_links_and_dates_with_the_timezone(api, disclosures):
    item = get_json(api, f"/api/v1/disclosures/{disclosures['published']}")["data"]

    assert item["id"] == disclosures["published"]
    assert item["url"].startswith("http://localhost/cong-khai/van-ban/")
    assert api.get(item["url"]).status_code == 200
    assert item["published_at"] == "2025-03-01T09:00:00+07:00"
    assert ISO_MOMENT.match(item["updated_at"])
    assert item["category"]["id"] == "van-ban-qp"
    assert item["unit"]["id"] == disclosures["unit"]
    assert item["body_html"] == "<p>Nội dung chi tiết của văn bản.</p>"
    assert item["summary"]
    (attachment,) = item["attachments"]
    assert attachment["title"] == "Toàn văn"
    assert attachment["file_name"] == "quyết định.pdf"
    assert api.get(attachment["url"]).status_code == 200
    assert item["consultation"] is None
    # Never the integer key, never who edited it.
    assert not isinstance(item["id"], int)
    assert not {"editor_id", "created_at", "revisions"} & set(item)


def test_a_withdrawn_disclosure_says_so_with_the_reason(api, disclosures):
    item = get_json(api, f"/api/v1/disclosures/{disclosures['withdrawn']}")["data"]
    assert item["status"] == "withdrawn"
    assert item["withdrawal_reason"] == "Văn bản đã được thay thế."
    assert ISO_MOMENT.match(item["withdrawn_at"])


@pytest.mark.parametrize("name", ["draft", "scheduled"])
def test_a_draft_or_scheduled_disclosure_does_not_exist(api, disclosures, name):
    response = assert_error(api, f"/api/v1/disclosures/{disclosures[name]}", 404)
    assert response.get_json()["error"]["code"] == "not_found"


def test_an_unknown_disclosure_is_a_json_404(api, disclosures):
    assert_error(api, "/api/v1/disclosures/khong-co", 404)


def test_disclosures_filter_by_category_year_unit_and_update(api, disclosures):
    assert ids(get_json(api, "/api/v1/disclosures?category=ngan-sach")) == [
        disclosures["withdrawn"]
    ]
    assert ids(get_json(api, "/api/v1/disclosures?year=2025")) == [disclosures["published"]]
    assert ids(get_json(api, f"/api/v1/disclosures?unit={disclosures['unit']}")) == [
        disclosures["published"]
    ]
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    assert ids(get_json(api, f"/api/v1/disclosures?updated_since={tomorrow}")) == []
    since = "2000-01-01T00:00:00Z"
    assert len(ids(get_json(api, f"/api/v1/disclosures?updated_since={since}"))) == 2


@pytest.mark.parametrize(
    "query",
    [
        "category=khong-co",
        "unit=khong-co",
        "year=abc",
        "year=99999",
        "updated_since=hôm-qua",
        "updated_since=0001-01-01T00:00:00%2B14:00",
        "updated_since=2025-02-30",
    ],
)
def test_bad_disclosure_filters_are_a_400(api, disclosures, query):
    assert_error(api, f"/api/v1/disclosures?{query}", 400)


def test_a_draft_for_comment_gives_the_count_of_approved_comments_not_the_comments(api, app_ctx):
    draft = open_consultation(title="Dự thảo quy định")
    admin = create_user(role="admin")
    for n, approve in enumerate((True, True, False)):
        comment = disclosure_services.add_comment(
            draft, name=f"Người góp ý {n}", email=f"gop.y.{n}@example.vn", body=f"Ý kiến riêng {n}"
        )
        disclosure_services.moderate_comment(comment, approve=approve, actor=admin)

    payload = get_json(api, "/api/v1/disclosures")
    text = json.dumps(payload, ensure_ascii=False)

    consultation = payload["data"][0]["consultation"]
    assert consultation["approved_comments"] == 2
    assert consultation["comments_open"] is True
    assert ISO_MOMENT.match(consultation["comments_close_at"])
    assert "Người góp ý" not in text
    assert "example.vn" not in text
    assert "Ý kiến riêng" not in text


def test_disclosure_categories_are_the_list_of_information_to_publish(api, disclosures):
    payload = get_json(api, "/api/v1/disclosure-categories")
    by_id = {item["id"]: item for item in payload["data"]}

    assert by_id["van-ban-qp"]["disclosure_count"] == 1  # the draft and scheduled do not count
    assert by_id["van-ban-qp"]["latest_published_at"] == "2025-03-01T09:00:00+07:00"
    assert by_id["ngan-sach"]["url"] == "http://localhost/cong-khai/ngan-sach"
    assert by_id["ngan-sach"]["disclosures"].endswith("/api/v1/disclosures?category=ngan-sach")


# --- Pagination ----------------------------------------------------------------------------


def test_pages_link_to_each_other_in_the_body_and_the_link_header(api, app_ctx):
    category = create_category()
    for n in range(5):
        create_disclosure(category=category, publish_at=datetime(2025, 1, 1 + n, tzinfo=UTC))

    first = api.get("/api/v1/disclosures?per_page=2&year=2025")
    middle = get_json(api, "/api/v1/disclosures?per_page=2&page=2&year=2025")
    last = get_json(api, "/api/v1/disclosures?per_page=2&page=3&year=2025")
    beyond = get_json(api, "/api/v1/disclosures?per_page=2&page=9&year=2025")

    body = first.get_json()
    assert body["meta"] == {"page": 1, "per_page": 2, "total": 5, "pages": 3}
    assert body["links"]["prev"] is None
    assert body["links"]["next"] == middle["links"]["self"]
    assert "year=2025" in body["links"]["next"]
    assert f'<{body["links"]["next"]}>; rel="next"' in first.headers["Link"]
    assert middle["links"]["prev"] == body["links"]["self"]
    assert len(last["data"]) == 1 and last["links"]["next"] is None
    assert beyond["data"] == [] and beyond["links"]["prev"] == last["links"]["self"]
    seen = ids(body) + ids(middle) + ids(last)
    assert len(set(seen)) == 5


@pytest.mark.parametrize(
    "query",
    ["page=0", "page=-1", "page=abc", "page=1.5", "page=10000000000", "per_page=0", "per_page=201",
     "per_page=1000", "per_page=%EF%BC%95"],
)  # fmt: skip
def test_pagination_out_of_bounds_is_a_400(api, query):
    for resource in ("disclosures", "procedures", "hotlines", "units", "reception/sessions"):
        assert_error(api, f"/api/v1/{resource}?{query}", 400)


def test_per_page_up_to_200_is_accepted(api):
    assert get_json(api, "/api/v1/units?per_page=200")["meta"]["per_page"] == 200


# --- Procedures ----------------------------------------------------------------------------


@pytest.fixture
def procedures(app_ctx):
    online = create_procedure(
        field="Đăng ký kinh doanh", name="Đăng ký doanh nghiệp", online_level="full",
        online_url="https://dichvucong.gov.vn/p/1", files={0: docx_bytes()},
    )  # fmt: skip
    commune = create_procedure(field="Hộ tịch", name="Đăng ký khai sinh", level="commune")
    hidden = create_procedure(field="Hộ tịch", name="Thủ tục chưa công bố", published=False)
    return {"online": online.slug, "commune": commune.slug, "hidden": hidden.slug}


def test_procedures_list_the_published_catalogue(api, procedures):
    payload = get_json(api, "/api/v1/procedures")

    assert sorted(ids(payload)) == sorted([procedures["online"], procedures["commune"]])
    assert "Thủ tục chưa công bố" not in json.dumps(payload, ensure_ascii=False)


def test_a_procedure_has_its_channels_components_and_forms(api, procedures):
    item = get_json(api, f"/api/v1/procedures/{procedures['online']}")["data"]

    assert item["url"] == f"http://localhost/thu-tuc-hanh-chinh/{procedures['online']}"
    assert item["code"].endswith(".H38")
    assert item["online_level"] == "full"
    assert item["field"]["name"] == "Đăng ký kinh doanh"
    assert item["channels"][0]["fee"] == "50.000 đồng/lần"
    form = item["components"][0]["form_file"]
    assert api.get(form["url"]).status_code == 200
    assert item["components"][1]["form_file"] is None
    assert ISO_MOMENT.match(item["updated_at"])


def test_an_unpublished_procedure_does_not_exist(api, procedures):
    assert_error(api, f"/api/v1/procedures/{procedures['hidden']}", 404)


def test_procedures_filter_like_the_public_list(api, procedures):
    assert ids(get_json(api, "/api/v1/procedures?level=commune")) == [procedures["commune"]]
    assert ids(get_json(api, "/api/v1/procedures?online=any")) == [procedures["online"]]
    assert ids(get_json(api, "/api/v1/procedures?online=none")) == [procedures["commune"]]
    field = get_json(api, f"/api/v1/procedures/{procedures['commune']}")["data"]["field"]["id"]
    assert ids(get_json(api, f"/api/v1/procedures?field={field}")) == [procedures["commune"]]


@pytest.mark.parametrize("query", ["level=tinh", "online=co", "field=khong-co", "updated_since=x"])
def test_bad_procedure_filters_are_a_400(api, procedures, query):
    assert_error(api, f"/api/v1/procedures?{query}", 400)


# --- Contacts and reception ----------------------------------------------------------------


def test_hotlines_and_units_are_the_published_ones_only(api, app_ctx):
    create_hotline(label="Đường dây nóng", is_main=True)
    report = create_hotline(label="Phản ánh nhũng nhiễu", is_harassment=True)
    create_hotline(label="Số cũ", published=False)
    unit = create_unit(name="Phòng Thanh tra", head_name="Trần Văn Trưởng", handles_cases=True)
    create_unit(name="Phòng đã giải thể", published=False)

    lines = get_json(api, "/api/v1/hotlines")["data"]
    units = get_json(api, "/api/v1/units")["data"]

    assert [line["label"] for line in lines] == ["Phản ánh nhũng nhiễu", "Đường dây nóng"]
    assert lines[0]["id"] == report.public_id
    assert lines[0]["phone"].startswith("+84")
    assert lines[0]["is_harassment_report_line"] is True
    assert [u["name"] for u in units] == ["Phòng Thanh tra"]
    assert units[0]["id"] == unit.public_id
    assert units[0]["head_name"] == "Trần Văn Trưởng"  # as the organisation page shows it
    assert units[0]["url"].endswith(f"/co-cau-to-chuc#don-vi-{unit.slug}")


def test_reception_gives_the_place_hours_rules_and_documents(api, app_ctx):
    create_office()
    create_rule()
    document = create_document()

    data = get_json(api, "/api/v1/reception")["data"]

    assert data["place"] == "Phòng tiếp công dân, tầng 1"
    assert data["working_day_hours"] == [
        {"starts_at": "07:30", "ends_at": "11:30"},
        {"starts_at": "13:30", "ends_at": "16:30"},
    ]
    assert data["head_reception_rules"][0]["day_of_month"] == 15
    assert data["documents"][0]["id"] == document.public_id
    assert api.get(data["documents"][0]["url"]).status_code == 200


def test_reception_sessions_follow_the_public_schedule(api, app_ctx):
    create_rule(valid_from=date(2025, 1, 1))
    extra = create_session(day=date(2025, 7, 22), note="Buổi bổ sung")
    create_session(day=date(2025, 8, 15), replaces_rule_day=date(2025, 8, 15), cancelled=True)

    payload = get_json(api, "/api/v1/reception/sessions?from=2025-07-01&to=2025-08-31")
    expected = schedule.sessions_between(date(2025, 7, 1), date(2025, 8, 31))

    assert ids(payload) == [s.uid for s in expected]
    by_date = {item["date"]: item for item in payload["data"]}
    assert by_date["2025-07-15"]["starts_at"] == "2025-07-15T07:30:00+07:00"
    assert by_date["2025-07-15"]["recurring"] is True
    assert by_date["2025-07-22"]["id"] == f"session-{extra.public_id}"
    assert by_date["2025-07-22"]["note"] == "Buổi bổ sung"
    assert by_date["2025-08-15"]["cancelled"] is True


@pytest.mark.parametrize(
    "query",
    ["from=2025-13-01", "from=yesterday", "to=2025-02-30", "from=2025-07-10&to=2025-07-01",
     "from=2025-01-01&to=2026-01-02", "from=9999-12-31", "from=0001-01-01"],
)  # fmt: skip
def test_bad_reception_dates_are_a_400(api, query):
    assert_error(api, f"/api/v1/reception/sessions?{query}", 400)


def test_a_full_year_of_sessions_is_accepted(api):
    assert get_json(api, "/api/v1/reception/sessions?from=2025-01-01&to=2026-01-01")["data"] == []


# --- Statistics ----------------------------------------------------------------------------


def _utc(y, m, d):
    return datetime(y, m, d, 3, tzinfo=UTC)


@pytest.fixture
def cases(app_ctx):
    """The scorecard test's fixture: 12 reflections for U1 (10 resolved), 3 complaints for U2."""
    u1 = create_unit(name="Phòng Thanh tra", name_en="Inspectorate", handles_cases=True)
    u2 = create_unit(name="Phòng Hành chính", handles_cases=True)
    for n in range(10):
        create_case(
            kind="reflection", status="responded", received_at=_utc(2025, 4, 1),
            handling_unit_id=u1.id, accepted_on=date(2025, 4, 3),
            resolution_due_on=date(2025, 4, 30),
            resolved_on=date(2025, 5, 11) if n >= 5 else date(2025, 4, 20),
        )  # fmt: skip
    for _ in range(2):
        create_case(received_at=_utc(2025, 4, 1), handling_unit_id=u1.id)
    create_case(
        kind="complaint", received_at=_utc(2025, 6, 2), handling_unit_id=u2.id,
        name="Nguyễn Thị Bí Mật", email="bi.mat.9271@example.vn", title="Tiêu đề riêng tư Q7Z",
    )  # fmt: skip
    for _ in range(2):
        create_case(kind="complaint", received_at=_utc(2025, 6, 2), handling_unit_id=u2.id)
    return {"u1": u1.public_id, "u2": u2.public_id}


def test_statistics_give_the_scorecards_figures(api, cases):
    data = get_json(api, "/api/v1/statistics?period=2025")["data"]

    assert data["period"]["id"] == "2025"
    assert data["period"]["start"] == "2025-01-01"
    assert data["figures"] == {
        "received": 15,
        "accepted": 10,
        "resolved": 10,
        "transferred": 0,
        "overdue_now": data["figures"]["overdue_now"],
        "resolved_on_time_rate": 0.5,
        "median_days_to_respond": 29.5,
        "average_rating": None,
        "solved_rate": None,
    }
    kinds = {row["id"]: row for row in data["by_kind"]}
    assert kinds["reflection"]["received"] == 12
    assert kinds["complaint"]["received"] == "< 5"
    assert kinds["petition"]["received"] == 0
    units = {row["id"]: row for row in data["by_unit"]}
    assert units[cases["u1"]]["label_en"] == "Inspectorate"
    assert units[cases["u2"]]["received"] == "< 5"
    assert data["suppression"]["small_count"] == "< 5"


def test_statistics_agree_with_every_table_of_the_scorecard(api, app, cases):
    data = get_json(api, "/api/v1/statistics?period=2025-H1")["data"]
    with app.test_request_context(), in_locale("vi"):
        card = scorecard.build(Period.parse("2025-H1"))
        not_shown = gettext("Not shown")
        tables = {section.name: section.table for section in card.sections}

    api_rows = {
        "month": data["by_month"],
        "kind": data["by_kind"],
        "topic": data["by_topic"],
        "unit": data["by_unit"],
    }
    for name, table in tables.items():
        shown = [(row[1], row[2]) for row in table.rows]
        given = [(row["received"], row["resolved"]) for row in api_rows[name]]
        assert given == shown, name
    assert [row["label"] for row in data["by_unit"]] == [row[0] for row in tables["unit"].rows]
    # The headline figures, in the page's order: hidden exactly where the page hides them.
    assert len(card.figures) == len(data["figures"])
    for figure, value in zip(card.figures, data["figures"].values(), strict=True):
        hidden_on_page = figure.text in ("< 5", not_shown)
        assert (value is None or value == "< 5") == hidden_on_page, figure.label
        if value == "< 5" or figure.text == "< 5":
            assert value == figure.text, figure.label
        if isinstance(value, int):
            assert figure.text == f"{value:,}".replace(",", "."), figure.label


def test_statistics_never_carry_citizen_text_or_identity(api, cases):
    text = api.get("/api/v1/statistics?period=2025").get_data(as_text=True)
    for secret in ("Bí Mật", "bi.mat.9271", "Q7Z", "Hồ sơ nộp đã quá hạn", "Chậm trả kết quả"):
        assert secret not in text


def test_statistics_default_to_this_year(api):
    data = get_json(api, "/api/v1/statistics")["data"]
    assert data["period"]["id"] == str(scorecard.today().year)
    assert data["url"].endswith(f"/thong-ke?period={scorecard.today().year}")


@pytest.mark.parametrize(
    "period", ["2025-13", "2025-Q5", "hai-nghin", "2025-02-30..2025-03-01", "9999", "0000",
               "2025-03-01..2025-02-01", "1999"],
)  # fmt: skip
def test_a_bad_period_is_a_400(api, period):
    assert_error(api, f"/api/v1/statistics?period={period}", 400)


# --- HTTP: ETag, CORS, errors --------------------------------------------------------------

RESOURCES = (
    "/api/v1/",
    "/api/v1/disclosures",
    "/api/v1/disclosure-categories",
    "/api/v1/procedures",
    "/api/v1/hotlines",
    "/api/v1/units",
    "/api/v1/reception",
    "/api/v1/reception/sessions",
    "/api/v1/statistics",
)


@pytest.mark.parametrize("path", RESOURCES)
def test_every_resource_has_an_etag_and_answers_if_none_match_with_304(api, path):
    first = api.get(path)
    etag = first.headers["ETag"]

    again = api.get(path, headers={"If-None-Match": etag})
    changed = api.get(path, headers={"If-None-Match": '"something-else"'})

    assert first.status_code == 200
    assert not etag.startswith("W/")
    assert first.headers["Cache-Control"] == "public, max-age=60"
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == etag
    assert changed.status_code == 200


def test_the_etag_changes_when_the_data_does(api, app_ctx):
    before = api.get("/api/v1/hotlines").headers["ETag"]
    create_hotline(label="Đường dây mới")
    after = api.get("/api/v1/hotlines", headers={"If-None-Match": before})
    assert after.status_code == 200
    assert after.headers["ETag"] != before


@pytest.mark.parametrize("path", RESOURCES)
def test_any_origin_may_read(api, path):
    response = api.get(path, headers={"Origin": "https://civic.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert {"ETag", "Link"} <= {
        h.strip() for h in response.headers["Access-Control-Expose-Headers"].split(",")
    }


def test_a_preflight_is_answered_for_reading_only(api):
    response = api.options(
        "/api/v1/disclosures",
        headers={
            "Origin": "https://civic.example",
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "If-None-Match",
        },
    )
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert "If-None-Match" in response.headers["Access-Control-Allow-Headers"]


def test_errors_carry_cors_headers_too(api):
    response = assert_error(api, "/api/v1/disclosures?page=0", 400)
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_writing_is_a_json_405(api, method):
    response = assert_error(api, "/api/v1/disclosures", 405, method=method)
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


@pytest.mark.parametrize("path", ["/api/v1/khong-co", "/api/v1/disclosures/a/b", "/api/v1/units/x"])
def test_an_unknown_address_is_a_json_404(api, path):
    assert_error(api, path, 404)


def test_head_has_the_headers_and_no_body(api):
    response = api.head("/api/v1/units")
    assert response.status_code == 200
    assert response.headers["ETag"]
    assert response.get_data() == b""


@pytest.mark.parametrize(
    "query",
    ["page=%00", "category=%00", "updated_since=%00", "period=%00", "from=%00", "page=１",
     "per_page=99999999999999999999", "year=-1", "updated_since=2025-01-01T25:00",
     "updated_since=" + "9" * 500, "category=" + "a" * 5000, "unit=%FF%FE"],
)  # fmt: skip
def test_no_query_string_makes_a_server_error(api, query):
    for path in RESOURCES:
        response = api.get(f"{path}?{query}")
        assert response.status_code in (200, 400), (path, query, response.status_code)
        assert response.mimetype == "application/json"


def test_a_nul_in_an_id_is_a_400(api):
    assert_error(api, "/api/v1/disclosures/a%00b", 400)
    assert_error(api, "/api/v1/procedures/a%00b", 400)


# --- Nothing non-public --------------------------------------------------------------------


def test_no_staff_data_or_personal_field_appears_anywhere(api, app_ctx, disclosures):
    staff = create_user(role="admin", full_name="Cán Bộ Biên Tập", email="bien.tap@so.example")
    create_case(name="Công Dân Ẩn Danh", email="cong.dan@example.vn", received_at=_utc(2025, 4, 1))
    create_office()
    create_rule(valid_from=date.today() - timedelta(days=40))
    create_hotline()
    create_unit(name="Phòng Một")
    create_procedure()
    text = "".join(
        api.get(path).get_data(as_text=True)
        for path in (*RESOURCES, "/api/v1/statistics?period=2025")
    )
    for secret in (staff.email, staff.full_name, "Công Dân Ẩn Danh", "cong.dan@example.vn"):
        assert secret not in text
    for field in ('"editor_id"', '"moderator_id"', '"author_email"', '"author_name"',
                  '"storage_key"', '"sha256"', '"assignee', '"password'):  # fmt: skip
        assert field not in text


def test_item_times_are_wall_clock_times_in_vietnam(api, app_ctx):
    create_session(day=date(2025, 7, 22), starts_at=time(13, 30), ends_at=time(16, 0))
    (item,) = get_json(api, "/api/v1/reception/sessions?from=2025-07-01&to=2025-07-31")["data"]
    assert item["starts_at"] == "2025-07-22T13:30:00+07:00"
    assert item["ends_at"] == "2025-07-22T16:00:00+07:00"
