"""Signing in and out, and each staff member's own account: /staff/…"""

import time
from datetime import UTC, datetime

import pyotp
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user

from portal.accounts import queries, services
from portal.accounts.forms import ConfirmForm, LoginForm, PasswordChangeForm, TotpForm
from portal.accounts.login import PENDING_KEY, SESSION_TOKEN_KEY
from portal.accounts.passwords import verify_password
from portal.core import site
from portal.core.security import Level, requires, same_site_url
from portal.extensions import limiter

bp = Blueprint("accounts", __name__, url_prefix="/staff")

SETUP_SECRET_KEY = "totp_setup_secret"


def _login_limit_per_ip():
    return current_app.config["LOGIN_RATE_LIMIT_PER_IP"]


def _login_limit_per_account():
    return current_app.config["LOGIN_RATE_LIMIT_PER_ACCOUNT"]


def _account_key():
    return "account:" + services.normalise_email(request.form.get("email", ""))


def _locked_message(locked_until) -> str:
    minutes = max(1, int((locked_until - datetime.now(UTC)).total_seconds() // 60) + 1)
    return ngettext(
        "Too many failed attempts. Sign-in for this account is paused; "
        "try again in %(num)d minute or ask an administrator.",
        "Too many failed attempts. Sign-in for this account is paused; "
        "try again in %(num)d minutes or ask an administrator.",
        minutes,
    )


def _finish_login(user):
    # A fresh session at every sign-in: nothing from before survives, the token is new.
    next_url = session.get(PENDING_KEY, {}).get("next")
    session.clear()
    session[SESSION_TOKEN_KEY] = services.start_session(user)
    login_user(user, remember=False)
    return redirect(same_site_url(next_url) or url_for("accounts.dashboard"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit_per_ip, methods=["POST"])
@limiter.limit(_login_limit_per_account, key_func=_account_key, methods=["POST"])
@requires(Level.PUBLIC)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.dashboard"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        result = services.check_password_sign_in(form.email.data, form.password.data)
        if result.ok:
            user = result.user
            if user.has_2fa:
                session[PENDING_KEY] = {
                    "user": user.public_id,
                    "at": time.time(),
                    "next": same_site_url(request.args.get("next")),
                }
                return redirect(url_for("accounts.login_totp"))
            session[PENDING_KEY] = {"next": same_site_url(request.args.get("next"))}
            return _finish_login(user)
        if result.locked_until:
            form.form_errors.append(_locked_message(result.locked_until))
            status = 429
        else:
            form.form_errors.append(_("The e-mail address or password is not correct."))
            status = 401
    elif form.is_submitted():
        status = 400
    return render_template("accounts/login.html", form=form), status


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit(_login_limit_per_ip, methods=["POST"])
@requires(Level.PUBLIC)
def login_totp():
    pending = session.get(PENDING_KEY) or {}
    timeout = current_app.config["LOGIN_PENDING_TIMEOUT"].total_seconds()
    user = queries.user_by_public_id(pending.get("user", "")) if pending.get("user") else None
    if user is None or not user.active or time.time() - pending.get("at", 0) > timeout:
        session.pop(PENDING_KEY, None)
        flash(_("Your sign-in has expired. Please sign in again."), "info")
        return redirect(url_for("accounts.login"))
    form = TotpForm()
    status = 200
    if form.validate_on_submit():
        result = services.check_totp_sign_in(user, form.code.data)
        if result.ok:
            return _finish_login(user)
        if result.locked_until:
            session.pop(PENDING_KEY, None)
            form.form_errors.append(_locked_message(result.locked_until))
            status = 429
        else:
            form.code.errors = [
                _("The code is not correct or has already been used. Enter a new code.")
            ]
            status = 401
    elif form.is_submitted():
        status = 400
    return render_template("accounts/login_totp.html", form=form), status


@bp.route("/logout", methods=["POST"])
@requires(Level.SIGNED_IN)
def logout():
    services.end_session(session.get(SESSION_TOKEN_KEY))
    logout_user()
    session.clear()
    flash(_("You have signed out."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/")
@requires(Level.STAFF)
def dashboard():
    return render_template("accounts/dashboard.html")


@bp.route("/account/password", methods=["GET", "POST"])
@requires(Level.SIGNED_IN)
def password():
    form = PasswordChangeForm()
    form.password_owner_email = current_user.email
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors = [_("The current password is not correct.")]
        else:
            user = current_user._get_current_object()
            services.change_password(user, form.new_password.data)
            # Every other browser is signed out; this one continues on a new session.
            session.clear()
            session[SESSION_TOKEN_KEY] = services.start_session(user)
            login_user(user, remember=False)
            flash(_("Your password has been changed. Other sessions were signed out."), "success")
            return redirect(url_for("accounts.dashboard"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/password.html", form=form), status


@bp.route("/account/two-factor", methods=["GET", "POST"])
@requires(Level.SIGNED_IN)
def two_factor_setup():
    if current_user.has_2fa:
        return render_template("accounts/two_factor_on.html", form=ConfirmForm())
    secret = session.get(SETUP_SECRET_KEY)
    if not secret:
        secret = session[SETUP_SECRET_KEY] = pyotp.random_base32()
    form = TotpForm()
    status = 200
    if form.validate_on_submit():
        if services.enrol_totp(current_user._get_current_object(), secret, form.code.data):
            session.pop(SETUP_SECRET_KEY, None)
            flash(_("Two-step sign-in is on."), "success")
            return redirect(url_for("accounts.dashboard"))
        form.code.errors = [
            _("The code is not correct. Check the time on your phone and try again.")
        ]
        status = 400
    elif form.is_submitted():
        status = 400
    uri = pyotp.TOTP(secret).provisioning_uri(
        name=current_user.email, issuer_name=site.load().agency_short_name or "Portal"
    )
    grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render_template(
        "accounts/two_factor_setup.html", form=form, secret=grouped, uri=uri
    ), status


@bp.route("/account/two-factor/off", methods=["POST"])
@requires(Level.STAFF)
def two_factor_disable():
    form = ConfirmForm()
    if form.validate_on_submit() and current_user.has_2fa:
        if current_user.requires_2fa:
            flash(_("Your role requires two-step sign-in; it cannot be turned off."), "error")
        else:
            user = current_user._get_current_object()
            services.disable_totp(user, actor=user)
            flash(_("Two-step sign-in is off."), "success")
    return redirect(url_for("accounts.two_factor_setup"))
