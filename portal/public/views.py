"""Pages everyone sees: home, accessibility, privacy, language switch, health check."""

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from sqlalchemy import text

from portal.core.security import same_site_url
from portal.extensions import db

bp = Blueprint("public", __name__)


@bp.route("/")
def home():
    return render_template("public/home.html")


@bp.route("/tro-nang-tiep-can")
def accessibility():
    return render_template("public/accessibility.html")


@bp.route("/quyen-rieng-tu")
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
