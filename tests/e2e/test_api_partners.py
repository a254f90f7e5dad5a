"""An admin registers an Open311 partner system, issues it a key, reads the key once and
revokes it, in Chromium, in both languages; axe-core finds nothing on any page on the way."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import sign_in, translate

POST_PATH = "/open311/v2/requests.json"


def send(page, key: str) -> int:
    """POST a petition with the key, as the partner's system would; return the status."""
    response = page.request.post(
        POST_PATH,
        form={
            "api_key": key,
            "service_code": "petition-procedure",
            "description": "Đề nghị hướng dẫn thủ tục",
            "attribute[publish_consent]": "no",
        },
    )
    return response.status


@pytest.mark.usefixtures("site_settings")
@pytest.mark.parametrize("locale", ["vi", "en"])
def test_an_admin_issues_a_key_to_a_partner_and_revokes_it(page, app, admin, axe_check, locale):
    def say(message, **variables):
        return translate(app, message, locale, **variables)

    sign_in(page, app, admin)
    if locale != "vi":
        page.goto(f"/ngon-ngu/{locale}")
        page.goto("/staff/")
    page.get_by_role("link", name=say("Open311 partner systems and their API keys")).click()
    expect(page.locator("h1")).to_have_text(say("Open311 partner systems"))
    axe_check(page)

    page.get_by_role("link", name=say("Register a partner")).click()
    page.get_by_role("button", name=say("Register the partner")).click()  # nothing typed yet
    expect(page.get_by_role("alert")).to_contain_text(say("Enter the name of the partner system"))
    axe_check(page)
    page.get_by_label(say("Name of the partner system")).fill("Tổng đài 1022 Lạng Sơn")
    page.get_by_label(say("Contact at the partner")).fill("Chị Lan, 0205 381 2345")
    page.get_by_label(say("Note")).fill("Theo thỏa thuận ngày 01/12")
    page.get_by_role("button", name=say("Register the partner")).click()
    expect(page.locator("h1")).to_have_text("Tổng đài 1022 Lạng Sơn")
    expect(page.get_by_label(say("Active (its keys can send requests)"))).to_be_checked()
    partner_url = page.url
    axe_check(page)

    page.get_by_role("button", name=say("Issue a new key")).click()
    expect(page.locator("h1")).to_have_text(
        say("New API key for %(name)s", name="Tổng đài 1022 Lạng Sơn")
    )
    field = page.get_by_label(say("API key"), exact=True)
    expect(field).to_have_attribute("readonly", "")
    key = field.input_value()
    assert re.fullmatch(r"o311_[A-Za-z0-9_-]{40,}", key)
    expect(page.locator("pre code")).to_contain_text(f"api_key={key}")
    axe_check(page)
    assert send(page, key) == 200

    page.get_by_role("link", name=say("I have copied the key")).click()
    expect(page).to_have_url(partner_url)
    assert key not in page.content()
    keys = page.get_by_role(
        "table", name=say("API keys of %(name)s", name="Tổng đài 1022 Lạng Sơn")
    )
    expect(keys).to_contain_text(f"…{key[-4:]}")
    keys.get_by_role("button", name=say("Revoke the key ending …%(hint)s", hint=key[-4:])).click()
    expect(page.get_by_role("status")).to_have_text(
        say("The key ending …%(hint)s was revoked: it no longer works.", hint=key[-4:])
    )
    expect(keys.get_by_role("button")).to_have_count(0)
    axe_check(page)
    assert send(page, key) == 403
