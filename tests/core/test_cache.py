"""The public page cache: only anonymous, impersonal pages, for a short time."""

import pytest
from flask import Blueprint, flash, make_response

from portal.core import cache
from tests.apps import other_app

counter = {"n": 0}
pages = Blueprint("cache_test", __name__)


@pages.route("/cached")
@cache.public_page
def cached():
    counter["n"] += 1
    return f"render {counter['n']}"


@pages.route("/cookie")
@cache.public_page
def sets_a_cookie():
    counter["n"] += 1
    response = make_response(f"cookie {counter['n']}")
    response.set_cookie("seen", "1")
    return response


@pages.route("/flashes")
@cache.public_page
def flashes():
    flash("hello")
    counter["n"] += 1
    return f"personal {counter['n']}"


@pytest.fixture
def cached_app(app):
    with other_app(
        app,
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "PUBLIC_PAGE_CACHE_SECONDS": 60,
        },
    ) as application:
        application.register_blueprint(pages)
        cache.clear()
        yield application
        cache.clear()


def test_anonymous_readers_share_one_rendering(cached_app):
    client = cached_app.test_client()
    first = client.get("/cached")
    second = client.get("/cached")
    assert first.get_data() == second.get_data()
    assert second.headers["Cache-Control"] == "public, max-age=60"


def test_query_string_and_language_are_part_of_the_key(cached_app):
    client = cached_app.test_client()
    a = client.get("/cached?trang=1").get_data()
    b = client.get("/cached?trang=2").get_data()
    client.set_cookie(cached_app.config["LANGUAGE_COOKIE_NAME"], "en")
    c = client.get("/cached?trang=1").get_data()
    assert len({a, b, c}) == 3


def test_the_host_asked_for_is_part_of_the_key(cached_app):
    # Feeds and the API carry absolute links built from the Host header: a request sent with
    # another host must not fill the cache that readers of the real host are served from.
    client = cached_app.test_client()
    forged = client.get("/cached", headers={"Host": "evil.example"}).get_data()
    real = client.get("/cached").get_data()
    again = client.get("/cached").get_data()
    assert forged != real and real == again


def test_readers_with_a_session_get_a_fresh_page(cached_app):
    client = cached_app.test_client()
    client.get("/cached")
    client.set_cookie(cached_app.config["SESSION_COOKIE_NAME"], "anything")
    assert client.get("/cached").get_data() != client.get("/cached").get_data()


def test_pages_that_write_to_the_session_are_not_cached(cached_app):
    client = cached_app.test_client()
    first = cached_app.test_client().get("/flashes")
    assert first.get_data() != client.get("/flashes").get_data()
    assert "public" not in first.headers.get("Cache-Control", "")


def test_the_cache_is_off_when_the_setting_is_zero(app):
    with other_app(
        app, "testing", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    ) as application:
        application.register_blueprint(pages, name="cache_test_off")
        client = application.test_client()
        assert client.get("/cached").get_data() != client.get("/cached").get_data()


def test_pages_that_set_a_cookie_are_not_cached(cached_app):
    first = cached_app.test_client().get("/cookie")
    second = cached_app.test_client().get("/cookie")
    assert first.get_data() != second.get_data()
