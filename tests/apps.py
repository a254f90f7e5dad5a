"""Extra application instances, for tests that need settings the suite's app does not have."""

import secrets
from contextlib import contextmanager

from cryptography.fernet import Fernet
from flask_migrate import upgrade

from portal import create_app
from portal.extensions import db, limiter


@contextmanager
def other_app(suite_app, config_name: str = "testing", overrides: dict | None = None):
    """Build another app; afterwards close its connections and hand the limiter back."""
    application = create_app(config_name, overrides)
    try:
        yield application
    finally:
        with application.app_context():
            db.engine.dispose()
        # Flask-Limiter keeps its switch and storage on the one module-level Limiter, and every
        # create_app() rebinds them: give them back to the suite's app (rate limits off).
        limiter.init_app(suite_app)


def production_settings(tmp_path) -> dict:
    """Settings a production app accepts: long random keys and a database of its own."""
    return {
        "SECRET_KEY": secrets.token_hex(32),
        "CASE_IDENTITY_KEY": Fernet.generate_key().decode(),
        "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "production.db"),
        "PUBLIC_URL": "https://tiepcongdan.example.gov.vn",
    }


def build_schema(application) -> None:
    """Run the migrations on the app's own database."""
    with application.app_context():
        upgrade()
