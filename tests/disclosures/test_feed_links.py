"""Each list of public information advertises its Atom feed (a <link rel="alternate"> in the
head and a link in the body), and the feed carries what the page lists: the same items, in the
same order, withdrawn ones included and marked, drafts, scheduled items and other categories
left out."""

from datetime import UTC, datetime, timedelta

import html5lib
import pytest
from defusedxml import ElementTree as SafeET

from portal.disclosures.queries import PER_PAGE
from tests.disclosures.factories import create_category, create_disclosure
from tests.disclosures.wording import say

ATOM = "{http://www.w3.org/2005/Atom}"
ATOM_TYPE = "application/atom+xml"
BASE = "http://localhost"
LOCALES = ["vi", "en"]


@pytest.fixture
def portal(app):
    """Two categories with public, withdrawn, draft and scheduled items in each."""
    start = datetime(2026, 3, 2, 3, tzinfo=UTC)
    with app.app_context():
        budget = create_category(name="Ngân sách", name_en="Budget", slug="ngan-sach")
        staffing = create_category(name="Tổ chức cán bộ", slug="to-chuc-can-bo")
        for n, (category, title) in enumerate(
            [
                (budget, "Dự toán ngân sách năm 2026"),
                (staffing, "Thông báo tuyển dụng công chức"),
                (budget, "Quyết toán ngân sách năm 2025"),
                (staffing, "Kết quả thi tuyển"),
            ]
        ):
            create_disclosure(category=category, title=title, publish_at=start - timedelta(n))
        create_disclosure(
            category=budget,
            title="Báo cáo tài chính đã thay thế",
            status="withdrawn",
            publish_at=start - timedelta(days=10),
        )
        create_disclosure(category=budget, title="Bản nháp dự toán", status="draft")
        create_disclosure(category=budget, title="Sắp công bố", status="scheduled")
        create_disclosure(category=staffing, title="Nháp tuyển dụng", status="draft")


def _in(client, locale):
    if locale == "en":
        client.get("/ngon-ngu/en", expect=302)
    return client


def _html(client, url):
    text = client.get(url).get_data(as_text=True)
    return html5lib.parse(text, namespaceHTMLElements=False)


def _alternates(document, kind):
    return [
        link
        for link in document.findall("./head/link")
        if link.get("rel") == "alternate" and link.get("type") == kind
    ]


def _listed(document, app, locale):
    """(title, absolute URL) of each item on the page; withdrawn ones as the feed titles them."""
    items = []
    for li in document.findall(".//ol[@class='results']/li"):
        a = li.find("./h3/a")
        title = a.text
        if li.find(".//strong[@class='tag tag--withdrawn']") is not None:
            title = say(app, "Withdrawn: %(title)s", title=title, locale=locale)
        items.append((title, BASE + a.get("href")))
    return items


def _feed(client, url):
    response = client.get(url)
    assert response.mimetype == ATOM_TYPE
    return SafeET.fromstring(response.get_data())


def _entries(feed):
    return [
        (e.find(f"{ATOM}title").text, e.find(f"{ATOM}link").get("href"))
        for e in feed.findall(f"{ATOM}entry")
    ]


def _feed_of(client, page_url, app, locale):
    """Check the page's feed links and return (page items, the feed document)."""
    document = _html(client, page_url)
    [head_link] = _alternates(document, ATOM_TYPE)
    href = head_link.get("href")
    assert href.startswith("/cong-khai/") and href.endswith("/feed.atom")
    body_links = [a for a in document.iter("a") if a.get("type") == ATOM_TYPE]
    assert [a.get("href") for a in body_links] == [href]
    assert body_links[0].text == say(app, "Atom feed of new items", locale=locale)
    feed = _feed(client, href)
    assert head_link.get("title") == feed.find(f"{ATOM}title").text
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == BASE + href
    return _listed(document, app, locale), feed


