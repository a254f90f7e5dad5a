"""Pages everyone sees: Vietnamese first, English on request, light and self-contained."""

from pathlib import Path

import pytest

from portal.cli import DEMO_SETTINGS
from portal.core import site
from portal.extensions import db
from tests.contacts.factories import create_site_hotlines

STATIC = Path(__file__).resolve().parents[2] / "static"
PUBLIC_PAGES = ["/", "/tro-nang-tiep-can", "/quyen-rieng-tu"]


@pytest.fixture
def settings(app):
    with app.app_context():
        site.save(DEMO_SETTINGS)
        db.session.commit()
        create_site_hotlines()


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_are_in_vietnamese_with_the_agency_and_hotline(client, settings, url):
    page = client.get(url).get_data(as_text=True)
    assert '<html lang="vi">' in page
    assert "Chuyển đến nội dung chính" in page
    assert DEMO_SETTINGS["agency_name"] in page
    assert "0205 3812 345" in page  # the main hotline
    assert "phananh@stc.langson.example.vn" in page  # the harassment report line


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_switch_to_english(client, settings, url):
    response = client.get(f"/ngon-ngu/en?next={url}", expect=302)
    assert response.headers["Location"] == url
    page = client.get(url).get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "Skip to main content" in page
    assert DEMO_SETTINGS["agency_name_en"] in page


def test_language_switch_refuses_to_leave_the_site(client):
    response = client.get("/ngon-ngu/en?next=https://evil.example/", expect=302)
    assert response.headers["Location"] == "/"


def test_unknown_language_is_not_found(client):
    client.get("/ngon-ngu/fr", expect=404)


def test_the_home_page_works_before_any_settings_exist(client):
    page = client.get("/").get_data(as_text=True)
    assert "Cổng thông tin" in page


def test_pages_stay_small_for_slow_phones(client, settings):
    html = client.get("/").get_data()
    css = sum(p.stat().st_size for p in (STATIC / "css").glob("*.css"))
    assert len(html) < 20_000
    assert css < 30_000


def test_the_home_page_needs_no_javascript(client, settings):
    assert "<script" not in client.get("/").get_data(as_text=True)


def test_health_check_reports_the_database(client):
    response = client.get("/healthz")
    assert response.get_json() == {"status": "ok"}


def test_static_files_have_versioned_urls_and_are_cached_long(client):
    import re

    page = client.get("/").get_data(as_text=True)
    url = re.search(r'href="(/static/css/portal\.css\?v=[0-9a-f]{12})"', page).group(1)
    response = client.get(url)
    assert "max-age=31536000" in response.headers["Cache-Control"]
