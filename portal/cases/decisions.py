"""A complaint's decision published on the portal's disclosures, personal data removed.

Luật Khiếu nại and Nghị định 124/2020 ask for the decision resolving a complaint to be made
public (DOMAIN.md: at least 15 consecutive days). The handler gives the text with personal data
removed when publishing the response (responses.publish_response checks it); it becomes a
disclosure through the disclosures' own service, in the same transaction as the response.
"""

import re
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from markupsafe import escape

from portal.cases.models import Case, CaseResponse
from portal.contacts.models import Unit
from portal.core import site
from portal.core.i18n import in_locale
from portal.core.workdays import local_date
from portal.extensions import db

# The disclosure category complaint decisions are published in (DOMAIN.md: at least 15
# consecutive days). Configuration may name another; a missing one is created with these values.
DECISION_CATEGORY_SLUG = "giai-quyet-khieu-nai"
DECISION_PUBLIC_DAYS = 15
DECISION_CATEGORY = {
    "name": "Quyết định giải quyết khiếu nại",
    "name_en": "Complaint decisions",
    "description": "Quyết định giải quyết khiếu nại, đã lược bỏ thông tin cá nhân theo quy định.",
    "description_en": "Decisions resolving complaints, with personal data removed.",
    "legal_basis": "Luật Khiếu nại 2011; Nghị định 124/2020/NĐ-CP",
    "disclosure_form": "Đăng trên Cổng thông tin điện tử",
    "disclosure_place": "Cổng thông tin điện tử của cơ quan",
    "disclosure_time": "Trong 15 ngày kể từ ngày ban hành quyết định",
    "disclosure_duration": "Ít nhất 15 ngày liên tục",
}


def decision_category(actor):
    """The category decisions are published in; created (its own commit) when missing."""
    from portal.disclosures.categories import create_category
    from portal.disclosures.models import Category

    slug = current_app.config.get("CASE_DECISION_CATEGORY", DECISION_CATEGORY_SLUG)
    category = db.session.scalar(db.select(Category).where(Category.slug == slug))
    if category is None:
        # The law requires the publication: the obligation is created rather than skipped.
        category = create_category({"slug": slug, **DECISION_CATEGORY}, actor=actor)
    return category


def _paragraphs(text: str) -> str:
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    return "".join(
        "<p>" + "<br>".join(str(escape(line)) for line in b.splitlines()) + "</p>" for b in blocks
    )


def publish_decision(case: Case, response: CaseResponse, text: str, category, actor) -> None:
    """Create and publish the disclosure and link the response to it, in the caller's
    transaction (no commit): publish_response saves it with the response and the case's move.

    Nothing withdraws a disclosure by itself, so it stays public well past the legal minimum;
    `visible_until` records the 15 days (DOMAIN.md) for readers and editors.
    """
    from portal.disclosures import services as disclosures
    from portal.disclosures.models import PapiDimension

    today = local_date(datetime.now(UTC))
    days = current_app.config.get("CASE_DECISION_PUBLIC_DAYS", DECISION_PUBLIC_DAYS)
    with in_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        title = str(_l("Decision resolving the complaint of case %(number)s", number=case.number))
        summary = str(_l("Published on the portal with personal data removed."))
        document_type = str(_l("Complaint decision"))
    unit = db.session.get(Unit, case.handling_unit_id) if case.handling_unit_id else None
    disclosure = disclosures.publish_new_disclosure(
        {
            "category": category,
            "title": title,
            "summary": summary,
            "body_html": _paragraphs(text),
            "document_type": document_type,
            "issuer": site.load().agency_name,
            "issued_on": today,
            "visible_until": today + timedelta(days=days),
            "unit": unit,
            "papi": [PapiDimension.TRANSPARENCY, PapiDimension.VERTICAL_ACCOUNTABILITY],
        },
        actor=actor,
    )
    response.disclosure_id = disclosure.id
