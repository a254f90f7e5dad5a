"""What the public and staff templates share: labels for fields, PAPI dimensions and files."""

from datetime import date

from flask_babel import format_decimal, get_locale
from flask_babel import lazy_gettext as _l

from portal.core.uploads import FILE_KINDS
from portal.disclosures.forms import PAPI_LABELS
from portal.disclosures.models import PapiDimension

FIELD_LABELS = {
    "category": _l("category"),
    "title": _l("title"),
    "summary": _l("summary"),
    "body_html": _l("content"),
    "document_type": _l("document type"),
    "issuer": _l("issuer"),
    "number_symbol": _l("number and symbol"),
    "issued_on": _l("date issued"),
    "effective_on": _l("effective date"),
    "disclosure_form": _l("form of disclosure"),
    "disclosure_place": _l("place of disclosure"),
    "visible_until": _l("visible until"),
    "unit": _l("responsible unit"),
    "papi": _l("PAPI dimensions"),
    "is_consultation": _l("open for comment"),
    "comments_open_at": _l("comment period"),
    "comments_close_at": _l("comment period"),
    "attachments": _l("attached files"),
}


def changed_labels(fields: list[str]) -> list[str]:
    """The changed fields of a revision as words for readers, each once."""
    labels = []
    for name in fields:
        label = str(FIELD_LABELS.get(name, name))
        if label not in labels:
            labels.append(label)
    return labels


def papi_label(value: int) -> str:
    try:
        return str(PAPI_LABELS[PapiDimension(int(value))])
    except (ValueError, KeyError):
        return str(value)


def localized(obj, field: str = "name") -> str:
    """obj.name_en in English when it is filled in, obj.name otherwise."""
    if str(get_locale()) == "en":
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)


def file_size(size: int) -> str:
    """A size readers can judge on a phone plan: 35 KB, 1,2 MB."""
    if size < 1024 * 1024:
        return f"{format_decimal(max(1, round(size / 1024)))} KB"
    return f"{format_decimal(round(size / (1024 * 1024), 1))} MB"


def file_kind(kind: str) -> str:
    return FILE_KINDS[kind].label if kind in FILE_KINDS else kind


def facts_of(d) -> dict:
    """The facts list of a disclosure as it is now."""
    return {
        "document_type": d.document_type,
        "issuer": d.issuer,
        "number_symbol": d.number_symbol,
        "issued_on": d.issued_on,
        "effective_on": d.effective_on,
        "published": d.publish_at,
        "disclosure_form": d.disclosure_form,
        "disclosure_place": d.disclosure_place,
        "visible_until": d.visible_until,
        "unit": localized(d.unit) if d.unit else "",
        "papi": d.papi_dimensions,
    }


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def facts_of_snapshot(snapshot: dict) -> dict:
    """The same facts from a revision's snapshot (dates are stored as ISO strings)."""
    return {
        "document_type": snapshot.get("document_type", ""),
        "issuer": snapshot.get("issuer", ""),
        "number_symbol": snapshot.get("number_symbol", ""),
        "issued_on": _day(snapshot.get("issued_on")),
        "effective_on": _day(snapshot.get("effective_on")),
        "published": None,
        "disclosure_form": snapshot.get("disclosure_form", ""),
        "disclosure_place": snapshot.get("disclosure_place", ""),
        "visible_until": _day(snapshot.get("visible_until")),
        "unit": (snapshot.get("unit") or {}).get("name", ""),
        "papi": snapshot.get("papi", []),
    }


def template_helpers() -> dict:
    return {
        "changed_labels": changed_labels,
        "papi_label": papi_label,
        "localized": localized,
        "file_size": file_size,
        "file_kind": file_kind,
        "facts_of": facts_of,
        "facts_of_snapshot": facts_of_snapshot,
        "papi_dimensions": [(int(k), v) for k, v in PAPI_LABELS.items()],
    }
