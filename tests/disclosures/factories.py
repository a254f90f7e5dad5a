"""Keyword-only factories for the disclosures domain. Call them inside an app context.

They go through the services, as an editor would, and return attached objects.
"""

import io
import itertools
from datetime import UTC, datetime, timedelta

from werkzeug.datastructures import FileStorage

from portal.core.search import SearchEntry
from portal.disclosures import categories as category_services
from portal.disclosures import services
from portal.disclosures.models import Category, Disclosure
from portal.extensions import db

_counter = itertools.count(1)

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def upload(data: bytes = MINIMAL_PDF, name: str = "quyết định.pdf") -> FileStorage:
    return FileStorage(stream=io.BytesIO(data), filename=name)


def create_category(
    *,
    name: str | None = None,
    slug: str | None = None,
    name_en: str = "",
    due_on=None,
    active: bool = True,
    position: int = 0,
    disclosure_form: str = "Đăng trên cổng thông tin điện tử",
    disclosure_place: str = "Cổng thông tin điện tử của Sở",
) -> Category:
    n = next(_counter)
    return category_services.create_category(
        {
            "name": name or f"Nhóm thông tin {n}",
            "name_en": name_en,
            "slug": slug or f"nhom-{n}",
            "disclosure_form": disclosure_form,
            "disclosure_place": disclosure_place,
            "disclosure_time": "Trong 5 ngày làm việc kể từ ngày ban hành",
            "disclosure_duration": "Ít nhất 1 năm",
            "due_on": due_on,
            "position": position,
            "active": active,
        },
        actor=None,
    )


def create_disclosure(
    *,
    category: Category | None = None,
    title: str | None = None,
    status: str = "published",
    publish_at: datetime | None = None,
    summary: str = "Tóm tắt nội dung văn bản.",
    body_html: str = "<p>Nội dung chi tiết của văn bản.</p>",
    unit=None,
    papi=(2,),
    is_consultation: bool = False,
    comments_open_at: datetime | None = None,
    comments_close_at: datetime | None = None,
    number_symbol: str = "",
    actor=None,
    **fields,
) -> Disclosure:
    """A disclosure: "draft", "published" (public since publish_at, yesterday by default),
    "scheduled" (publish_at in the future) or "withdrawn"."""
    n = next(_counter)
    category = category or create_category()
    values = {
        "category": category,
        "title": title or f"Văn bản số {n}",
        "summary": summary,
        "body_html": body_html,
        "unit": unit,
        "papi": list(papi),
        "is_consultation": is_consultation,
        "comments_open_at": comments_open_at,
        "comments_close_at": comments_close_at,
        "number_symbol": number_symbol,
        **fields,
    }
    d = services.create_disclosure(values, actor=actor)
    now = datetime.now(UTC)
    if status == "draft":
        return d
    if status == "scheduled":
        services.publish_disclosure(
            d, actor=actor, publish_at=publish_at or now + timedelta(days=3)
        )
        return d
    services.publish_disclosure(d, actor=actor)
    backdate(d, publish_at or now - timedelta(days=1))
    if status == "withdrawn":
        services.withdraw_disclosure(d, reason="Văn bản đã được thay thế.", actor=actor)
    return d


def backdate(d: Disclosure, when: datetime) -> None:
    """Pretend a published disclosure went public at `when` (services only publish now)."""
    d.publish_at = when
    d.revisions[-1].published_at = when
    for entry in db.session.scalars(db.select(SearchEntry).where(SearchEntry.ref_id == d.id)):
        entry.published_at = when
    db.session.commit()


def open_consultation(**kwargs) -> Disclosure:
    """A public draft whose comment period runs from yesterday to next week."""
    now = datetime.now(UTC)
    return create_disclosure(
        is_consultation=True,
        comments_open_at=now - timedelta(days=1),
        comments_close_at=now + timedelta(days=7),
        **kwargs,
    )


def create_unit(*, slug: str, name: str, name_en: str = ""):
    """A unit of the agency (owned by the contacts domain; made directly for tests)."""
    from portal.contacts.models import Unit

    unit = Unit(slug=slug, name=name, name_en=name_en)
    db.session.add(unit)
    db.session.commit()
    return unit
