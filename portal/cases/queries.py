"""Reads for the handling unit's inbox (/staff/cases): filters, counts and keyset pages.

Every query starts from `authz.visible(user)` and reads columns of the case table only: the
inbox never touches CaseIdentity, so no name, address, phone or e-mail can reach a list.

Pages are keyset pages, never OFFSET: the "next page" link carries the sort key of the last
row shown, so a page deep in a million cases costs what the first one does, and a case
changing while someone pages does not shift the rows after it. Two orders:

- `deadline` (the default): due date ascending, cases without a due date last, then id;
- `newest`: received_at descending, then id descending.

Counts are of *open* cases (the work on the desk: received to approved): the statuses that
ended hold most of a million cases, and counting them on every page load is a report's job,
not the inbox's. Each count applies the other filters (a faceted count); the result count of
the list is exact for open cases; a longer list of ended cases is paged without a total.
"""

import re
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from sqlalchemy import bindparam, case, func, literal, text, tuple_

from portal.accounts.models import User
from portal.accounts.permissions import Role
from portal.cases.authz import visible
from portal.cases.models import OPEN_STATUSES, Case, CaseStatus, Channel, Kind, Topic, Track
from portal.cases.workflow import OPEN
from portal.contacts.models import Unit
from portal.core.text import fold
from portal.core.workdays import add_working_days, local_date
from portal.extensions import db

SORTS = ("deadline", "newest")
ALL = "all"  # status: every status
OPEN_STATUSES_FILTER = "open"  # status: the open ones (the default)
ANYONE = "any"  # assignee: no filter
ME = "me"
UNASSIGNED = "unassigned"
OVERDUE = "overdue"
DUE_SOON = "soon"
WITHIN_MAX = 366
ID_MAX = 2**31 - 1  # ids are 32-bit integers on both databases
SEARCH_MAX = 200  # characters of a search kept
SEARCH_WORDS_MAX = 8
CASE_NUMBER = re.compile(r"[A-Z]{2}-\d{4}-\d{6}")
# Open statuses in the enum's (the workflow's) order, for the counts.
OPEN_ORDER = tuple(s for s in CaseStatus if s in OPEN)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Filters:
    """What the inbox shows: each field is one filter of the GET form (and of the URL)."""

    status: str = OPEN_STATUSES_FILTER
    kind: str = ""
    topic: str = ""
    assignee: str = ANYONE  # ANYONE, ME, UNASSIGNED or a staff user's id
    unit: int | None = None
    deadline: str = ""  # "", OVERDUE or DUE_SOON
    within: int | None = None  # due within N calendar days (today included)
    track: str = ""
    channel: str = ""
    q: str = ""
    sort: str = "deadline"

    def args(self, **changes) -> dict:
        """The URL arguments that give these filters back (empty ones left out)."""
        values = asdict(replace(self, **changes))
        return {k: v for k, v in values.items() if v not in ("", None)}

    @property
    def open_only(self) -> bool:
        return self.status == OPEN_STATUSES_FILTER or self.status in OPEN


def default_assignee(user) -> str:
    """A handler starts on the cases assigned to them; heads and leaders on all they read."""
    return ME if user.role == Role.HANDLER else ANYONE


def _choice(value: str | None, allowed, default: str = "") -> str:
    return value if value in allowed else default


def _positive_int(value: str | None, maximum: int) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number <= maximum else None


def filters_from(args, user) -> Filters:
    """Read the filters from the query string; anything unknown falls back to its default."""
    assignee = args.get("assignee") or default_assignee(user)
    if assignee not in (ANYONE, ME, UNASSIGNED):
        named = _positive_int(assignee, ID_MAX)
        assignee = str(named) if named else default_assignee(user)
    statuses = {OPEN_STATUSES_FILTER, ALL, *(s.value for s in CaseStatus)}
    return Filters(
        status=_choice(args.get("status"), statuses, OPEN_STATUSES_FILTER),
        kind=_choice(args.get("kind"), {k.value for k in Kind}),
        topic=_choice(args.get("topic"), {t.value for t in Topic}),
        assignee=assignee,
        unit=_positive_int(args.get("unit"), ID_MAX),
        deadline=_choice(args.get("deadline"), {OVERDUE, DUE_SOON}),
        within=_positive_int(args.get("within"), WITHIN_MAX),
        track=_choice(args.get("track"), {t.value for t in Track}),
        channel=_choice(args.get("channel"), {c.value for c in Channel}),
        q=" ".join((args.get("q") or "").split())[:SEARCH_MAX],
        sort=_choice(args.get("sort"), SORTS, "deadline"),
    )


