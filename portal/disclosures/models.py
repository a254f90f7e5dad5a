"""Published information: categories (each an obligation to publish), disclosures, their
revisions and attachments, and comments on drafts open for consultation."""

import enum
import secrets
from datetime import UTC, date, datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.contacts.models import Unit
from portal.core.dbtypes import UTCDateTime
from portal.core.uploads import StoredFile
from portal.extensions import db

TITLE_MAX = 500


def _now() -> datetime:
    return datetime.now(UTC)


def _public_id() -> str:
    return secrets.token_urlsafe(12)


class Status(enum.StrEnum):
    DRAFT = "draft"  # being prepared: never public
    PUBLISHED = "published"  # public from publish_at on (a future publish_at = scheduled)
    WITHDRAWN = "withdrawn"  # still public, marked withdrawn, with the reason


PUBLIC_STATUSES = (Status.PUBLISHED, Status.WITHDRAWN)


class PapiDimension(enum.IntEnum):
    PARTICIPATION = 1
    TRANSPARENCY = 2
    VERTICAL_ACCOUNTABILITY = 3
    CONTROL_OF_CORRUPTION = 4
    ADMINISTRATIVE_PROCEDURES = 5
    PUBLIC_SERVICE_DELIVERY = 6
    ENVIRONMENTAL_GOVERNANCE = 7
    E_GOVERNANCE = 8


class Category(db.Model):
    """A kind of information the law requires to be published, with how it is published.

    The public list of information to be published (danh mục thông tin phải công khai) is
    generated from these rows and the latest disclosure in each.
    """

    __tablename__ = "disclosure_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(db.String(120), unique=True)
    name: Mapped[str] = mapped_column(db.String(200))
    name_en: Mapped[str] = mapped_column(db.String(200), default="")
    description: Mapped[str] = mapped_column(db.Text, default="")
    description_en: Mapped[str] = mapped_column(db.Text, default="")
    legal_basis: Mapped[str] = mapped_column(db.String(300), default="")
    # How this obligation is met: the defaults each new disclosure starts from.
    disclosure_form: Mapped[str] = mapped_column(db.String(300), default="")
    disclosure_place: Mapped[str] = mapped_column(db.String(300), default="")
    disclosure_time: Mapped[str] = mapped_column(db.String(300), default="")
    disclosure_duration: Mapped[str] = mapped_column(db.String(300), default="")
    # The editor-set date by which the next disclosure is due; past it with nothing newer,
    # the obligation is flagged overdue.
    due_on: Mapped[date | None]
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)


disclosure_papi = db.Table(
    "disclosure_papi",
    db.Column("disclosure_id", db.ForeignKey("disclosure.id"), primary_key=True),
    db.Column("dimension", db.Integer, primary_key=True),
)


