"""`flask api …`: list partners, issue and revoke keys from the command line, audited."""

import pytest

from portal.api import partners
from portal.api.models import ApiKey
from portal.core.audit import AuditEvent
from portal.extensions import db
from tests.factories import create_user

PARTNER = "Tổng đài 1022 tỉnh"


@pytest.fixture
def partner(app):
    with app.app_context():
        admin = create_user(role="admin")
        found = partners.create_partner(name=PARTNER, contact="Phòng CNTT", by=admin)
        return found.public_id


def run(app, *args):
    return app.test_cli_runner().invoke(args=["api", *args])


@pytest.mark.parametrize("name", ["by-id", "by-name"])
def test_issue_key_prints_a_working_key_alone_on_stdout(app, partner, name):
    result = run(app, "issue-key", partner if name == "by-id" else PARTNER)
    assert result.exit_code == 0, result.output + result.stderr
    raw = result.stdout.strip()
    assert "\n" not in raw and raw.startswith("o311_")
    assert PARTNER in result.stderr and raw not in result.stderr
    with app.app_context():
        key = partners.authenticate(raw)
        assert key is not None and key.partner.public_id == partner
        event = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "api.key_issued")
        ).one()
        assert event.actor_id is None and raw not in str(event.detail)


def test_the_list_shows_keys_by_id_and_hint_never_the_key(app, partner):
    raw = run(app, "issue-key", partner).stdout.strip()
    listing = run(app, "partners")
    assert listing.exit_code == 0
    assert PARTNER in listing.stdout and "(active)" in listing.stdout
    assert f"…{raw[-4:]}" in listing.stdout and "live" in listing.stdout
    assert raw not in listing.stdout


def test_revoke_key_stops_it_at_once_and_says_so_twice(app, partner):
    raw = run(app, "issue-key", partner).stdout.strip()
    with app.app_context():
        key_id = db.session.scalars(db.select(ApiKey.public_id)).one()
    result = run(app, "revoke-key", PARTNER, key_id)
    assert result.exit_code == 0, result.stderr
    with app.app_context():
        assert partners.authenticate(raw) is None
    again = run(app, "revoke-key", PARTNER, key_id)
    assert again.exit_code == 0 and "already revoked" in again.stderr
    with app.app_context():
        assert (
            db.session.scalar(
                db.select(db.func.count(AuditEvent.id)).where(
                    AuditEvent.action == "api.key_revoked"
                )
            )
            == 1
        )
    assert "revoked" in run(app, "partners").stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (["issue-key", "Không có"], "no partner named"),
        (["revoke-key", PARTNER, "nope"], "has no key"),
    ],
)
def test_unknown_partner_or_key_is_refused(app, partner, args, message):
    result = run(app, *args)
    assert result.exit_code == 1 and message in result.stderr
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ApiKey.id))) == 0


def test_a_switched_off_partner_gets_no_key(app, partner):
    with app.app_context():
        admin = create_user(role="admin", email="admin2@example.vn")
        found = partners.partner_by_public_id(partner)
        partners.update_partner(
            found, name=found.name, contact=found.contact, note="", active=False, by=admin
        )
    result = run(app, "issue-key", partner)
    assert result.exit_code == 1 and "switched off" in result.stderr
