"""A published answer (hỏi đáp): the question and the answer of one case, rewritten by staff.

Nothing is copied from the case automatically: the handler writes the question and the answer
in their own words, removing names, addresses, numbers and anything else that could identify
the submitter; a head reads and publishes it. Only cases whose submitter consented to
publication, and never denunciations, can give one. The row keeps no link to the submitter's
identity, and it outlives the case (the link is cleared when the case is purged).
"""

import enum
import secrets
from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.cases.models import Case
from portal.contacts.models import Unit
from portal.core.dbtypes import UTCDateTime
from portal.extensions import db

QUESTION_MAX = 5_000
ANSWER_MAX = 20_000
TITLE_MAX = 300


def _now() -> datetime:
    return datetime.now(UTC)


def _public_id() -> str:
    return secrets.token_urlsafe(16)


class AnswerStatus(enum.StrEnum):
    DRAFT = "draft"  # written by the handler, waiting for the head
    PUBLISHED = "published"  # public and searchable
    WITHDRAWN = "withdrawn"  # taken down by a head (no longer public)

    @property
    def label(self):
        return ANSWER_STATUS_LABELS[self]


ANSWER_STATUS_LABELS = {
    AnswerStatus.DRAFT: _l("Draft"),
    AnswerStatus.PUBLISHED: _l("Published"),
    AnswerStatus.WITHDRAWN: _l("Withdrawn"),
}


class PublishedAnswer(db.Model):
    __tablename__ = "published_answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(24), unique=True, default=_public_id)
    # One answer per case; cleared (not deleted) when the case is purged.
    case_id: Mapped[int | None] = mapped_column(
        db.ForeignKey("citizen_case.id", ondelete="SET NULL"), unique=True
    )
    kind: Mapped[str] = mapped_column(db.String(14))  # the case's kind (never a denunciation)
    topic: Mapped[str] = mapped_column(db.String(20), index=True)
    unit_id: Mapped[int | None] = mapped_column(db.ForeignKey("unit.id"))  # who answered
    title: Mapped[str] = mapped_column(db.String(TITLE_MAX))  # plain text, always escaped
    question: Mapped[str] = mapped_column(db.Text)  # plain text written by staff
    answer: Mapped[str] = mapped_column(db.Text)  # plain text written by staff
    status: Mapped[str] = mapped_column(db.String(10), default=AnswerStatus.DRAFT, index=True)
    answered_on: Mapped[date | None]  # the day the case's response was published
    drafted_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("staff_user.id"))
    drafted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    published_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("staff_user.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now, onupdate=_now)
    # Optimistic locking: the forms carry the version they were drawn from.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    unit: Mapped[Unit | None] = relationship()  # the contacts domain owns units


@event.listens_for(Case, "before_delete")
def _forget_case(mapper, connection, case) -> None:
    """A purged case leaves its published answer in place, without the link to it.

    (ON DELETE SET NULL does the same on PostgreSQL; SQLite does not enforce foreign keys.)
    """
    table = PublishedAnswer.__table__
    connection.execute(table.update().where(table.c.case_id == case.id).values(case_id=None))
