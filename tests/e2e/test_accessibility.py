"""axe-core on the pages that exist so far, in both languages where that is cheap.

The site settings are filled in (as on a configured site) unless a test says otherwise. A
failure lists each violation's rule, impact, help text and the selectors of the failing
elements.
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import sign_in, submit_login, translate
from tests.factories import PASSWORD

LOCALES = ["vi", "en"]


def _open(page, path, locale, *, status=200):
    if locale != "vi":
        page.goto(f"/ngon-ngu/{locale}")  # sets the language cookie
    response = page.goto(path)
    assert response.status == status, f"GET {path}: {response.status}"
    expect(page.locator("html")).to_have_attribute("lang", locale)


@pytest.mark.usefixtures("site_settings")
@pytest.mark.parametrize(
    ("path", "locale"),
    [
        *((path, locale) for path in ("/", "/quyen-rieng-tu") for locale in LOCALES),
        ("/tro-nang-tiep-can", "vi"),
        ("/tro-nang-tiep-can", "en"),
    ],
)
def test_public_page(page, axe_check, path, locale):
    _open(page, path, locale)
    axe_check(page)


@pytest.mark.usefixtures("site_settings")
@pytest.mark.parametrize("locale", LOCALES)
def test_not_found(page, axe_check, locale):
    _open(page, "/khong-co-trang-nay", locale, status=404)
    axe_check(page)


@pytest.mark.usefixtures("site_settings")
def test_login(page, axe_check):
    _open(page, "/staff/login", "vi")
    axe_check(page)


@pytest.mark.usefixtures("site_settings")
def test_login_with_empty_fields(page, app, axe_check):
    page.goto("/staff/login")
    submit_login(page, app, "", "")
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("[aria-invalid=true]")).to_have_count(2)
    axe_check(page)


@pytest.mark.usefixtures("site_settings")
def test_login_with_wrong_password(page, app, admin, axe_check):
    page.goto("/staff/login")
    submit_login(page, app, admin.email, "not the password at all")
    expect(page.get_by_role("alert")).to_be_visible()
    axe_check(page)


@pytest.mark.usefixtures("site_settings")
def test_code_page(page, app, admin, axe_check):
    page.goto("/staff/login")
    submit_login(page, app, admin.email, PASSWORD)
    expect(page).to_have_url(re.compile(r"/staff/login/code$"))
    axe_check(page)


@pytest.mark.usefixtures("site_settings")
def test_dashboard(page, app, admin, axe_check):
    sign_in(page, app, admin)
    expect(page.locator("h1")).to_have_text(translate(app, "Dashboard"))
    axe_check(page)


def test_home_before_the_settings_are_filled_in(page, axe_check):
    _open(page, "/", "vi")
    axe_check(page)
