"""Public pages of published answers: /hoi-dap (list and search) and /hoi-dap/<id>."""

from flask import Blueprint, abort, render_template, request
from flask_babel import get_locale

from portal.answers import queries
from portal.cases.forms import TOPIC_LABELS
from portal.core import search as search_index
from portal.core.cache import public_page

bp = Blueprint("answers", __name__)


def _query() -> str:
    # One line of printable text: control characters would break the page that repeats it.
    words = request.args.get("q", "").split()
    query = "".join(ch for ch in " ".join(words) if ch.isprintable())
    return query[: search_index.MAX_QUERY_LENGTH]


@bp.route("/hoi-dap")
@public_page(version=queries.data_version)
def index():
    """Questions others asked and the agency's answers: newest first, by topic, or searched."""
    query = _query()
    topic = request.args.get("chu-de", "")
    if topic not in TOPIC_LABELS:
        topic = ""
    page = request.args.get("trang", 1, type=int)
    if page < 1:
        abort(404)
    results = listing = None
    if query:
        results = queries.search(query, page=page)
        if page > results.pages:
            abort(404)
    else:
        listing = queries.published(topic=topic or None, page=page)
        if page > listing.pages:
            abort(404)
    return render_template(
        "answers/index.html",
        query=query,
        topic=topic,
        results=results,
        listing=listing,
        topics=TOPIC_LABELS,
        topic_counts=queries.topic_counts(),
    )


@bp.route("/hoi-dap/<string:slug>")
@public_page(version=queries.data_version)
def detail(slug: str):
    answer = queries.published_answer(slug)
    if answer is None:
        abort(404)
    return render_template(
        "answers/detail.html", answer=answer, topics=TOPIC_LABELS, unit_name=_unit_name(answer.unit)
    )


def _unit_name(unit) -> str:
    if unit is None:
        return ""
    if str(get_locale()) == "en" and unit.name_en:
        return unit.name_en
    return unit.name
