"""Language selection: Vietnamese unless the reader chose English with the switch."""

from flask import current_app, has_request_context, request
from flask_babel import get_locale

from portal.extensions import babel


def select_locale() -> str:
    """Pick the reader's language from the switch cookie; Vietnamese is the default."""
    if not has_request_context():  # shell commands and mail sent from cron
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.cookies.get(current_app.config["LANGUAGE_COOKIE_NAME"])
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories="translations",
    )
    # Flask-Babel 4 does not expose get_locale to templates by itself.
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.add_extension("jinja2.ext.i18n")
