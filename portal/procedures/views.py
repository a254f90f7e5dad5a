"""Public pages of the procedures domain: the catalogue, each procedure, its print view."""

from flask import Blueprint, abort, current_app, render_template, request, url_for

from portal.core.cache import public_page
from portal.core.uploads import send_stored_file
from portal.procedures import queries
from portal.procedures.models import OnlineLevel

bp = Blueprint("procedures", __name__)

# The feedback form arrives with the cases domain; until its endpoint exists, no link is shown.
REPORT_ENDPOINT = "cases.new"


@bp.route("/thu-tuc-hanh-chinh")
@public_page
def index():
    filters = queries.ListFilters.from_args(request.args)
    page = queries.published_page(filters, request.args.get("trang", 1, type=int))
    return render_template(
        "procedures/index.html",
        filters=filters,
        results=page,
        groups=queries.group_by_field(page.items),
        field_counts=queries.field_counts(filters),
        level_params=queries.LEVEL_PARAMS,
        online_params=queries.ONLINE_PARAMS,
        OnlineLevel=OnlineLevel,
    )


def _published_or_404(slug: str):
    procedure = queries.published_by_slug(slug)
    if procedure is None:
        abort(404)
    return procedure


def _report_url(procedure) -> str | None:
    if REPORT_ENDPOINT not in current_app.view_functions:
        return None
    return url_for(REPORT_ENDPOINT, procedure=procedure.code)


@bp.route("/thu-tuc-hanh-chinh/<string:slug>")
@public_page
def detail(slug: str):
    procedure = _published_or_404(slug)
    return render_template(
        "procedures/detail.html", procedure=procedure, report_url=_report_url(procedure)
    )


@bp.route("/thu-tuc-hanh-chinh/<string:slug>/in")
@public_page
def printable(slug: str):
    return render_template("procedures/printable.html", procedure=_published_or_404(slug))


@bp.route("/thu-tuc-hanh-chinh/<string:slug>/bieu-mau/<string:public_id>")
def form_file(slug: str, public_id: str):
    """Send a dossier form; only the forms of published procedures are public."""
    stored = queries.form_file(_published_or_404(slug), public_id)
    if stored is None:
        abort(404)
    return send_stored_file(stored)
