"""Security headers, no inline code, no third-party hosts, cookie flags, safe redirects.

A crawl walks app.url_map and fetches every GET route anonymously (and every /staff route as an
administrator too), over http and https, with a static file and the error pages; each test
below checks one rule on every response it got.
"""

import uuid
from dataclasses import dataclass, field

import html5lib
import pytest
from werkzeug.routing import AnyConverter, IntegerConverter, UUIDConverter

from portal.cli import DEMO_SETTINGS
from portal.core import site
from portal.core.security import is_staff_path, same_site_url
from portal.extensions import db
from tests.apps import build_schema, other_app, production_settings
from tests.auth import sign_in
from tests.factories import create_user
from tests.pages import PageClient, check_page

BASE_URLS = ("http://localhost", "https://localhost")
STATIC_FILE = "/static/css/portal.css"
NO_SUCH_PAGE = "/khong-co-trang-nay"
# Elements that make the browser fetch something: none may point at another host.
FETCHING_ELEMENTS = {
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "embed": ("src",),
    "object": ("data",),
}


@dataclass
class Fetched:
    who: str
    method: str
    base_url: str
    path: str
    response: object

    def __str__(self):
        status = self.response.status_code
        return f"{self.method} {self.base_url}{self.path} ({self.who}, {status})"

    @property
    def header(self):
        return self.response.headers.get

    @property
    def document(self):
        """The parsed page, or None when the response is not HTML."""
        if self.response.mimetype != "text/html":
            return None
        return html5lib.parse(self.response.get_data(as_text=True), namespaceHTMLElements=False)


@dataclass
class Crawl:
    routes: list[str]
    fetched: list[Fetched] = field(default_factory=list)

    def problems(self, check, *, where=lambda item: True):
        """Return "<request>: <problem>" for every response check() finds a problem with."""
        found = []
        for item in self.fetched:
            if where(item):
                problem = check(item)
                if problem:
                    found.append(f"{item}: {problem}")
        return found


def _sample(rule, name, samples):
    if name in samples:
        return samples[name]
    converter = rule._converters[name]
    if isinstance(converter, AnyConverter):
        return "vi" if "vi" in converter.items else sorted(converter.items)[0]
    if isinstance(converter, IntegerConverter):
        return 1
    if isinstance(converter, UUIDConverter):
        return uuid.UUID(int=1)
    return "mau"


def get_routes(app, samples):
    """Return one path per GET rule (static excepted), its arguments filled with samples."""
    adapter = app.url_map.bind("localhost")
    return [
        adapter.build(
            rule.endpoint, {name: _sample(rule, name, samples) for name in rule.arguments}
        )
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and "GET" in rule.methods
    ]


@pytest.fixture(scope="module")
def crawl(app, failing_app):
    """Fetch every page once per scheme, anonymously and as an admin, and the error pages."""
    with app.app_context():
        site.save(DEMO_SETTINGS)  # footers then carry mailto: and tel: links
        db.session.commit()
        admin = create_user(role="admin")
    result = Crawl(routes=get_routes(app, {"public_id": admin.public_id}))
    anonymous = app.test_client()
    signed_in = app.test_client()
    sign_in(PageClient(signed_in), admin)
    failing = failing_app.test_client()
    too_large = b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)

    def fetch(who, client, method, path, base_url, **kwargs):
        response = client.open(path, method=method, base_url=base_url, **kwargs)
        result.fetched.append(Fetched(who, method, base_url, path, response))

    for base_url in BASE_URLS:
        for path in result.routes:
            fetch("anonymous", anonymous, "GET", path, base_url)
            if is_staff_path(path):
                fetch("admin", signed_in, "GET", path, base_url)
        fetch("anonymous", anonymous, "GET", STATIC_FILE, base_url)
        fetch("anonymous", anonymous, "GET", NO_SUCH_PAGE, base_url)  # 404
        fetch("anonymous", anonymous, "POST", "/", base_url)  # 405
        fetch("anonymous", anonymous, "POST", "/staff/login", base_url, data={"email": "x"})  # 400
        fetch(
            "anonymous",
            anonymous,
            "POST",
            "/staff/login",
            base_url,
            data=too_large,
            content_type="application/x-www-form-urlencoded",
        )  # 413
        fetch("anonymous", failing, "GET", "/hong", base_url)  # 500
    return result


