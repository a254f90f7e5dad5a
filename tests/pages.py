"""A test client that checks every HTML page it fetches (Notify-admin's client_request idea).

Each page must parse as valid HTML5, have a non-empty <title> and one <h1>, contain no
duplicate ids, and give every form control a label.
"""

import re
from collections import Counter

import html5lib
from html5lib.html5parser import ParseError

NS = "{http://www.w3.org/1999/xhtml}"
UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


def _el(tag):
    return NS + tag


def check_page(html: str, *, url: str = "") -> None:
    """Fail the test if the page breaks one of the house rules."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    try:
        document = parser.parse(html)
    except ParseError as error:
        line = parser.errors[0][0] if parser.errors else "?"
        raise AssertionError(f"{url}: invalid HTML ({error}) near line {line}") from None

    title = document.find(f".//{_el('head')}/{_el('title')}")
    assert title is not None and (title.text or "").strip(), f"{url}: page has no <title>"
    h1s = document.findall(f".//{_el('h1')}")
    assert len(h1s) == 1, f"{url}: expected one <h1>, found {len(h1s)}"
    assert document.get("lang") in {"vi", "en"}, f"{url}: <html> has no lang"

    ids = [el.get("id") for el in document.iter() if el.get("id")]
    duplicates = [i for i, n in Counter(ids).items() if n > 1]
    assert not duplicates, f"{url}: duplicate ids {duplicates}"

    _check_error_summary(document, url)

    labelled = {label.get("for") for label in document.iter(_el("label")) if label.get("for")}
    for tag in ("input", "select", "textarea"):
        for control in document.iter(_el(tag)):
            if tag == "input" and control.get("type", "text") in UNLABELLED_TYPES:
                continue
            name = control.get("name")
            has_label = (
                control.get("id") in labelled
                or control.get("aria-label")
                or control.get("aria-labelledby")
            )
            assert has_label, f"{url}: <{tag} name={name!r}> has no label"


def _check_error_summary(document, url: str) -> None:
    """Links in the error summary point at fields on the page, in the page's order."""
    summaries = [
        el for el in document.iter(_el("div")) if "error-summary" in el.get("class", "").split()
    ]
    if not summaries:
        return
    targets = [
        a.get("href", "")[1:]
        for a in summaries[0].iter(_el("a"))
        if a.get("href", "").startswith("#")
    ]
    order = {el.get("id"): n for n, el in enumerate(document.iter()) if el.get("id")}
    missing = [t for t in targets if t not in order]
    assert not missing, f"{url}: error summary links to missing fields {missing}"
    positions = [order[t] for t in targets]
    assert positions == sorted(positions), f"{url}: error summary out of page order {targets}"


class PageClient:
    """Wraps Flask's test client; HTML responses are checked with check_page()."""

    def __init__(self, client):
        self.raw = client

    def __getattr__(self, name):
        return getattr(self.raw, name)

    def _check(self, response, url):
        if response.mimetype == "text/html" and response.status_code != 302:
            check_page(response.get_data(as_text=True), url=url)
        return response

    def get(self, url, *, expect=200, **kwargs):
        response = self.raw.get(url, **kwargs)
        assert response.status_code == expect, (
            f"GET {url}: expected {expect}, got {response.status_code}"
        )
        return self._check(response, url)

    def post(self, url, *, expect=None, **kwargs):
        response = self.raw.post(url, **kwargs)
        if expect is not None:
            assert response.status_code == expect, (
                f"POST {url}: expected {expect}, got {response.status_code}"
            )
        return self._check(response, url)

    def csrf_token(self, url="/staff/login"):
        """Fetch a page and return the CSRF token of its first form."""
        html = self.raw.get(url).get_data(as_text=True)
        match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
        assert match, f"no CSRF token on {url}"
        return match.group(1)

    def submit(self, url, data, *, expect=None, token_from=None, **kwargs):
        """POST a form with a CSRF token fetched from the form's page, like a browser would."""
        data = {"csrf_token": self.csrf_token(token_from or url), **data}
        return self.post(url, data=data, expect=expect, **kwargs)
