"""Reads of published answers: the public list and search, and the staff lists."""

from dataclasses import dataclass

from portal.accounts.permissions import Permission, Role
from portal.answers.models import AnswerStatus, PublishedAnswer
from portal.answers.services import SEARCH_KIND
from portal.core import search as search_index
from portal.extensions import db

PER_PAGE = 20


@dataclass
class Page:
    items: list
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def published(*, topic: str | None = None, page: int = 1, per_page: int = PER_PAGE) -> Page:
    """Published answers, newest first, optionally of one topic."""
    where = [PublishedAnswer.status == AnswerStatus.PUBLISHED]
    if topic:
        where.append(PublishedAnswer.topic == topic)
    total = db.session.scalar(db.select(db.func.count()).select_from(PublishedAnswer).where(*where))
    items = db.session.scalars(
        db.select(PublishedAnswer)
        .where(*where)
        .order_by(PublishedAnswer.published_at.desc(), PublishedAnswer.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Page(list(items), total or 0, page, per_page)


def search(query: str, *, page: int = 1) -> search_index.Results:
    """Published answers holding every word of the query, diacritics optional."""
    return search_index.search(query, kinds=[SEARCH_KIND], page=page, per_page=PER_PAGE)


def published_answer(public_id: str) -> PublishedAnswer | None:
    return db.session.scalar(
        db.select(PublishedAnswer).where(
            PublishedAnswer.public_id == public_id,
            PublishedAnswer.status == AnswerStatus.PUBLISHED,
        )
    )


def data_version():
    """Changes whenever an answer is written, published or withdrawn (the public pages' cache)."""
    return db.session.scalar(db.select(db.func.max(PublishedAnswer.updated_at)))


def topic_counts() -> dict[str, int]:
    """How many published answers each topic has (for the topic filter)."""
    rows = db.session.execute(
        db.select(PublishedAnswer.topic, db.func.count())
        .where(PublishedAnswer.status == AnswerStatus.PUBLISHED)
        .group_by(PublishedAnswer.topic)
    ).all()
    return dict(rows)


# --- Staff ------------------------------------------------------------------------------------


def _visible(user):
    if not user.can(Permission.READ_CASES):
        return db.false()
    if user.role == Role.LEADER:
        return db.true()
    if user.unit_id is None:
        return PublishedAnswer.unit_id.is_(None)
    return PublishedAnswer.unit_id == user.unit_id


def staff_list(user, *, status: str | None = None, page: int = 1) -> Page:
    """The answers of the staff member's unit (every unit for a leader), drafts first."""
    where = [_visible(user)]
    if status:
        where.append(PublishedAnswer.status == status)
    total = db.session.scalar(db.select(db.func.count()).select_from(PublishedAnswer).where(*where))
    drafts_first = db.case((PublishedAnswer.status == AnswerStatus.DRAFT, 0), else_=1)
    items = db.session.scalars(
        db.select(PublishedAnswer)
        .where(*where)
        .order_by(drafts_first, PublishedAnswer.updated_at.desc(), PublishedAnswer.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    return Page(list(items), total or 0, page, PER_PAGE)


def staff_answer(user, public_id: str) -> PublishedAnswer | None:
    """The answer if the staff member may read it (None otherwise: the view answers 404)."""
    return db.session.scalar(
        db.select(PublishedAnswer).where(PublishedAnswer.public_id == public_id, _visible(user))
    )