@pytest.mark.usefixtures("portal")
@pytest.mark.parametrize("locale", LOCALES)
def test_the_index_feed_lists_what_the_index_lists(app, client, locale):
    items, feed = _feed_of(_in(client, locale), "/cong-khai", app, locale)

    assert _entries(feed) == items
    titles = [title for title, _ in items]
    assert titles[:4] == [
        "Dự toán ngân sách năm 2026",
        "Thông báo tuyển dụng công chức",
        "Quyết toán ngân sách năm 2025",
        "Kết quả thi tuyển",
    ]
    withdrawn = say(
        app, "Withdrawn: %(title)s", title="Báo cáo tài chính đã thay thế", locale=locale
    )
    assert titles[4:] == [withdrawn]
    alternate = feed.find(f"{ATOM}link[@rel='alternate']")
    assert alternate.get("href") == f"{BASE}/cong-khai"


@pytest.mark.usefixtures("portal")
@pytest.mark.parametrize("locale", LOCALES)
def test_a_category_feed_lists_what_the_category_page_lists(app, client, locale):
    items, feed = _feed_of(_in(client, locale), "/cong-khai/ngan-sach", app, locale)

    assert _entries(feed) == items
    titles = [title for title, _ in items]
    withdrawn = say(
        app, "Withdrawn: %(title)s", title="Báo cáo tài chính đã thay thế", locale=locale
    )
    assert titles == ["Dự toán ngân sách năm 2026", "Quyết toán ngân sách năm 2025", withdrawn]
    name = "Budget" if locale == "en" else "Ngân sách"
    assert feed.find(f"{ATOM}title").text.startswith(f"{name} – ")
    assert {c.get("term") for c in feed.iter(f"{ATOM}category")} == {"ngan-sach"}
    alternate = feed.find(f"{ATOM}link[@rel='alternate']")
    assert alternate.get("href") == f"{BASE}/cong-khai/ngan-sach"


@pytest.mark.usefixtures("portal")
def test_a_category_without_an_english_name_is_named_as_on_its_page(app, client):
    document = _html(_in(client, "en"), "/cong-khai/to-chuc-can-bo")
    [head_link] = _alternates(document, ATOM_TYPE)
    assert head_link.get("href") == "/cong-khai/to-chuc-can-bo/feed.atom"
    assert head_link.get("title").startswith("Tổ chức cán bộ – ")
    items, feed = _feed_of(client, "/cong-khai/to-chuc-can-bo", app, "en")
    assert _entries(feed) == items
    assert [t for t, _ in items] == ["Thông báo tuyển dụng công chức", "Kết quả thi tuyển"]


@pytest.mark.usefixtures("portal")
def test_the_index_narrowed_to_a_category_offers_that_category_feed(app, client):
    document = _html(client, "/cong-khai?danh-muc=ngan-sach")
    [head_link] = _alternates(document, ATOM_TYPE)
    assert head_link.get("href") == "/cong-khai/ngan-sach/feed.atom"
    items, feed = _feed_of(client, "/cong-khai?danh-muc=ngan-sach", app, "vi")
    assert _entries(feed) == items


def test_the_feed_runs_on_where_the_first_page_stops(app, client):
    """More items than a page holds: the feed is page 1 followed by page 2, in order."""
    with app.app_context():
        category = create_category(slug="ngan-sach")
        start = datetime(2026, 1, 1, 3, tzinfo=UTC)
        for n in range(PER_PAGE + 2):
            create_disclosure(category=category, title=f"Văn bản {n:02d}", publish_at=start)

    first, feed = _feed_of(client, "/cong-khai/ngan-sach", app, "vi")
    second = _listed(_html(client, "/cong-khai/ngan-sach?trang=2"), app, "vi")

    assert len(first) == PER_PAGE and len(second) == 2
    assert _entries(feed) == first + second


def test_an_empty_list_still_advertises_its_feed(client):
    document = _html(client, "/cong-khai")
    [head_link] = _alternates(document, ATOM_TYPE)
    assert _feed(client, head_link.get("href")).findall(f"{ATOM}entry") == []


@pytest.mark.usefixtures("portal")
def test_pages_without_a_feed_do_not_advertise_one(client):
    for url in ("/cong-khai/danh-muc", "/duong-day-nong"):
        assert _alternates(_html(client, url), ATOM_TYPE) == []
