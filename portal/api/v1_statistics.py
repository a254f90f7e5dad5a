"""The public statistics as JSON: the /thong-ke scorecard's figures and tables, by the same rules.

Counted by `portal.reports.stats` (counts only, no citizen text) and hidden by
`portal.core.exports` exactly as the scorecard hides them: a count from 1 to 4 is the string
"< 5"; a rate, the median days and the average rating are null when the page says "Not shown".
tests/api/test_v1.py checks the numbers against `reports.scorecard.build` for the same period.
"""

from flask import url_for
from flask_babel import lazy_gettext as _l

from portal.api import v1_queries as queries
from portal.api.v1_http import bad_request, day
from portal.cases.forms import TOPIC_LABELS
from portal.cases.models import Kind, Topic
from portal.core import exports
from portal.core.i18n import in_locale
from portal.reports import scorecard, stats
from portal.reports.periods import Period, PeriodError

NO_UNIT = _l("No handling unit yet")  # the scorecard's words for cases without a unit


def parse_period(value: str | None) -> Period:
    """`period` as the scorecard's links write it (2025, 2025-Q1, 2025-H1, 2025-03,
    2025-01-05..2025-02-10); the current year without it."""
    if not value:
        return Period.year(scorecard.today().year)
    try:
        period = Period.parse(value)
    except PeriodError:
        raise bad_request(
            "'period' must be a year (2025), a half (2025-H1), a quarter (2025-Q1), a month "
            "(2025-03) or a run of days (2025-01-05..2025-02-10), end not before start."
        ) from None
    first, last = scorecard.FIRST_YEAR, scorecard.LAST_YEAR
    if not (first <= period.start.year and period.end.year <= last):
        raise bad_request(f"'period' must lie within the years {first} to {last}.")
    return period


def _both(text) -> dict:
    """A lazy label in Vietnamese and in English."""
    with in_locale("vi"):
        vi = str(text)
    with in_locale("en"):
        en = str(text)
    return {"label": vi, "label_en": en}


def _counts(received: int, resolved: int) -> dict:
    return {"received": exports.suppress(received), "resolved": exports.suppress(resolved)}


def figures(summary: stats.Summary) -> dict:
    """The headline figures, each hidden where scorecard.figures() shows "< 5" or "Not shown"."""
    threshold = exports.SUPPRESSION_THRESHOLD
    judged = summary.on_time + summary.late
    return {
        "received": exports.suppress(summary.received),
        "accepted": exports.suppress(summary.accepted),
        "resolved": exports.suppress(summary.resolved),
        "transferred": exports.suppress(summary.transferred),
        "overdue_now": exports.suppress(summary.overdue),
        "resolved_on_time_rate": exports.rate(summary.on_time, judged),
        "median_days_to_respond": summary.median_days if summary.resolved >= threshold else None,
        "average_rating": summary.rating_average if summary.rated >= threshold else None,
        "solved_rate": exports.rate(summary.solved_yes, summary.solved_answered),
    }


def _coded(rows: list[stats.Row], codes: list[str], labels) -> list[dict]:
    counted = {row.key: row for row in rows}
    # Every kind or topic, zeros included (as the page's tables); an old code still counts.
    keys = codes + [
        k for k in counted if k not in codes and (counted[k].received or counted[k].resolved)
    ]
    result = []
    for key in keys:
        row = counted.get(key)
        label = labels.get(key)
        result.append(
            {
                "id": key,
                **(_both(label) if label is not None else {"label": key, "label_en": key}),
                **_counts(row.received if row else 0, row.resolved if row else 0),
            }
        )
    return result


def _by_unit(rows: list[stats.Row]) -> list[dict]:
    rows = [row for row in rows if row.received or row.resolved]
    units = queries.unit_names([row.key for row in rows if row.key is not None])
    ordered = sorted(
        (row for row in rows if row.key in units),
        key=lambda row: (units[row.key].position, units[row.key].name),
    )
    result = [
        {
            "id": units[row.key].public_id,
            "label": units[row.key].name,
            "label_en": units[row.key].name_en or units[row.key].name,
            **_counts(row.received, row.resolved),
        }
        for row in ordered
    ]
    for row in rows:
        if row.key is None:
            result.append({"id": None, **_both(NO_UNIT), **_counts(row.received, row.resolved)})
    return result


def build(period: Period) -> dict:
    """Everything the scorecard shows for the period, as data."""
    today = scorecard.today()
    summary = stats.summary(period, today=today)
    rows = stats.breakdowns(
        period, scorecard.TABLES, today=today, measures=scorecard.SECTION_MEASURES
    )
    months = stats.monthly(period, rows=rows.get("month"))
    return {
        "period": {
            "id": period.param,
            "kind": period.kind,
            "start": day(period.start),
            "end": day(period.end),
            **_both(period.label),
        },
        "counted_on": day(today),
        "suppression": {
            "threshold": exports.SUPPRESSION_THRESHOLD,
            "small_count": f"< {exports.SUPPRESSION_THRESHOLD}",
            **dict(zip(("note", "note_en"), _notes(), strict=True)),
        },
        "figures": figures(summary),
        "by_month": [
            {"month": f"{row.month:%Y-%m}", **_counts(row.received, row.resolved)} for row in months
        ],
        "by_kind": _coded(
            rows.get("kind", []), [str(k) for k in Kind], {str(k): k.label for k in Kind}
        ),
        "by_topic": _coded(
            rows.get("topic", []),
            [str(t) for t in Topic],
            {str(t): TOPIC_LABELS[t] for t in Topic},
        ),
        "by_unit": _by_unit(rows.get("unit", [])),
        "url": url_for("reports.scorecard", period=period.param, _external=True),
    }


def _notes() -> tuple[str, str]:
    with in_locale("vi"):
        vi = exports.suppression_note()
    with in_locale("en"):
        en = exports.suppression_note()
    return vi, en