def test_the_crawl_fetches_every_get_route_static_files_and_the_error_pages(crawl):
    fetched = {(item.who, item.path) for item in crawl.fetched}
    statuses = {item.response.status_code for item in crawl.fetched}

    assert {("anonymous", path) for path in crawl.routes} <= fetched
    assert {("admin", path) for path in crawl.routes if is_staff_path(path)} <= fetched
    assert ("anonymous", STATIC_FILE) in fetched
    assert {200, 302, 400, 404, 405, 413, 500} <= statuses


def test_the_crawl_sees_the_staff_pages_signed_in(crawl):
    # Otherwise every staff page would be a redirect to the sign-in form, checked for nothing.
    rendered = {
        item.path
        for item in crawl.fetched
        if item.who == "admin" and item.response.status_code == 200
    }

    assert {"/staff/", "/staff/users", "/staff/settings", "/staff/audit-log"} <= rendered


def test_the_crawl_meets_no_server_error_but_the_deliberate_one(crawl):
    assert (
        crawl.problems(
            lambda item: item.response.status_code >= 500 and "server error",
            where=lambda item: item.path != "/hong",
        )
        == []
    )


def test_every_page_of_the_crawl_passes_the_page_check(crawl):
    for item in crawl.fetched:
        if item.document is not None:
            check_page(item.response.get_data(as_text=True), url=str(item))


def _csp_lacks(fragment):
    def check(item):
        policy = item.header("Content-Security-Policy")
        if policy is None:
            return "no Content-Security-Policy"
        return None if fragment in policy else f"{fragment} missing from {policy!r}"

    return check


def test_content_security_policy_forbids_framing(crawl):
    assert crawl.problems(_csp_lacks("frame-ancestors 'none'")) == []


def test_content_security_policy_allows_only_our_own_scripts(crawl):
    assert crawl.problems(_csp_lacks("script-src 'self'")) == []


def _csp_allows_inline_code(item):
    policy = item.header("Content-Security-Policy")
    if policy is None:
        return "no Content-Security-Policy"
    return "unsafe-inline" in policy and f"unsafe-inline in {policy!r}"


def test_content_security_policy_never_allows_inline_code(crawl):
    assert crawl.problems(_csp_allows_inline_code) == []


def _header_is(name, expected):
    def check(item):
        value = item.header(name)
        return None if value == expected else f"{name}: {value!r}"

    return check


def test_every_response_forbids_mime_sniffing(crawl):
    assert crawl.problems(_header_is("X-Content-Type-Options", "nosniff")) == []


def test_every_response_keeps_the_referrer_on_this_site(crawl):
    assert crawl.problems(_header_is("Referrer-Policy", "same-origin")) == []


def test_every_response_declares_a_permissions_policy(crawl):
    assert crawl.problems(lambda item: not item.header("Permissions-Policy") and "missing") == []


def test_staff_responses_are_never_stored_in_a_cache(crawl):
    assert (
        crawl.problems(
            _header_is("Cache-Control", "no-store"), where=lambda item: is_staff_path(item.path)
        )
        == []
    )


def test_no_strict_transport_security_over_plain_http(crawl):
    assert (
        crawl.problems(
            lambda item: item.header("Strict-Transport-Security") and "HSTS over http",
            where=lambda item: item.base_url.startswith("http:"),
        )
        == []
    )


def test_strict_transport_security_over_https(crawl):
    assert (
        crawl.problems(
            lambda item: (
                not item.header("Strict-Transport-Security", "").startswith("max-age=")
                and "no HSTS"
            ),
            where=lambda item: item.base_url.startswith("https:"),
        )
        == []
    )


def _inline_scripts(item):
    document = item.document
    if document is None:
        return None
    inline = [script for script in document.iter("script") if not script.get("src")]
    return inline and f"{len(inline)} <script> without src"


