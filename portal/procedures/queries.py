"""Reads for the procedures catalogue: the public list and pages, the staff list, exports."""

import math
from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from portal.core.text import fold
from portal.core.uploads import StoredFile
from portal.extensions import db
from portal.procedures.models import (
    DossierComponent,
    Level,
    OnlineLevel,
    Procedure,
    ProcedureField,
)

PER_PAGE = 20
STAFF_PER_PAGE = 50

# Public filters use Vietnamese words in the address: /thu-tuc-hanh-chinh?cap=tinh&truc-tuyen=co
LEVEL_PARAMS = {"tinh": Level.PROVINCE, "xa": Level.COMMUNE}
ONLINE_PARAMS = {
    "co": (OnlineLevel.PARTIAL, OnlineLevel.FULL),
    "toan-trinh": (OnlineLevel.FULL,),
    "mot-phan": (OnlineLevel.PARTIAL,),
    "khong": (OnlineLevel.NONE,),
}


@dataclass(frozen=True)
class ListFilters:
    """The filters of the public list, as they appear in its address (unknown values dropped)."""

    field: str = ""  # a ProcedureField slug
    level: str = ""  # a key of LEVEL_PARAMS
    online: str = ""  # a key of ONLINE_PARAMS

    @classmethod
    def from_args(cls, args) -> "ListFilters":
        level = args.get("cap", "")
        online = args.get("truc-tuyen", "")
        return cls(
            field=args.get("linh-vuc", "")[:120],
            level=level if level in LEVEL_PARAMS else "",
            online=online if online in ONLINE_PARAMS else "",
        )

    def params(self, *, field: str | None = None, page: int = 1) -> dict:
        """The query string for these filters (empty ones left out), another field or page."""
        values = {
            "linh-vuc": self.field if field is None else field,
            "cap": self.level,
            "truc-tuyen": self.online,
            "trang": page if page > 1 else "",
        }
        return {key: value for key, value in values.items() if value}

    @property
    def active(self) -> bool:
        return bool(self.field or self.level or self.online)


@dataclass
class Page:
    """One page of results, shaped like Flask-SQLAlchemy's pagination for the templates."""

    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def _published():
    return db.select(Procedure).where(Procedure.published.is_(True))


def _filtered(query, filters: ListFilters, *, with_field: bool = True):
    if filters.level:
        query = query.where(Procedure.level == LEVEL_PARAMS[filters.level])
    if filters.online:
        query = query.where(Procedure.online_level.in_(ONLINE_PARAMS[filters.online]))
    if with_field and filters.field:
        query = query.where(Procedure.field.has(ProcedureField.slug == filters.field))
    return query


