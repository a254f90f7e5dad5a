"""TOTP secrets are sealed at rest: the database holds a Fernet token, the model the secret.

The migration that introduced the sealing seals secrets already stored, and its downgrade
unseals them; it runs here on a scratch database of the same kind as the suite's.
"""

import os
import uuid

import pyotp
import pytest
from cryptography.fernet import Fernet
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.orm.attributes import flag_modified

from portal import create_app
from portal.accounts.models import User
from portal.core.sealing import unseal_text
from portal.extensions import db
from tests.auth import sign_in
from tests.factories import create_user

BEFORE = "1c9279c43439"  # the revision before the sealing
SEALING = "d8b05228c956"
SELECT = "SELECT public_id, totp_secret FROM staff_user"


def raw_secret(user_id: int) -> str | None:
    with db.engine.connect() as connection:
        return connection.execute(
            text("SELECT totp_secret FROM staff_user WHERE id = :id"), {"id": user_id}
        ).scalar_one()


def test_the_database_holds_a_token_and_the_model_the_secret(app, app_ctx):
    user = create_user(role="admin", totp=True)
    stored = raw_secret(user.id)
    assert stored != user.totp_secret and user.totp_secret not in stored
    assert unseal_text(stored) == user.totp_secret
    assert pyotp.TOTP(user.totp_secret).now().isdigit()  # a base32 secret, usable as is
    # Sealing is not deterministic: the same secret written again gives another token.
    row = db.session.get(User, user.id)
    row.totp_secret = user.totp_secret
    flag_modified(row, "totp_secret")
    db.session.commit()
    assert raw_secret(user.id) != stored


def test_two_factor_sign_in_works_with_a_sealed_secret(app, client):
    with app.app_context():
        user = create_user(role="admin", totp=True)
    assert sign_in(client, user).status_code == 302


def test_a_wrong_key_is_said_without_echoing_the_token(app, app_ctx, monkeypatch):
    user = create_user(role="admin", totp=True)
    stored = raw_secret(user.id)
    db.session.expunge_all()
    monkeypatch.setitem(app.config, "CASE_IDENTITY_KEY", Fernet.generate_key().decode())
    with pytest.raises(RuntimeError, match="CASE_IDENTITY_KEY") as raised:
        db.session.get(User, user.id)
    assert stored not in str(raised.value)


@pytest.fixture
def scratch_app(database_url, tmp_path):
    """An app on an empty database of the suite's kind, for running migrations up and down."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        name = f"scratch_{uuid.uuid4().hex[:12]}"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        scratch_url = url.set(database=name)
    else:
        admin, name = None, None
        scratch_url = make_url("sqlite:///" + os.path.join(tmp_path, "scratch.db"))
    application = create_app(
        "testing", {"SQLALCHEMY_DATABASE_URI": scratch_url.render_as_string(hide_password=False)}
    )
    yield application
    with application.app_context():
        db.engine.dispose()
    if admin is not None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}"'))
        admin.dispose()


def test_the_migration_seals_stored_secrets_and_its_downgrade_unseals_them(scratch_app):
    secret = pyotp.random_base32()
    with scratch_app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO staff_user (public_id, email, full_name, role, password_hash,"
                    " active, totp_secret, created_at, updated_at, password_changed_at)"
                    " VALUES ('u1', 'a@so.example', 'A', 'admin', 'x', :true, :secret,"
                    " :now, :now, :now)"
                ),
                {"secret": secret, "true": True, "now": "2026-11-01 00:00:00"},
            )
            connection.execute(
                text(
                    "INSERT INTO staff_user (public_id, email, full_name, role, password_hash,"
                    " active, created_at, updated_at, password_changed_at)"
                    " VALUES ('u2', 'b@so.example', 'B', 'editor', 'x', :true, :now, :now, :now)"
                ),
                {"true": True, "now": "2026-11-01 00:00:00"},
            )
        upgrade(revision=SEALING)
        with db.engine.connect() as connection:
            stored = {row[0]: row[1] for row in connection.execute(text(SELECT))}
        assert stored["u2"] is None
        assert stored["u1"] != secret and unseal_text(stored["u1"]) == secret
        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            stored = {row[0]: row[1] for row in connection.execute(text(SELECT))}
        assert stored == {"u1": secret, "u2": None}
