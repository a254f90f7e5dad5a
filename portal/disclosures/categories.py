"""Writes for categories: the obligations to publish, which administrators keep."""

from flask_babel import lazy_gettext as _l

from portal.core import audit
from portal.core.text import slugify
from portal.disclosures.models import Category
from portal.disclosures.services import DisclosureError
from portal.extensions import db

CATEGORY_FIELDS = (
    "slug",
    "name",
    "name_en",
    "description",
    "description_en",
    "legal_basis",
    "disclosure_form",
    "disclosure_place",
    "disclosure_time",
    "disclosure_duration",
    "due_on",
    "position",
    "active",
)
# Paths under /cong-khai/ that a category slug would hide.
# Paths under /staff/disclosure-categories/ too.
RESERVED_CATEGORY_SLUGS = frozenset({"danh-muc", "van-ban", "feed-atom", "tim-kiem", "new"})


def category_slug_problem(slug: str, *, exclude_id: int | None = None):
    """Return why a category slug cannot be used, or None."""
    if slug in RESERVED_CATEGORY_SLUGS:
        return _l("This address is used by another page: choose another.")
    query = db.select(Category.id).where(Category.slug == slug)
    if exclude_id is not None:
        query = query.where(Category.id != exclude_id)
    if db.session.scalar(query) is not None:
        return _l("Another category already has this address.")
    return None


def _apply_category(category: Category, values: dict) -> list[str]:
    unknown = set(values) - set(CATEGORY_FIELDS)
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    changed = []
    for name, value in values.items():
        if name == "slug":
            value = slugify(value or values.get("name", ""), max_length=120)
        if getattr(category, name) != value:
            setattr(category, name, value)
            changed.append(name)
    problem = category_slug_problem(category.slug, exclude_id=category.id)
    if problem:
        raise DisclosureError(problem)
    return changed


def create_category(values: dict, *, actor) -> Category:
    """Add an obligation to publish; commit."""
    category = Category()
    _apply_category(category, values)
    db.session.add(category)
    db.session.flush()
    audit.record(
        "disclosure-category.created",
        actor=actor,
        target_type="disclosure_category",
        target_id=category.slug,
    )
    db.session.commit()
    return category


def update_category(category: Category, values: dict, *, actor) -> list[str]:
    """Change an obligation (its due date included); audit what changed; commit."""
    changed = _apply_category(category, values)
    if changed:
        audit.record(
            "disclosure-category.updated",
            actor=actor,
            target_type="disclosure_category",
            target_id=category.slug,
            detail={"fields": changed},
        )
    db.session.commit()
    return changed
