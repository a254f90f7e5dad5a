import pytest

from portal.core import audit
from portal.extensions import db
from tests.factories import create_user


@pytest.fixture
def request_from(app):
    """Run inside a request from a known address."""
    with app.test_request_context(environ_base={"REMOTE_ADDR": "203.0.113.7"}):
        yield


@pytest.fixture
def recorded(request_from):
    """Give an audit event recorded and committed by a staff member."""
    user = create_user(role="admin")
    audit.record("test.recorded", actor=user, target_type="staff_user", target_id=user.public_id)
    db.session.commit()
    event = db.session.scalar(
        db.select(audit.AuditEvent).where(audit.AuditEvent.action == "test.recorded")
    )
    return user, event


def test_record_stores_who_did_what_to_what(recorded):
    user, event = recorded

    assert event.actor_id == user.id
    assert event.actor_label == user.email
    assert event.action == "test.recorded"
    assert (event.target_type, event.target_id) == ("staff_user", user.public_id)
    assert event.occurred_at is not None


def test_record_stores_the_address_the_request_came_from(recorded):
    _, event = recorded

    assert event.ip == "203.0.113.7"


def test_record_outside_a_request_stores_no_address(app):
    with app.app_context():
        audit.record("test.from-the-shell")
        db.session.commit()

        event = db.session.scalar(db.select(audit.AuditEvent))

    assert event.ip is None
    assert event.actor_id is None


def test_record_waits_for_the_callers_commit(request_from):
    audit.record("test.rolled-back")
    db.session.rollback()

    assert db.session.scalar(db.select(audit.AuditEvent)) is None


def test_changing_an_audit_event_is_refused(recorded):
    _, event = recorded
    event.action = "test.rewritten"

    with pytest.raises(audit.AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()

    assert db.session.get(audit.AuditEvent, event.id).action == "test.recorded"


def test_deleting_an_audit_event_is_refused(recorded):
    _, event = recorded
    db.session.delete(event)

    with pytest.raises(audit.AuditLogIsAppendOnly):
        db.session.commit()
    db.session.rollback()

    assert db.session.get(audit.AuditEvent, event.id) is not None
