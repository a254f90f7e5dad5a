"""The public register of concluded denunciations (/thong-ke/to-cao): what came of each one.

The public sees that a denunciation leads somewhere: its topic, the unit that handled it, the
outcome and the dates, newest conclusion first, with a count per outcome and a CSV.

Which denunciations (kind "denunciation"):
- answered: the conclusion was published to the denouncer (status responded or closed), dated
  by `resolved_on`; the outcome is that of the latest published response (well-founded, partly
  well-founded, unfounded). A reopened case leaves the register (its dates are cleared) until
  it is concluded again;
- ended otherwise (`ended_on`): not accepted (with the legal reason's fixed label), transferred
  to the competent authority, or withdrawn by the denouncer.
Merged cases are left out: the case they were merged into carries the outcome.

The denouncer's identity is secret (Luật Tố cáo 2018, art. 47–48), so the queries below select
only codes and dates: the topic, the handling unit, the status, the response's outcome code,
the refusal reason's code and four dates. Never the number, title, description, place,
identity, messages, notes or any text staff typed (`transferred_to` is free text, so the
authority a case went to is not named). Nothing a citizen wrote can reach the page or the CSV.
The day a denunciation was received is shown as its month only, and the days taken are counted
from acceptance (the statutory time limit runs from it), so the register never gives away the
day someone wrote in.

Everything is counted and filtered in SQL; Python only labels the rows it is given.
"""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from math import ceil
from urllib.parse import quote

from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, and_, case, extract, func, literal, or_, select, type_coerce

from portal.cases.forms import TOPIC_LABELS
from portal.cases.handling_forms import REFUSAL_REASONS
from portal.cases.models import Case, CaseResponse, CaseStatus, Kind, Outcome, ResponseStatus
from portal.cases.models import Topic as CaseTopic
from portal.cases.response_templates import outcome_label
from portal.contacts.models import Unit
from portal.core import exports
from portal.core.text import nfc
from portal.extensions import db
from portal.reports.stats import days_between

S = CaseStatus
PAGE_SIZE = 50
FIRST_YEAR, LAST_YEAR = 2000, 2100

ANSWERED = (S.RESPONDED, S.CLOSED)
ENDED = (S.NOT_ACCEPTED, S.TRANSFERRED, S.WITHDRAWN)
# An answered case whose published response cannot be found (an import, say) still counts.
CONCLUDED = "concluded"
# The outcomes in the order the summary lists them; the keys are the filter's values.
OUTCOMES: dict[str, object] = {
    Outcome.UPHELD: outcome_label(Outcome.UPHELD),
    Outcome.PARTLY_UPHELD: outcome_label(Outcome.PARTLY_UPHELD),
    Outcome.REJECTED: outcome_label(Outcome.REJECTED),
    CONCLUDED: _l("Concluded"),
    S.NOT_ACCEPTED: _l("Not accepted"),
    S.TRANSFERRED: _l("Transferred to the competent authority"),
    S.WITHDRAWN: _l("Withdrawn by the denouncer"),
}
# "Another reason, explained in the note": the note is staff text, never shown, so neither is
# the label that points to it.
_HIDDEN_REASONS = frozenset({"other"})


# --- What the reader chose -------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """The register's filters from the query string; a value the lists do not offer is ignored."""

    year: int | None = None
    topic: str | None = None
    unit: int | None = None
    outcome: str | None = None
    page: int = 1

    @classmethod
    def parse(cls, args: Mapping[str, str]) -> "Filters":
        def digits(name: str) -> int | None:
            value = (args.get(name) or "").strip()
            return int(value) if value.isdigit() and len(value) <= 9 else None

        year = digits("year")
        topic = (args.get("topic") or "").strip()
        outcome = (args.get("outcome") or "").strip()
        return cls(
            year=year if year is not None and FIRST_YEAR <= year <= LAST_YEAR else None,
            topic=topic if topic in {str(t) for t in CaseTopic} else None,
            unit=digits("unit"),
            outcome=outcome if outcome in OUTCOMES else None,
            page=max(digits("page") or 1, 1),
        )

    @property
    def active(self) -> bool:
        return any(v is not None for v in (self.year, self.topic, self.unit, self.outcome))

    def params(self, **changes) -> dict:
        """The query string of these filters (page 1 left out), with `changes` applied."""
        chosen = replace(self, **changes)
        values = {
            "year": chosen.year,
            "topic": chosen.topic,
            "unit": chosen.unit,
            "outcome": chosen.outcome,
            "page": chosen.page if chosen.page > 1 else None,
        }
        return {name: value for name, value in values.items() if value is not None}


