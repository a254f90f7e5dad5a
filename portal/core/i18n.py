"""Language selection: Vietnamese unless the reader chose English with the switch."""

from contextlib import contextmanager

from flask import current_app, g, has_request_context, request
from flask_babel import force_locale, get_locale, get_translations

from portal.extensions import babel

_CACHE = "_portal_translations"


def select_locale() -> str:
    """Pick the reader's language from the switch cookie; Vietnamese is the default."""
    if not has_request_context():  # shell commands and mail sent from cron
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    chosen = request.cookies.get(current_app.config["LANGUAGE_COOKIE_NAME"])
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _translations():
    # Flask-Babel looks the catalogue up again for every string, and a page has dozens of
    # them: the benchmark showed it as the largest cost of rendering. Look it up once.
    cached = g.get(_CACHE)
    if cached is None:
        cached = get_translations()
        setattr(g, _CACHE, cached)
    return cached


@contextmanager
def in_locale(locale: str):
    """Render in the given language (an e-mail to someone else), then back to the reader's."""
    g.pop(_CACHE, None)
    try:
        with force_locale(locale):
            yield
    finally:
        g.pop(_CACHE, None)


def init_app(app) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories="translations",
    )
    # Flask-Babel 4 does not expose get_locale to templates by itself.
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
