"""Atom 1.0 feeds of public disclosures, built with xml.etree (which escapes every value)."""

import re
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from flask import url_for
from flask_babel import gettext as _

from portal.disclosures.models import Disclosure, Status
from portal.disclosures.presentation import localized

ATOM = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 does not allow at all, even escaped; they can arrive in pasted text.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("", value or "")


def _stamp(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _updated(d: Disclosure) -> datetime:
    latest = d.revisions[0].published_at if d.revisions else d.publish_at
    stamps = [s for s in (d.publish_at, latest, d.withdrawn_at) if s is not None]
    return max(stamps)


def _add(parent, tag: str, text: str | None = None, **attrs):
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: _text(v) for k, v in attrs.items()})
    if text is not None:
        element.text = _text(text)
    return element


def atom_feed(
    *, title: str, feed_url: str, page_url: str, author: str, entries: list[Disclosure]
) -> bytes:
    """Return the feed document as UTF-8 bytes."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", feed_url)
    _add(feed, "title", title)
    _add(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    _add(feed, "link", rel="alternate", type="text/html", href=page_url)
    updated = max((_updated(d) for d in entries), default=datetime(2000, 1, 1, tzinfo=UTC))
    _add(feed, "updated", _stamp(updated))
    _add(_add(feed, "author"), "name", author)
    for d in entries:
        url = url_for("disclosures.detail", slug=d.slug, _external=True)
        entry = _add(feed, "entry")
        _add(entry, "id", url)
        entry_title = d.title
        if d.status == Status.WITHDRAWN:
            entry_title = _("Withdrawn: %(title)s", title=d.title)
        _add(entry, "title", entry_title)
        _add(entry, "link", rel="alternate", type="text/html", href=url)
        _add(entry, "published", _stamp(d.publish_at))
        _add(entry, "updated", _stamp(_updated(d)))
        _add(entry, "category", term=d.category.slug, label=localized(d.category))
        if d.summary:
            _add(entry, "summary", d.summary, type="text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