# --- Keyset cursors --------------------------------------------------------------------------


@dataclass(frozen=True)
class Cursor:
    """The sort key of the last row of a page: (due_on, id) or (received_at, id)."""

    id: int
    due_on: date | None = None
    received_at: datetime | None = None

    def token(self, sort: str) -> str:
        if sort == "newest":
            micros = (self.received_at - _EPOCH) // timedelta(microseconds=1)
            return f"{micros}.{self.id}"
        return f"{self.due_on.isoformat() if self.due_on else '-'}.{self.id}"


def parse_cursor(token: str | None, sort: str) -> Cursor | None:
    """The cursor a "next page" link carries, or None (first page) if it does not parse."""
    try:
        value, ident = (token or "").split(".")
        ident = int(ident)
        if sort == "newest":
            return Cursor(id=ident, received_at=_EPOCH + timedelta(microseconds=int(value)))
        return Cursor(id=ident, due_on=None if value == "-" else date.fromisoformat(value))
    except (ValueError, OverflowError):
        return None


# --- Conditions ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Today:
    """The dates the deadline filters and labels count from (Vietnam's today)."""

    day: date
    soon: date  # the last day that is "due soon": CASE_REMIND_WORKING_DAYS working days on

    @classmethod
    def now(cls) -> "Today":
        day = local_date(datetime.now(UTC))
        return cls(day, add_working_days(day, current_app.config["CASE_REMIND_WORKING_DAYS"]))


def _search(q: str) -> list:
    number = "".join(q.split()).upper()
    if CASE_NUMBER.fullmatch(number):
        # A whole case number goes straight to that case (unique index), where the trigrams
        # of "2025-0…" would match most of the table.
        return [Case.number == number]
    # search_text is folded (indexing.refresh_search); fold the query the same way so that
    # "thu tuc" finds "thủ tục". Every word must appear, in any order.
    words = fold(q).split()[:SEARCH_WORDS_MAX]
    escaped = (w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for w in words)
    return [Case.search_text.like(f"%{w}%", escape="\\") for w in escaped]


def _status_is(status: str):
    # Statuses go into the SQL as literals, not parameters: PostgreSQL matches them against
    # the open-cases index's own condition even in a prepared statement's generic plan.
    if status == OPEN_STATUSES_FILTER:
        values = bindparam("open_statuses", OPEN_STATUSES, expanding=True, literal_execute=True)
        return Case.status.in_(values)
    return Case.status == literal(status, literal_execute=True)


def _deadline(name: str, today: Today):
    if name == OVERDUE:
        return Case.due_on < today.day
    return Case.due_on.between(today.day, today.soon)


def _conditions(user, f: Filters, today: Today, *, skip: frozenset = frozenset()) -> list:
    """The WHERE clauses of the filters, less those named in `skip` (for faceted counts)."""
    where = [visible(user)]
    if "status" not in skip and f.status != ALL:
        where.append(_status_is(f.status))
    if f.kind and "kind" not in skip:
        where.append(Case.kind == f.kind)
    if "assignee" not in skip:
        if f.assignee == ME:
            where.append(Case.assignee_id == user.id)
        elif f.assignee == UNASSIGNED:
            where.append(Case.assignee_id.is_(None))
        elif f.assignee != ANYONE:
            where.append(Case.assignee_id == int(f.assignee))
    if "deadline" not in skip:
        if f.deadline:
            where.append(_deadline(f.deadline, today))
        if f.within:
            where.append(Case.due_on.between(today.day, today.day + timedelta(days=f.within)))
    for column, value in (
        (Case.topic, f.topic),
        (Case.track, f.track),
        (Case.channel, f.channel),
        (Case.handling_unit_id, f.unit),
    ):
        if value:
            where.append(column == value)
    if f.q:
        where.extend(_search(f.q))
    return where