def _event_handler_attributes(item):
    document = item.document
    if document is None:
        return None
    found = {
        f"<{el.tag} {name}=…>"
        for el in document.iter()
        if isinstance(el.tag, str)
        for name in el.attrib
        if name.lower().startswith("on")
    }
    return ", ".join(sorted(found))


def _inline_styles(item):
    document = item.document
    if document is None:
        return None
    found = {f"<{el.tag} style=…>" for el in document.iter() if el.get("style") is not None}
    found |= {"<style>" for _ in document.iter("style")}
    return ", ".join(sorted(found))


def _resources_from_other_hosts(item):
    document = item.document
    if document is None:
        return None
    found = []
    for tag, attributes in FETCHING_ELEMENTS.items():
        for el in document.iter(tag):
            for attribute in attributes:
                value = (el.get(attribute) or "").strip().lower()
                if value.startswith(("http:", "https:", "//")):
                    found.append(f"<{tag} {attribute}={value!r}>")
    return ", ".join(found)


def test_no_page_has_an_inline_script(crawl):
    assert crawl.problems(_inline_scripts) == []


def test_no_page_has_an_event_handler_attribute(crawl):
    assert crawl.problems(_event_handler_attributes) == []


def test_no_page_has_an_inline_style(crawl):
    assert crawl.problems(_inline_styles) == []


def test_no_page_loads_anything_from_another_host(crawl):
    assert crawl.problems(_resources_from_other_hosts) == []


def test_the_stylesheet_loads_nothing_from_another_host(crawl):
    (stylesheet, *_) = [item for item in crawl.fetched if item.path == STATIC_FILE]
    css = stylesheet.response.get_data(as_text=True).lower()

    assert stylesheet.response.status_code == 200
    assert "@import" not in css
    assert "url(http" not in css
    assert "url(//" not in css


@pytest.fixture
def production_app(app, tmp_path, monkeypatch):
    """Give a production app on a database of its own, its schema built by the migrations."""
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    with other_app(app, "production", production_settings(tmp_path)) as application:
        build_schema(application)
        yield application


def cookie_attributes(response, name):
    """Return the attributes of the one Set-Cookie header for the named cookie."""
    headers = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(name + "=")]
    assert len(headers) == 1, response.headers.getlist("Set-Cookie")
    return [part.strip() for part in headers[0].split(";")[1:]]


def test_production_sends_cookies_over_https_only(production_app):
    assert production_app.config["SESSION_COOKIE_SECURE"] is True
    assert production_app.config["REMEMBER_COOKIE_SECURE"] is True


def test_production_cookies_are_hidden_from_scripts(production_app):
    assert production_app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert production_app.config["REMEMBER_COOKIE_HTTPONLY"] is True


def test_production_cookies_are_not_sent_along_by_other_sites(production_app):
    assert production_app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert production_app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"


@pytest.mark.parametrize(
    "setting", ["SESSION_COOKIE_NAME", "REMEMBER_COOKIE_NAME", "LANGUAGE_COOKIE_NAME"]
)
def test_production_cookie_names_carry_the_host_prefix(production_app, setting):
    assert production_app.config[setting].startswith("__Host-")


@pytest.mark.parametrize(
    ("path", "cookie"),
    [("/staff/login", "__Host-portal_session"), ("/ngon-ngu/en", "__Host-portal_lang")],
)
def test_production_sets_cookies_with_every_flag(production_app, path, cookie):
    response = production_app.test_client().get(path, base_url="https://localhost")

    attributes = cookie_attributes(response, cookie)

    assert "Secure" in attributes
    assert "HttpOnly" in attributes
    assert "SameSite=Lax" in attributes
    assert "Path=/" in attributes
    assert not [a for a in attributes if a.lower().startswith("domain=")]


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "/\\evil",
        "\\\\evil.example",
        "/\t/evil.example",
        "evil.example",
        "",
        None,
    ],
)
def test_same_site_url_refuses_other_sites(target):
    assert same_site_url(target) is None


@pytest.mark.parametrize("target", ["/staff/", "/staff/users?page=2", "/"])
def test_same_site_url_accepts_paths_on_this_site(target):
    assert same_site_url(target) == target
