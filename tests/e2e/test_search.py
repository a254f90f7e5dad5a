"""Searching from the header, without diacritics, on a phone-sized screen and with axe-core."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from portal.core.search import index_entry
from portal.extensions import db
from tests.e2e.browser import translate

TITLE = "Thủ tục đăng ký kinh doanh hộ cá thể"


@pytest.fixture
def entries(app):
    """Two public items and one scheduled, indexed as the domain services index them."""
    now = datetime.now(UTC)
    with app.app_context():
        for ref_id, kind, title, body, published_at in [
            (1, "procedure", TITLE, "Hồ sơ gồm giấy đề nghị đăng ký hộ kinh doanh.", now),
            (2, "disclosure", "Kế hoạch cải cách hành chính năm 2025", "Rà soát thủ tục.", now),
            (3, "disclosure", "Thủ tục đăng ký sắp công bố", "", now + timedelta(days=2)),
        ]:
            index_entry(
                kind=kind,
                ref_id=ref_id,
                slug=f"muc-{ref_id}",
                title=title,
                body=body,
                published_at=published_at,
            )
        db.session.commit()


@pytest.mark.usefixtures("site_settings", "entries")
def test_search_from_the_header_without_diacritics(page, app, axe_check):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto("/")

    box = page.get_by_role("search").get_by_label(
        translate(app, "Search public information and procedures")
    )
    box.fill("thu tuc dang ky")
    box.press("Enter")

    page.wait_for_url("**/tim-kiem?q=thu+tuc+dang+ky")
    results = page.locator(".search-result")
    expect(results).to_have_count(1)
    title = results.first.get_by_role("heading")
    expect(title).to_have_text(TITLE)
    expect(title.locator("mark")).to_have_text(["Thủ", "tục", "đăng", "ký"])
    expect(results.first.locator(".search-result__snippet mark")).to_have_text(["đăng", "ký"])
    expect(
        page.get_by_label(
            translate(
                app,
                "Search public information, drafts for comment, administrative procedures and answers to citizens",
            )
        )
    ).to_have_value("thu tuc dang ky")
    axe_check(page)


@pytest.mark.usefixtures("site_settings", "entries")
@pytest.mark.parametrize(
    "path", ["/tim-kiem", "/tim-kiem?q=xe+may", "/tim-kiem?q=thu+tuc&loai=du-thao"]
)
def test_search_pages_without_results_are_accessible(page, axe_check, path):
    response = page.goto(path)

    assert response.status == 200
    axe_check(page)


@pytest.mark.usefixtures("site_settings", "entries")
def test_the_type_filter_narrows_the_results(page, app):
    page.goto("/tim-kiem?q=thu+tuc")
    expect(page.locator(".search-result")).to_have_count(2)

    page.get_by_role("navigation", name=translate(app, "Filter by type")).get_by_role(
        "link", name=translate(app, "Public information")
    ).click()

    expect(page.locator(".search-result")).to_have_count(1)
    expect(page.locator(".search-result h3")).to_have_text("Kế hoạch cải cách hành chính năm 2025")
