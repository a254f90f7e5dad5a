"""Fixtures shared by the whole suite.

The schema is built once per run from the real migrations (never create_all), on SQLite by
default or on PostgreSQL when TEST_DATABASE_URL is set; every test starts with empty tables.
E-mail goes to a real SMTP server (aiosmtpd) on a local port.
"""

import os
import socket
import threading

import pytest
from aiosmtpd.controller import Controller
from flask_migrate import upgrade
from sqlalchemy import inspect, text

from portal import create_app
from portal.extensions import db, limiter
from tests.pages import PageClient


class SmtpSink:
    """Collects the messages the SMTP server receives."""

    def __init__(self):
        self.messages = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.messages.append(envelope)
        return "250 OK"

    def clear(self):
        with self._lock:
            self.messages.clear()


@pytest.fixture(scope="session")
def smtp():
    sink = SmtpSink()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        sink.port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=sink.port)
    controller.start()
    yield sink
    controller.stop()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")


@pytest.fixture(scope="session")
def app(database_url, smtp, tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    application = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MAIL_PORT": smtp.port,
            "MAIL_FILE_DIR": str(instance / "mail"),
            "UPLOAD_FOLDER": str(instance / "uploads"),
        },
    )
    with application.app_context():
        if db.engine.dialect.name == "postgresql":
            # Start from an empty schema so the migrations are what builds it.
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
        db.session.remove()
    return application


def _clear_tables(application):
    with application.app_context():
        db.session.remove()
        tables = [t for t in inspect(db.engine).get_table_names() if t != "alembic_version"]
        with db.engine.begin() as connection:
            if db.engine.dialect.name == "postgresql":
                names = ", ".join(f'"{t}"' for t in tables)
                connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                connection.execute(text("PRAGMA foreign_keys=OFF"))
                # The FTS5 index (search_fts and its shadow tables) empties itself through
                # search_entry's triggers; deleting its internal rows would corrupt it.
                for table in (t for t in tables if not t.startswith("search_fts")):
                    connection.execute(text(f'DELETE FROM "{table}"'))  # noqa: S608 - names from the schema
                connection.execute(text("PRAGMA foreign_keys=ON"))


@pytest.fixture(autouse=True)
def _fresh_state(request, smtp):
    """Give every test empty tables, an empty mailbox and fresh rate-limit counters."""
    yield
    if "app" in request.fixturenames:
        application = request.getfixturevalue("app")
        _clear_tables(application)
        # One Limiter object serves every app a test builds; the last init_app wins, so put
        # the suite's own setting back after tests that built a rate-limited app.
        limiter.enabled = application.config["RATELIMIT_ENABLED"]
    smtp.clear()


@pytest.fixture
def app_ctx(app):
    with app.test_request_context():
        yield app


@pytest.fixture
def client(app):
    return PageClient(app.test_client())
