"""Citizens' cases: the four kinds (reflection, petition, complaint, denunciation), their
events, messages, attachments, and the submitter's identity kept apart and encrypted."""

import enum
import secrets
from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.core.dbtypes import UTCDateTime
from portal.core.uploads import StoredFile
from portal.extensions import db

DESCRIPTION_MAX = 20_000
TITLE_MAX = 300
PLACE_MAX = 300


def _now() -> datetime:
    return datetime.now(UTC)


def _kind_as_submitted(context) -> str:
    return context.get_current_parameters()["kind"]


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
    """Where a case stands. The moves between them are one table in `workflow.py`."""

    RECEIVED = "received"
    CLASSIFIED = "classified"
    ACCEPTED = "accepted"  # thụ lý
    NOT_ACCEPTED = "not-accepted"  # filed with the legal reason, kept a year
    TRANSFERRED = "transferred"  # to another body, with the transfer letter
    MERGED = "merged"  # a duplicate of another case
    ASSIGNED = "assigned"
    VERIFYING = "verifying"
    DRAFTED = "drafted"  # a response is drafted
    APPROVED = "approved"  # the head approved the response
    RESPONDED = "responded"  # the response is published to the citizen
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    REOPENED = "reopened"  # a second complaint, or new evidence

    @property
    def label(self):
        return STATUS_LABELS[self]


STATUS_LABELS = {
    CaseStatus.RECEIVED: _l("Received"),
    CaseStatus.CLASSIFIED: _l("Classified"),
    CaseStatus.ACCEPTED: _l("Accepted"),
    CaseStatus.NOT_ACCEPTED: _l("Not accepted"),
    CaseStatus.TRANSFERRED: _l("Transferred"),
    CaseStatus.MERGED: _l("Merged"),
    CaseStatus.ASSIGNED: _l("Assigned"),
    CaseStatus.VERIFYING: _l("Verifying"),
    CaseStatus.DRAFTED: _l("Response drafted"),
    CaseStatus.APPROVED: _l("Response approved"),
    CaseStatus.RESPONDED: _l("Responded"),
    CaseStatus.CLOSED: _l("Closed"),
    CaseStatus.WITHDRAWN: _l("Withdrawn"),
    CaseStatus.REOPENED: _l("Reopened"),
}


class Channel(enum.StrEnum):
    """How the case reached the agency: every channel lands in the same register."""

    WEB = "web"
    HOTLINE = "hotline"
    POST = "post"
    EMAIL = "email"
    RECEPTION = "reception"  # in person, at a citizen-reception session
    API = "api"  # a partner system

    @property
    def label(self):
        return CHANNEL_LABELS[self]


CHANNEL_LABELS = {
    Channel.WEB: _l("Portal"),
    Channel.HOTLINE: _l("Hotline"),
    Channel.POST: _l("Post"),
    Channel.EMAIL: _l("E-mail"),
    Channel.RECEPTION: _l("Citizen reception"),
    Channel.API: _l("Partner system"),
}


class Complexity(enum.IntEnum):
    NORMAL = 0
    COMPLEX = 1
    ESPECIALLY_COMPLEX = 2  # denunciations: two extensions allowed


# The workflow's open statuses (workflow.OPEN: workflow.py imports this module), spelled out
# for the inbox's partial index; tests/cases/test_inbox.py checks that the two agree. Queries
# say IN (…) in this same order: PostgreSQL then sees the index's own condition.
OPEN_STATUSES = (
    "received",
    "classified",
    "reopened",
    "accepted",
    "assigned",
    "verifying",
    "drafted",
    "approved",
)
OPEN_STATUSES_SQL = "status IN (" + ", ".join(f"'{s}'" for s in OPEN_STATUSES) + ")"


