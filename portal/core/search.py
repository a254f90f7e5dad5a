"""One search index over whatever the domains publish, folded for Vietnamese.

Domains write an entry when an item becomes public and remove it when it stops being public
(core knows no domain: it stores kind, reference, title, text and URL parameters). Matching
ignores diacritics and đ/Đ; the dialect-specific full-text objects (FTS5 on SQLite, a tsvector
index on PostgreSQL) are created by migrations.
"""

from datetime import UTC, datetime

from sqlalchemy.orm import Mapped, mapped_column

from portal.core.dbtypes import UTCDateTime
from portal.core.text import fold
from portal.extensions import db


class SearchEntry(db.Model):
    __tablename__ = "search_entry"
    __table_args__ = (db.UniqueConstraint("kind", "ref_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(db.String(20), index=True)  # disclosure | draft | procedure
    ref_id: Mapped[int]
    slug: Mapped[str] = mapped_column(db.String(160))
    title: Mapped[str] = mapped_column(db.String(500))
    body: Mapped[str] = mapped_column(db.Text, default="")  # plain text, NFC
    folded_title: Mapped[str] = mapped_column(db.String(500))  # core.text.fold(title)
    folded_body: Mapped[str] = mapped_column(db.Text, default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=lambda: datetime.now(UTC), onupdate=lambda: datetime.now(UTC)
    )


def index_entry(
    *,
    kind: str,
    ref_id: int,
    slug: str,
    title: str,
    body: str,
    published_at: datetime | None,
) -> None:
    """Add or refresh an item that is public now (the caller commits).

    `body` is plain text (use core.sanitize.clean_text on rich text first).
    """
    entry = db.session.scalar(
        db.select(SearchEntry).where(SearchEntry.kind == kind, SearchEntry.ref_id == ref_id)
    )
    if entry is None:
        entry = SearchEntry(kind=kind, ref_id=ref_id)
        db.session.add(entry)
    entry.slug = slug
    entry.title = title
    entry.body = body
    entry.folded_title = fold(title)
    entry.folded_body = fold(body)
    entry.published_at = published_at


def remove_entry(*, kind: str, ref_id: int) -> None:
    """Take an item out of the index because it is no longer public (the caller commits)."""
    db.session.execute(
        db.delete(SearchEntry).where(SearchEntry.kind == kind, SearchEntry.ref_id == ref_id)
    )
