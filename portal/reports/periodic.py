"""The periodic report for the staff: its tables for any period, each beside the period before.

Every figure comes from an SQL aggregate (stats.py for cases; GROUP BY here for disclosures and
procedures); Python only lines the grouped rows up. The tables are `exports.Table`s, so the page,
the printable report, the XLSX and the CSV all show the same cells. No identity and no citizen
text is ever read: the overdue list holds a case's number, kind, unit and dates only.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from portal.cases.forms import TOPIC_LABELS
from portal.cases.models import KIND_LABELS, STATUS_LABELS, Kind
from portal.contacts.models import Unit
from portal.core import audit
from portal.core.exports import Table
from portal.core.workdays import local_date
from portal.disclosures import queries as disclosure_queries
from portal.disclosures.models import Category, Disclosure
from portal.extensions import db
from portal.procedures.models import ONLINE_LEVEL_LABELS, OnlineLevel, Procedure
from portal.reports import stats
from portal.reports.periods import Period, ReportDue, report_due

# The tables in the order the report shows them; the key is also the CSV's URL part.
TABLES = (
    "by-kind",
    "by-status",
    "by-topic",
    "handling",
    "resolution",
    "satisfaction",
    "overdue",
    "disclosures",
    "obligations",
    "procedures",
)


def local_today() -> date:
    """Today in Vietnam (tests replace it to move the calendar)."""
    return local_date(datetime.now(UTC))


@dataclass(frozen=True)
class Report:
    """A period's report: its tables by key, in the order of TABLES."""

    period: Period
    previous: Period
    today: date
    tables: dict[str, Table]

    @property
    def title(self) -> str:
        return _(
            "Report on citizen reception and the handling of petitions, complaints and denunciations: %(period)s",
            period=self.period.label,
        )


def reminder(today: date | None = None) -> ReportDue | None:
    """The next statutory report when it is due within the reminder's lead time, else None."""
    due = report_due(today or local_today())
    return due if due.soon else None


def default_period(today: date | None = None) -> Period:
    """The period of the next report due: the page opens on it."""
    return report_due(today or local_today()).period


def build(period: Period, *, today: date | None = None) -> Report:
    """Build every table of the period's report, each figure beside the previous period's."""
    today = today or local_today()
    previous = period.previous()
    now, before = (
        stats.summary(period, today=today),
        stats.summary(previous, today=today),
    )
    labels = (_("This period (%(period)s)", period=period.label), _("Previous period"))
    # Cases received per kind, status and topic: one pass per period for the three.
    received = [
        stats.breakdowns(p, ("kind", "status", "topic"), today=today, measures=("received",))
        for p in (period, previous)
    ]
    tables = {
        "by-kind": _breakdown(
            _("Cases received by kind"), _("Kind"), received, "kind", KIND_LABELS
        ),
        "by-status": _breakdown(
            _("Cases received by current status"),
            _("Current status"),
            received,
            "status",
            STATUS_LABELS,
        ),
        "by-topic": _breakdown(
            _("Cases received by topic"), _("Topic"), received, "topic", TOPIC_LABELS
        ),
        "handling": _handling(now, before),
        "resolution": _resolution(now, before, labels),
        "satisfaction": _satisfaction(now, before, labels),
        "overdue": _overdue(today),
        "disclosures": _disclosures(period, previous, labels),
        "obligations": _obligations(today),
        "procedures": _procedures(),
    }
    return Report(period=period, previous=previous, today=today, tables=tables)


def record_export(period: Period, fmt: str, *, actor) -> None:
    """Record in the audit log that a member downloaded the period's report."""
    audit.record(
        "report.exported",
        actor=actor,
        target_type="report",
        target_id=period.param,
        detail={"format": fmt},
    )
    db.session.commit()


# --- Tables --------------------------------------------------------------------------------

_COMPARED = ("text", "count", "count", "int")


def _compared_headers(first: str) -> list[str]:
    return [first, _("This period"), _("Previous period"), _("Difference")]


def _label(labels: dict, key) -> str:
    if key is None:
        return _("Not set")
    try:
        return str(labels[key])
    except KeyError:
        return str(key)


def _breakdown(title, first, received, dimension, labels) -> Table:
    """Cases received per value of a dimension, in this period and the one before."""
    now, before = ({row.key: row.received for row in rows[dimension]} for rows in received)
    keys = [k for k in labels if now.get(k) or before.get(k)]
    keys += sorted(
        (k for k in set(now) | set(before) if k not in labels and (now.get(k) or before.get(k))),
        key=lambda k: (k is None, str(k)),
    )
    rows = [_compare(_label(labels, k), now.get(k, 0), before.get(k, 0)) for k in keys]
    rows.append(_compare(_("Total"), sum(now.values()), sum(before.values())))
    return Table(str(title), _compared_headers(str(first)), rows, _COMPARED)


def _compare(label: str, now: int, before: int) -> tuple:
    return (label, now, before, now - before)


