"""The catalogue of administrative procedures (thủ tục hành chính), as on the national portal."""

import enum
from datetime import UTC, datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.dbtypes import UTCDateTime
from portal.core.uploads import StoredFile
from portal.extensions import db


def _now() -> datetime:
    return datetime.now(UTC)


class Level(enum.StrEnum):
    PROVINCE = "province"
    COMMUNE = "commune"


class OnlineLevel(enum.StrEnum):
    NONE = "none"
    PARTIAL = "partial"  # một phần
    FULL = "full"  # toàn trình


class Channel(enum.StrEnum):
    IN_PERSON = "in-person"
    ONLINE = "online"
    POST = "post"


class ProcedureField(db.Model):
    """A field (lĩnh vực) procedures are grouped by."""

    __tablename__ = "procedure_field"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(db.String(120), unique=True)
    name: Mapped[str] = mapped_column(db.String(200), unique=True)
    name_en: Mapped[str] = mapped_column(db.String(200), default="")
    position: Mapped[int] = mapped_column(default=0)


class Procedure(db.Model):
    __tablename__ = "procedure"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(db.String(40), unique=True)  # e.g. 1.000948.H38
    slug: Mapped[str] = mapped_column(db.String(160), unique=True)
    name: Mapped[str] = mapped_column(db.String(500))
    decision_number: Mapped[str] = mapped_column(db.String(120), default="")
    level: Mapped[str] = mapped_column(db.String(12))
    field_id: Mapped[int] = mapped_column(db.ForeignKey("procedure_field.id"), index=True)
    steps_html: Mapped[str] = mapped_column(db.Text, default="")
    applicants: Mapped[str] = mapped_column(db.Text, default="")
    implementing_body: Mapped[str] = mapped_column(db.Text, default="")
    result: Mapped[str] = mapped_column(db.Text, default="")
    conditions_html: Mapped[str] = mapped_column(db.Text, default="")
    legal_basis_html: Mapped[str] = mapped_column(db.Text, default="")
    online_level: Mapped[str] = mapped_column(db.String(10), default=OnlineLevel.NONE)
    online_url: Mapped[str | None] = mapped_column(db.String(500))
    published: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now, onupdate=_now)

    field: Mapped[ProcedureField] = relationship()
    channels: Mapped[list["ProcedureChannel"]] = relationship(
        back_populates="procedure",
        cascade="all, delete-orphan",
        order_by="ProcedureChannel.position",
    )
    components: Mapped[list["DossierComponent"]] = relationship(
        back_populates="procedure",
        cascade="all, delete-orphan",
        order_by="DossierComponent.position",
    )


class ProcedureChannel(db.Model):
    """One way to submit (in person, online, by post) with its processing time and fee."""

    __tablename__ = "procedure_channel"

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(db.ForeignKey("procedure.id"), index=True)
    channel: Mapped[str] = mapped_column(db.String(12))
    processing_time: Mapped[str] = mapped_column(db.String(300))
    fee: Mapped[str] = mapped_column(db.String(500), default="")
    note: Mapped[str] = mapped_column(db.Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    procedure: Mapped[Procedure] = relationship(back_populates="channels")


class DossierComponent(db.Model):
    """A document in the dossier (thành phần hồ sơ), with how many originals and copies."""

    __tablename__ = "dossier_component"

    id: Mapped[int] = mapped_column(primary_key=True)
    procedure_id: Mapped[int] = mapped_column(db.ForeignKey("procedure.id"), index=True)
    name: Mapped[str] = mapped_column(db.Text)
    originals: Mapped[int] = mapped_column(default=0)
    copies: Mapped[int] = mapped_column(default=0)
    form_file_id: Mapped[int | None] = mapped_column(db.ForeignKey("stored_file.id"))
    form_url: Mapped[str | None] = mapped_column(db.String(500))
    position: Mapped[int] = mapped_column(default=0)

    procedure: Mapped[Procedure] = relationship(back_populates="components")
    form_file: Mapped[StoredFile | None] = relationship()
