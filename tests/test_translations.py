"""The Vietnamese catalogue covers every marked string, and the language switch works.

Messages are extracted from the current source at test time, with the method map of babel.cfg
and the keywords of `make extract`, so a string marked for translation but missing from
vi/LC_MESSAGES/messages.po fails here instead of showing up in English on a Vietnamese page.
"""

import re
from collections import Counter
from functools import cache
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from jinja2 import TemplateSyntaxError
from jinja2.ext import babel_extract

ROOT = Path(__file__).resolve().parent.parent
BABEL_CFG = ROOT / "babel.cfg"
VI_PO = ROOT / "portal" / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
VI_MO = VI_PO.with_suffix(".mo")
# As in the Makefile: pybabel's default keywords plus `-k lazy_gettext -k _l`.
KEYWORDS = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None}
# A named placeholder such as %(name)s or %(n)d, flags and width included.
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrs]")
HOW_TO_FIX = f"Run `make extract`, then translate the new entries in {VI_PO.relative_to(ROOT)}."


class Extracted:
    """The messages found in the source, and the templates pybabel could not parse."""

    def __init__(self):
        self.messages = {}  # (msgid, context) -> {"file:line", …}
        self.template_ids = set()  # msgids used in Jinja templates
        self.errors = []

    def strict_jinja(self, fileobj, keywords, comment_tags, options):
        """Jinja's extractor as pybabel runs it, except that a parse error is recorded.

        pybabel skips a template it cannot parse without a word (its `silent` option), so
        its strings would never reach the catalogue and nothing here would notice.
        """
        try:
            yield from babel_extract(
                fileobj, keywords, comment_tags, {**options, "silent": "false"}
            )
        except TemplateSyntaxError as error:
            name = Path(fileobj.name).relative_to(ROOT)
            self.errors.append(f"{name}, line {error.lineno}: {error.message}")


@cache
def extracted() -> Extracted:
    with BABEL_CFG.open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, filename=str(BABEL_CFG))
    result = Extracted()
    method_map = [
        (pattern, result.strict_jinja if method == "jinja2" else method)
        for pattern, method in method_map
    ]
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        result.messages.setdefault((msgid, context), set()).add(f"{filename}:{lineno}")
        if filename.endswith((".html", ".txt")):
            result.template_ids.add(msgid)
    return result


@cache
def catalogue():
    with VI_PO.open("rb") as po:
        return read_po(po, locale="vi")


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def translations(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string]


def test_every_source_file_can_be_extracted():
    problems = extracted().errors
    assert not problems, (
        "pybabel cannot read these files, so `make extract` silently leaves their strings out "
        "of the catalogue. A template that uses a Jinja extension (such as {% do %}) needs it "
        "listed in babel.cfg, e.g. `extensions = jinja2.ext.do` under its [jinja2: …] section:\n"
        + "\n".join(problems)
    )


def test_every_message_has_a_vietnamese_translation():
    catalog = catalogue()
    missing = []
    for (msgid, context), places in sorted(extracted().messages.items()):
        entry = catalog.get(msgid, context)
        if entry is None or entry.fuzzy or not all(s.strip() for s in translations(entry)):
            why = "missing" if entry is None else "fuzzy" if entry.fuzzy else "empty"
            missing.append(f"  {msgid!r} ({why}; {', '.join(sorted(places))})")
    assert extracted().messages, "no messages were extracted: check babel.cfg"
    assert not missing, (
        f"{len(missing)} message(s) have no Vietnamese translation. {HOW_TO_FIX}\n"
        + "\n".join(missing)
    )


def test_catalogue_has_no_fuzzy_or_empty_entries():
    bad = [m.id for m in catalogue() if m.id and (m.fuzzy or not all(translations(m)))]
    assert not bad, f"fuzzy or empty entries in {VI_PO.name}: {bad}"


def test_translations_keep_the_placeholders():
    wrong = []
    for message in catalogue():
        if not message.id:
            continue
        source = message.id[-1] if isinstance(message.id, tuple) else message.id
        expected = placeholders(source)
        for text in translations(message):
            if placeholders(text) != expected:
                wrong.append(
                    f"  {source!r}: expected {sorted(expected.elements())}, "
                    f"got {sorted(placeholders(text).elements())} in {text!r}"
                )
    assert not wrong, "translations must keep every %(name)s placeholder exactly:\n" + "\n".join(
        wrong
    )


def test_template_translations_survive_jinja_formatting():
    """Jinja's new-style gettext always applies `%`, so a literal % must be written %%."""
    catalog = catalogue()
    broken = []
    for msgid in sorted(extracted().template_ids):
        entry = catalog.get(msgid)
        if entry is None:
            continue  # reported by test_every_message_has_a_vietnamese_translation
        values = dict.fromkeys(re.findall(r"%\((\w+)\)", msgid), 1)
        for text in translations(entry):
            try:
                text % values
            except (KeyError, TypeError, ValueError) as error:
                broken.append(f"  {text!r}: {error}")
    assert not broken, "write a literal % as %% in these translations:\n" + "\n".join(broken)


def test_pages_are_vietnamese_by_default_and_english_after_the_switch(client):
    assert VI_MO.exists() and VI_MO.stat().st_mtime >= VI_PO.stat().st_mtime, (
        f"{VI_MO.relative_to(ROOT)} is missing or older than the .po: run `make translations` "
        "(`make test` does it for you)"
    )

    html = client.get("/").get_data(as_text=True)
    assert '<html lang="vi">' in html
    for text in ("Trang chủ", "Chuyển đến nội dung chính", "Thủ tục hành chính"):
        assert text in html, f"{text!r} not on the Vietnamese home page"
    assert "Skip to main content" not in html

    client.get("/ngon-ngu/en?next=/", expect=302)
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html
    for text in ("Home", "Skip to main content", "Administrative procedures"):
        assert text in html, f"{text!r} not on the English home page"
    assert "Trang chủ" not in html
