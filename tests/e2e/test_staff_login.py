"""Staff sign-in in a real browser: password, TOTP code, dashboard, sign-out, language."""

import re

from playwright.sync_api import expect

from tests.e2e.browser import sign_in, submit_code, submit_login, translate
from tests.factories import PASSWORD, totp_code


def test_admin_signs_in_with_password_and_code(page, app, admin):
    page.goto("/staff/login")
    expect(page.locator("h1")).to_have_text(translate(app, "Staff sign-in"))

    submit_login(page, app, admin.email, PASSWORD)

    expect(page).to_have_url(re.compile(r"/staff/login/code$"))
    expect(page.locator("h1")).to_have_text(translate(app, "Two-step sign-in"))
    submit_code(page, app, totp_code(admin))

    expect(page).to_have_url(re.compile(r"/staff/$"))
    expect(page.locator("h1")).to_have_text(translate(app, "Dashboard"))
    staff_menu = page.get_by_role("navigation", name=translate(app, "Staff menu"))
    expect(staff_menu.locator('a[href="/staff/users"]')).to_be_visible()


def test_wrong_password_shows_the_error_and_keeps_the_email(page, app, admin):
    page.goto("/staff/login")
    submit_login(page, app, admin.email, "not the password at all")

    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text(translate(app, "There is a problem"))
    expect(summary).to_contain_text(
        translate(app, "The e-mail address or password is not correct.")
    )
    expect(page).to_have_url(re.compile(r"/staff/login$"))
    expect(page.get_by_label(translate(app, "E-mail address"), exact=True)).to_have_value(
        admin.email
    )
    expect(page.get_by_label(translate(app, "Password"), exact=True)).to_have_value("")


def test_sign_out_returns_to_login_and_closes_the_staff_area(page, app, admin):
    sign_in(page, app, admin)

    page.get_by_role("button", name=translate(app, "Sign out"), exact=True).click()

    expect(page).to_have_url(re.compile(r"/staff/login$"))
    expect(page.get_by_role("status")).to_have_text(translate(app, "You have signed out."))

    page.goto("/staff/")
    expect(page).to_have_url(re.compile(r"/staff/login\?next=(/|%2F)staff(/|%2F)$"))
    expect(page.locator("h1")).to_have_text(translate(app, "Staff sign-in"))


def test_language_switch_in_the_header(page, app):
    page.goto("/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "vi")
    switch = page.get_by_role("navigation", name=translate(app, "Language"))

    switch.get_by_role("link", name="English", exact=True).click()

    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("h1")).to_have_text(
        translate(app, "Public information, reflections and petitions", locale="en")
    )
    switch = page.get_by_role("navigation", name=translate(app, "Language", locale="en"))
    expect(switch.get_by_role("link", name="English", exact=True)).to_have_attribute(
        "aria-current", "true"
    )

    switch.get_by_role("link", name="Tiếng Việt", exact=True).click()

    expect(html).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_have_text(
        translate(app, "Public information, reflections and petitions")
    )
