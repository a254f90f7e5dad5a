"""Hotlines, the agency's units, and citizen reception (place, rules, the head's days)."""

import enum
import secrets
from datetime import UTC, date, datetime, time

from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.dbtypes import UTCDateTime
from portal.core.uploads import StoredFile
from portal.extensions import db


def _now() -> datetime:
    return datetime.now(UTC)


def _public_id() -> str:
    return secrets.token_urlsafe(12)


class Hotline(db.Model):
    """A phone number and/or e-mail address the public may use, and what it is for."""

    __tablename__ = "hotline"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(22), unique=True, default=_public_id)
    label: Mapped[str] = mapped_column(db.String(150))
    label_en: Mapped[str] = mapped_column(db.String(150), default="")
    purpose: Mapped[str] = mapped_column(db.Text, default="")
    purpose_en: Mapped[str] = mapped_column(db.Text, default="")
    phone_e164: Mapped[str | None] = mapped_column(db.String(16))  # +84…
    email: Mapped[str | None] = mapped_column(db.String(254))
    hours: Mapped[str] = mapped_column(db.String(200), default="")
    hours_en: Mapped[str] = mapped_column(db.String(200), default="")
    # The harassment/corruption report line is listed first everywhere (PAPI 4 and 5).
    is_harassment: Mapped[bool] = mapped_column(default=False)
    # The one shown in the header of every page.
    is_main: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    published: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now, onupdate=_now)


class Unit(db.Model):
    """A unit (phòng) of the agency: organisation is data, it changes with every merger."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(22), unique=True, default=_public_id)
    slug: Mapped[str] = mapped_column(db.String(120), unique=True)
    name: Mapped[str] = mapped_column(db.String(200))
    name_en: Mapped[str] = mapped_column(db.String(200), default="")
    functions_html: Mapped[str] = mapped_column(db.Text, default="")  # core.sanitize.clean_html
    functions_en_html: Mapped[str] = mapped_column(db.Text, default="")
    head_name: Mapped[str] = mapped_column(db.String(120), default="")
    head_title: Mapped[str] = mapped_column(db.String(120), default="")
    head_title_en: Mapped[str] = mapped_column(db.String(120), default="")
    phone_e164: Mapped[str | None] = mapped_column(db.String(16))
    email: Mapped[str | None] = mapped_column(db.String(254))
    # The unit that handles citizens' cases (the plan's "Inspectorate"); later issues use it.
    handles_cases: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    published: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now, onupdate=_now)


class ReceptionOffice(db.Model):
    """Where and when citizens are received on every working day (Luật Tiếp công dân art. 10).

    One row: the hours are data an editor changes, not literals in templates. The days are the
    working days of core.workdays; a second period (afternoon) is optional.
    """

    __tablename__ = "reception_office"

    id: Mapped[int] = mapped_column(primary_key=True)
    place: Mapped[str] = mapped_column(db.String(300))
    place_en: Mapped[str] = mapped_column(db.String(300), default="")
    morning_starts_at: Mapped[time]
    morning_ends_at: Mapped[time]
    afternoon_starts_at: Mapped[time | None]
    afternoon_ends_at: Mapped[time | None]
    note: Mapped[str] = mapped_column(db.Text, default="")
    note_en: Mapped[str] = mapped_column(db.Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now, onupdate=_now)


class ShiftRule(enum.StrEnum):
    NEXT_WORKING_DAY = "next-working-day"
    PREVIOUS_WORKING_DAY = "previous-working-day"


class ReceptionRule(db.Model):
    """A recurring reception by the head: "the 15th of each month, moved to the next working
    day when it falls on a day off"."""

    __tablename__ = "reception_rule"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(22), unique=True, default=_public_id)
    day_of_month: Mapped[int]
    shift: Mapped[str] = mapped_column(db.String(24), default=ShiftRule.NEXT_WORKING_DAY)
    host: Mapped[str] = mapped_column(db.String(200))  # e.g. "Giám đốc Sở"
    host_en: Mapped[str] = mapped_column(db.String(200), default="")
    place: Mapped[str] = mapped_column(db.String(300))
    starts_at: Mapped[time]
    ends_at: Mapped[time]
    valid_from: Mapped[date]
    valid_until: Mapped[date | None]
    active: Mapped[bool] = mapped_column(default=True)


class ReceptionSession(db.Model):
    """A one-off reception date, or a change to one the rule produces (cancelled or moved)."""

    __tablename__ = "reception_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(22), unique=True, default=_public_id)
    day: Mapped[date] = mapped_column(index=True)
    starts_at: Mapped[time]
    ends_at: Mapped[time]
    host: Mapped[str] = mapped_column(db.String(200))
    host_en: Mapped[str] = mapped_column(db.String(200), default="")
    place: Mapped[str] = mapped_column(db.String(300))
    note: Mapped[str] = mapped_column(db.String(300), default="")
    # When set, this row replaces the rule's session of that date (moved or cancelled).
    replaces_rule_day: Mapped[date | None]
    cancelled: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now, onupdate=_now)


class ReceptionDocument(db.Model):
    """The reception rules (nội quy) and regulations (quy chế), published as files."""

    __tablename__ = "reception_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(22), unique=True, default=_public_id)
    kind: Mapped[str] = mapped_column(db.String(20))  # "rules" | "regulations"
    title: Mapped[str] = mapped_column(db.String(300))
    title_en: Mapped[str] = mapped_column(db.String(300), default="")
    summary_html: Mapped[str] = mapped_column(db.Text, default="")
    stored_file_id: Mapped[int | None] = mapped_column(db.ForeignKey("stored_file.id"))
    issued_on: Mapped[date | None]
    position: Mapped[int] = mapped_column(default=0)

    stored_file: Mapped[StoredFile | None] = relationship()
