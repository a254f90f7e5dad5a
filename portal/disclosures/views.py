"""Public pages of the disclosures domain: /cong-khai/…

Every read goes through queries.public(): a draft, a scheduled item before its time and an
unknown address are all the same 404.
"""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _

from portal.core import site
from portal.core.cache import public_page
from portal.core.uploads import send_stored_file
from portal.disclosures import queries, services
from portal.disclosures.feeds import atom_feed
from portal.disclosures.forms import CommentForm
from portal.disclosures.models import PapiDimension
from portal.disclosures.presentation import localized, template_helpers
from portal.extensions import limiter

bp = Blueprint("disclosures", __name__)
bp.context_processor(template_helpers)


def _comment_limit() -> str:
    return current_app.config["DRAFT_COMMENT_RATE_LIMIT"]


def _public_or_404(slug: str):
    disclosure = queries.public_by_slug(slug)
    if disclosure is None:
        abort(404)
    return disclosure


def _int_arg(name: str) -> int | None:
    try:
        return int(request.args.get(name, ""))
    except ValueError:
        return None


def _filters(category=None) -> queries.Filters:
    """Read the filter form; values that match nothing are ignored, not errors."""
    if category is None and request.args.get("danh-muc"):
        category = queries.public_category(request.args["danh-muc"])
    unit = queries.unit_by_slug(request.args["don-vi"]) if request.args.get("don-vi") else None
    year = _int_arg("nam")
    papi = _int_arg("papi")
    return queries.Filters(
        category=category,
        year=year if year and 1900 < year < 3000 else None,
        unit=unit,
        papi=papi if papi in {int(p) for p in PapiDimension} else None,
    )


def _listing(category=None):
    filters = _filters(category)
    page = max(_int_arg("trang") or 1, 1)
    args = filters.args()
    if category is not None:
        args.pop("danh-muc", None)  # the page is the category

    def page_url(number: int) -> str:
        return url_for(request.endpoint, **request.view_args, **args, trang=number)

    return render_template(
        "disclosures/index.html",
        category=category,
        filters=filters,
        results=queries.listing(filters, page=page),
        categories=queries.active_categories(),
        years=queries.public_years(),
        units=queries.units(),
        page_url=page_url,
        feed_title=_feed_title(filters.category),
    )


@bp.route("/cong-khai")
@public_page
def index():
    return _listing()


@bp.route("/cong-khai/<string:category_slug>")
@public_page
def category(category_slug: str):
    found = queries.public_category(category_slug)
    if found is None:
        abort(404)
    return _listing(found)


@bp.route("/cong-khai/danh-muc")
@public_page
def obligations():
    return render_template("disclosures/obligations.html", obligations=queries.obligations())


def _agency() -> str:
    return site.load().name_for(get_locale()) or _("Information portal")


def _feed_title(category=None) -> str:
    """The feed's title, also the page's <link rel="alternate"> title: the category as the
    page names it (in English when it has an English name)."""
    if category is None:
        return _("Public information – %(agency)s", agency=_agency())
    return _("%(category)s – %(agency)s", category=localized(category), agency=_agency())


def _feed(category=None) -> Response:
    if category is None:
        feed_url = url_for("disclosures.feed", _external=True)
        page_url = url_for("disclosures.index", _external=True)
    else:
        feed_url = url_for("disclosures.category_feed", category_slug=category.slug, _external=True)
        page_url = url_for("disclosures.category", category_slug=category.slug, _external=True)
    body = atom_feed(
        title=_feed_title(category),
        feed_url=feed_url,
        page_url=page_url,
        author=_agency(),
        entries=queries.feed_entries(category),
    )
    return Response(body, mimetype="application/atom+xml")


@bp.route("/cong-khai/feed.atom")
@public_page
def feed():
    return _feed()


@bp.route("/cong-khai/<string:category_slug>/feed.atom")
@public_page
def category_feed(category_slug: str):
    found = queries.public_category(category_slug)
    if found is None:
        abort(404)
    return _feed(found)


def render_detail(disclosure, *, form=None, preview: bool = False, status: int = 200):
    """The disclosure's page; staff preview it through the same template."""
    comments_open = disclosure.comments_open() and not preview
    if comments_open and form is None:
        form = CommentForm(formdata=None)
    return render_template(
        "disclosures/detail.html",
        d=disclosure,
        earlier=disclosure.revisions[1:],
        comments=queries.approved_comments(disclosure) if disclosure.is_consultation else [],
        comments_open=comments_open,
        form=form,
        preview=preview,
    ), status


@bp.route("/cong-khai/van-ban/<string:slug>")
@public_page
def detail(slug: str):
    return render_detail(_public_or_404(slug))


@bp.route("/cong-khai/van-ban/<string:slug>/in")
@public_page
def detail_print(slug: str):
    return render_template("disclosures/detail_print.html", d=_public_or_404(slug))


@bp.route("/cong-khai/van-ban/<string:slug>/phien-ban/<int:number>")
@public_page
def revision(slug: str, number: int):
    disclosure = _public_or_404(slug)
    found = queries.revision(disclosure, number)
    if found is None:
        abort(404)
    attached = {a.stored_file.public_id for a in disclosure.attachments}
    return render_template(
        "disclosures/revision.html", d=disclosure, revision=found, attached=attached
    )


@bp.route("/cong-khai/van-ban/<string:slug>/tep/<string:file_public_id>")
def attachment(slug: str, file_public_id: str):
    found = queries.attachment(_public_or_404(slug), file_public_id)
    if found is None:
        abort(404)
    return send_stored_file(found.stored_file)


@bp.route("/cong-khai/van-ban/<string:slug>/y-kien", methods=["POST"])
@limiter.limit(_comment_limit, methods=["POST"])
def comment(slug: str):
    disclosure = _public_or_404(slug)
    if not disclosure.comments_open():
        flash(_("This draft is not open for comments."), "error")
        return redirect(url_for("disclosures.detail", slug=slug))
    form = CommentForm()
    if not form.validate_on_submit():
        return render_detail(disclosure, form=form, status=400)
    try:
        services.add_comment(
            disclosure,
            name=form.author_name.data or "",
            email=form.author_email.data or "",
            body=form.body.data,
        )
    except services.DisclosureError as error:
        flash(str(error), "error")
        return redirect(url_for("disclosures.detail", slug=slug))
    flash(
        _(
            "Thank you. Your comment was received and awaits moderation: it appears here once "
            "an editor has approved it."
        ),
        "success",
    )
    return redirect(url_for("disclosures.detail", slug=slug))
