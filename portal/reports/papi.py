"""The plan's seven contents (PAPI dimensions 1 to 6 and 8) with the evidence the portal holds
for each in a period: disclosures tagged with the dimension, drafts opened for comment, cases
received and resolved on time, reception sessions, hotlines, procedures and their online level.

The counts come from papi_queries (SQL aggregates); here they are lined up by dimension, each
with a link to where a staff member sees what lies behind it, and a status in words. The staff
dashboard shows a few key figures (`key=True`) of the same evidence, read once per request.
"""

from dataclasses import dataclass, field
from datetime import date

from flask import g, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.accounts.permissions import Permission
from portal.cases.models import Channel, Kind, Topic
from portal.disclosures.forms import PAPI_LABELS
from portal.disclosures.models import PapiDimension
from portal.procedures.models import OnlineLevel
from portal.reports import papi_queries, periodic
from portal.reports.papi_queries import Counts
from portal.reports.periods import MONTH, Period

D = PapiDimension
# The plan's seven contents: PAPI's eight dimensions but environmental governance (7).
PLAN_DIMENSIONS = tuple(d for d in PapiDimension if d != D.ENVIRONMENTAL_GOVERNANCE)

PLAN_ASKS = {
    D.PARTICIPATION: _l(
        "Disclose policies and activities so that people and the People's Inspection Board "
        "can oversee them."
    ),
    D.TRANSPARENCY: _l(
        "Publish laws, policies, drafts from the drafting stage, staffing and budget, with the "
        "time, place and form of each disclosure; publish procedures, fees and charges."
    ),
    D.VERTICAL_ACCOUNTABILITY: _l(
        "Publish the citizen reception rules and schedule; receive and resolve complaints, "
        "denunciations, petitions and reflections on time."
    ),
    D.CONTROL_OF_CORRUPTION: _l(
        "Let citizens report corruption and harassment, and handle what they expose strictly."
    ),
    D.ADMINISTRATIVE_PROCEDURES: _l(
        "Publish the hotline phone and e-mail for reporting harassment; publish and simplify "
        "administrative procedures."
    ),
    D.PUBLIC_SERVICE_DELIVERY: _l("Promote online public services, partly and fully online."),
    D.E_GOVERNANCE: _l("Make the portal usable on mobile devices."),
}

# Kinds of evidence value, as the templates format them.
COUNT, PERCENT, YES_NO = "count", "percent", "yes-no"
# Kinds of status: what the reader should do about a dimension.
OK, NO_EVIDENCE, ATTENTION = "ok", "no-evidence", "attention"


@dataclass(frozen=True)
class Evidence:
    """One figure: its label, value, and where a staff member sees what lies behind it."""

    label: str
    value: int | float | bool | None  # None: nothing to compute it from (a rate of no cases)
    kind: str = COUNT  # COUNT, PERCENT (0 to 1) or YES_NO
    url: str | None = None
    # The link goes to a staff page that needs this permission; None: a public page.
    permission: Permission | None = None
    key: bool = False  # one of the dashboard's few figures


@dataclass(frozen=True)
class Status:
    """A dimension's state in words (never colour alone)."""

    kind: str  # OK, NO_EVIDENCE or ATTENTION
    text: str


@dataclass(frozen=True)
class Dimension:
    number: int
    name: str  # "1. Participation at local levels", in the reader's language
    name_vi: str  # the name in Vietnamese, as the report to the province says it
    asks: str
    evidence: list[Evidence]
    statuses: list[Status] = field(default_factory=list)

    @property
    def key_evidence(self) -> list[Evidence]:
        return [e for e in self.evidence if e.key]


@dataclass(frozen=True)
class Overview:
    period: Period
    today: date
    dimensions: list[Dimension]

    @property
    def counted_to(self) -> date:
        """The last day the figures can count: the period's end, or today if sooner."""
        return min(self.period.end, self.today)


# --- Public API ----------------------------------------------------------------------------


def default_period(today: date | None = None) -> Period:
    """The period of the next report due, as the periodic reports page opens on."""
    return periodic.default_period(today or periodic.local_today())


def overview(period: Period | None = None, *, today: date | None = None) -> Overview:
    """The evidence of the period (the next report's by default), read once per request."""
    today = today or periodic.local_today()
    period = period or default_period(today)
    memo = g.setdefault("papi_overviews", {})
    if (period, today) not in memo:
        memo[(period, today)] = build(period, today=today)
    return memo[(period, today)]


