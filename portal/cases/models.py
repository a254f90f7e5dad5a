"""Citizens' cases: the four kinds (reflection, petition, complaint, denunciation), their
events, messages, attachments, and the submitter's identity kept apart and encrypted."""

import enum
import secrets
from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.core.dbtypes import UTCDateTime
from portal.core.uploads import StoredFile
from portal.extensions import db

DESCRIPTION_MAX = 20_000
TITLE_MAX = 300
PLACE_MAX = 300


def _now() -> datetime:
    return datetime.now(UTC)


def _public_id() -> str:
    return secrets.token_urlsafe(16)


class Kind(enum.StrEnum):
    REFLECTION = "reflection"  # phản ánh
    PETITION = "petition"  # kiến nghị
    COMPLAINT = "complaint"  # khiếu nại
    DENUNCIATION = "denunciation"  # tố cáo

    @property
    def label(self):
        return KIND_LABELS[self]

    @property
    def prefix(self) -> str:
        return KIND_PREFIXES[self]


KIND_LABELS = {
    Kind.REFLECTION: _l("Reflection"),
    Kind.PETITION: _l("Petition"),
    Kind.COMPLAINT: _l("Complaint"),
    Kind.DENUNCIATION: _l("Denunciation"),
}
# Case numbers read PA-2026-000123: the prefix says the kind.
KIND_PREFIXES = {
    Kind.REFLECTION: "PA",
    Kind.PETITION: "KN",
    Kind.COMPLAINT: "KH",
    Kind.DENUNCIATION: "TC",
}


class Track(enum.StrEnum):
    FORMAL = "formal"
    # Anonymous reflections, petitions and reports of corruption or harassment: accepted and
    # checked as "anonymous information", not handled as a formal complaint or denunciation.
    ANONYMOUS_INFORMATION = "anonymous-information"


class Topic(enum.StrEnum):
    PROCEDURE = "procedure"
    HARASSMENT = "harassment"  # harassment or corruption
    PUBLIC_FINANCE = "public-finance"
    STAFF_CONDUCT = "staff-conduct"
    POLICY = "policy"
    OTHER = "other"


class CaseStatus(enum.StrEnum):
    """Where a case stands. The staff workflow (its transitions table) adds the moves."""

    RECEIVED = "received"
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"


