"""Reads for disclosures. Everything the public sees goes through public_filter()."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import and_, func, or_
from sqlalchemy.orm import selectinload

from portal.contacts.models import Unit
from portal.core.workdays import VIETNAM, local_date
from portal.disclosures.models import (
    PUBLIC_STATUSES,
    Category,
    CommentStatus,
    Disclosure,
    DisclosureAttachment,
    DisclosurePapi,
    DisclosureRevision,
    DraftComment,
    Status,
)
from portal.extensions import db

PER_PAGE = 20


def _now() -> datetime:
    return datetime.now(UTC)


def public_filter(now: datetime | None = None):
    """The one rule for what the public may see: published or withdrawn, from publish_at on.

    A draft is never public; a scheduled disclosure becomes public when its time comes.
    """
    return and_(
        Disclosure.status.in_(PUBLIC_STATUSES),
        Disclosure.publish_at.is_not(None),
        Disclosure.publish_at <= (now or _now()),
    )


def public():
    """A select of the disclosures the public may see."""
    return db.select(Disclosure).where(public_filter())


def public_by_slug(slug: str) -> Disclosure | None:
    return db.session.scalar(public().where(Disclosure.slug == slug))


def public_category(slug: str) -> Category | None:
    return db.session.scalar(
        db.select(Category).where(Category.slug == slug, Category.active.is_(True))
    )


def active_categories() -> list[Category]:
    return list(
        db.session.scalars(
            db.select(Category)
            .where(Category.active.is_(True))
            .order_by(Category.position, Category.name)
        )
    )


def all_categories() -> list[Category]:
    return list(db.session.scalars(db.select(Category).order_by(Category.position, Category.name)))


def category_by_slug(slug: str) -> Category | None:
    return db.session.scalar(db.select(Category).where(Category.slug == slug))


def category_by_id(category_id: int) -> Category | None:
    return db.session.get(Category, category_id)


def units() -> list[Unit]:
    """The agency's published units, for filters and the editor's form."""
    return list(
        db.session.scalars(
            db.select(Unit).where(Unit.published.is_(True)).order_by(Unit.position, Unit.name)
        )
    )


def unit_by_slug(slug: str) -> Unit | None:
    return db.session.scalar(db.select(Unit).where(Unit.slug == slug))


def unit_by_id(unit_id: int) -> Unit | None:
    return db.session.get(Unit, unit_id)


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    # A year of the Vietnamese calendar: what was published at 23:30 UTC on 31 December
    # was published on 1 January in Vietnam.
    start = datetime.combine(date(year, 1, 1), time(), VIETNAM).astimezone(UTC)
    end = datetime.combine(date(year + 1, 1, 1), time(), VIETNAM).astimezone(UTC)
    return start, end


@dataclass(frozen=True)
class Filters:
    category: Category | None = None
    year: int | None = None
    unit: Unit | None = None
    papi: int | None = None

    def args(self) -> dict:
        """The query-string arguments that reproduce these filters (for pagination links)."""
        values = {
            "danh-muc": self.category.slug if self.category else None,
            "nam": self.year,
            "don-vi": self.unit.slug if self.unit else None,
            "papi": self.papi,
        }
        return {k: v for k, v in values.items() if v is not None}


def listing(filters: Filters, *, page: int = 1, per_page: int = PER_PAGE):
    """A page of public disclosures, newest first, narrowed by the filters."""
    query = public().options(selectinload(Disclosure.category), selectinload(Disclosure.unit))
    if filters.category is not None:
        query = query.where(Disclosure.category_id == filters.category.id)
    if filters.year is not None:
        start, end = _year_bounds(filters.year)
        query = query.where(Disclosure.publish_at >= start, Disclosure.publish_at < end)
    if filters.unit is not None:
        query = query.where(Disclosure.unit_id == filters.unit.id)
    if filters.papi is not None:
        query = query.where(Disclosure.papi_links.any(DisclosurePapi.dimension == filters.papi))
    query = query.order_by(Disclosure.publish_at.desc(), Disclosure.id.desc())
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def public_years() -> list[int]:
    """The years (in Vietnam) with public disclosures, newest first."""
    first, last = db.session.execute(
        db.select(func.min(Disclosure.publish_at), func.max(Disclosure.publish_at)).where(
            public_filter()
        )
    ).one()
    if first is None:
        return []
    return list(range(local_date(last).year, local_date(first).year - 1, -1))


def feed_entries(category: Category | None = None, *, limit: int = 50) -> list[Disclosure]:
    """The latest public disclosures for an Atom feed; a revision counts as an update."""
    query = public().options(selectinload(Disclosure.category), selectinload(Disclosure.revisions))
    if category is not None:
        query = query.where(Disclosure.category_id == category.id)
    query = query.order_by(Disclosure.publish_at.desc(), Disclosure.id.desc()).limit(limit)
    return list(db.session.scalars(query))


def revision(d: Disclosure, number: int) -> DisclosureRevision | None:
    return db.session.scalar(
        db.select(DisclosureRevision).where(
            DisclosureRevision.disclosure_id == d.id, DisclosureRevision.number == number
        )
    )


def attachment(d: Disclosure, file_public_id: str) -> DisclosureAttachment | None:
    """An attachment of this disclosure by its file's public id."""
    return next((a for a in d.attachments if a.stored_file.public_id == file_public_id), None)


