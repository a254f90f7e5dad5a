"""Error pages: the right status, a real page in the reader's language, never a stack trace.

Every page goes through PageClient, so each is also checked as HTML (title, one h1, labels).
"""

import html
from contextlib import ExitStack

import html5lib
import pytest
from flask_babel import force_locale

from portal.core import errors
from portal.core.security import is_staff_path
from tests.apps import other_app
from tests.auth import sign_in
from tests.factories import create_user
from tests.pages import PageClient

CODES = (400, 403, 404, 405, 413, 429, 500)


def in_language(app, message, lang):
    """Return a lazily translated message as the reader of lang sees it."""
    with app.test_request_context(), force_locale(lang):
        return str(message)


def title(app, code, lang):
    return in_language(app, errors.MESSAGES[code][0], lang)


def page_text(response):
    return html.unescape(response.get_data(as_text=True))


def h1_text(response):
    document = html5lib.parse(response.get_data(as_text=True), namespaceHTMLElements=False)
    (h1,) = document.iter("h1")
    return " ".join("".join(h1.itertext()).split())


def html_lang(response):
    document = html5lib.parse(response.get_data(as_text=True), namespaceHTMLElements=False)
    return document.get("lang")


@pytest.fixture
def get_error(app, failing_app):
    """Return a function that provokes the error page for a status code, as a reader would."""
    stack = ExitStack()

    def client_for(application, lang):
        client = PageClient(application.test_client())
        if lang:
            client.set_cookie(application.config["LANGUAGE_COOKIE_NAME"], lang)
        return client

    def get(code, *, lang=None, base_url="http://localhost"):
        client = client_for(app, lang)
        if code == 400:  # a form sent without its CSRF token
            return client.post(
                "/staff/login", data={"email": "a@example.vn"}, base_url=base_url, expect=400
            )
        if code == 403:
            with app.app_context():
                editor = create_user(role="editor")
            sign_in(client, editor)
            return client.get("/staff/users", base_url=base_url, expect=403)
        if code == 404:
            return client.get("/khong-co-trang-nay", base_url=base_url, expect=404)
        if code == 405:
            return client.post("/", base_url=base_url, expect=405)
        if code == 413:
            return client.post(
                "/staff/login",
                data=b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1),
                content_type="application/x-www-form-urlencoded",
                base_url=base_url,
                expect=413,
            )
        if code == 429:
            limited = stack.enter_context(
                other_app(
                    app,
                    "testing",
                    {
                        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
                        "RATELIMIT_ENABLED": True,
                        "RATELIMIT_STORAGE_URI": "memory://",
                        "LOGIN_RATE_LIMIT_PER_IP": "2 per day",
                    },
                )
            )
            client = client_for(limited, lang)
            form = {"email": "khong-co@example.vn", "password": "not the password"}
            # Over https Flask-WTF also wants a Referer from this site, as browsers send.
            sent = {"base_url": base_url, "headers": {"Referer": base_url + "/staff/login"}}
            for _ in range(2):
                client.submit("/staff/login", form, expect=401, **sent)
            return client.submit("/staff/login", form, expect=429, **sent)
        if code == 500:
            return client_for(failing_app, lang).get("/hong", base_url=base_url, expect=500)
        raise AssertionError(f"no way to provoke {code}")

    yield get
    stack.close()


@pytest.mark.parametrize("code", CODES)
def test_error_page_is_in_vietnamese_by_default(app, get_error, code):
    response = get_error(code)

    assert html_lang(response) == "vi"
    assert h1_text(response) == title(app, code, "vi")
    assert title(app, code, "vi") != title(app, code, "en")


@pytest.mark.parametrize("code", CODES)
def test_error_page_is_in_english_for_a_reader_who_chose_english(app, get_error, code):
    response = get_error(code, lang="en")

    assert html_lang(response) == "en"
    assert h1_text(response) == title(app, code, "en")


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("base_url", ["http://localhost", "https://localhost"])
def test_error_page_carries_the_security_headers(get_error, code, base_url):
    response = get_error(code, base_url=base_url)
    headers = response.headers

    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Permissions-Policy"]
    assert ("Strict-Transport-Security" in headers) == base_url.startswith("https:")


@pytest.mark.parametrize("code", [400, 403, 413, 429])
def test_error_page_in_the_staff_area_is_never_cached(get_error, code):
    response = get_error(code)

    assert is_staff_path(response.request.path)
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_form_sent_without_its_token_is_explained_as_expired(app, get_error, lang):
    response = get_error(400, lang=lang)

    assert in_language(app, errors.CSRF_MESSAGE, lang) in page_text(response)


def test_csrf_explanation_is_translated_into_vietnamese(app):
    assert in_language(app, errors.CSRF_MESSAGE, "vi") != in_language(
        app, errors.CSRF_MESSAGE, "en"
    )


def test_not_allowed_page_names_the_methods_that_are(get_error):
    response = get_error(405)

    assert "GET" in response.headers["Allow"]
    assert "POST" not in response.headers["Allow"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_server_error_page_shows_no_trace_of_the_failure(get_error, lang):
    text = page_text(get_error(500, lang=lang))

    assert "Traceback" not in text
    assert "RuntimeError" not in text
    assert "a view failed in a test" not in text
    assert "broken_view" not in text


def test_server_error_is_logged_by_exception_class(get_error, caplog):
    get_error(500)

    assert "unhandled RuntimeError on GET /hong" in caplog.text
