import pytest
from flask import Blueprint

from tests.apps import other_app

failing = Blueprint("failing", __name__)


@failing.route("/hong")
def broken_view():
    raise RuntimeError("a view failed in a test")


@pytest.fixture(scope="session")
def failing_app(app):
    """Give an app on the suite's database with a view that raises, as a real server runs it."""
    with other_app(
        app,
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "MAIL_PORT": app.config["MAIL_PORT"],
            # As in production: the error handler answers, nothing reaches the test client.
            "PROPAGATE_EXCEPTIONS": False,
        },
    ) as application:
        application.register_blueprint(failing)
        yield application