def build(period: Period, *, today: date) -> Overview:
    """Gather every figure of the period and line them up by dimension."""
    counts = papi_queries.counts(period, today)
    makers = {
        D.PARTICIPATION: _participation,
        D.TRANSPARENCY: _transparency,
        D.VERTICAL_ACCOUNTABILITY: _accountability,
        D.CONTROL_OF_CORRUPTION: _corruption,
        D.ADMINISTRATIVE_PROCEDURES: _procedures,
        D.PUBLIC_SERVICE_DELIVERY: _service_delivery,
        D.E_GOVERNANCE: _e_governance,
    }
    dimensions = []
    for dimension in PLAN_DIMENSIONS:
        tagged = counts.tagged.get(int(dimension), 0)
        evidence = [_tagged(dimension, tagged, period), *makers[dimension](counts, period)]
        statuses = _statuses(dimension, tagged, counts)
        with force_locale("vi"):
            name_vi = str(PAPI_LABELS[dimension])
        dimensions.append(
            Dimension(
                number=int(dimension),
                name=str(PAPI_LABELS[dimension]),
                name_vi=name_vi,
                asks=str(PLAN_ASKS[dimension]),
                evidence=evidence,
                statuses=statuses,
            )
        )
    return Overview(period=period, today=today, dimensions=dimensions)


# --- The dimensions ------------------------------------------------------------------------

REPORTS, CASES = Permission.READ_REPORTS, Permission.READ_CASES
PUBLISH = Permission.PUBLISH_INFORMATION
_NO_LINK = (None, None)


def _public(endpoint: str, **args) -> tuple[str, None]:
    """A link to a public page: anyone may follow it."""
    return url_for(endpoint, **args), None


def _staff(permission: Permission, endpoint: str, **args) -> tuple[str, Permission]:
    """A link to a staff page: shown to those with the permission it needs."""
    return url_for(endpoint, **args), permission


def _row(label, value, link=_NO_LINK, *, kind: str = COUNT, key: bool = False) -> Evidence:
    url, permission = link
    return Evidence(label, value, kind, url, permission, key)


def _year_arg(period: Period) -> dict:
    """The public list's year filter, when the period lies in one year."""
    return {"nam": period.start.year} if period.start.year == period.end.year else {}


def _month_arg(period: Period) -> dict:
    """The logbook's month filter, when the period is one month."""
    return {"month": period.param} if period.kind == MONTH else {}


def _report(period: Period, table: str):
    return _staff(REPORTS, "staff_reports.reports", period=period.param, _anchor=f"t-{table}")


def _cases(**filters):
    return _staff(CASES, "staff_cases.cases", status="all", **filters)


def _tagged(dimension, count: int, period: Period) -> Evidence:
    link = _public("disclosures.index", papi=int(dimension), **_year_arg(period))
    label = _("Disclosures tagged with this dimension published in the period")
    return _row(label, count, link, key=True)


def _participation(c: Counts, period: Period) -> list[Evidence]:
    return [
        _row(
            _("Drafts opened for comment in the period"),
            c.consultations,
            _staff(PUBLISH, "staff_disclosures.disclosures"),
            key=True,
        ),
        _row(
            _("Comments received on drafts in the period"),
            c.comments,
            _staff(PUBLISH, "staff_disclosures.comments"),
        ),
        _row(
            _("Case statistics published for the public"),
            True,
            _public("reports.scorecard", period=period.param),
            kind=YES_NO,
        ),
    ]


def _transparency(c: Counts, period: Period) -> list[Evidence]:
    by_category = _report(period, "disclosures")
    return [
        _row(_("Disclosures published in the period"), c.published, by_category),
        _row(
            _("Categories with a disclosure published in the period"),
            c.categories_published,
            by_category,
        ),
        _row(
            _("Publication obligations overdue today"),
            c.obligations_overdue,
            _public("disclosures.obligations"),
            key=True,
        ),
        _row(
            _("Procedures published in the catalogue"),
            sum(c.procedures.values()),
            _public("procedures.index"),
        ),
    ]


def _accountability(c: Counts, period: Period) -> list[Evidence]:
    s, reception = c.summary, _public("contacts.reception")
    return [
        _row(_("Cases received"), s.received, _report(period, "handling"), key=True),
        _row(_("Cases resolved"), s.resolved, _report(period, "resolution")),
        _row(
            _("Resolved on time (of those with a deadline)"),
            s.on_time_rate,
            _report(period, "resolution"),
            kind=PERCENT,
            key=True,
        ),
        _row(
            _("Cases overdue today"),
            s.overdue,
            _staff(CASES, "staff_cases.cases", deadline="overdue"),
        ),
        _row(_("Citizen reception sessions held"), c.reception_held, reception),
        _row(
            _("Citizen reception sessions still scheduled in the period"),
            c.reception_scheduled,
            reception,
        ),
        _row(
            _("Reception logbook entries"),
            c.logbook_entries,
            _staff(CASES, "staff_cases.reception_log", **_month_arg(period)),
        ),
        _row(_("People received (logbook)"), c.logbook_people),
    ]


