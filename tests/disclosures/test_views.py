"""Public pages: lists and filters, detail, versions, print, files, feeds, the list of
obligations; drafts, scheduled items and unknown addresses are 404."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from xml.etree import ElementTree as ET

import pytest

from portal.core.workdays import local_date
from portal.disclosures import categories as category_services
from portal.disclosures import queries, services
from tests.disclosures.factories import (
    create_category,
    create_disclosure,
    create_unit,
    upload,
)
from tests.disclosures.wording import say, shown_date

ATOM = "{http://www.w3.org/2005/Atom}"


def _english(client):
    client.get("/ngon-ngu/en", expect=302)


@pytest.fixture
def data(app):
    """A small portal: two categories, public, draft, scheduled and withdrawn items."""
    with app.app_context():
        budget = create_category(name="Ngân sách", name_en="Budget", slug="ngan-sach")
        staffing = create_category(name="Tổ chức cán bộ", slug="to-chuc-can-bo")
        unit = create_unit(slug="phong-ke-hoach", name="Phòng Kế hoạch", name_en="Planning")
        public = create_disclosure(
            category=budget,
            title="Công khai dự toán ngân sách năm 2026",
            summary="Dự toán thu, chi ngân sách năm 2026.",
            body_html="<p>Chi tiết <strong>dự toán</strong>.</p>",
            document_type="Quyết định",
            issuer="Sở Tài chính",
            number_symbol="125/QĐ-STC",
            unit=unit,
            papi=(2, 3),
            publish_at=datetime(2026, 1, 15, 3, tzinfo=UTC),
        )
        services.add_attachments(
            public, [upload(name="Dự toán 2026.pdf")], actor=None, change_note="Đăng kèm tệp."
        )
        other = create_disclosure(
            category=staffing,
            title="Thông báo tuyển dụng công chức",
            publish_at=datetime(2025, 6, 1, 3, tzinfo=UTC),
        )
        draft = create_disclosure(category=budget, title="Bản nháp bí mật", status="draft")
        scheduled = create_disclosure(category=budget, title="Sắp công bố", status="scheduled")
        withdrawn = create_disclosure(category=staffing, title="Kết quả đã hủy")
        services.withdraw_disclosure(
            withdrawn, reason="Sai sót số liệu <b>cần sửa</b>.", actor=None
        )
        return SimpleNamespace(
            public=public.slug,
            file=public.attachments[0].stored_file.public_id,
            other=other.slug,
            draft=draft.slug,
            scheduled=scheduled.slug,
            withdrawn=withdrawn.slug,
            scheduled_file=None,
        )


def test_index_lists_public_items_only(client, data):
    page = client.get("/cong-khai").get_data(as_text=True)
    assert "Công khai dự toán ngân sách năm 2026" in page
    assert "Thông báo tuyển dụng công chức" in page
    assert "Kết quả đã hủy" in page
    assert "Bản nháp bí mật" not in page
    assert "Sắp công bố" not in page


def test_index_in_english(client, data):
    _english(client)
    page = client.get("/cong-khai").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Public information" in page
    assert ">Budget<" in page  # the category's English name


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("danh-muc=ngan-sach", "dự toán ngân sách", "tuyển dụng"),
        ("nam=2025", "tuyển dụng", "dự toán ngân sách"),
        ("don-vi=phong-ke-hoach", "dự toán ngân sách", "tuyển dụng"),
        ("papi=3", "dự toán ngân sách", "tuyển dụng"),
    ],
)
def test_filters(client, data, query, shown, hidden):
    page = client.get(f"/cong-khai?{query}").get_data(as_text=True).lower()
    assert shown in page
    assert hidden not in page


@pytest.mark.parametrize(
    "query", ["nam=abc", "papi=99", "don-vi=khong-co", "danh-muc=x", "trang=-3"]
)
def test_filters_that_match_nothing_are_ignored(client, data, query):
    page = client.get(f"/cong-khai?{query}").get_data(as_text=True)
    assert "Thông báo tuyển dụng công chức" in page


def test_the_filter_form_works_without_javascript(client, data):
    page = client.get("/cong-khai").get_data(as_text=True)
    assert '<form method="get" action="/cong-khai"' in page
    for name in ("danh-muc", "nam", "don-vi", "papi"):
        assert f'name="{name}"' in page


def test_pagination_keeps_the_filters(app, client):
    with app.app_context():
        category = create_category(slug="nhieu")
        for n in range(25):
            create_disclosure(category=category, title=f"Thông báo số {n}")
    page = client.get("/cong-khai?nam=" + str(local_date(datetime.now(UTC)).year)).get_data(
        as_text=True
    )
    assert page.count("<li>\n    <h3>") == 20
    assert "trang=2" in page and "nam=" in page.split("trang=2")[0][-200:] + page
    second = client.get("/cong-khai?trang=2").get_data(as_text=True)
    assert second.count("<li>\n    <h3>") == 5
    assert 'rel="prev"' in second


def test_category_page(client, data):
    page = client.get("/cong-khai/ngan-sach").get_data(as_text=True)
    assert "Công khai dự toán ngân sách năm 2026" in page
    assert "Thông báo tuyển dụng công chức" not in page
    assert 'name="danh-muc"' not in page  # the category is the page


@pytest.mark.parametrize(
    "path",
    [
        "/cong-khai/khong-co-nhom-nay",
        "/cong-khai/van-ban/khong-co-van-ban-nay",
        "/cong-khai/khong-co-nhom-nay/feed.atom",
    ],
)
def test_unknown_addresses_are_404(client, data, path):
    client.get(path, expect=404)


@pytest.mark.parametrize("which", ["draft", "scheduled"])
@pytest.mark.parametrize("suffix", ["", "/in", "/phien-ban/1"])
def test_drafts_and_scheduled_items_are_404(client, data, which, suffix):
    client.get(f"/cong-khai/van-ban/{getattr(data, which)}{suffix}", expect=404)


def test_an_inactive_category_is_404(app, client):
    with app.app_context():
        create_category(slug="an-di", active=False)
    client.get("/cong-khai/an-di", expect=404)


def test_detail_shows_every_field(app, client, data):
    page = client.get(f"/cong-khai/van-ban/{data.public}").get_data(as_text=True)
    for text in (
        "Công khai dự toán ngân sách năm 2026",
        "Dự toán thu, chi ngân sách năm 2026.",
        "<strong>dự toán</strong>",
        "Quyết định",
        "Sở Tài chính",
        "125/QĐ-STC",
        "15/01/2026",  # published
        "Đăng trên cổng thông tin điện tử",  # form
        "Cổng thông tin điện tử của Sở",  # place
        "Phòng Kế hoạch",
        say(app, "2. Transparency"),
        say(app, "3. Vertical accountability"),
        "Dự toán 2026.pdf",
        "PDF, 1 KB",
    ):
        assert text in page, text
    assert f"/cong-khai/van-ban/{data.public}/tep/{data.file}" in page


def _revision_dates(app, slug):
    """When each version of a public disclosure was published, oldest first, as shown."""
    with app.app_context():
        revisions = queries.public_by_slug(slug).revisions
        return [shown_date(app, r.published_at) for r in reversed(revisions)]


def test_detail_shows_when_it_was_updated_and_the_earlier_versions(app, client, data):
    page = client.get(f"/cong-khai/van-ban/{data.public}").get_data(as_text=True)
    _, second = _revision_dates(app, data.public)
    assert say(app, "Updated on %(date)s", date=second) in page
    assert f"/cong-khai/van-ban/{data.public}/phien-ban/1" in page
    versions = page.split('id="phien-ban"')[1]
    assert say(app, "attached files") in versions  # what changed
    assert "Đăng kèm tệp." in page  # the editor's note


def test_an_earlier_version_is_readable(app, client, data):
    page = client.get(f"/cong-khai/van-ban/{data.public}/phien-ban/1").get_data(as_text=True)
    first, _ = _revision_dates(app, data.public)
    assert (
        say(
            app,
            "This is version %(number)d of %(count)d, published on %(date)s. "
            "It has since been changed.",
            number=1,
            count=2,
            date=first,
        )
        in page
    )
    assert "Dự toán 2026.pdf" not in page  # the file came with version 2
    client.get(f"/cong-khai/van-ban/{data.public}/phien-ban/2")
    client.get(f"/cong-khai/van-ban/{data.public}/phien-ban/3", expect=404)


def test_a_withdrawn_item_shows_the_banner_and_the_escaped_reason(app, client, data):
    page = client.get(f"/cong-khai/van-ban/{data.withdrawn}").get_data(as_text=True)
    with app.app_context():
        withdrawn_on = shown_date(app, queries.public_by_slug(data.withdrawn).withdrawn_at)
    assert say(app, "Withdrawn on %(date)s", date=withdrawn_on) in page
    assert "Sai sót số liệu &lt;b&gt;cần sửa&lt;/b&gt;." in page


def test_print_view(client, data):
    response = client.get(f"/cong-khai/van-ban/{data.public}/in")
    page = response.get_data(as_text=True)
    assert "print.css" in page and "portal.css" not in page
    assert "<nav" not in page and "<form" not in page
    assert "125/QĐ-STC" in page
    assert f"http://localhost/cong-khai/van-ban/{data.public}" in page


def test_print_view_in_english(client, data):
    _english(client)
    page = client.get(f"/cong-khai/van-ban/{data.public}/in").get_data(as_text=True)
    assert '<html lang="en">' in page


# --- Files -------------------------------------------------------------------------------------


def test_attachment_download_headers(client, data):
    response = client.get(f"/cong-khai/van-ban/{data.public}/tep/{data.file}")
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''D%E1%BB%B1%20to%C3%A1n%202026.pdf" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.get_data().startswith(b"%PDF-")


def test_attachments_of_items_that_are_not_public_are_404(app, client, data):
    with app.app_context():
        from portal.disclosures import queries

        draft = queries.by_public_id(
            queries.public_by_slug(data.public).public_id
        )  # a public one, for its file id
        hidden = create_disclosure(status="draft", title="Nháp có tệp")
        services.add_attachments(hidden, [upload()], actor=None)
        hidden_file = hidden.attachments[0].stored_file.public_id
        hidden_slug = hidden.slug
        assert draft is not None
    client.get(f"/cong-khai/van-ban/{hidden_slug}/tep/{hidden_file}", expect=404)
    # A public page cannot serve another disclosure's file either.
    client.get(f"/cong-khai/van-ban/{data.public}/tep/{hidden_file}", expect=404)
    client.get(f"/cong-khai/van-ban/{data.public}/tep/khong-co", expect=404)


# --- Feeds -------------------------------------------------------------------------------------


def _feed(client, path):
    response = client.get(path)
    assert response.mimetype == "application/atom+xml"
    return ET.fromstring(response.get_data())  # noqa: S314 - the app's own output


def test_the_feed_is_atom_with_public_items_only(app, client, data):
    feed = _feed(client, "/cong-khai/feed.atom")
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}id").text == "http://localhost/cong-khai/feed.atom"
    assert feed.find(f"{ATOM}updated").text.endswith("Z")
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    assert "Công khai dự toán ngân sách năm 2026" in titles
    assert say(app, "Withdrawn: %(title)s", title="Kết quả đã hủy") in titles
    assert "Bản nháp bí mật" not in titles and "Sắp công bố" not in titles
    entry = next(
        e
        for e in feed.findall(f"{ATOM}entry")
        if e.find(f"{ATOM}title").text == "Công khai dự toán ngân sách năm 2026"
    )
    assert entry.find(f"{ATOM}link").get("href") == (
        f"http://localhost/cong-khai/van-ban/{data.public}"
    )
    assert entry.find(f"{ATOM}summary").text == "Dự toán thu, chi ngân sách năm 2026."
    assert entry.find(f"{ATOM}published").text == "2026-01-15T03:00:00Z"


def test_the_category_feed(client, data):
    feed = _feed(client, "/cong-khai/ngan-sach/feed.atom")
    titles = [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")]
    assert titles == ["Công khai dự toán ngân sách năm 2026"]


def test_feeds_escape_what_they_carry(app, client):
    with app.app_context():
        create_disclosure(
            title='Giá <dịch vụ> & "phí" \x0b', summary="</summary><script>x</script>"
        )
    feed = _feed(client, "/cong-khai/feed.atom")
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == 'Giá <dịch vụ> & "phí"'
    assert entry.find(f"{ATOM}summary").text == "</summary><script>x</script>"


def test_an_empty_feed_is_still_valid(client):
    feed = _feed(client, "/cong-khai/feed.atom")
    assert feed.findall(f"{ATOM}entry") == []


# --- The list of information to be published ---------------------------------------------------


def test_the_list_of_obligations(app, client):
    today = local_date(datetime.now(UTC))
    with app.app_context():
        met = create_category(name="Dự toán ngân sách", slug="du-toan")
        create_disclosure(category=met, publish_at=datetime(2026, 2, 3, 3, tzinfo=UTC))
        late = create_category(name="Quyết toán ngân sách", slug="quyet-toan")
        category_services.update_category(late, {"due_on": today - timedelta(days=2)}, actor=None)
        create_category(name="Không hoạt động", slug="an", active=False)
    page = client.get("/cong-khai/danh-muc").get_data(as_text=True)
    assert "Dự toán ngân sách" in page and "Quyết toán ngân sách" in page
    assert "Không hoạt động" not in page
    assert "03/02/2026" in page  # the latest disclosure
    assert "Trong 5 ngày làm việc kể từ ngày ban hành" in page  # time
    assert "Ít nhất 1 năm" in page  # duration
    overdue = page.split('id="dm-quyet-toan"')[1].split("</li>")[0]
    assert say(app, "Overdue") in overdue
    assert (today - timedelta(days=2)).strftime("%d/%m/%Y") in overdue
    on_time = page.split('id="dm-du-toan"')[1].split("</li>")[0]
    assert say(app, "Overdue") not in on_time
    assert say(app, "%(num)d obligation is overdue.", "%(num)d obligations are overdue.", 1) in page


def test_the_list_of_obligations_in_english(client, data):
    _english(client)
    page = client.get("/cong-khai/danh-muc").get_data(as_text=True)
    assert "List of information to be published" in page
    assert ">Budget</a>" in page