# --- What the page shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One concluded denunciation as the register shows it: labels and dates, nothing else."""

    topic: str
    unit: str
    outcome: str
    reason: str | None  # the legal reason a case was not accepted (a fixed label)
    received_month: date  # the first day of the month it was received
    accepted_on: date | None
    concluded_on: date
    days: int | None  # from acceptance to conclusion; None when never accepted


@dataclass(frozen=True)
class Choices:
    """What the filters offer: the years and units the register holds, every topic and outcome."""

    years: list[int]
    topics: list[tuple[str, str]]
    units: list[tuple[int, str]]
    outcomes: list[tuple[str, str]]


@dataclass(frozen=True)
class Register:
    entries: list[Entry]
    total: int
    page: int
    pages: int
    summary: exports.Table  # counts per outcome, small ones as "< 5"
    choices: Choices

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


# --- SQL -------------------------------------------------------------------------------------


def _answered():
    return and_(Case.status.in_([str(s) for s in ANSWERED]), Case.resolved_on.is_not(None))


def _in_register():
    ended = and_(Case.status.in_([str(s) for s in ENDED]), Case.ended_on.is_not(None))
    return and_(Case.kind == str(Kind.DENUNCIATION), or_(_answered(), ended))


def _concluded_on():
    return type_coerce(case((_answered(), Case.resolved_on), else_=Case.ended_on), Date)


def _outcome():
    published = (
        select(CaseResponse.outcome)
        .where(
            CaseResponse.case_id == Case.id,
            CaseResponse.status == str(ResponseStatus.PUBLISHED),
        )
        .order_by(CaseResponse.published_at.desc(), CaseResponse.id.desc())
        .limit(1)
        .correlate(Case)
        .scalar_subquery()
    )
    return case((_answered(), func.coalesce(published, literal(CONCLUDED))), else_=Case.status)


def _where(filters: Filters, *, outcome: bool = True) -> list:
    conditions = [_in_register()]
    if filters.year is not None:
        start, end = date(filters.year, 1, 1), date(filters.year, 12, 31)
        conditions.append(_concluded_on().between(start, end))
    if filters.topic is not None:
        conditions.append(Case.topic == filters.topic)
    if filters.unit is not None:
        conditions.append(Case.handling_unit_id == filters.unit)
    if outcome and filters.outcome is not None:
        conditions.append(_outcome() == filters.outcome)
    return conditions


