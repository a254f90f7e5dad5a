"""What a citizen can do on the case page: withdraw, rate once a case is closed."""

import pytest

from portal.cases.models import Case, CaseEvent
from portal.core.audit import AuditEvent
from portal.extensions import db
from tests.cases.factories import create_case
from tests.cases.test_tracking import case_url, error_summary, open_case
from tests.cases.wording import say


def _saved(app, case):
    with app.app_context():
        saved = db.session.scalar(db.select(Case).where(Case.public_id == case.public_id))
        db.session.expunge(saved)
        return saved


@pytest.mark.parametrize("kind", ["reflection", "petition", "complaint", "denunciation"])
def test_a_received_case_can_be_withdrawn_with_a_reason(app, client, kind):
    with app.app_context():
        case, key = create_case(kind=kind, name="Nguyễn Văn A", email="a@example.vn")
    open_case(client, case, key, expect=302)
    client.submit(
        f"{case_url(case)}/rut",
        {"reason": "Đã được giải quyết trực tiếp"},
        token_from=case_url(case),
        expect=302,
    )
    saved = _saved(app, case)
    assert saved.status == "withdrawn"
    assert saved.withdrawn_at is not None
    assert saved.withdrawal_reason == "Đã được giải quyết trực tiếp"
    html = client.get(case_url(case)).get_data(as_text=True)
    assert say(app, "Case withdrawn") in html
    assert "Đã được giải quyết trực tiếp" in html
    assert f"{case_url(case)}/rut" not in html  # no second withdrawal offered
    with app.app_context():
        audit = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "case.withdrawn")
        ).one()
        assert audit.target_id == case.public_id
        assert "Đã được" not in str(audit.detail)
        event = db.session.scalars(
            db.select(CaseEvent).where(CaseEvent.action == "withdrawn")
        ).one()
        assert (event.from_status, event.to_status) == ("received", "withdrawn")


def test_withdrawal_needs_a_reason(app, client):
    with app.app_context():
        case, key = create_case(kind="complaint", name="B", email="b@example.vn")
    open_case(client, case, key, expect=302)
    page = client.submit(
        f"{case_url(case)}/rut", {"reason": ""}, token_from=case_url(case), expect=400
    )
    assert say(app, "Enter the reason for withdrawing") in error_summary(page)
    assert _saved(app, case).status == "received"


@pytest.mark.parametrize("status", ["closed", "withdrawn"])
def test_a_concluded_case_cannot_be_withdrawn(app, client, status):
    with app.app_context():
        case, key = create_case(kind="denunciation", status=status, name="C", email="c@x.vn")
    open_case(client, case, key, expect=302)
    assert f"{case_url(case)}/rut" not in client.get(case_url(case)).get_data(as_text=True)
    client.submit(f"{case_url(case)}/rut", {"reason": "x"}, token_from=case_url(case), expect=302)
    assert _saved(app, case).status == status


def test_a_closed_case_can_be_rated_once(app, client):
    with app.app_context():
        case, key = create_case(status="closed")
    open_case(client, case, key, expect=302)
    assert f"{case_url(case)}/danh-gia" in client.get(case_url(case)).get_data(as_text=True)
    client.submit(
        f"{case_url(case)}/danh-gia",
        {"rating": "4", "solved": "yes", "comment": "Cán bộ nhiệt tình"},
        token_from=case_url(case),
        expect=302,
    )
    saved = _saved(app, case)
    assert (saved.rating, saved.solved, saved.rating_comment) == (4, True, "Cán bộ nhiệt tình")
    assert saved.rated_at is not None
    html = client.get(case_url(case)).get_data(as_text=True)
    assert f"{case_url(case)}/danh-gia" not in html
    assert "Cán bộ nhiệt tình" in html
    client.submit(
        f"{case_url(case)}/danh-gia",
        {"rating": "1", "solved": "no"},
        token_from=case_url(case),
        expect=302,
    )
    assert _saved(app, case).rating == 4


def test_an_open_case_cannot_be_rated(app, client):
    with app.app_context():
        case, key = create_case()
    open_case(client, case, key, expect=302)
    assert f"{case_url(case)}/danh-gia" not in client.get(case_url(case)).get_data(as_text=True)
    client.submit(
        f"{case_url(case)}/danh-gia",
        {"rating": "5", "solved": "yes"},
        token_from=case_url(case),
        expect=302,
    )
    assert _saved(app, case).rating is None


@pytest.mark.parametrize(
    "data", [{"rating": "", "solved": "yes"}, {"rating": "6", "solved": "yes"}, {"rating": "3"}]
)
def test_a_rating_must_be_complete(app, client, data):
    with app.app_context():
        case, key = create_case(status="closed")
    open_case(client, case, key, expect=302)
    client.submit(f"{case_url(case)}/danh-gia", data, token_from=case_url(case), expect=400)
    assert _saved(app, case).rating is None
