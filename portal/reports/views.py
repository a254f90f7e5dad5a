"""Public pages of reports: the scorecard at /thong-ke and its tables as CSV, and the register
of concluded denunciations at /thong-ke/to-cao (and as CSV)."""

from flask import Blueprint, abort, current_app, render_template, request

from portal.core import exports
from portal.core.cache import public_page
from portal.reports import denunciations as register
from portal.reports import scorecard as card
from portal.reports import stats
from portal.reports.periods import PeriodError

bp = Blueprint("reports", __name__)


@bp.route("/thong-ke")
@public_page(version=stats.data_version)
def scorecard():
    try:
        period, choice = card.choose_period(request.args)
    except PeriodError as error:
        choice = getattr(error, "choice", None) or card.Choice(
            kind=request.args.get("kind", card.YEAR),
            year=request.args.get("year", ""),
            number=request.args.get("number", ""),
        )
        page = render_template(
            "reports/scorecard.html",
            choice=choice,
            kinds=card.PERIOD_KINDS,
            error=error.message,
            error_field=getattr(error, "field", "year"),
            card=None,
        )
        return page, 400
    return render_template(
        "reports/scorecard.html",
        choice=choice,
        kinds=card.PERIOD_KINDS,
        error=None,
        card=card.build(period),
        note=exports.suppression_note(),
    )


@bp.route("/thong-ke/<string:table>.csv")
@public_page(version=stats.data_version)
def scorecard_csv(table: str):
    if table not in card.TABLES:
        abort(404)
    try:
        period, _choice = card.choose_period(request.args)
    except PeriodError:
        abort(400)
    section = card.section(period, table)
    # The same suppressed table the page shows: the CSV never says more than the page.
    response = current_app.response_class(exports.csv_bytes(section.table))
    response.headers["Content-Type"] = exports.CSV_MIME
    response.headers["Content-Disposition"] = card.content_disposition(period, section)
    return response


@bp.route("/thong-ke/to-cao")
@public_page(version=stats.data_version)
def denunciations():
    filters = register.Filters.parse(request.args)
    page = register.build(filters)
    if page is None:
        abort(404)
    return render_template(
        "reports/denunciations.html",
        filters=filters,
        register=page,
        note=exports.suppression_note(),
    )


@bp.route("/thong-ke/to-cao.csv")
@public_page(version=stats.data_version)
def denunciations_csv():
    filters = register.Filters.parse(request.args)
    response = current_app.response_class(exports.csv_bytes(register.table(filters)))
    response.headers["Content-Type"] = exports.CSV_MIME
    response.headers["Content-Disposition"] = register.content_disposition(filters)
    return response
