"""Keyword-only factories for cases. Call them inside an app context."""

import itertools
import secrets
from datetime import UTC, datetime

from portal.cases.access import hash_key
from portal.cases.identity import Identity, seal
from portal.cases.indexing import refresh_search
from portal.cases.models import Actor, Case, CaseEvent, CaseIdentity, CaseStatus, Kind, Track
from portal.core.workdays import add_working_days, local_date
from portal.extensions import db

KEY = "Q8RW-5N3K-TZ7F-2HJB-M"
_counter = itertools.count(1)


def create_case(
    *,
    kind: str = "reflection",
    status: str = "received",
    key: str = KEY,
    email: str | None = None,
    name: str | None = None,
    address: str = "",
    phone: str = "",
    topic: str = "procedure",
    title: str = "Chậm trả kết quả hồ sơ",
    description: str = "Hồ sơ nộp đã quá hạn mà chưa có kết quả.",
    received_at: datetime | None = None,
    **fields,
) -> tuple[Case, str]:
    """Create a case straight in the models; return it (detached) and its plain access key.

    Any other Case column (handling_unit_id, assignee_id, accepted_on, …) passes through.
    """
    received_at = received_at or datetime.now(UTC)
    received_on = local_date(received_at)
    sequence = next(_counter)
    kind = Kind(kind)
    anonymous = not (name or email or address or phone)
    case = Case(
        number=f"{kind.prefix}-{received_on.year}-{sequence:06d}",
        kind=kind,
        year=received_on.year,
        sequence=sequence,
        track=Track.ANONYMOUS_INFORMATION if anonymous else Track.FORMAL,
        status=status,
        topic=topic,
        title=title,
        description=description,
        anonymous=anonymous,
        confidential=kind == Kind.DENUNCIATION,
        received_at=received_at,
        received_on=received_on,
        acceptance_due_on=add_working_days(received_on, 10),
        access_key_hash=hash_key(key, method="pbkdf2:sha256:1000"),
        submission_token=secrets.token_hex(16),
        closed_at=datetime.now(UTC) if status == CaseStatus.CLOSED else None,
        **fields,
    )
    if case.due_on is None and status in ("received", "classified"):
        case.due_on = case.acceptance_due_on
    refresh_search(case)
    if not anonymous:
        identity = Identity(name=name or "", address=address, phone=phone, email=email or "")
        case.identity = CaseIdentity(sealed=seal(identity))
    case.events.append(
        CaseEvent(actor=Actor.CITIZEN, action="submitted", to_status=CaseStatus.RECEIVED)
    )
    db.session.add(case)
    db.session.commit()
    db.session.refresh(case)
    db.session.expunge(case)
    return case, key
