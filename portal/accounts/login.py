"""Flask-Login wiring: a user is loaded only through a live server-side session."""

from flask import session
from flask_babel import lazy_gettext as _l

from portal.accounts import services
from portal.extensions import login_manager

SESSION_TOKEN_KEY = "staff_token"
PENDING_KEY = "pending_login"


@login_manager.user_loader
def load_user(public_id: str):
    return services.resume_session(session.get(SESSION_TOKEN_KEY), public_id)


def init_app(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Sign in to continue.")
    login_manager.login_message_category = "info"
    # Revocation is done on the server (StaffSession); no remember-me cookie is ever set.
    login_manager.session_protection = "basic"
