"""The migrations are the schema: one head, models that match them, dated file names.

The suite's `app` fixture has already built the database by running every migration.
"""

import re
from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from portal.core import audit
from portal.core.search import modelled
from portal.extensions import db

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
VERSIONS = MIGRATIONS / "versions"


def script_directory() -> ScriptDirectory:
    config = Config(str(MIGRATIONS / "alembic.ini"))
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config)


def test_there_is_exactly_one_head():
    assert len(script_directory().get_heads()) == 1


def test_the_database_is_at_the_head(app):
    with app.app_context(), db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()

    assert set(current) == set(script_directory().get_heads())


def test_models_match_the_migrations(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": modelled}
        )
        differences = compare_metadata(context, db.metadata)

    assert differences == []


def migration_files():
    return sorted(p.name for p in VERSIONS.glob("*.py"))


def test_there_are_migration_files():
    assert migration_files()


@pytest.mark.parametrize("name", migration_files())
def test_migration_file_name_starts_with_its_date(name):
    match = re.match(r"(\d{8})_", name)

    assert match, f"{name} should start with YYYYMMDD_ (see file_template in alembic.ini)"
    datetime.strptime(match.group(1), "%Y%m%d")  # a real date, not just eight digits


@pytest.fixture
def postgresql_audit_row(app):
    """Give the id of an audit event on PostgreSQL, where a trigger guards the table."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the append-only trigger exists on PostgreSQL only")
        audit.record("test.recorded")
        db.session.commit()
        yield db.session.scalar(db.select(audit.AuditEvent.id))


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET action = 'rewritten' WHERE id = :id",
        "DELETE FROM audit_event WHERE id = :id",
    ],
    ids=["update", "delete"],
)
def test_database_refuses_to_rewrite_the_audit_log(app, postgresql_audit_row, statement):
    with app.app_context():
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
            connection.execute(text(statement), {"id": postgresql_audit_row})

        count = db.session.scalar(
            db.select(db.func.count()).where(
                audit.AuditEvent.id == postgresql_audit_row,
                audit.AuditEvent.action == "test.recorded",
            )
        )
    assert count == 1