class Case(db.Model):
    __tablename__ = "citizen_case"
    __table_args__ = (
        db.UniqueConstraint("kind", "year", "sequence"),
        # The inbox (queries.py) pages open cases in (due_on, id) order and counts them: a few
        # thousand rows of a million, so the index holds only them, with every column the
        # inbox filters or counts on (PostgreSQL reads the list from the index alone).
        db.Index(
            "ix_citizen_case_open_due",
            "due_on",
            "id",
            postgresql_include=[
                "status",
                "kind",
                "topic",
                "track",
                "channel",
                "handling_unit_id",
                "assignee_id",
            ],
            postgresql_where=db.text(OPEN_STATUSES_SQL),
            sqlite_where=db.text(OPEN_STATUSES_SQL),
        ),
        # The staff search: words anywhere in the folded text (LIKE '%word%'), by trigrams on
        # PostgreSQL, over every case and over the open ones (the inbox's default list, where
        # common words would otherwise read half the big index). SQLite has no such index:
        # WHERE 0 keeps these empty rather than copies of the text.
        db.Index(
            "ix_citizen_case_search_text",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
            sqlite_where=db.text("0"),
        ),
        db.Index(
            "ix_citizen_case_open_search",
            "search_text",
            postgresql_using="gin",
            postgresql_ops={"search_text": "gin_trgm_ops"},
            postgresql_where=db.text(OPEN_STATUSES_SQL),
            sqlite_where=db.text("0"),
        ),
        # The statistics by period (reports/stats.py) count each figure on its own date, one
        # pass per date over the cases whose date is in the period, grouped by kind, topic,
        # unit, status or channel. On PostgreSQL each date's index also holds what its pass
        # counts and groups by, so a year of a million cases is read from the index alone;
        # SQLite ignores INCLUDE (plain indexes on the dates).
        db.Index(
            "ix_citizen_case_received_on",
            "received_on",
            postgresql_include=["kind", "topic", "handling_unit_id", "status", "channel"],
        ),
        db.Index(
            "ix_citizen_case_accepted_on",
            "accepted_on",
            postgresql_include=["kind", "topic", "handling_unit_id", "status", "channel"],
        ),
        db.Index(
            "ix_citizen_case_ended_on",
            "ended_on",
            postgresql_include=["kind", "topic", "handling_unit_id", "status", "channel"],
        ),
        db.Index(
            "ix_citizen_case_resolved_on",
            "resolved_on",
            postgresql_include=[
                "resolution_due_on",
                "received_on",
                "kind",
                "topic",
                "handling_unit_id",
                "status",
                "channel",
            ],
        ),
        # Ratings: a minority of the cases, so only those.
        db.Index(
            "ix_citizen_case_rated_at",
            "rated_at",
            postgresql_include=[
                "rating",
                "solved",
                "kind",
                "topic",
                "handling_unit_id",
                "status",
                "channel",
            ],
            postgresql_where=db.text("rated_at IS NOT NULL"),
            sqlite_where=db.text("rated_at IS NOT NULL"),
        ),
    )

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
    # The local (Vietnam) date the period counts from; indexed for the statistics by period.
    received_on: Mapped[date]  # indexed in __table_args__
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

    # --- Handling (workflow.py) ---------------------------------------------------------------
    channel: Mapped[str] = mapped_column(db.String(12), default=Channel.WEB)
    # For a case a partner system sent (channel api): that partner's name when it arrived.
    source: Mapped[str] = mapped_column(db.String(120), default="")
    # The kind the citizen chose; `kind` is what the handler classified it as (deadlines
    # follow `kind`; the number keeps the prefix it was given).
    submitted_kind: Mapped[str] = mapped_column(db.String(14), default=_kind_as_submitted)
    # Classification (Thông tư 05/2021): None until classified.
    processable: Mapped[bool | None]
    within_competence: Mapped[bool | None]
    many_people: Mapped[bool] = mapped_column(default=False)  # đơn đông người
    resolving_authority: Mapped[str] = mapped_column(db.String(PLACE_MAX), default="")
    classified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Deadline variants (deadlines.py).
    complexity: Mapped[int] = mapped_column(default=Complexity.NORMAL)
    remote_area: Mapped[bool] = mapped_column(default=False)
    second_time: Mapped[bool] = mapped_column(default=False)  # second complaint
    several_places: Mapped[bool] = mapped_column(default=False)  # denunciation verification
    accepted_on: Mapped[date | None]  # indexed in __table_args__
    # Kept in step with the extensions by the services; indexed for the inbox's sort.
    resolution_due_on: Mapped[date | None] = mapped_column(index=True)
    # The date that matters now (acceptance, then resolution): the inbox sorts on it.
    due_on: Mapped[date | None] = mapped_column(index=True)
    assignee_id: Mapped[int | None] = mapped_column(db.ForeignKey("staff_user.id"), index=True)
    assigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    refusal_reason: Mapped[str] = mapped_column(db.String(40), default="")
    transferred_to: Mapped[str] = mapped_column(db.String(PLACE_MAX), default="")
    merged_into_id: Mapped[int | None] = mapped_column(db.ForeignKey("citizen_case.id"))
    reception_entry_id: Mapped[int | None] = mapped_column(db.ForeignKey("reception_entry.id"))
    # Folded (lower case, no diacritics) number, title, place and description: the staff
    # search. Never in the public search index.
    search_text: Mapped[str] = mapped_column(db.Text, default="")
    # Keyed digests (HMAC with the identity key) to suggest related cases without unsealing
    # anything: same e-mail, same phone, same text once folded and squeezed.
    email_digest: Mapped[str | None] = mapped_column(db.String(64), index=True)
    phone_digest: Mapped[str | None] = mapped_column(db.String(64), index=True)
    text_digest: Mapped[str | None] = mapped_column(db.String(64), index=True)
    # For the statistics and reports (SQL aggregates, no event scan): the local date the
    # response was published to the citizen, and the date the case reached a final status.
    # Both are cleared when a case is reopened (its events keep the earlier round).
    resolved_on: Mapped[date | None]  # indexed in __table_args__
    ended_on: Mapped[date | None]  # indexed in __table_args__
    # Set when the case ends (closed, not accepted, transferred, merged, withdrawn):
    # `flask cases purge` deletes it after this day.
    retain_until: Mapped[date | None] = mapped_column(index=True)
    # Optimistic locking: forms carry the version they were drawn from.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    assignee: Mapped["User | None"] = relationship(foreign_keys=[assignee_id])
    merged_into: Mapped["Case | None"] = relationship(remote_side=[id])
    extensions: Mapped[list["CaseExtension"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseExtension.id"
    )
    consultations: Mapped[list["CaseConsultation"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseConsultation.id"
    )
    responses: Mapped[list["CaseResponse"]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="CaseResponse.id"
    )

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
    # A document of a response (shown to the citizen once the response is published).
    response_id: Mapped[int | None] = mapped_column(db.ForeignKey("case_response.id"))
    # Set when staff attached it (the scanned letter of a paper case, a response document).
    staff_user_id: Mapped[int | None] = mapped_column(db.ForeignKey("staff_user.id"))
    stored_file_id: Mapped[int] = mapped_column(db.ForeignKey("stored_file.id"))
    # SHA-256 of the bytes as the citizen sent them (the stored file may have had its image
    # metadata stripped, so its own hash differs).
    original_sha256: Mapped[str] = mapped_column(db.String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)

    case: Mapped[Case] = relationship(back_populates="attachments")
    message: Mapped[CaseMessage | None] = relationship(back_populates="attachments")
    response: Mapped["CaseResponse | None"] = relationship(back_populates="attachments")
    stored_file: Mapped[StoredFile] = relationship()


class CaseExtension(db.Model):
    """An extension of the resolution period (denunciations: one if complex, two if
    especially complex), with its reason and date, notified to the citizen."""

    __tablename__ = "case_extension"
    __table_args__ = (db.UniqueConstraint("case_id", "ordinal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(db.ForeignKey("citizen_case.id"), index=True)
    ordinal: Mapped[int]  # 1 or 2
    reason: Mapped[str] = mapped_column(db.Text)
    decided_on: Mapped[date] = mapped_column(index=True)
    due_on: Mapped[date]  # the resolution deadline with this extension
    approved_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)

    case: Mapped[Case] = relationship(back_populates="extensions")


class CaseConsultation(db.Model):
    """A case sent to another unit of the agency for its input, answered in the case."""

    __tablename__ = "case_consultation"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(24), unique=True, default=_public_id)
    case_id: Mapped[int] = mapped_column(db.ForeignKey("citizen_case.id"), index=True)
    unit_id: Mapped[int] = mapped_column(db.ForeignKey("unit.id"), index=True)
    question: Mapped[str] = mapped_column(db.Text)
    due_on: Mapped[date]
    requested_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("staff_user.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    answer: Mapped[str] = mapped_column(db.Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("staff_user.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    case: Mapped[Case] = relationship(back_populates="consultations")


class ResponseStatus(enum.StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    PUBLISHED = "published"


class Outcome(enum.StrEnum):
    """What a response concludes; templates are kept per kind and outcome."""

    UPHELD = "upheld"  # complaint/denunciation right (đúng)
    PARTLY_UPHELD = "partly-upheld"  # partly right
    REJECTED = "rejected"  # wrong (sai)
    ANSWERED = "answered"  # reflections and petitions: explained, acted on


class ResponseTemplate(db.Model):
    """The starting text of a response, per kind and outcome; administrators edit it."""

    __tablename__ = "response_template"
    __table_args__ = (db.UniqueConstraint("kind", "outcome"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(db.String(14))
    outcome: Mapped[str] = mapped_column(db.String(20))
    body: Mapped[str] = mapped_column(db.Text)  # plain text with {number}, {received_on}, …
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now, onupdate=_now)


class CaseResponse(db.Model):
    """The unit's answer: drafted by the handler, approved by the head, published."""

    __tablename__ = "case_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(24), unique=True, default=_public_id)
    case_id: Mapped[int] = mapped_column(db.ForeignKey("citizen_case.id"), index=True)
    outcome: Mapped[str] = mapped_column(db.String(20))
    status: Mapped[str] = mapped_column(db.String(10), default=ResponseStatus.DRAFT)
    body: Mapped[str] = mapped_column(db.Text)  # plain text, always escaped
    drafted_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("staff_user.id"))
    drafted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)
    approved_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("staff_user.id"))
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A complaint decision published on the portal (personal data removed by the handler).
    disclosure_id: Mapped[int | None] = mapped_column(db.ForeignKey("disclosure.id"))
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    case: Mapped[Case] = relationship(back_populates="responses")
    attachments: Mapped[list[CaseAttachment]] = relationship(back_populates="response")


class ReceptionEntry(db.Model):
    """One line of the citizen-reception logbook (sổ tiếp công dân).

    Who came is personal data: sealed like a case identity (identity.py), never listed in
    clear outside the entry's own page.
    """

    __tablename__ = "reception_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(db.String(24), unique=True, default=_public_id)
    received_on: Mapped[date] = mapped_column(index=True)
    reception_session_id: Mapped[int | None] = mapped_column(db.ForeignKey("reception_session.id"))
    received_by: Mapped[str] = mapped_column(db.String(200))  # who received (name, title)
    visitors_sealed: Mapped[str] = mapped_column(db.Text)  # who came: Fernet token
    people_count: Mapped[int] = mapped_column(default=1)
    subject: Mapped[str] = mapped_column(db.Text)  # what was asked
    outcome: Mapped[str] = mapped_column(db.Text, default="")  # guidance given, …
    recorded_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=_now)

    cases: Mapped[list[Case]] = relationship(foreign_keys="Case.reception_entry_id")
