"""Following a case in a browser: number and key open it, the timeline, a message added;
axe-core on the look-up page (with and without an error) and on the case page."""

import re

from playwright.sync_api import expect

from tests.cases.factories import create_case
from tests.e2e.browser import translate


def _lookup(page, app, number, key):
    page.goto("/tra-cuu")
    page.get_by_label(translate(app, "Case number"), exact=True).fill(number)
    page.get_by_label(translate(app, "Access key"), exact=True).fill(key)
    page.get_by_role("button", name=translate(app, "Open the case"), exact=True).click()


def test_a_citizen_opens_the_case_reads_the_timeline_and_adds_a_message(
    page, app, site_settings, axe_check
):
    with app.app_context():
        case, key = create_case(kind="petition", title="Đề nghị sửa cầu treo Bản Chắt")

    page.goto("/tra-cuu")
    axe_check(page)

    _lookup(page, app, case.number, "WRNG-WRNG-WRNG-WRNG-W")
    expect(page.locator(".error-summary")).to_contain_text(
        translate(app, "The case number or access key is not correct.")
    )
    assert "WRNG" not in page.url
    axe_check(page)

    _lookup(page, app, case.number, key)
    expect(page).to_have_url(re.compile(rf"/tra-cuu/ho-so/{re.escape(case.public_id)}$"))
    assert key not in page.url
    expect(page.locator("h1")).to_contain_text(case.number)
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text(translate(app, "Case received"))
    expect(timeline).to_contain_text(re.compile(r"\d\d/\d\d/\d{4} \d\d:\d\d"))
    axe_check(page)

    page.get_by_label(translate(app, "Information to add or your answer")).fill(
        "Cầu đã hỏng thêm sau trận mưa <b>hôm qua</b>."
    )
    page.get_by_role("button", name=translate(app, "Send"), exact=True).click()
    expect(page.locator(".flash")).to_contain_text(
        translate(app, "Your information was added to the case.")
    )
    expect(timeline).to_contain_text(translate(app, "You added information"))
    expect(page.locator(".messages")).to_contain_text(
        "Cầu đã hỏng thêm sau trận mưa <b>hôm qua</b>."
    )
    axe_check(page)