def _rows(filters: Filters, *, limit: int | None = None, offset: int = 0):
    """The register's rows, newest conclusion first: codes, unit names and dates only."""
    concluded = _concluded_on()
    query = (
        select(
            Case.topic,
            Unit.name.label("unit_name"),
            Unit.name_en.label("unit_name_en"),
            _outcome().label("outcome"),
            Case.refusal_reason,
            Case.received_on,
            Case.accepted_on,
            concluded.label("concluded_on"),
            days_between(concluded, Case.accepted_on).label("days"),
        )
        .outerjoin(Unit, Unit.id == Case.handling_unit_id)
        .where(*_where(filters))
        .order_by(concluded.desc(), Case.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return db.session.execute(query)


def _count(filters: Filters) -> int:
    return db.session.scalar(select(func.count()).select_from(Case).where(*_where(filters)))


def _outcome_counts(filters: Filters) -> dict[str, int]:
    """Cases per outcome for the filters other than the outcome itself."""
    register = select(_outcome().label("outcome")).where(*_where(filters, outcome=False)).subquery()
    query = select(register.c.outcome, func.count()).group_by(register.c.outcome)
    return dict(db.session.execute(query).all())


def _years() -> list[int]:
    register = select(extract("year", _concluded_on()).label("year")).where(_in_register())
    register = register.subquery()
    query = select(register.c.year).group_by(register.c.year).order_by(register.c.year.desc())
    return [int(year) for year in db.session.scalars(query) if year is not None]


def _units() -> list[tuple[int, str]]:
    query = (
        select(Unit.id, Unit.name, Unit.name_en)
        .where(Unit.id.in_(select(Case.handling_unit_id).where(_in_register())))
        .order_by(Unit.position, Unit.name)
    )
    return [(unit.id, _unit_name(unit.name, unit.name_en)) for unit in db.session.execute(query)]


# --- Labels ----------------------------------------------------------------------------------


def _english() -> bool:
    return str(get_locale()) == "en"


def _unit_name(name: str | None, name_en: str | None) -> str:
    if name is None:
        return gettext("No handling unit")
    return name_en if _english() and name_en else name


def _topic_label(code: str) -> str:
    try:
        return str(TOPIC_LABELS[CaseTopic(code)])
    except ValueError:
        return code  # a topic no longer offered still shows, under its code


def _outcome_label(key: str) -> str:
    return str(OUTCOMES.get(key) or outcome_label(key))


def _reason_label(row) -> str | None:
    if row.outcome != S.NOT_ACCEPTED or row.refusal_reason in _HIDDEN_REASONS:
        return None
    label = REFUSAL_REASONS.get(row.refusal_reason)
    return str(label) if label else None


def _entry(row) -> Entry:
    return Entry(
        topic=_topic_label(row.topic),
        unit=_unit_name(row.unit_name, row.unit_name_en),
        outcome=_outcome_label(row.outcome),
        reason=_reason_label(row),
        received_month=row.received_on.replace(day=1),
        accepted_on=row.accepted_on,
        concluded_on=row.concluded_on,
        days=None if row.accepted_on is None else row.days,
    )


# --- Public API ------------------------------------------------------------------------------


def summary(filters: Filters) -> exports.Table:
    """Concluded denunciations per outcome for the filters (not the outcome): small ones "< 5"."""
    counts = _outcome_counts(filters)
    rows = [(str(label), counts.pop(key, 0)) for key, label in OUTCOMES.items()]
    rows += [(_outcome_label(key), count) for key, count in counts.items()]  # an unknown code
    table = exports.Table(
        title=gettext("Concluded denunciations by outcome"),
        headers=(gettext("Outcome"), gettext("Denunciations")),
        rows=rows,
        kinds=("text", "count"),
        note=exports.suppression_note(),
    )
    return exports.suppress_table(table)


def build(filters: Filters) -> Register | None:
    """The page of the register the filters ask for; None for a page past the last."""
    total = _count(filters)
    pages = max(ceil(total / PAGE_SIZE), 1)
    if filters.page > pages:
        return None
    rows = _rows(filters, limit=PAGE_SIZE, offset=(filters.page - 1) * PAGE_SIZE)
    choices = Choices(
        years=_years(),
        topics=[(str(topic), str(label)) for topic, label in TOPIC_LABELS.items()],
        units=_units(),
        outcomes=[(str(key), str(label)) for key, label in OUTCOMES.items()],
    )
    return Register(
        entries=[_entry(row) for row in rows],
        total=total,
        page=filters.page,
        pages=pages,
        summary=summary(filters),
        choices=choices,
    )


def table(filters: Filters) -> exports.Table:
    """The whole register for the filters (every page) as a table for the CSV."""
    rows = [
        (
            e.concluded_on,
            e.topic,
            e.unit,
            e.outcome,
            e.reason or "",
            f"{e.received_month:%m/%Y}",
            e.accepted_on,
            e.days,
        )
        for e in (_entry(row) for row in _rows(filters))
    ]
    return exports.Table(
        title=gettext("Outcomes of concluded denunciations"),
        headers=(
            gettext("Concluded on"),
            gettext("Topic"),
            gettext("Handling unit"),
            gettext("Outcome"),
            gettext("Reason not accepted"),
            gettext("Received (month)"),
            gettext("Accepted on"),
            gettext("Days from acceptance to conclusion"),
        ),
        rows=rows,
        kinds=("date", "text", "text", "text", "text", "text", "date", "int"),
    )


def content_disposition(filters: Filters) -> str:
    """An attachment header: "to-cao-2025.csv", and the title in Vietnamese as `filename*`."""
    year = f"-{filters.year}" if filters.year else ""
    name = nfc(f"{gettext('Outcomes of concluded denunciations')}{year.replace('-', ' ')}.csv")
    return f"attachment; filename=\"to-cao{year}.csv\"; filename*=UTF-8''{quote(name, safe='')}"