def published_page(filters: ListFilters, page: int) -> Page:
    """Return a page of published procedures, ordered by field then name."""
    page = max(page, 1)
    base = _filtered(_published(), filters)
    total = db.session.scalar(db.select(db.func.count()).select_from(base.subquery()))
    items = db.session.scalars(
        base.join(Procedure.field)
        .options(selectinload(Procedure.field))
        .order_by(ProcedureField.position, ProcedureField.name, Procedure.name_key, Procedure.code)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    return Page(items=list(items), page=page, per_page=PER_PAGE, total=total)


def group_by_field(procedures) -> list[tuple[ProcedureField, list[Procedure]]]:
    """Group an ordered list into (field, procedures) runs, keeping the order."""
    groups: list[tuple[ProcedureField, list[Procedure]]] = []
    for procedure in procedures:
        if not groups or groups[-1][0].id != procedure.field_id:
            groups.append((procedure.field, []))
        groups[-1][1].append(procedure)
    return groups


def field_counts(filters: ListFilters) -> list[tuple[ProcedureField, int]]:
    """Return each field with the number of published procedures the other filters leave."""
    counted = _filtered(
        db.select(Procedure.field_id, db.func.count(Procedure.id)).where(
            Procedure.published.is_(True)
        ),
        filters,
        with_field=False,
    ).group_by(Procedure.field_id)
    counts = dict(db.session.execute(counted).all())
    fields = db.session.scalars(
        db.select(ProcedureField).order_by(ProcedureField.position, ProcedureField.name)
    )
    return [(f, counts.get(f.id, 0)) for f in fields]


def all_fields() -> list[ProcedureField]:
    return list(
        db.session.scalars(
            db.select(ProcedureField).order_by(ProcedureField.position, ProcedureField.name)
        )
    )


def field_by_slug(slug: str) -> ProcedureField | None:
    return db.session.scalar(db.select(ProcedureField).where(ProcedureField.slug == slug))


def field_by_name(name: str) -> ProcedureField | None:
    return db.session.scalar(db.select(ProcedureField).where(ProcedureField.name == name))


def fields_with_counts() -> list[tuple[ProcedureField, int, int]]:
    """Return each field with its number of procedures, published and in all."""
    rows = db.session.execute(
        db.select(
            Procedure.field_id,
            db.func.count(Procedure.id),
            db.func.sum(db.case((Procedure.published.is_(True), 1), else_=0)),
        ).group_by(Procedure.field_id)
    ).all()
    counts = {field_id: (total, published or 0) for field_id, total, published in rows}
    return [(f, *counts.get(f.id, (0, 0))) for f in all_fields()]


def _with_children(query):
    return query.options(
        selectinload(Procedure.field),
        selectinload(Procedure.channels),
        selectinload(Procedure.components).selectinload(DossierComponent.form_file),
    )


def published_by_slug(slug: str) -> Procedure | None:
    """Return the published procedure with this slug; drafts do not exist for the public."""
    return db.session.scalar(_with_children(_published().where(Procedure.slug == slug)))


def procedure_by_slug(slug: str) -> Procedure | None:
    return db.session.scalar(_with_children(db.select(Procedure).where(Procedure.slug == slug)))


def procedure_by_code(code: str) -> Procedure | None:
    return db.session.scalar(db.select(Procedure).where(Procedure.code == code))


def form_file(procedure: Procedure, public_id: str) -> StoredFile | None:
    """Return the form file with this public id if one of the procedure's components has it."""
    for component in procedure.components:
        if component.form_file is not None and component.form_file.public_id == public_id:
            return component.form_file
    return None


def staff_page(query: str, page: int) -> Page:
    """Return a page of every procedure (drafts too) whose code or name contains the query.

    Matching ignores case and diacritics (`dang ky` finds `Đăng ký`); it is done on the folded
    text in Python, since SQLite's LIKE folds ASCII only. A catalogue has a few thousand rows.
    """
    page = max(page, 1)
    order = (Procedure.name_key, Procedure.code)
    if query:
        needle = fold(query)
        rows = db.session.execute(db.select(Procedure.id, Procedure.code, Procedure.name)).all()
        ids = [i for i, code, name in rows if needle in fold(f"{code} {name}")]
        total = len(ids)
        wanted = db.select(Procedure).where(Procedure.id.in_(ids)) if ids else None
    else:
        total = db.session.scalar(db.select(db.func.count(Procedure.id)))
        wanted = db.select(Procedure)
    if wanted is None:
        return Page(items=[], page=page, per_page=STAFF_PER_PAGE, total=0)
    items = db.session.scalars(
        wanted.options(selectinload(Procedure.field))
        .order_by(*order)
        .limit(STAFF_PER_PAGE)
        .offset((page - 1) * STAFF_PER_PAGE)
    ).all()
    return Page(items=list(items), page=page, per_page=STAFF_PER_PAGE, total=total)


def export_records() -> list[dict]:
    """Return every procedure as export records, ordered by code."""
    procedures = db.session.scalars(_with_children(db.select(Procedure).order_by(Procedure.code)))
    return [export_record(p) for p in procedures]


def export_record(procedure: Procedure) -> dict:
    """Return what an export file holds for a procedure (form files are not part of it)."""
    return {
        "code": procedure.code,
        "name": procedure.name,
        "decision_number": procedure.decision_number,
        "level": procedure.level,
        "field": procedure.field.name,
        "steps": procedure.steps_html,
        "applicants": procedure.applicants,
        "implementing_body": procedure.implementing_body,
        "result": procedure.result,
        "conditions": procedure.conditions_html,
        "legal_basis": procedure.legal_basis_html,
        "online_level": procedure.online_level,
        "online_url": procedure.online_url or "",
        "published": procedure.published,
        "channels": [
            {
                "channel": c.channel,
                "processing_time": c.processing_time,
                "fee": c.fee,
                "note": c.note,
            }
            for c in procedure.channels
        ],
        "components": [
            {
                "name": c.name,
                "originals": c.originals,
                "copies": c.copies,
                "form_url": c.form_url or "",
            }
            for c in procedure.components
        ],
    }
