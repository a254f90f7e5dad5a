"""Pages everyone sees: home, accessibility, privacy, language switch, health check, search."""

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from sqlalchemy import text
from werkzeug.routing import BuildError

from portal.core import search as search_index
from portal.core.cache import public_page
from portal.core.security import same_site_url
from portal.extensions import db

bp = Blueprint("public", __name__)


@bp.route("/")
@public_page
def home():
    return render_template("public/home.html")


@bp.route("/tro-nang-tiep-can")
@public_page
def accessibility():
    return render_template("public/accessibility.html")


@bp.route("/quyen-rieng-tu")
@public_page
def privacy():
    return render_template("public/privacy.html")


@bp.route("/ngon-ngu/<any(vi, en):code>")
def language(code: str):
    """Switch language with a plain link (works without JavaScript), then go back."""
    target = same_site_url(request.args.get("next")) or url_for("public.home")
    response = redirect(target)
    config = current_app.config
    response.set_cookie(
        config["LANGUAGE_COOKIE_NAME"],
        code,
        max_age=365 * 24 * 3600,
        secure=config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
        path="/",
    )
    return response


@bp.route("/healthz")
def health():
    """For the load balancer: the app answers and the database is reachable."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not ready"
        current_app.logger.exception("health check: database unreachable")
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")


# The type filter in the URL (?loai=…), the kind it stands for, and its labels.
SEARCH_KINDS = {
    "cong-khai": ("disclosure", _l("Public information")),
    "du-thao": ("draft", _l("Drafts for comment")),
    "thu-tuc": ("procedure", _l("Administrative procedures")),
    "hoi-dap": ("answer", _l("Questions and answers")),
}
KIND_LABELS = {
    "disclosure": _l("Public information"),
    "draft": _l("Draft for comment"),
    "procedure": _l("Administrative procedure"),
    "answer": _l("Question and answer"),
}
# Where each kind of result is read. A page another part of the portal has not built yet
# gives "#" rather than breaking the search page.
KIND_ENDPOINTS = {
    "disclosure": "disclosures.detail",
    "draft": "disclosures.detail",
    "procedure": "procedures.detail",
    "answer": "answers.detail",
}


def hit_url(hit) -> str:
    try:
        return url_for(KIND_ENDPOINTS[hit.kind], slug=hit.slug)
    except (KeyError, BuildError):
        return "#"


@bp.route("/tim-kiem")
@public_page
def search():
    """One search over disclosures, drafts and procedures, without diacritics if need be."""
    # One line of printable text: control characters would break the page that repeats it.
    words = request.args.get("q", "").split()
    query = "".join(ch for ch in " ".join(words) if ch.isprintable())
    query = query[: search_index.MAX_QUERY_LENGTH]
    loai = request.args.get("loai", "")
    kind = SEARCH_KINDS[loai][0] if loai in SEARCH_KINDS else None
    page = request.args.get("trang", 1, type=int)
    if page < 1:
        abort(404)
    results = None
    if query:
        results = search_index.search(query, kinds=[kind] if kind else None, page=page)
        if page > results.pages:
            abort(404)
    return render_template(
        "public/search.html",
        query=query,
        loai=loai if kind else "",
        results=results,
        search_kinds=SEARCH_KINDS,
        kind_labels=KIND_LABELS,
        hit_url=hit_url,
    )
