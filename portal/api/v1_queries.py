"""Reads for /api/v1: each domain's public rule, paginated in SQL, children loaded in bulk.

Only what the public pages show: disclosures pass `disclosures.queries.public_filter()` (no
draft, no scheduled item before its time), procedures and contacts their `published` flag.
"""

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func
from sqlalchemy.orm import selectinload

from portal.contacts.models import Hotline, Unit
from portal.contacts.queries import _HOTLINE_ORDER
from portal.core.workdays import VIETNAM
from portal.disclosures import queries as disclosure_queries
from portal.disclosures.models import (
    Category,
    CommentStatus,
    Disclosure,
    DisclosureAttachment,
    DraftComment,
)
from portal.extensions import db
from portal.procedures.models import DossierComponent, Procedure, ProcedureField


@dataclass(frozen=True)
class Page:
    items: list
    total: int


def _page(query, order, *, offset: int, limit: int) -> Page:
    total = db.session.scalar(db.select(func.count()).select_from(query.order_by(None).subquery()))
    items = list(db.session.scalars(query.order_by(*order).offset(offset).limit(limit)))
    return Page(items, total or 0)


# --- Disclosures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DisclosureFilters:
    category: Category | None = None
    unit: Unit | None = None
    year: int | None = None
    updated_since: datetime | None = None  # UTC


def active_category(slug: str) -> Category | None:
    return disclosure_queries.public_category(slug)


def published_unit(public_id: str) -> Unit | None:
    return db.session.scalar(
        db.select(Unit).where(Unit.public_id == public_id, Unit.published.is_(True))
    )


def _disclosure_children(query):
    return query.options(
        selectinload(Disclosure.category),
        selectinload(Disclosure.unit),
        selectinload(Disclosure.papi_links),
        selectinload(Disclosure.attachments).selectinload(DisclosureAttachment.stored_file),
    )


def disclosures(filters: DisclosureFilters, *, offset: int, limit: int) -> Page:
    """A page of public disclosures, newest first, as /cong-khai lists them."""
    query = disclosure_queries.public()
    if filters.category is not None:
        query = query.where(Disclosure.category_id == filters.category.id)
    if filters.unit is not None:
        query = query.where(Disclosure.unit_id == filters.unit.id)
    if filters.year is not None:
        start = datetime.combine(date(filters.year, 1, 1), time(), VIETNAM)
        end = datetime.combine(date(filters.year + 1, 1, 1), time(), VIETNAM)
        query = query.where(Disclosure.publish_at >= start, Disclosure.publish_at < end)
    if filters.updated_since is not None:
        query = query.where(Disclosure.updated_at >= filters.updated_since)
    return _page(
        _disclosure_children(query),
        (Disclosure.publish_at.desc(), Disclosure.id.desc()),
        offset=offset,
        limit=limit,
    )


def public_disclosure(public_id: str) -> Disclosure | None:
    """A public disclosure by its public id: a draft or scheduled one does not exist."""
    return db.session.scalar(
        _disclosure_children(disclosure_queries.public().where(Disclosure.public_id == public_id))
    )


def approved_comment_counts(items: list[Disclosure]) -> dict[int, int]:
    """How many approved comments each draft for comment has: one grouped query a page."""
    ids = [d.id for d in items if d.is_consultation]
    if not ids:
        return {}
    rows = db.session.execute(
        db.select(DraftComment.disclosure_id, func.count())
        .where(
            DraftComment.disclosure_id.in_(ids),
            DraftComment.status == CommentStatus.APPROVED,
        )
        .group_by(DraftComment.disclosure_id)
    )
    return {disclosure_id: count for disclosure_id, count in rows.all()}  # noqa: C416 - Rows


def obligations() -> list:
    """The active categories with their latest public disclosure (the /cong-khai/danh-muc list)."""
    return disclosure_queries.obligations()


# --- Procedures ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ProcedureFilters:
    field: ProcedureField | None = None
    level: str | None = None
    online_levels: tuple[str, ...] = ()
    updated_since: datetime | None = None


def procedure_field(slug: str) -> ProcedureField | None:
    return db.session.scalar(db.select(ProcedureField).where(ProcedureField.slug == slug))


def _procedure_children(query):
    return query.options(
        selectinload(Procedure.field),
        selectinload(Procedure.channels),
        selectinload(Procedure.components).selectinload(DossierComponent.form_file),
    )


def _published_procedures():
    return db.select(Procedure).where(Procedure.published.is_(True))


def procedures(filters: ProcedureFilters, *, offset: int, limit: int) -> Page:
    """A page of published procedures in the public list's order: field, then name."""
    query = _published_procedures()
    if filters.field is not None:
        query = query.where(Procedure.field_id == filters.field.id)
    if filters.level:
        query = query.where(Procedure.level == filters.level)
    if filters.online_levels:
        query = query.where(Procedure.online_level.in_(filters.online_levels))
    if filters.updated_since is not None:
        query = query.where(Procedure.updated_at >= filters.updated_since)
    total = db.session.scalar(db.select(func.count()).select_from(query.subquery())) or 0
    items = db.session.scalars(
        _procedure_children(query.join(Procedure.field))
        .order_by(ProcedureField.position, ProcedureField.name, Procedure.name_key, Procedure.code)
        .offset(offset)
        .limit(limit)
    ).all()
    return Page(list(items), total)


def published_procedure(slug: str) -> Procedure | None:
    return db.session.scalar(
        _procedure_children(_published_procedures().where(Procedure.slug == slug))
    )


# --- Contacts ------------------------------------------------------------------------------


def hotlines(*, offset: int, limit: int) -> Page:
    return _page(
        db.select(Hotline).where(Hotline.published.is_(True)),
        _HOTLINE_ORDER,
        offset=offset,
        limit=limit,
    )


def units(*, offset: int, limit: int) -> Page:
    return _page(
        db.select(Unit).where(Unit.published.is_(True)),
        (Unit.position, Unit.name, Unit.id),
        offset=offset,
        limit=limit,
    )


def unit_names(ids: list[int]) -> dict[int, Unit]:
    """Units by id, published or not: the scorecard names every handling unit it counts."""
    if not ids:
        return {}
    return {u.id: u for u in db.session.scalars(db.select(Unit).where(Unit.id.in_(ids)))}
