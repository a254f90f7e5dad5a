"""The life of a case as data: which moves exist and who may make each.

One table (`TRANSITIONS`) says, for every (from, to) pair, which roles may make the move;
anything not in it raises `IllegalMove`. Every move appends an immutable `CaseEvent` (who,
when, from, to, note, public or internal). Services call `move()` and commit; views never do.
"""

from datetime import UTC, datetime

from portal.accounts.permissions import Role
from portal.cases import retention
from portal.cases.models import Actor, Case, CaseEvent, CaseStatus
from portal.core.workdays import local_date

S = CaseStatus
CITIZEN = "citizen"  # the submitter, through the tracking pages
SYSTEM = "system"  # commands run by cron (none moves a case today)

_STAFF = frozenset({Role.HANDLER, Role.HEAD})
_HEAD = frozenset({Role.HEAD})

# (from, to) -> roles allowed. Reassigning is not a move (the status stays "assigned").
TRANSITIONS: dict[tuple[CaseStatus, CaseStatus], frozenset[str]] = {
    # Triage (Thông tư 05/2021): classify, then accept, refuse or transfer.
    (S.RECEIVED, S.CLASSIFIED): _STAFF,
    (S.REOPENED, S.CLASSIFIED): _STAFF,
    (S.CLASSIFIED, S.CLASSIFIED): _STAFF,  # corrected classification
    (S.CLASSIFIED, S.ACCEPTED): _HEAD,
    (S.CLASSIFIED, S.NOT_ACCEPTED): _HEAD,
    (S.CLASSIFIED, S.TRANSFERRED): _HEAD,
    (S.RECEIVED, S.MERGED): _HEAD,
    (S.CLASSIFIED, S.MERGED): _HEAD,
    # Working the case.
    (S.ACCEPTED, S.ASSIGNED): _HEAD,
    (S.ASSIGNED, S.VERIFYING): _STAFF,
    (S.ASSIGNED, S.DRAFTED): _STAFF,
    (S.VERIFYING, S.DRAFTED): _STAFF,
    (S.DRAFTED, S.VERIFYING): _STAFF,  # draft sent back for more work
    (S.DRAFTED, S.APPROVED): _HEAD,
    (S.APPROVED, S.RESPONDED): _STAFF,  # published to the citizen
    (S.RESPONDED, S.CLOSED): _STAFF,
    # A second complaint or new evidence.
    (S.RESPONDED, S.REOPENED): _HEAD,
    (S.CLOSED, S.REOPENED): _HEAD,
    (S.NOT_ACCEPTED, S.REOPENED): _HEAD,
}

# A complaint can be withdrawn at any time, a denunciation before its conclusion.
FINAL = frozenset({S.NOT_ACCEPTED, S.TRANSFERRED, S.MERGED, S.CLOSED, S.WITHDRAWN})
for _status in S:
    if _status not in FINAL and _status is not S.RESPONDED:
        TRANSITIONS[(_status, S.WITHDRAWN)] = frozenset({CITIZEN})

# Before acceptance the acceptance deadline runs; from acceptance, the resolution deadline.
BEFORE_ACCEPTANCE = frozenset({S.RECEIVED, S.CLASSIFIED, S.REOPENED})
IN_PROGRESS = frozenset({S.ACCEPTED, S.ASSIGNED, S.VERIFYING, S.DRAFTED, S.APPROVED})
OPEN = BEFORE_ACCEPTANCE | IN_PROGRESS


class IllegalMove(Exception):
    """A move the transitions table does not allow for this role."""

    def __init__(self, from_status: str, to_status: str, role: str):
        super().__init__(f"{role} may not move a case from {from_status} to {to_status}")
        self.from_status, self.to_status, self.role = from_status, to_status, role


def role_of(user) -> str:
    return CITIZEN if user is None else str(user.role)


def allowed(from_status: str, to_status: str, role: str) -> bool:
    try:
        key = (S(from_status), S(to_status))
    except ValueError:
        return False
    return role in TRANSITIONS.get(key, frozenset())


def moves_from(status: str, role: str) -> list[CaseStatus]:
    """The statuses this role may move a case to from `status`, in the enum's order."""
    return [to for to in S if allowed(status, to, role)]


def move(
    case: Case,
    to_status: CaseStatus,
    *,
    by=None,
    note: str = "",
    public: bool = True,
    action: str | None = None,
    now: datetime | None = None,
) -> CaseEvent:
    """Move the case, or raise IllegalMove; append the event. The caller commits.

    `by` is the staff user, or None for the citizen.
    """
    role = role_of(by)
    if not allowed(case.status, to_status, role):
        raise IllegalMove(case.status, to_status, role)
    event = CaseEvent(
        actor=Actor.CITIZEN if by is None else Actor.STAFF,
        staff_user_id=getattr(by, "id", None),
        action=action or f"status:{to_status}",
        from_status=case.status,
        to_status=str(to_status),
        public=public,
        note=note,
        occurred_at=now or datetime.now(UTC),
    )
    case.status = str(to_status)
    case.events.append(event)
    _mark_dates(case, event)
    retention.follow(case, now=event.occurred_at)  # an ended case is kept, then purged
    return event


def _mark_dates(case: Case, event: CaseEvent) -> None:
    # The dates the statistics count by: when the citizen got the response, when it ended.
    day = local_date(event.occurred_at)
    if case.status == S.RESPONDED:
        case.resolved_on = day
    if case.status in FINAL:
        case.ended_on = day
    elif case.status == S.REOPENED:
        case.resolved_on = None
        case.ended_on = None


def record(
    case: Case,
    action: str,
    *,
    by=None,
    note: str = "",
    public: bool = False,
    now: datetime | None = None,
) -> CaseEvent:
    """Append an event that does not move the case (a note, an assignment, an extension…)."""
    event = CaseEvent(
        actor=Actor.CITIZEN if by is None else Actor.STAFF,
        staff_user_id=getattr(by, "id", None),
        action=action,
        from_status=case.status,
        to_status=case.status,
        public=public,
        note=note,
        occurred_at=now or datetime.now(UTC),
    )
    case.events.append(event)
    return event
