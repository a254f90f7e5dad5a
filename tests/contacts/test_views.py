"""Public pages of the contacts domain, in Vietnamese and English, and the hotlines every
page shows."""

from datetime import date, timedelta

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from portal.contacts import queries, schedule
from portal.core import site
from portal.extensions import db
from tests.contacts.factories import (
    create_document,
    create_hotline,
    create_office,
    create_rule,
    create_session,
    create_site_hotlines,
    create_unit,
)
from tests.e2e.browser import translate

PAGES = ["/", "/duong-day-nong", "/co-cau-to-chuc", "/tiep-cong-dan", "/tro-nang-tiep-can"]


def english(client):
    client.get("/ngon-ngu/en?next=/", expect=302)
    return client


@pytest.fixture
def hotlines(app):
    with app.app_context():
        return create_site_hotlines()


# --- Hotlines on every page ----------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_every_page_shows_the_main_hotline_in_the_header_and_the_report_line_in_the_footer(
    client, hotlines, url
):
    page = client.get(url).get_data(as_text=True)
    header = page.split("</header>")[0]
    footer = page.split("<footer")[1]

    assert '<a href="tel:+842053812345">0205 3812 345</a>' in header
    assert 'href="tel:+842053812888"' in footer
    assert 'href="mailto:phananh@stc.langson.example.vn"' in footer


def test_error_pages_show_the_main_hotline(client, hotlines):
    page = client.get("/khong-co-trang-nay", expect=404).get_data(as_text=True)
    assert 'href="tel:+842053812345"' in page.split("<footer")[0].split("</header>")[1]


@pytest.mark.parametrize("url", [*PAGES, "/khong-co-trang-nay"])
def test_pages_render_before_any_hotline_exists(client, url):
    page = client.get(url, expect=404 if "khong-co" in url else 200).get_data(as_text=True)
    assert "tel:" not in page
    assert 'href="/duong-day-nong"' in page


def test_an_unpublished_main_hotline_is_not_shown(app, client):
    with app.app_context():
        create_hotline(phone="0205 3812 999", is_main=True, published=False)

    assert "tel:" not in client.get("/").get_data(as_text=True)


def test_pages_still_render_when_the_hotlines_cannot_be_read(client, monkeypatch):
    def broken():
        raise OperationalError("SELECT", {}, Exception("database is down"))

    monkeypatch.setattr(queries, "published_hotlines", broken)

    client.get("/khong-co-trang-nay", expect=404)


def test_hotlines_are_read_once_per_request(app, client, hotlines):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if "FROM hotline" in statement:
            statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        client.get("/duong-day-nong")
    finally:
        event.remove(engine, "before_cursor_execute", count)

    assert len(statements) == 1


# --- /duong-day-nong ------------------------------------------------------------------------


def test_the_hotlines_page_lists_the_harassment_line_first(app, client):
    with app.app_context():
        create_hotline(label="Hỗ trợ đăng ký doanh nghiệp", phone="0912 345 678", position=0)
        create_hotline(label="Đường dây nóng của Sở", phone="0205 3812 345", is_main=True)
        create_hotline(
            label="Phản ánh nhũng nhiễu",
            phone="0205 3812 888",
            email="phananh@example.vn",
            purpose="Phản ánh cán bộ gây phiền hà",
            hours="Giờ hành chính",
            is_harassment=True,
            position=50,
        )
        create_hotline(label="Số đã ngừng", phone="0205 3812 000", published=False)

    page = client.get("/duong-day-nong").get_data(as_text=True)
    main = page.split('id="main"')[1].split("</main>")[0]

    order = [
        main.index(name) for name in ("Phản ánh nhũng nhiễu", "Đường dây nóng của Sở", "Hỗ trợ")
    ]
    assert order == sorted(order)
    assert '<a href="tel:+84912345678">0912 345 678</a>' in main
    assert '<a href="mailto:phananh@example.vn">' in main
    assert "Phản ánh cán bộ gây phiền hà" in main and "Giờ hành chính" in main
    assert "Số đã ngừng" not in page


def test_the_hotlines_page_in_english_uses_the_english_text_when_there_is_one(app, client):
    with app.app_context():
        create_hotline(
            label="Đường dây nóng phản ánh",
            label_en="Hotline for reports",
            purpose="Phản ánh",
            purpose_en="Report harassment",
            is_harassment=True,
        )
        create_hotline(label="Chỉ có tiếng Việt", phone="0912 345 678")

    page = english(client).get("/duong-day-nong").get_data(as_text=True)

    assert '<html lang="en">' in page
    assert "Hotline for reports" in page and "Report harassment" in page
    assert "Đường dây nóng phản ánh" not in page
    # No English name: the Vietnamese one, marked as Vietnamese for screen readers.
    assert '<span lang="vi">Chỉ có tiếng Việt</span>' in page


# --- /co-cau-to-chuc ------------------------------------------------------------------------


@pytest.fixture
def units(app):
    with app.app_context():
        site.save({"agency_name": "Sở Tài chính tỉnh Lạng Sơn", "agency_name_en": "Lang Son DoF"})
        db.session.commit()
        create_unit(
            name="Phòng Quản lý ngân sách",
            name_en="Budget Management Division",
            slug="phong-quan-ly-ngan-sach",
            functions_html="<ul><li>Lập dự toán ngân sách</li></ul>",
            functions_en_html="<ul><li>Prepares the budget</li></ul>",
            head_name="Vi Văn Thắng",
            head_title="Trưởng phòng",
            head_title_en="Head of Division",
            phone="0205 3812 304",
            email="ngansach@example.vn",
            position=20,
        )
        create_unit(
            name="Văn phòng Sở",
            slug="van-phong-so",
            functions_html="<p>Tham mưu tổng hợp</p>",
            head_name="Hoàng Thị Hà",
            position=10,
        )
        create_unit(name="Phòng đã giải thể", slug="phong-da-giai-the", published=False)


