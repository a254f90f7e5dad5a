"""One search index over whatever the domains publish, folded for Vietnamese.

Domains write an entry when an item becomes public and remove it when it stops being public
(core knows no domain: it stores kind, reference, title, text and URL parameters). Matching
ignores diacritics and đ/Đ; the dialect-specific full-text objects (FTS5 on SQLite, a tsvector
index on PostgreSQL) are created by migrations.
"""

from datetime import UTC, datetime

from sqlalchemy.orm import Mapped, mapped_column

from portal.core.dbtypes import UTCDateTime
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