class Disclosure(db.Model):
    __tablename__ = "disclosure"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(22), unique=True, default=_public_id)
    slug: Mapped[str] = mapped_column(db.String(160), unique=True)
    category_id: Mapped[int] = mapped_column(db.ForeignKey("disclosure_category.id"), index=True)
    status: Mapped[str] = mapped_column(db.String(10), default=Status.DRAFT, index=True)
    title: Mapped[str] = mapped_column(db.String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(db.Text, default="")
    body_html: Mapped[str] = mapped_column(db.Text, default="")  # core.sanitize.clean_html
    document_type: Mapped[str] = mapped_column(db.String(120), default="")
    issuer: Mapped[str] = mapped_column(db.String(200), default="")
    number_symbol: Mapped[str] = mapped_column(db.String(100), default="")  # số ký hiệu
    issued_on: Mapped[date | None]
    effective_on: Mapped[date | None]
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    disclosure_form: Mapped[str] = mapped_column(db.String(300), default="")
    disclosure_place: Mapped[str] = mapped_column(db.String(300), default="")
    visible_until: Mapped[date | None]  # the duration it must stay visible
    unit_id: Mapped[int | None] = mapped_column(db.ForeignKey("unit.id"), index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawal_reason: Mapped[str] = mapped_column(db.Text, default="")
    # Drafts open for comment (dự thảo lấy ý kiến).
    is_consultation: Mapped[bool] = mapped_column(default=False)
    comments_open_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    comments_close_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # How comments were taken into account (báo cáo tiếp thu, giải trình), after closing.
    consultation_report_html: Mapped[str] = mapped_column(db.Text, default="")
    consultation_report_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revision_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now, onupdate=_now)

    category: Mapped[Category] = relationship()
    unit: Mapped[Unit | None] = relationship()  # the contacts domain owns units
    papi_links: Mapped[list["DisclosurePapi"]] = relationship(
        cascade="all, delete-orphan", order_by="DisclosurePapi.dimension"
    )
    revisions: Mapped[list["DisclosureRevision"]] = relationship(
        back_populates="disclosure",
        cascade="all, delete-orphan",
        order_by="DisclosureRevision.number.desc()",
    )
    attachments: Mapped[list["DisclosureAttachment"]] = relationship(
        back_populates="disclosure",
        cascade="all, delete-orphan",
        order_by="DisclosureAttachment.position",
    )

    @property
    def papi_dimensions(self) -> list[int]:
        return [link.dimension for link in self.papi_links]

    @property
    def current_revision(self) -> "DisclosureRevision | None":
        return self.revisions[0] if self.revisions else None

    def is_public(self, now: datetime | None = None) -> bool:
        """The same rule as queries.public_filter(), for an object already loaded."""
        now = now or _now()
        return (
            self.status in PUBLIC_STATUSES
            and self.publish_at is not None
            and self.publish_at <= now
        )

    def is_scheduled(self, now: datetime | None = None) -> bool:
        now = now or _now()
        return (
            self.status == Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at > now
        )

    def comments_open(self, now: datetime | None = None) -> bool:
        """Anyone may comment: a public, not withdrawn draft inside its comment period."""
        now = now or _now()
        return (
            self.is_consultation
            and self.status == Status.PUBLISHED
            and self.is_public(now)
            and self.comments_open_at is not None
            and self.comments_close_at is not None
            and self.comments_open_at <= now < self.comments_close_at
        )

    def comments_closed(self, now: datetime | None = None) -> bool:
        now = now or _now()
        return self.comments_close_at is not None and self.comments_close_at <= now


class DisclosurePapi(db.Model):
    """One PAPI dimension a disclosure serves (a row of disclosure_papi)."""

    __table__ = disclosure_papi


class DisclosureRevision(db.Model):
    """A published version. Never changed after it is written: edits make a new one."""

    __tablename__ = "disclosure_revision"
    __table_args__ = (db.UniqueConstraint("disclosure_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    disclosure_id: Mapped[int] = mapped_column(db.ForeignKey("disclosure.id"), index=True)
    number: Mapped[int]
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    editor_id: Mapped[int | None] = mapped_column(db.ForeignKey("staff_user.id"))
    title: Mapped[str] = mapped_column(db.String(TITLE_MAX))
    summary: Mapped[str] = mapped_column(db.Text, default="")
    body_html: Mapped[str] = mapped_column(db.Text, default="")
    # Every other public field as it was, and which fields changed from the previous version.
    snapshot: Mapped[dict] = mapped_column(db.JSON, default=dict)
    changed_fields: Mapped[list] = mapped_column(db.JSON, default=list)
    change_note: Mapped[str] = mapped_column(db.Text, default="")

    disclosure: Mapped[Disclosure] = relationship(back_populates="revisions")


class DisclosureAttachment(db.Model):
    __tablename__ = "disclosure_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    disclosure_id: Mapped[int] = mapped_column(db.ForeignKey("disclosure.id"), index=True)
    stored_file_id: Mapped[int] = mapped_column(db.ForeignKey("stored_file.id"))
    title: Mapped[str] = mapped_column(db.String(300), default="")
    position: Mapped[int] = mapped_column(default=0)

    disclosure: Mapped[Disclosure] = relationship(back_populates="attachments")
    stored_file: Mapped[StoredFile] = relationship()


class CommentStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class DraftComment(db.Model):
    """A reader's comment on a draft. Plain text, always escaped; public once approved."""

    __tablename__ = "draft_comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(22), unique=True, default=_public_id)
    disclosure_id: Mapped[int] = mapped_column(db.ForeignKey("disclosure.id"), index=True)
    author_name: Mapped[str] = mapped_column(db.String(120), default="")
    author_email: Mapped[str] = mapped_column(db.String(254), default="")  # never published
    body: Mapped[str] = mapped_column(db.Text)
    status: Mapped[str] = mapped_column(db.String(10), default=CommentStatus.PENDING, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    moderated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    moderator_id: Mapped[int | None] = mapped_column(db.ForeignKey("staff_user.id"))