def _corruption(c: Counts, period: Period) -> list[Evidence]:
    harassment = _cases(topic=str(Topic.HARASSMENT))
    return [
        _row(
            _("Reports of harassment or corruption received"),
            c.harassment_received,
            harassment,
            key=True,
        ),
        _row(
            _("Reports of harassment or corruption resolved"),
            c.harassment_resolved,
            harassment,
        ),
        _row(
            _("Denunciations received"),
            c.denunciations_received,
            _cases(kind=str(Kind.DENUNCIATION)),
        ),
        _row(
            _("Hotlines for reporting harassment or corruption published"),
            c.harassment_lines,
            _public("contacts.hotlines"),
        ),
    ]


def _procedures(c: Counts, period: Period) -> list[Evidence]:
    hotlines = _public("contacts.hotlines")
    return [
        _row(
            _("Procedures published in the catalogue"),
            sum(c.procedures.values()),
            _public("procedures.index"),
        ),
        _row(
            _("Harassment report phone number on every page"),
            c.harassment_phone,
            hotlines,
            kind=YES_NO,
            key=True,
        ),
        _row(
            _("Harassment report e-mail address on every page"),
            c.harassment_email,
            hotlines,
            kind=YES_NO,
            key=True,
        ),
        _row(_("Cases received about a procedure of the catalogue"), c.about_procedure),
    ]


def _service_delivery(c: Counts, period: Period) -> list[Evidence]:
    total = sum(c.procedures.values())
    full = c.procedures.get(str(OnlineLevel.FULL), 0)
    partial = c.procedures.get(str(OnlineLevel.PARTIAL), 0)
    none = c.procedures.get(str(OnlineLevel.NONE), 0)

    def catalogue(online: str):
        return _public("procedures.index", **{"truc-tuyen": online})

    return [
        _row(_("Procedures fully online"), full, catalogue("toan-trinh"), key=True),
        _row(_("Procedures partly online"), partial, catalogue("mot-phan"), key=True),
        _row(_("Procedures not available online"), none, catalogue("khong")),
        _row(
            _("Share of the catalogue available online"),
            (full + partial) / total if total else None,
            kind=PERCENT,
        ),
    ]


def _e_governance(c: Counts, period: Period) -> list[Evidence]:
    received = c.summary.received
    return [
        _row(
            _("Cases received through the portal"),
            c.online_received,
            _cases(channel=str(Channel.WEB)),
        ),
        _row(
            _("Cases received through other channels"),
            received - c.online_received,
            _report(period, "handling"),
        ),
        _row(
            _("Share of cases received through the portal"),
            c.online_received / received if received else None,
            kind=PERCENT,
            key=True,
        ),
        _row(
            _("Pages built for mobile phones first"),
            True,
            _public("public.accessibility"),
            kind=YES_NO,
        ),
    ]


def _statuses(dimension, tagged: int, c: Counts) -> list[Status]:
    """What needs doing, in words: missing evidence first, then the problems found."""
    found = []
    if not tagged:
        text = _("No disclosure tagged with this dimension was published in the period.")
        found.append(Status(NO_EVIDENCE, text))
    if dimension == D.TRANSPARENCY and c.obligations_overdue:
        text = ngettext(
            "%(num)d publication obligation is overdue.",
            "%(num)d publication obligations are overdue.",
            c.obligations_overdue,
        )
        found.append(Status(ATTENTION, text))
    if dimension == D.VERTICAL_ACCOUNTABILITY and c.summary.overdue:
        text = ngettext("%(num)d case is overdue.", "%(num)d cases are overdue.", c.summary.overdue)
        found.append(Status(ATTENTION, text))
    if dimension == D.CONTROL_OF_CORRUPTION and not c.harassment_lines:
        text = _("No hotline for reporting harassment or corruption is published.")
        found.append(Status(ATTENTION, text))
    if dimension == D.ADMINISTRATIVE_PROCEDURES and not (c.harassment_phone and c.harassment_email):
        text = _("Publish both a phone number and an e-mail address for reporting harassment.")
        found.append(Status(ATTENTION, text))
    online = c.procedures.get(str(OnlineLevel.FULL)) or c.procedures.get(str(OnlineLevel.PARTIAL))
    if dimension == D.PUBLIC_SERVICE_DELIVERY and not online:
        found.append(Status(ATTENTION, _("No published procedure is available online.")))
    return found or [Status(OK, "")]