def approved_comments(d: Disclosure) -> list[DraftComment]:
    return list(
        db.session.scalars(
            db.select(DraftComment)
            .where(
                DraftComment.disclosure_id == d.id,
                DraftComment.status == CommentStatus.APPROVED,
            )
            .order_by(DraftComment.created_at, DraftComment.id)
        )
    )


# --- The list of information to be published ---------------------------------------------


@dataclass(frozen=True)
class Obligation:
    category: Category
    latest: datetime | None  # publish_at of its latest public disclosure
    count: int
    overdue: bool


def is_overdue(due_on: date | None, latest_on_or_after_due: bool, today: date) -> bool:
    """An obligation is overdue when its due date is before today (in Vietnam) and nothing was
    published in it on or after that date.

    A disclosure published by the due date clears the date when it is published
    (services.publish_disclosure), so what is left is the "next one is due" case.
    """
    return due_on is not None and due_on < today and not latest_on_or_after_due


def obligations(*, today: date | None = None, only_active: bool = True) -> list[Obligation]:
    """Every obligation with the date of its latest public disclosure and its overdue flag."""
    now = _now()
    today = today or local_date(now)
    stats = {
        row[0]: (row[1], row[2])
        for row in db.session.execute(
            db.select(Disclosure.category_id, func.max(Disclosure.publish_at), func.count())
            .where(public_filter(now))
            .group_by(Disclosure.category_id)
        )
    }
    categories = active_categories() if only_active else all_categories()
    result = []
    for category in categories:
        latest, count = stats.get(category.id, (None, 0))
        met_late = (
            latest is not None
            and category.due_on is not None
            and (local_date(latest) >= category.due_on)
        )
        result.append(
            Obligation(
                category=category,
                latest=latest,
                count=count,
                overdue=is_overdue(category.due_on, met_late, today),
            )
        )
    return result


def overdue_obligations() -> list[Obligation]:
    return [o for o in obligations() if o.overdue]


# --- Staff reads ---------------------------------------------------------------------------

STAFF_STATUSES = ("draft", "scheduled", "published", "withdrawn")


def staff_listing(*, status: str | None, category: Category | None, page: int = 1):
    """Every disclosure for the editors, newest change first; status "scheduled" and
    "published" split the published ones by whether their time has come."""
    now = _now()
    query = db.select(Disclosure).options(selectinload(Disclosure.category))
    if status == "draft":
        query = query.where(Disclosure.status == Status.DRAFT)
    elif status == "scheduled":
        query = query.where(Disclosure.status == Status.PUBLISHED, Disclosure.publish_at > now)
    elif status == "published":
        query = query.where(Disclosure.status == Status.PUBLISHED, Disclosure.publish_at <= now)
    elif status == "withdrawn":
        query = query.where(Disclosure.status == Status.WITHDRAWN)
    if category is not None:
        query = query.where(Disclosure.category_id == category.id)
    query = query.order_by(Disclosure.updated_at.desc(), Disclosure.id.desc())
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def by_public_id(public_id: str) -> Disclosure | None:
    return db.session.scalar(db.select(Disclosure).where(Disclosure.public_id == public_id))


def pending_comments() -> list[DraftComment]:
    """The moderation queue, oldest first."""
    return list(
        db.session.scalars(
            db.select(DraftComment)
            .where(DraftComment.status == CommentStatus.PENDING)
            .order_by(DraftComment.created_at, DraftComment.id)
        )
    )


def comment_by_public_id(public_id: str) -> DraftComment | None:
    return db.session.scalar(db.select(DraftComment).where(DraftComment.public_id == public_id))


def comment_counts(d: Disclosure) -> dict[str, int]:
    rows = db.session.execute(
        db.select(DraftComment.status, func.count())
        .where(DraftComment.disclosure_id == d.id)
        .group_by(DraftComment.status)
    )
    return {status: count for status, count in rows.all()}  # noqa: C416 - Rows, not pairs


def disclosures_for(ids: set[int]) -> dict[int, Disclosure]:
    if not ids:
        return {}
    return {
        d.id: d for d in db.session.scalars(db.select(Disclosure).where(Disclosure.id.in_(ids)))
    }


def consultations_awaiting_report() -> list[Disclosure]:
    """Public drafts whose comment period closed without a published report."""
    return list(
        db.session.scalars(
            public()
            .where(
                Disclosure.is_consultation.is_(True),
                Disclosure.comments_close_at <= _now(),
                or_(
                    Disclosure.consultation_report_html == "",
                    Disclosure.consultation_report_html.is_(None),
                ),
            )
            .order_by(Disclosure.comments_close_at)
        )
    )
