"""The catalogue of administrative procedures (thủ tục hành chính), as on the national portal."""

import enum
import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.dbtypes import UTCDateTime
from portal.core.uploads import StoredFile
from portal.extensions import db


def _now() -> datetime:
    return datetime.now(UTC)


# Lengths the forms and the importer check, from the columns below. Text columns have no limit
# in the database; TEXT_MAX keeps one pasted document from filling a page.
CODE_MAX = 40
SLUG_MAX = 160
NAME_MAX = 500
DECISION_MAX = 120
URL_MAX = 500
FIELD_NAME_MAX = 200
PROCESSING_TIME_MAX = 300
FEE_MAX = 500
TEXT_MAX = 20_000
COPIES_MAX = 99

# National codes look like 1.000948.H38 or 2.002154; older ones have more groups.
CODE_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z.\-]*")


def is_web_url(value: str) -> bool:
    """Tell whether value is an absolute http(s) address, the only kind a link may point at."""
    if not value or any(ch.isspace() for ch in value):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


class Level(enum.StrEnum):
    PROVINCE = "province"
    COMMUNE = "commune"

    @property
    def label(self):
        return LEVEL_LABELS[self]


class OnlineLevel(enum.StrEnum):
    NONE = "none"
    PARTIAL = "partial"  # một phần
    FULL = "full"  # toàn trình

    @property
    def label(self):
        return ONLINE_LEVEL_LABELS[self]


class Channel(enum.StrEnum):
    IN_PERSON = "in-person"
    ONLINE = "online"
    POST = "post"

    @property
    def label(self):
        return CHANNEL_LABELS[self]


LEVEL_LABELS = {Level.PROVINCE: _l("Province level"), Level.COMMUNE: _l("Commune level")}
ONLINE_LEVEL_LABELS = {
    OnlineLevel.NONE: _l("Not available online"),
    OnlineLevel.PARTIAL: _l("Partly online"),
    OnlineLevel.FULL: _l("Fully online"),
}
CHANNEL_LABELS = {
    Channel.IN_PERSON: _l("In person"),
    Channel.ONLINE: _l("Online"),
    Channel.POST: _l("By post"),
}


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
    # core.text.fold(name): lists sort Đăng ký among the d's, not after z as code points do.
    name_key: Mapped[str] = mapped_column(db.String(500), default="", server_default="")
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

    @property
    def level_enum(self) -> Level:
        return Level(self.level)

    @property
    def online_enum(self) -> OnlineLevel:
        return OnlineLevel(self.online_level)

    @property
    def is_online(self) -> bool:
        return self.online_level != OnlineLevel.NONE


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

    @property
    def channel_enum(self) -> Channel:
        return Channel(self.channel)


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