class Case(db.Model):
    __tablename__ = "citizen_case"
    __table_args__ = (db.UniqueConstraint("kind", "year", "sequence"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(24), unique=True, default=_public_id)
    # PA-2026-000123: prefix by kind, gapless per kind and year (CaseCounter).
    number: Mapped[str] = mapped_column(db.String(20), unique=True)
    kind: Mapped[str] = mapped_column(db.String(14), index=True)
    year: Mapped[int]
    sequence: Mapped[int]
    track: Mapped[str] = mapped_column(db.String(24), default=Track.FORMAL)
    status: Mapped[str] = mapped_column(db.String(20), default=CaseStatus.RECEIVED, index=True)
    topic: Mapped[str] = mapped_column(db.String(20))
    procedure_id: Mapped[int | None] = mapped_column(db.ForeignKey("procedure.id"))
    concerned_unit_id: Mapped[int | None] = mapped_column(db.ForeignKey("unit.id"))
    # The unit whose register the case lands in (the unit that handles cases).
    handling_unit_id: Mapped[int | None] = mapped_column(db.ForeignKey("unit.id"), index=True)
    title: Mapped[str] = mapped_column(db.String(TITLE_MAX))
    description: Mapped[str] = mapped_column(db.Text)  # citizen text: plain, always escaped
    place: Mapped[str] = mapped_column(db.String(PLACE_MAX), default="")
    # Complaints: the decision or act complained about, and when the citizen learnt of it.
    decision_concerned: Mapped[str] = mapped_column(db.Text, default="")
    decision_known_on: Mapped[date | None]
    anonymous: Mapped[bool] = mapped_column(default=False)
    # Denunciations always; anyone else who asks: identity shown only to those assigned.
    confidential: Mapped[bool] = mapped_column(default=False)
    # The online declaration that replaces the signature, stored as the citizen saw it.
    declaration_text: Mapped[str] = mapped_column(db.Text, default="")
    publish_consent: Mapped[bool] = mapped_column(default=False)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now, index=True)
    received_on: Mapped[date]  # the local (Vietnam) date the period counts from
    acceptance_due_on: Mapped[date | None] = mapped_column(index=True)
    # A salted password-KDF hash of the secret access key; the key itself is never stored.
    access_key_hash: Mapped[str] = mapped_column(db.String(255))
    # The form's one-time token: a double click or a retry never makes a second case.
    submission_token: Mapped[str] = mapped_column(db.String(64), unique=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawal_reason: Mapped[str] = mapped_column(db.Text, default="")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    rating: Mapped[int | None]
    rating_comment: Mapped[str] = mapped_column(db.Text, default="")
    solved: Mapped[bool | None]
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now, onupdate=_now)

    identity: Mapped["CaseIdentity | None"] = relationship(
        back_populates="case", cascade="all, delete-orphan", uselist=False
    )
    events: Mapped[list["CaseEvent"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseEvent.id"
    )
    messages: Mapped[list["CaseMessage"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseMessage.id"
    )
    attachments: Mapped[list["CaseAttachment"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseAttachment.id"
    )


class CaseCounter(db.Model):
    """The last number given per kind and year. Incremented with UPDATE … RETURNING inside
    the submission's transaction, so numbers are gapless even under concurrent submissions."""

    __tablename__ = "case_counter"

    kind: Mapped[str] = mapped_column(db.String(14), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class CaseIdentity(db.Model):
    """Who submitted the case, apart from the case body and encrypted at rest.

    `sealed` is a Fernet token (cryptography) of a JSON object {name, address, phone, email,
    id_number}, made with CASE_IDENTITY_KEY from configuration, never from the database. No
    list, search, export, notification or log reads this table.
    """

    __tablename__ = "case_identity"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(db.ForeignKey("citizen_case.id"), unique=True)
    sealed: Mapped[str] = mapped_column(db.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)

    case: Mapped[Case] = relationship(back_populates="identity")


class Actor(enum.StrEnum):
    CITIZEN = "citizen"
    STAFF = "staff"
    SYSTEM = "system"


class CaseEvent(db.Model):
    """One step in a case's history. Immutable; `public` ones show on the citizen's timeline."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(db.ForeignKey("citizen_case.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    actor: Mapped[str] = mapped_column(db.String(10))
    staff_user_id: Mapped[int | None] = mapped_column(db.ForeignKey("staff_user.id"))
    action: Mapped[str] = mapped_column(db.String(40))  # submitted, message, withdrawn, rated, …
    from_status: Mapped[str | None] = mapped_column(db.String(20))
    to_status: Mapped[str | None] = mapped_column(db.String(20))
    public: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str] = mapped_column(db.Text, default="")

    case: Mapped[Case] = relationship(back_populates="events")


class CaseMessage(db.Model):
    """Information added by the citizen, or a question or answer from the handling unit."""

    __tablename__ = "case_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(24), unique=True, default=_public_id)
    case_id: Mapped[int] = mapped_column(db.ForeignKey("citizen_case.id"), index=True)
    author: Mapped[str] = mapped_column(db.String(10))  # Actor
    staff_user_id: Mapped[int | None] = mapped_column(db.ForeignKey("staff_user.id"))
    body: Mapped[str] = mapped_column(db.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)

    case: Mapped[Case] = relationship(back_populates="messages")
    attachments: Mapped[list["CaseAttachment"]] = relationship(back_populates="message")


class CaseAttachment(db.Model):
    __tablename__ = "case_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(24), unique=True, default=_public_id)
    case_id: Mapped[int] = mapped_column(db.ForeignKey("citizen_case.id"), index=True)
    message_id: Mapped[int | None] = mapped_column(db.ForeignKey("case_message.id"))
    stored_file_id: Mapped[int] = mapped_column(db.ForeignKey("stored_file.id"))
    # SHA-256 of the bytes as the citizen sent them (the stored file may have had its image
    # metadata stripped, so its own hash differs).
    original_sha256: Mapped[str] = mapped_column(db.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)

    case: Mapped[Case] = relationship(back_populates="attachments")
    message: Mapped[CaseMessage | None] = relationship(back_populates="attachments")
    stored_file: Mapped[StoredFile] = relationship()
