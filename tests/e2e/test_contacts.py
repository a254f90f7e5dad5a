"""Contacts in a browser: the reception page from the home page, and axe-core on the
hotlines, organisation and reception pages in both languages (demo content loaded)."""

import re

import pytest
from playwright.sync_api import expect

from portal.contacts import demo
from tests.e2e.browser import translate

LOCALES = ["vi", "en"]


@pytest.fixture
def contacts(app, site_settings, tmp_path, monkeypatch):
    """The demo units, hotlines, reception place, rule and documents."""
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    with app.app_context():
        demo.load()


def _open(page, path, locale):
    if locale != "vi":
        page.goto(f"/ngon-ngu/{locale}")  # sets the language cookie
    response = page.goto(path)
    assert response.status == 200, f"GET {path}: {response.status}"
    expect(page.locator("html")).to_have_attribute("lang", locale)


@pytest.mark.usefixtures("contacts")
def test_a_reader_finds_the_reception_schedule_from_the_home_page(page, app):
    page.goto("/")
    page.get_by_role(
        "link", name=translate(app, "Citizen reception: place, hours, rules and the full schedule")
    ).click()

    expect(page).to_have_url(re.compile(r"/tiep-cong-dan$"))
    expect(page.locator("h1")).to_have_text(translate(app, "Citizen reception"))
    expect(page.locator("tbody tr")).to_have_count(12)
    expect(
        page.get_by_role("link", name="Nội quy tiếp công dân của Sở Tài chính tỉnh Lạng Sơn")
    ).to_be_visible()
    feed = page.get_by_role(
        "link", name=translate(app, "Add these dates to your calendar (iCalendar feed)")
    )
    expect(feed).to_have_attribute("href", "/tiep-cong-dan/lich.ics")
    # The harassment report line is in the footer of this page too.
    expect(page.locator("footer a[href='tel:+842053812888']")).to_be_visible()


@pytest.mark.usefixtures("contacts")
def test_the_organisation_page_switches_to_english(page, app):
    page.goto("/co-cau-to-chuc")
    page.get_by_role("link", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Budget Management Division")).to_be_visible()


@pytest.mark.usefixtures("contacts")
@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("path", ["/duong-day-nong", "/co-cau-to-chuc", "/tiep-cong-dan"])
def test_contacts_pages_have_no_axe_violations(page, axe_check, path, locale):
    _open(page, path, locale)
    axe_check(page)


@pytest.mark.usefixtures("site_settings")
@pytest.mark.parametrize("path", ["/duong-day-nong", "/co-cau-to-chuc", "/tiep-cong-dan"])
def test_contacts_pages_before_anything_is_entered_have_no_axe_violations(page, axe_check, path):
    _open(page, path, "vi")
    axe_check(page)