def _handling(now: stats.Summary, before: stats.Summary) -> Table:
    measures = (
        (_("Received"), "received"),
        (_("Accepted for handling"), "accepted"),
        (_("Not accepted"), "not_accepted"),
        (_("Transferred to another body"), "transferred"),
        (_("Merged with another case"), "merged"),
        (_("Withdrawn"), "withdrawn"),
        (_("Deadline extensions decided"), "extensions"),
    )
    rows = [_compare(label, getattr(now, n), getattr(before, n)) for label, n in measures]
    return Table(_("Acceptance and handling"), _compared_headers(_("Figure")), rows, _COMPARED)


def _resolution(now: stats.Summary, before: stats.Summary, labels) -> Table:
    headers = [
        _("Period"),
        _("Resolved"),
        _("On time"),
        _("Late"),
        _("Without a deadline"),
        _("On-time rate"),
    ]

    def row(label, s):
        return (label, s.resolved, s.on_time, s.late, s.without_deadline, s.on_time_rate)

    rows = [row(labels[0], now), row(labels[1], before)]
    rate_change = (
        None
        if now.on_time_rate is None or before.on_time_rate is None
        else now.on_time_rate - before.on_time_rate
    )
    rows.append(
        (
            _("Difference"),
            now.resolved - before.resolved,
            now.on_time - before.on_time,
            now.late - before.late,
            now.without_deadline - before.without_deadline,
            rate_change,
        )
    )
    kinds = ("text", "int", "int", "int", "int", "percent")
    return Table(_("Resolution on time"), headers, rows, kinds)


def _satisfaction(now: stats.Summary, before: stats.Summary, labels) -> Table:
    headers = [_("Period"), _("Ratings"), _("Average rating (1 to 5)"), _("Said it was solved")]

    def row(label, s):
        return (label, s.rated, s.rating_average, s.solved_share)

    rows = [row(labels[0], now), row(labels[1], before)]
    kinds = ("text", "count", "decimal", "percent")
    return Table(_("Citizen satisfaction"), headers, rows, kinds)


def _overdue(today: date) -> Table:
    """The open cases past their deadline today: number, kind, unit and dates, nothing more."""
    cases = stats.overdue_cases(today)
    unit_ids = {c.handling_unit_id for c in cases if c.handling_unit_id is not None}
    units = (
        dict(db.session.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all())
        if unit_ids
        else {}
    )
    rows = [
        (
            c.number,
            _label(KIND_LABELS, _enum(Kind, c.kind)),
            units.get(c.handling_unit_id) or _("No unit yet"),
            c.due_on,
            c.days_overdue,
        )
        for c in cases
    ]
    headers = [_("Case number"), _("Kind"), _("Handling unit"), _("Due on"), _("Days overdue")]
    return Table(
        _("Cases overdue on %(date)s", date=f"{today:%d/%m/%Y}"),
        headers,
        rows,
        ("text", "text", "text", "date", "int"),
    )


def _enum(enum_class, value):
    try:
        return enum_class(value)
    except ValueError:
        return value


def _published_by_category(period: Period) -> dict[int, int]:
    start, end = period.utc_bounds()
    query = (
        select(Disclosure.category_id, func.count())
        .where(
            disclosure_queries.public_filter(),
            Disclosure.publish_at >= start,
            Disclosure.publish_at < end,
        )
        .group_by(Disclosure.category_id)
    )
    return dict(db.session.execute(query).all())


def _disclosures(period: Period, previous: Period, labels) -> Table:
    """Public disclosures that went public in each period, per category of the list."""
    now, before = _published_by_category(period), _published_by_category(previous)
    shown = set(now) | set(before)
    categories = db.session.execute(
        select(Category.id, Category.name)
        .where(Category.active.is_(True) | Category.id.in_(shown or {0}))
        .order_by(Category.position, Category.name)
    ).all()
    rows = [_compare(name, now.get(cid, 0), before.get(cid, 0)) for cid, name in categories]
    rows.append(_compare(_("Total"), sum(now.values()), sum(before.values())))
    return Table(
        _("Information published by category"),
        _compared_headers(_("Category")),
        rows,
        _COMPARED,
    )


def _obligations(today: date) -> Table:
    """The disclosure obligations overdue today (the disclosures domain decides which)."""
    overdue = [o for o in disclosure_queries.obligations(today=today) if o.overdue]
    rows = [
        (o.category.name, o.category.due_on, local_date(o.latest) if o.latest else None)
        for o in overdue
    ]
    return Table(
        _("Publication obligations overdue on %(date)s", date=f"{today:%d/%m/%Y}"),
        [_("Category"), _("Due on"), _("Last published")],
        rows,
        ("text", "date", "date"),
    )


def _procedures() -> Table:
    """The published procedures of the catalogue today, per level of online service."""
    counts = dict(
        db.session.execute(
            select(Procedure.online_level, func.count())
            .where(Procedure.published.is_(True))
            .group_by(Procedure.online_level)
        ).all()
    )
    rows = [(str(ONLINE_LEVEL_LABELS[level]), counts.get(level, 0)) for level in OnlineLevel]
    rows.append((_("Total"), sum(counts.values())))
    return Table(
        _("Administrative procedures by online service (catalogue today)"),
        [_("Online service"), _("Procedures")],
        rows,
        ("text", "count"),
    )
