"""Append-only, tamper-evident audit log: who did what, when, from where.

Rows are only ever inserted. The ORM refuses updates and deletes, and on PostgreSQL a trigger
(created by the migration) refuses them too, so a compromised view cannot rewrite history.

Each entry is chained to the one before it (in id order): `prev_hash` is the previous entry's
`hash`, and `hash` is SHA-256 over the entry's canonical content and `prev_hash`. Changing,
removing or reordering an entry breaks the chain at that point, which `flask audit verify`
reports. The hash is computed as the row is inserted (never from its id, which the database
assigns); the previous hash is read under a lock so that two transactions appending at once
cannot both chain to the same entry (PostgreSQL: a transaction-level advisory lock; SQLite:
its single writer lock, taken before the read). A unique `prev_hash` backs this up: a fork
fails to commit instead of passing silently.

Deleting the newest entries leaves a shorter chain that is still whole: keep the last hash
that `verify` prints somewhere else (a ticket, a printed report) to detect that.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import has_request_context, request
from sqlalchemy import JSON, event, text
from sqlalchemy.orm import Mapped, Session, mapped_column, object_session

from portal.core.dbtypes import UTCDateTime
from portal.extensions import db

# pg_advisory_xact_lock key for appending to the chain: any fixed number no other code uses
# ("audit" in ASCII).
CHAIN_LOCK_KEY = 0x6175646974
_TAIL = "audit_chain_tail"  # Session.info: the hash last chained in the current flush


class AuditEvent(db.Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), index=True, default=lambda: datetime.now(UTC)
    )
    # Actor kept as id + label, not a foreign key: core knows no domain, and the record must
    # survive whatever happens to the account.
    actor_id: Mapped[int | None] = mapped_column(index=True)
    actor_label: Mapped[str | None] = mapped_column(db.String(254))
    action: Mapped[str] = mapped_column(db.String(60), index=True)
    target_type: Mapped[str | None] = mapped_column(db.String(40))
    target_id: Mapped[str | None] = mapped_column(db.String(64))
    ip: Mapped[str | None] = mapped_column(db.String(45))
    detail: Mapped[dict | None] = mapped_column(JSON)
    # Tamper evidence: each entry's hash covers its content and the previous entry's hash
    # (`flask audit verify` walks the chain). At most one entry follows any given entry.
    prev_hash: Mapped[str | None] = mapped_column(db.String(64), unique=True)
    hash: Mapped[str | None] = mapped_column(db.String(64), unique=True)


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_rewrites(session, flush_context, instances):
    session.info.pop(_TAIL, None)
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent):
            raise AuditLogIsAppendOnly("audit events cannot be changed or deleted")


@event.listens_for(Session, "after_flush")
def _forget_tail(session, flush_context):
    session.info.pop(_TAIL, None)


# --- The chain -------------------------------------------------------------------------------


def canonical(
    *,
    occurred_at: datetime,
    actor_id,
    actor_label,
    action,
    target_type,
    target_id,
    ip,
    detail,
) -> str:
    """Serialise an entry's content the one way its hash is computed over."""
    if occurred_at.tzinfo is None:
        occurred_at = occurred_at.replace(tzinfo=UTC)
    content = {
        "occurred_at": occurred_at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "ip": ip,
        "detail": detail,
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def entry_hash(content: str, prev_hash: str | None) -> str:
    """SHA-256 (hex) of an entry's canonical content chained to the previous entry's hash."""
    return hashlib.sha256(f"{prev_hash or ''}\n{content}".encode()).hexdigest()


def content_of(entry) -> str:
    """The canonical content of an AuditEvent (or a row with the same attributes)."""
    return canonical(
        occurred_at=entry.occurred_at,
        actor_id=entry.actor_id,
        actor_label=entry.actor_label,
        action=entry.action,
        target_type=entry.target_type,
        target_id=entry.target_id,
        ip=entry.ip,
        detail=entry.detail,
    )


def _chain_tail(connection) -> str | None:
    """Lock the chain for this transaction and return the newest entry's hash."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK_KEY})
    elif dialect == "sqlite":
        # The driver begins a transaction only at the first write, so a read would run before
        # the lock: a write that changes nothing takes SQLite's writer lock first.
        connection.execute(text("UPDATE audit_event SET id = id WHERE 0 = 1"))
    return connection.execute(
        db.select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar()


@event.listens_for(AuditEvent, "before_insert")
def _chain(mapper, connection, entry):
    # The unit of work inserts pending rows of one table in the order they were added and
    # calls this hook in that order, so the chain follows id order within a flush too.
    if entry.occurred_at is None:
        entry.occurred_at = datetime.now(UTC)
    if entry.detail is not None:
        # Hash exactly what the JSON column gives back (tuples become lists, keys strings).
        entry.detail = json.loads(json.dumps(entry.detail))
    session = object_session(entry)
    info = session.info if session is not None else {}
    prev = info[_TAIL] if _TAIL in info else _chain_tail(connection)
    entry.prev_hash = prev
    entry.hash = entry_hash(content_of(entry), prev)
    info[_TAIL] = entry.hash


@dataclass(frozen=True)
class Break:
    """The first place the chain does not hold."""

    id: int
    problem: str  # "content changed", "link broken" or "entry missing"
    explanation: str


@dataclass(frozen=True)
class Verification:
    entries: int
    last_id: int | None
    last_hash: str | None
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify(*, batch: int = 1000) -> Verification:
    """Walk the chain in id order; return how many entries hold and the first break."""
    table = AuditEvent.__table__
    query = db.select(table).order_by(table.c.id).execution_options(yield_per=batch)
    count, previous, broken = 0, None, None
    for row in db.session.execute(query):
        problem = _check(row, previous)
        if problem:
            broken = (row, problem)
            break
        count += 1
        previous = row
    last_id, last_hash = (None, None) if previous is None else (previous.id, previous.hash)
    if broken is None:
        return Verification(count, last_id, last_hash, None)
    row, problem = broken
    if problem == "link broken" and row.prev_hash:
        # A missing (or rewritten) entry leaves a link to a hash that no entry has any more.
        named = db.session.scalar(db.select(AuditEvent.id).where(AuditEvent.hash == row.prev_hash))
        if named is None:
            problem = "entry missing"
    return Verification(count, last_id, last_hash, _break(row, previous, problem))


def _check(row, previous) -> str | None:
    if row.hash is None or entry_hash(content_of(row), row.prev_hash) != row.hash:
        return "content changed"
    expected = None if previous is None else previous.hash
    if row.prev_hash != expected:
        return "entry missing" if previous is None else "link broken"
    return None


def _break(row, previous, problem: str) -> Break:
    if problem == "content changed":
        explanation = "its content no longer matches its hash"
    elif previous is None:
        explanation = "it is the first entry but follows another: the start of the log is gone"
    elif problem == "entry missing":
        explanation = (
            f"the entry it follows, after entry {previous.id}, is missing or was rewritten "
            "(no entry has the hash it names)"
        )
    else:
        explanation = f"it does not follow entry {previous.id}, the entry before it"
    return Break(id=row.id, problem=problem, explanation=explanation)


# --- Recording and reading -------------------------------------------------------------------


def record(
    action: str,
    *,
    actor=None,
    target_type: str | None = None,
    target_id=None,
    detail: dict | None = None,
) -> AuditEvent:
    """Add an audit event to the current unit of work; the caller's service commits it."""
    entry = AuditEvent(
        action=action,
        actor_id=getattr(actor, "id", None),
        actor_label=getattr(actor, "audit_label", None),
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        ip=request.remote_addr if has_request_context() else None,
        detail=detail or None,
    )
    db.session.add(entry)
    return entry


def recent(*, page: int = 1, per_page: int = 50, action: str | None = None):
    """Return a page of audit events, newest first."""
    query = db.select(AuditEvent).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action == action)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def recorded_actions() -> list[str]:
    """Return the distinct actions recorded so far, for filtering the log."""
    return list(
        db.session.scalars(db.select(AuditEvent.action).distinct().order_by(AuditEvent.action))
    )
