"""Append-only audit log: who did what, when, from where.

Rows are only ever inserted. The ORM refuses updates and deletes, and on PostgreSQL a trigger
(created by the migration) refuses them too, so a compromised view cannot rewrite history.
"""

from datetime import UTC, datetime

from flask import has_request_context, request
from sqlalchemy import JSON, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal.core.dbtypes import UTCDateTime
from portal.extensions import db


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
    # (`flask audit verify` walks the chain).
    prev_hash: Mapped[str | None] = mapped_column(db.String(64))
    hash: Mapped[str | None] = mapped_column(db.String(64), unique=True)


class AuditLogIsAppendOnly(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_rewrites(session, flush_context, instances):
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent):
            raise AuditLogIsAppendOnly("audit events cannot be changed or deleted")


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
