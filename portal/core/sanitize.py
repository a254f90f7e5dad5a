"""The one door for untrusted rich text.

Staff rich text is cleaned here on write, into columns ending ``_html``; only those columns are
rendered with ``|safe``. Keeping the allow-list and every bleach call in this module means one
place to review and one place to fix when a new vector turns up. No other module imports bleach
(a test enforces it).
"""

import threading
import unicodedata
from collections.abc import Iterator

from bleach.html5lib_shim import Filter, HTMLParser, getTreeWalker
from bleach.sanitizer import Cleaner

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_PROTOCOLS",
    "ALLOWED_TAGS",
    "LINK_REL",
    "clean_html",
    "clean_text",
]

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h2", "h3", "h4", "blockquote", "pre", "code",
        "strong", "em", "b", "i", "u", "s", "sub", "sup", "abbr",
        "ul", "ol", "li", "a",
        "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    }
)  # fmt: skip

# "rel" is listed so the allow-list describes what output may contain; its value is always
# replaced by LINK_REL, whatever the author typed.
ALLOWED_ATTRIBUTES: dict[str, list[str]] = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "th": ["scope", "colspan", "rowspan"],
    "td": ["colspan", "rowspan"],
}

ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})

# Links in published text point at sites we do not control: no window.opener, no referrer
# leaking staff URLs, and no search-engine credit for whatever a link points at.
LINK_REL = "noopener noreferrer nofollow"

# Elements whose content is code or hidden fallback, never prose. bleach's strip=True removes
# the tags but keeps what is between them, so "<script>alert(1)</script>" would be published as
# the text "alert(1)". These are let through the parser as real elements, so their content is
# tokenised the way a browser tokenises it, and then dropped whole by _DropContent.
_DROP_WITH_CONTENT = frozenset(
    {
        "script", "style", "template", "noscript", "iframe", "object", "embed",
        "svg", "math", "textarea", "title", "noembed", "noframes",
    }
)  # fmt: skip

# Where plain text needs a line break so that words from adjacent blocks do not run together.
_TEXT_BREAKS = frozenset(
    {
        "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "li",
        "ul", "ol", "dl", "dt", "dd", "div", "section", "article", "header", "footer",
        "table", "caption", "tr", "th", "td", "figure", "figcaption", "address",
    }
)  # fmt: skip

_TEXT_TOKENS = frozenset({"Characters", "SpaceCharacters"})


class _DropContent(Filter):
    """Remove the elements in _DROP_WITH_CONTENT together with everything inside them."""

    def __iter__(self) -> Iterator[dict]:
        depth = 0
        # The stream comes from walking a parsed tree, so start and end tags always pair up.
        for token in super().__iter__():
            kind = token["type"]
            if depth:
                if kind == "StartTag":
                    depth += 1
                elif kind == "EndTag":
                    depth -= 1
                continue
            if kind in ("StartTag", "EmptyTag") and token["name"] in _DROP_WITH_CONTENT:
                depth = 1 if kind == "StartTag" else 0
                continue
            yield token


class _NormaliseText(Filter):
    """NFC text again after stripping, since removing a tag can join a letter to its accent."""

    def __iter__(self) -> Iterator[dict]:
        pending: list[str] = []
        for token in super().__iter__():
            if token["type"] in _TEXT_TOKENS:
                pending.append(token["data"])
                continue
            if pending:
                yield {"type": "Characters", "data": unicodedata.normalize("NFC", "".join(pending))}
                pending = []
            yield token
        if pending:
            yield {"type": "Characters", "data": unicodedata.normalize("NFC", "".join(pending))}


class _FinishAttributes(Filter):
    def __iter__(self) -> Iterator[dict]:
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag"):
                attrs = token["data"]
                if token["name"] == "a":
                    attrs[(None, "rel")] = LINK_REL
                for key, val in attrs.items():
                    # bleach's serializer takes a value that is exactly ">" for the end of the
                    # tag and stops un-escaping "&" in the attributes after it, so every later
                    # clean would add another "amp;". The entity means the same to a browser.
                    if val == ">":
                        attrs[key] = "&gt;"
            yield token


_MAX_ROUNDS = 5

# A Cleaner keeps parser state between calls and bleach documents it as not thread-safe.
_local = threading.local()


def _cleaner() -> Cleaner:
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = _local.cleaner = Cleaner(
            tags=ALLOWED_TAGS | _DROP_WITH_CONTENT,
            attributes=ALLOWED_ATTRIBUTES,
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            # Order matters: drop code first, so the text on either side of it is joined before
            # it is normalised.
            filters=[_DropContent, _NormaliseText, _FinishAttributes],
        )
    return cleaner


def clean_html(value: str | None) -> str:
    """Return staff rich text reduced to the allow-list, safe to render with ``|safe``."""
    if not value:
        return ""
    cleaner = _cleaner()
    cleaned = _clean_once(cleaner, value)
    # Some trees the parser builds from broken markup (content foster-parented out of a table,
    # a heading inside a heading, a newline opening a <pre>) do not survive being serialised
    # and parsed again. Cleaning until nothing changes stores what a later clean, or the
    # browser, will make of it. Every round is safe on its own; the bound only stops a loop.
    for _ in range(_MAX_ROUNDS):
        again = _clean_once(cleaner, cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


def _clean_once(cleaner: Cleaner, value: str) -> str:
    # NFC before bleach checks link protocols: normalisation can turn a lookalike into ASCII
    # (U+037E GREEK QUESTION MARK becomes ";"), so checking first and normalising after could
    # complete an entity such as "&#106;" behind the check's back.
    return cleaner.clean(unicodedata.normalize("NFC", value))


def clean_text(value: str | None) -> str:
    """Return the words of a piece of HTML as plain text, for summaries; Jinja still escapes it."""
    if not value:
        return ""
    # bleach's own vendored html5lib: runtime dependencies stop at bleach. Unlike clean_html this
    # parser decodes entities, because the result is text, not markup.
    fragment = HTMLParser(namespaceHTMLElements=False).parseFragment(value, scripting=True)
    pieces: list[str] = []
    for token in _DropContent(getTreeWalker("etree")(fragment)):
        if token["type"] in _TEXT_TOKENS:
            pieces.append(token["data"])
        elif token.get("name") in _TEXT_BREAKS:
            pieces.append("\n")
    text = unicodedata.normalize("NFC", "".join(pieces))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)
