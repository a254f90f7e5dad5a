"""The public search page: one box over disclosures, drafts and procedures."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from flask_babel import force_locale, gettext, ngettext

from portal.core.search import index_entry
from portal.extensions import db

TITLE = "Thủ tục đăng ký kinh doanh"


@pytest.fixture
def add(app):
    """Index entries directly, as the domain services do when an item becomes public."""
    counter = iter(range(1, 10_000))

    def add(title, body="", *, kind="disclosure", published_at="now", slug=None):
        ref_id = next(counter)
        if published_at == "now":
            published_at = datetime(2025, 3, 15, 3, 0, tzinfo=UTC)
        with app.app_context():
            index_entry(
                kind=kind,
                ref_id=ref_id,
                slug=slug or f"muc-{ref_id}",
                title=title,
                body=body,
                published_at=published_at,
            )
            db.session.commit()
        return ref_id

    return add


def say(app, message, *args, locale="vi", **variables):
    """The app's wording in `locale` (English until the catalogue has the string)."""
    with app.test_request_context(), force_locale(locale):
        if args:
            return ngettext(message, *args, **variables)
        return gettext(message, **variables)


def results_html(page: str) -> str:
    match = re.search(r'<ol class="search-results".*?</ol>', page, re.S)
    return match.group(0) if match else ""


def test_an_empty_query_shows_the_form_only(client):
    page = client.get("/tim-kiem").get_data(as_text=True)

    assert 'id="search-q"' in page
    assert "search-results" not in page
    assert 'role="status"' not in page


def test_finds_the_accented_title_without_diacritics_and_marks_the_words(app, client, add):
    add(TITLE, "Hồ sơ gồm giấy đề nghị đăng ký hộ kinh doanh.", slug="dang-ky-kinh-doanh")

    page = client.get("/tim-kiem?q=thu+tuc+dang+ky").get_data(as_text=True)

    results = results_html(page)
    assert (
        "<mark>Thủ</mark> <mark>tục</mark> <mark>đăng</mark> <mark>ký</mark> kinh doanh" in results
    )
    assert "giấy đề nghị <mark>đăng</mark> <mark>ký</mark> hộ" in results
    assert "15/03/2025" in results
    assert 'value="thu tuc dang ky"' in page
    count = say(app, "%(num)d result for “%(query)s”", "", 1, query="thu tuc dang ky")
    assert count in page


def test_the_page_is_in_english_on_request(client, add):
    add(TITLE)
    client.get("/ngon-ngu/en?next=/", expect=302)

    page = client.get("/tim-kiem?q=dang+ky").get_data(as_text=True)

    assert '<html lang="en">' in page
    assert "1 result for “dang ky”" in page
    assert "Public information" in results_html(page)


def test_titles_and_snippets_are_escaped_around_the_marks(client, add):
    add('<script>alert("x")</script> thủ tục', "<img src=x onerror=alert(1)> đăng ký")

    page = client.get("/tim-kiem?q=thu+tuc+dang+ky").get_data(as_text=True)

    results = results_html(page)
    assert "<script>" not in results and "<img" not in results
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; <mark>thủ</mark>" in results
    assert "&lt;img src=x onerror=alert(1)&gt; <mark>đăng</mark>" in results


def test_the_query_is_escaped_where_it_is_repeated(client, add):
    page = client.get('/tim-kiem?q="><b>x</b>').get_data(as_text=True)

    assert "<b>x</b>" not in page
    assert "&#34;&gt;&lt;b&gt;x&lt;/b&gt;" in page


def test_results_link_to_their_pages_or_to_nothing_until_the_page_exists(app, client, add):
    add("Công khai ngân sách", kind="disclosure", slug="cong-khai-ngan-sach")
    add("Dự thảo quy chế ngân sách", kind="draft", slug="du-thao-ngan-sach")
    add("Thủ tục cấp phép ngân sách", kind="procedure", slug="thu-tuc-ngan-sach")

    page = client.get("/tim-kiem?q=ngan+sach").get_data(as_text=True)

    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    for slug, endpoint in [
        ("cong-khai-ngan-sach", "disclosures.detail"),
        ("du-thao-ngan-sach", "disclosures.detail"),
        ("thu-tuc-ngan-sach", "procedures.detail"),
    ]:
        if endpoint in endpoints:
            assert f"/{slug}" in results_html(page)
    assert results_html(page).count("<li") == 3


