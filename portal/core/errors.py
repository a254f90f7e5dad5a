"""Error pages in the reader's language; never a stack trace."""

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.extensions import db

MESSAGES = {
    400: (
        _l("The request could not be understood"),
        _l("Something in what was sent is not valid. Go back, check the form and try again."),
    ),
    403: (
        _l("You do not have access to this page"),
        _l("If you think you should, ask the portal administrator."),
    ),
    404: (
        _l("Page not found"),
        _l("The address may be mistyped, or the page has moved or been removed."),
    ),
    405: (
        _l("This action is not allowed here"),
        _l(
            "The page does not accept this kind of request. Go back and use the form or link on the page."
        ),
    ),
    413: (
        _l("What you sent is too large"),
        _l(
            "The files or text are larger than the portal accepts. Send smaller files, or fewer at a time."
        ),
    ),
    429: (
        _l("Too many requests"),
        _l("You have sent too many requests in a short time. Wait a few minutes, then try again."),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l(
            "Your request could not be completed. Please try again later. Anything you had already confirmed has been saved."
        ),
    ),
}
CSRF_MESSAGE = _l(
    "The form had expired or was sent from another page, so it was not accepted. "
    "Go back, reload the page and send the form again."
)


def render_error(code: int, *, message=None):
    title, default_message = MESSAGES.get(code, MESSAGES[500])
    return (
        render_template(
            "errors/error.html", code=code, title=title, message=message or default_message
        ),
        code,
    )


def handle_http_exception(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    response = render_error(error.code if error.code in MESSAGES else 500)
    if error.code == 405 and hasattr(error, "valid_methods") and error.valid_methods:
        return response[0], 405, {"Allow": ", ".join(error.valid_methods)}
    return response


def handle_csrf_error(error: CSRFError):
    return render_error(400, message=CSRF_MESSAGE)


def handle_unexpected(error: Exception):
    # Log the exception class and where, never the submitted content.
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    db.session.rollback()
    current_app.logger.error(
        "unhandled %s on %s %s", type(error).__name__, request.method, request.path, exc_info=error
    )
    return render_error(500)


def init_app(app) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(InternalServerError, handle_unexpected)
    app.register_error_handler(Exception, handle_unexpected)