# --- The page --------------------------------------------------------------------------------

# What a row shows: case columns only (the identity lives in another table, never joined).
ROW_COLUMNS = (
    Case.id,
    Case.number,
    Case.kind,
    Case.status,
    Case.topic,
    Case.title,
    Case.track,
    Case.channel,
    Case.received_at,
    Case.received_on,
    Case.due_on,
    Case.assignee_id,
    Case.handling_unit_id,
)


@dataclass
class Row:
    """One case of the list, with its deadline worked out for display."""

    id: int
    number: str
    kind: str
    status: str
    topic: str
    title: str
    track: str
    channel: str
    received_at: datetime
    received_on: date
    due_on: date | None
    assignee_id: int | None
    handling_unit_id: int | None
    days_left: int | None = None  # negative once overdue
    overdue: bool = False
    due_soon: bool = False


@dataclass
class Counts:
    """Open cases matching the other filters, per value of one filter."""

    by_status: dict[str, int] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)
    overdue: int = 0
    due_soon: int = 0
    mine: int = 0
    unassigned: int = 0
    open: int = 0  # open cases matching every filter but status


@dataclass
class Inbox:
    rows: list[Row]
    next_cursor: str | None
    # Cases matching the filters; None for a list of ended cases longer than a page (counting
    # those could read the whole table: the page says how many it shows instead).
    total: int | None
    counts: Counts
    today: Today


def _read(where: list, order_by: tuple, limit: int) -> list:
    # The page's ids first, then their rows: every column a filter reads is in the open-cases
    # index (models.py), so picking the ids never leaves it; only the rows shown are fetched.
    keys = db.select(Case.id).where(*where).order_by(*order_by).limit(limit).subquery()
    query = db.select(*ROW_COLUMNS).join(keys, keys.c.id == Case.id).order_by(*order_by)
    return list(db.session.execute(query))


def _page(user, f: Filters, cursor: Cursor | None, today: Today, per_page: int) -> list:
    where = _conditions(user, f, today)
    limit = per_page + 1
    if f.sort == "newest":
        if cursor is not None:
            where.append(tuple_(Case.received_at, Case.id) < (cursor.received_at, cursor.id))
        return _read(where, (Case.received_at.desc(), Case.id.desc()), limit)
    # By deadline: the dated cases in (due_on, id) order, then the undated ones by id. Two
    # range reads that each follow an index, where one ORDER BY … NULLS LAST with an OR in
    # the keyset condition would scan from the start of the list on every page.
    rows = []
    if cursor is None or cursor.due_on is not None:
        dated = [*where, Case.due_on.is_not(None)]
        if cursor is not None:
            dated.append(tuple_(Case.due_on, Case.id) > (cursor.due_on, cursor.id))
        rows = _read(dated, (Case.due_on, Case.id), limit)
    if len(rows) < limit and not (f.deadline or f.within):
        undated = [*where, Case.due_on.is_(None)]
        if cursor is not None and cursor.due_on is None:
            undated.append(Case.id > cursor.id)
        rows += _read(undated, (Case.id,), limit - len(rows))
    return rows