def test_the_type_filter_shows_counts_and_keeps_the_query(app, client, add):
    add(f"{TITLE} công khai", kind="disclosure")
    add(f"Dự thảo {TITLE}", kind="draft")
    add(TITLE, kind="procedure")
    add(f"{TITLE} cấp xã", kind="procedure")

    page = client.get("/tim-kiem?q=dang+ky&loai=thu-tuc").get_data(as_text=True)

    assert results_html(page).count("<li") == 2
    assert say(app, "Administrative procedure") in results_html(page)  # the kind label
    label = say(app, "Administrative procedures")
    assert f'aria-current="page">{label} <span class="search-filter__count">(2)' in page
    assert '<a href="/tim-kiem?q=dang+ky">' in page  # all types, not current
    assert 'href="/tim-kiem?q=dang+ky&amp;loai=du-thao"' in page
    assert "(4)" in page  # all types
    assert 'name="loai" value="thu-tuc"' in page


def test_an_unknown_type_searches_everything(client, add):
    add(TITLE, kind="procedure")
    add(TITLE, kind="draft")

    page = client.get("/tim-kiem?q=dang+ky&loai=khac").get_data(as_text=True)

    assert results_html(page).count("<li") == 2


def test_results_are_paginated(client, add):
    for n in range(25):
        add(f"Thủ tục số {n + 1}")

    first = client.get("/tim-kiem?q=thu+tuc").get_data(as_text=True)
    second = client.get("/tim-kiem?q=thu+tuc&trang=2").get_data(as_text=True)

    assert results_html(first).count("<li") == 20
    assert results_html(second).count("<li") == 5
    assert 'start="21"' in second
    assert 'href="/tim-kiem?q=thu+tuc&amp;trang=2" rel="next"' in first
    assert 'href="/tim-kiem?q=thu+tuc" rel="prev"' in second
    client.get("/tim-kiem?q=thu+tuc&trang=3", expect=404)
    client.get("/tim-kiem?q=thu+tuc&trang=0", expect=404)
    assert client.get("/tim-kiem?q=thu+tuc&trang=abc").status_code == 200


def test_no_results_says_so_with_suggestions(app, client, add):
    add(TITLE, kind="procedure")

    page = client.get("/tim-kiem?q=xe+may").get_data(as_text=True)

    assert say(app, "No results for “%(query)s”.", query="xe may") in page
    assert "search-empty" in page
    assert "search-filter" not in page


def test_no_results_in_one_type_offers_the_others(client, add):
    add(TITLE, kind="procedure")

    page = client.get("/tim-kiem?q=dang+ky&loai=du-thao").get_data(as_text=True)

    assert "search-empty" in page
    assert 'href="/tim-kiem?q=dang+ky"' in page


def test_scheduled_items_do_not_show(client, add):
    add(TITLE, published_at=datetime.now(UTC) + timedelta(days=1))

    page = client.get("/tim-kiem?q=dang+ky").get_data(as_text=True)

    assert "search-empty" in page


@pytest.mark.parametrize("q", ['"', "NEAR(", "*", "-", "a OR b", "x" * 5000, "%00", "(("])
def test_odd_queries_give_a_page(client, add, q):
    add(TITLE)

    client.get(f"/tim-kiem?q={q}")


@pytest.mark.parametrize("url", ["/", "/tro-nang-tiep-can", "/tim-kiem?q=abc"])
def test_every_page_has_the_search_box_in_its_header(client, url):
    page = client.get(url).get_data(as_text=True)

    header = page.split("</header>")[0]
    assert 'action="/tim-kiem"' in header
    assert '<label class="visually-hidden" for="site-search-q">' in header
    assert 'type="search" id="site-search-q" name="q"' in header


def test_the_search_box_keeps_public_pages_free_of_session_cookies(client):
    response = client.get("/")

    assert "Set-Cookie" not in response.headers
