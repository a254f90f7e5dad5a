"""The app's own wording, so tests assert what a reader sees, not the English msgid.

Pages are in the default locale (Vietnamese) unless the client switched language; rendering
the msgid through Flask-Babel keeps a test right when a translation is reworded.
"""

from flask_babel import force_locale, gettext, ngettext

from portal.core.filters import date_filter


def say(app, message: str, *plural, locale: str | None = None, **variables) -> str:
    """`message` as the app shows it in `locale` (the default locale unless given).

    For a plural form pass the plural msgid and the number: say(app, one, many, n).
    The text is returned as translated, not HTML-escaped: fine for the strings asserted here,
    none of which holds &, <, > or quotes.
    """
    with app.test_request_context(), force_locale(locale or app.config["BABEL_DEFAULT_LOCALE"]):
        if plural:
            return ngettext(message, *plural, **variables)
        return gettext(message, **variables)


def shown_date(app, value, *, locale: str | None = None) -> str:
    """A date or datetime as the `date` template filter shows it (in the portal's time zone)."""
    with app.test_request_context(), force_locale(locale or app.config["BABEL_DEFAULT_LOCALE"]):
        return date_filter(value)