def test_the_organisation_page_lists_units_with_functions_head_and_contacts(client, units):
    page = client.get("/co-cau-to-chuc").get_data(as_text=True)

    assert page.index("Văn phòng Sở") < page.index("Phòng Quản lý ngân sách")
    assert "<li>Lập dự toán ngân sách</li>" in page
    assert "<dt>Trưởng phòng</dt><dd>Vi Văn Thắng</dd>" in page
    assert '<a href="tel:+842053812304">0205 3812 304</a>' in page
    assert 'href="mailto:ngansach@example.vn"' in page
    assert 'href="#don-vi-van-phong-so"' in page and 'id="don-vi-van-phong-so"' in page
    assert "Phòng đã giải thể" not in page


def test_the_organisation_page_in_english(client, units):
    page = english(client).get("/co-cau-to-chuc").get_data(as_text=True)

    assert "<h1>Organisation and contacts</h1>" in page
    assert "Lang Son DoF" in page
    assert "Budget Management Division" in page and "<li>Prepares the budget</li>" in page
    assert "<dt>Head of Division</dt>" in page
    assert "Phòng Quản lý ngân sách" not in page
    # A unit without an English text keeps its Vietnamese one, marked lang="vi".
    assert '<span lang="vi">Văn phòng Sở</span>' in page
    assert '<div class="prose" lang="vi"><p>Tham mưu tổng hợp</p></div>' in page


# --- /tiep-cong-dan -------------------------------------------------------------------------


@pytest.fixture
def reception(app):
    with app.app_context():
        create_office(place="Phòng tiếp công dân, tầng 1", place_en="Reception room, ground floor")
        create_rule(day_of_month=15, host="Giám đốc Sở", host_en="Director")
        document = create_document(title="Nội quy tiếp công dân", title_en="Reception rules")
    return document


def test_the_reception_page_shows_place_hours_schedule_and_documents(client, reception):
    page = client.get("/tiep-cong-dan").get_data(as_text=True)

    assert "Phòng tiếp công dân, tầng 1" in page
    assert "7:30–11:30" in page and "13:30–16:30" in page
    assert "Giám đốc Sở" in page
    assert 'href="/tiep-cong-dan/lich.ics"' in page
    assert f'href="/tiep-cong-dan/tai-lieu/{reception.public_id}"' in page
    assert "Nội quy tiếp công dân" in page and "PDF" in page


def test_the_reception_page_lists_the_coming_sessions_with_changes(app, client, reception):
    with app.app_context():
        today = schedule.today_in_vietnam()
        [first, second, *_] = schedule.upcoming_sessions(today)
        create_session(
            day=first.day, replaces_rule_day=first.day, cancelled=True, note="Đi công tác"
        )
        moved_to = second.day + timedelta(days=1)
        create_session(day=moved_to, replaces_rule_day=second.day, host="Giám đốc Sở")

    page = client.get("/tiep-cong-dan").get_data(as_text=True)

    assert "Đi công tác" in page and 'class="cancelled"' in page
    assert f'datetime="{moved_to.isoformat()}"' in page
    assert f"{second.day:%d/%m/%Y}" in page  # "moved from …"


def test_the_reception_page_in_english(client, reception):
    page = english(client).get("/tiep-cong-dan").get_data(as_text=True)

    assert "<h1>Citizen reception</h1>" in page
    assert "Reception room, ground floor" in page
    assert "Director" in page and "Reception rules" in page


def test_the_reception_page_before_anything_is_entered(client):
    page = client.get("/tiep-cong-dan").get_data(as_text=True)
    assert "lich.ics" not in page


def test_a_reception_document_downloads_with_its_type_and_name(client, reception):
    response = client.get(f"/tiep-cong-dan/tai-lieu/{reception.public_id}")

    assert response.mimetype == "application/pdf"
    assert response.get_data().startswith(b"%PDF-")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''N%E1%BB%99i%20quy" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_an_unknown_document_is_not_found(client, reception):
    client.get("/tiep-cong-dan/tai-lieu/khong-co", expect=404)


# --- Home page ------------------------------------------------------------------------------


def test_the_home_page_shows_the_next_three_sessions(app, client):
    with app.app_context():
        create_rule(day_of_month=15, host="Giám đốc Sở")
        today = schedule.today_in_vietnam()
        upcoming = schedule.upcoming_sessions(today, limit=4)
        create_session(day=upcoming[0].day, replaces_rule_day=upcoming[0].day, cancelled=True)

    page = client.get("/").get_data(as_text=True)
    contact = page.split('id="lien-he"')[1]

    shown = [s.day.isoformat() for s in upcoming[1:4]]
    assert [contact.count(f'datetime="{d}"') for d in shown] == [1, 1, 1]
    assert f'datetime="{upcoming[0].day.isoformat()}"' not in contact
    assert 'href="/tiep-cong-dan"' in contact
    assert translate(app, "No reception days are scheduled yet.") not in contact


def test_the_home_page_without_a_schedule(app, client):
    page = client.get("/").get_data(as_text=True)
    contact = page.split('id="lien-he"')[1]
    assert 'href="/tiep-cong-dan"' in contact
    assert translate(app, "No reception days are scheduled yet.") in contact


def test_sessions_from_the_past_are_not_upcoming(app, client):
    with app.app_context():
        create_session(day=date(2020, 1, 15), note="Đã qua")

    assert "Đã qua" not in client.get("/tiep-cong-dan").get_data(as_text=True)