def _counts(user, f: Filters, today: Today) -> Counts:
    """Count open cases per status, kind, deadline and assignee in one grouped read."""
    where = _conditions(user, f, today, skip=frozenset({"status", "kind", "deadline", "assignee"}))
    where.append(_status_is(OPEN_STATUSES_FILTER))
    overdue = case((Case.due_on < today.day, 1), else_=0)
    soon = case((Case.due_on.between(today.day, today.soon), 1), else_=0)
    last_day = today.day + timedelta(days=f.within or 0)
    within = case((Case.due_on.between(today.day, last_day), 1), else_=0)
    named = int(f.assignee) if f.assignee.isdigit() else None
    who = case(
        (Case.assignee_id.is_(None), 0),
        (Case.assignee_id == user.id, 1),
        (Case.assignee_id == (named or 0), 2),
        else_=3,
    )
    groups = [Case.status, Case.kind, overdue, soon, who] + ([within] if f.within else [])
    query = db.select(*groups, func.count()).where(*where).group_by(*groups)
    wanted = {ANYONE: None, ME: 1, UNASSIGNED: 0}.get(f.assignee, 1 if named == user.id else 2)
    counts = Counts()
    for status, kind, is_overdue, is_soon, w, *rest in db.session.execute(query):
        is_within, n = rest if f.within else (1, rest[0])
        # A list of ended cases still counts the open ones: only an open status narrows.
        status_ok = f.status not in OPEN or f.status == status
        kind_ok = not f.kind or f.kind == kind
        deadline_ok = bool(is_within) and (
            not f.deadline or bool(is_overdue if f.deadline == OVERDUE else is_soon)
        )
        assignee_ok = wanted is None or w == wanted
        # Each count applies every filter but its own.
        if kind_ok and deadline_ok and assignee_ok:
            counts.by_status[status] = counts.by_status.get(status, 0) + n
            counts.open += n
        if status_ok and deadline_ok and assignee_ok:
            counts.by_kind[kind] = counts.by_kind.get(kind, 0) + n
        if status_ok and kind_ok and assignee_ok:
            counts.overdue += n * bool(is_overdue)
            counts.due_soon += n * bool(is_soon)
        if status_ok and kind_ok and deadline_ok:
            counts.mine += n * (w == 1)
            counts.unassigned += n * (w == 0)
    return counts


def _row(values, today: Today) -> Row:
    row = Row(*values)
    if row.due_on is not None and row.status in OPEN:
        row.days_left = (row.due_on - today.day).days
        row.overdue = row.due_on < today.day
        row.due_soon = not row.overdue and row.due_on <= today.soon
    return row


def summary(user) -> Counts:
    """The counts of the user's starting inbox (overdue, due soon…), for the dashboard."""
    return _counts(user, Filters(assignee=default_assignee(user)), Today.now())


def inbox(user, f: Filters, *, after: str | None = None, per_page: int | None = None) -> Inbox:
    """Return one keyset page of the cases the user may read, with the counts."""
    per_page = per_page or current_app.config["CASE_INBOX_PAGE_SIZE"]
    if db.session.get_bind().dialect.name == "postgresql":
        # The scope's EXISTS (consulted cases) inflates the plans' estimated cost past
        # jit_above_cost: compiling them took 10-25 ms, for reads that take 2-5 ms.
        db.session.execute(text("SET LOCAL jit = off"))
    today = Today.now()
    cursor = parse_cursor(after, f.sort)
    values = _page(user, f, cursor, today, per_page)
    rows = [_row(v, today) for v in values[:per_page]]
    next_cursor = None
    if len(values) > per_page:
        last = rows[-1]
        next_cursor = Cursor(last.id, last.due_on, last.received_at).token(f.sort)
    counts = _counts(user, f, today)
    total = None
    if f.open_only:
        # Exact, and free: the counts already hold it.
        total = counts.by_status.get(f.status, 0) if f.status in OPEN else counts.open
    elif cursor is None and next_cursor is None:
        total = len(rows)
    return Inbox(rows, next_cursor, total, counts, today)


# --- What the form offers --------------------------------------------------------------------


def assignable_staff(user) -> list[User]:
    """Handlers and heads of the user's unit (all units' for someone without one): the
    people a case can be assigned to, and the assignee filter's choices."""
    query = db.select(User).where(User.active, User.role.in_((Role.HANDLER, Role.HEAD)))
    if user.unit_id is not None:
        query = query.where(User.unit_id == user.unit_id)
    return list(db.session.scalars(query.order_by(User.full_name, User.id)))


def staff_names(ids, *, known=()) -> dict[int, str]:
    """Full names of the staff members assigned to the rows shown (`known` users: no read)."""
    names = {u.id: u.full_name for u in known}
    missing = {i for i in ids if i is not None and i not in names}
    if missing:
        query = db.select(User.id, User.full_name).where(User.id.in_(missing))
        names.update(db.session.execute(query).all())
    return names


def case_units() -> list[Unit]:
    """The units that handle cases: the unit filter's choices."""
    query = db.select(Unit).where(Unit.handles_cases).order_by(Unit.position, Unit.name)
    return list(db.session.scalars(query))


def unit_names(ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(db.select(Unit.id, Unit.name).where(Unit.id.in_(ids))).all())
