"""Staff pages of reports: /staff/reports (the periodic reports and their exports) and
/staff/reports/papi (the plan's seven PAPI contents with the portal's evidence)."""

from datetime import date
from urllib.parse import quote

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import force_locale
from flask_login import current_user

from portal.accounts.permissions import Permission
from portal.core import exports, site
from portal.core.security import requires
from portal.reports import papi as plan_evidence
from portal.reports import periodic
from portal.reports.periods import Period, PeriodError

bp = Blueprint("staff_reports", __name__, url_prefix="/staff")


@bp.app_template_global("report_reminder")
def report_reminder(today: date | None = None):
    """The dashboard's reminder of the next report due, or None outside its lead time."""
    return periodic.reminder(today)


@bp.app_template_global("papi_overview")
def papi_overview():
    """The dashboard's PAPI block: the evidence of the next report's period."""
    return plan_evidence.overview()


def _period_or_400(*, page: bool = False):
    """The period of the query string, or the next report's when none is given."""
    value = request.args.get("period", "").strip()
    if not value:
        if page:
            return periodic.default_period(), "", None
        abort(400)
    try:
        return Period.parse(value), value, None
    except PeriodError as error:
        if not page:
            abort(400)
        return None, value, error.message


def _presets(today: date) -> list[Period]:
    year = today.year
    return [Period.half(year, 1), Period.year(year - 1), Period.half(year - 1, 1)]


@bp.get("/reports")
@requires(Permission.READ_REPORTS)
def reports():
    period, typed, error = _period_or_400(page=True)
    today = periodic.local_today()
    report = periodic.build(period, today=today) if period else None
    return render_template(
        "staff/reports/reports.html",
        report=report,
        typed=typed,
        error=error,
        presets=_presets(today),
        tables=periodic.TABLES,
    ), (400 if error else 200)


@bp.get("/reports/papi")
@requires(Permission.READ_REPORTS)
def papi():
    period, typed, error = _period_or_400(page=True)
    overview = plan_evidence.overview(period) if period else None
    return render_template(
        "staff/reports/papi.html",
        overview=overview,
        typed=typed,
        error=error,
        presets=_presets(periodic.local_today()),
    ), (400 if error else 200)


@bp.get("/reports/print")
@requires(Permission.READ_REPORTS)
def print_report():
    period, _typed, _error = _period_or_400()
    report = periodic.build(period)
    periodic.record_export(period, "print", actor=current_user)
    return render_template("staff/reports/print_report.html", report=report)


@bp.get("/reports/export.xlsx")
@requires(Permission.READ_REPORTS)
def export_xlsx():
    period, _typed, _error = _period_or_400()
    agency = site.load()
    # The report goes to the Provincial People's Committee: Vietnamese whatever the reader's.
    with force_locale("vi"):
        report = periodic.build(period)
        body = exports.xlsx_bytes(
            list(report.tables.values()),
            title=report.title,
            subtitle=str(period.label),
            creator=agency.agency_name or None,
        )
    periodic.record_export(period, "xlsx", actor=current_user)
    return _download(body, exports.XLSX_MIME, f"bao-cao-{period.param}.xlsx")


@bp.get("/reports/<table>.csv")
@requires(Permission.READ_REPORTS)
def export_csv(table: str):
    if table not in periodic.TABLES:
        abort(404)
    period, _typed, _error = _period_or_400()
    with force_locale("vi"):
        body = exports.csv_bytes(periodic.build(period).tables[table])
    periodic.record_export(period, f"csv:{table}", actor=current_user)
    return _download(body, exports.CSV_MIME, f"bao-cao-{period.param}-{table}.csv")


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
