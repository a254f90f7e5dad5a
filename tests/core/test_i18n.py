"""Language selection and the per-request translation cache."""

from flask import render_template_string

from portal.core.i18n import in_locale, select_locale


def test_the_default_language_outside_a_request(app):
    with app.app_context():
        assert select_locale() == "vi"


def test_the_switch_cookie_picks_english(app):
    cookie = f"{app.config['LANGUAGE_COOKIE_NAME']}=en"
    with app.test_request_context(headers={"Cookie": cookie}):
        assert select_locale() == "en"


def test_an_unknown_cookie_value_falls_back_to_vietnamese(app):
    cookie = f"{app.config['LANGUAGE_COOKIE_NAME']}=fr"
    with app.test_request_context(headers={"Cookie": cookie}):
        assert select_locale() == "vi"


def test_rendering_in_another_language_does_not_leak_into_the_page(app):
    home = "{{ _('Home') }}"
    with app.test_request_context():
        assert render_template_string(home) == "Trang chủ"
        with in_locale("en"):
            assert render_template_string(home) == "Home"
        assert render_template_string(home) == "Trang chủ"
