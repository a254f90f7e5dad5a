"""The citizen's case page through the handling workflow: what each status means, the public
timeline only, the deadlines that apply, withdrawal through the transitions table, rating."""

from datetime import date, timedelta

import pytest

from portal.cases import tracking
from portal.cases.models import Case, CaseEvent, CaseExtension, CaseStatus
from portal.core.workdays import local_date
from portal.extensions import db
from tests.cases.factories import create_case
from tests.cases.test_tracking import case_url, open_case
from tests.cases.wording import say


def _page(app, client, **fields) -> tuple[Case, str]:
    with app.app_context():
        case, key = create_case(
            kind="complaint", name="Lý Thị Hoa", email="hoa@example.vn", **fields
        )
    open_case(client, case, key, expect=302)
    return case, client.get(case_url(case)).get_data(as_text=True)


def _shown(app, text) -> str:
    with app.test_request_context():
        return str(text)


@pytest.mark.parametrize("status", list(CaseStatus))
def test_every_status_is_explained_in_plain_words(app, client, status):
    _case, html = _page(app, client, status=status)
    assert _shown(app, tracking.STATUS_TEXT[status]) in html


def test_internal_events_never_reach_the_timeline(app, client):
    with app.app_context():
        case, key = create_case(kind="complaint", name="Lý Thị Hoa", email="hoa@example.vn")
        for action, public, note in (
            ("note", False, "Ghi chú nội bộ: đã gọi điện cho phòng A"),
            ("response-returned", False, "Bổ sung căn cứ"),
            ("status:accepted", True, ""),
            ("something-new", True, ""),
        ):
            db.session.add(
                CaseEvent(
                    case_id=case.id,
                    actor="staff",
                    action=action,
                    public=public,
                    note=note,
                    to_status="accepted" if action == "status:accepted" else None,
                )
            )
        db.session.commit()
    open_case(client, case, key, expect=302)
    html = client.get(case_url(case)).get_data(as_text=True)
    assert "Ghi chú nội bộ" not in html and "Bổ sung căn cứ" not in html
    assert _shown(app, tracking.MOVE_TEXT[CaseStatus.ACCEPTED]) in html
    assert _shown(app, tracking.UPDATED) in html
    assert "something-new" not in html and "status:accepted" not in html


def test_a_public_note_is_shown_with_its_event(app, client):
    with app.app_context():
        case, key = create_case(
            kind="complaint",
            status="transferred",
            name="H",
            email="h@x.vn",
            transferred_to="UBND xã Tân Thanh",
        )
        db.session.add(
            CaseEvent(
                case_id=case.id,
                actor="staff",
                action="status:transferred",
                public=True,
                from_status="classified",
                to_status="transferred",
                note="Nội dung thuộc thẩm quyền của xã",
            )
        )
        db.session.commit()
    open_case(client, case, key, expect=302)
    html = client.get(case_url(case)).get_data(as_text=True)
    assert "Nội dung thuộc thẩm quyền của xã" in html
    assert "UBND xã Tân Thanh" in html


def test_before_acceptance_the_acceptance_deadline_is_shown(app, client):
    case, html = _page(app, client, status="classified")
    assert case.acceptance_due_on.strftime("%d/%m/%Y") in html


def test_after_acceptance_the_resolution_deadline_and_extensions_are_shown(app, client):
    with app.app_context():
        case, key = create_case(
            kind="denunciation",
            status="verifying",
            name="H",
            email="h@x.vn",
            accepted_on=date(2026, 11, 2),
            resolution_due_on=date(2027, 1, 4),
            complexity=1,
        )
        db.session.add(
            CaseExtension(
                case_id=case.id,
                ordinal=1,
                reason="Cần giám định tài liệu",
                decided_on=date(2026, 11, 25),
                due_on=date(2027, 1, 4),
            )
        )
        db.session.commit()
    open_case(client, case, key, expect=302)
    html = client.get(case_url(case)).get_data(as_text=True)
    assert "02/11/2026" in html and "04/01/2027" in html and "25/11/2026" in html
    assert "Cần giám định tài liệu" in html
    assert say(app, "To be resolved by") in html
    assert case.acceptance_due_on.strftime("%d/%m/%Y") not in html


def test_a_refusal_shows_its_legal_reason(app, client):
    _case, html = _page(app, client, status="not-accepted", refusal_reason="already-resolved")
    assert (
        say(app, "Already resolved with a final decision or conclusion, and nothing new is raised")
        in html
    )


def test_a_case_being_worked_is_withdrawn_through_the_workflow(app, client):
    with app.app_context():
        case, key = create_case(
            kind="complaint",
            status="assigned",
            name="H",
            email="h@x.vn",
            due_on=date(2026, 12, 14),
            accepted_on=date(2026, 11, 2),
        )
    open_case(client, case, key, expect=302)
    client.submit(
        f"{case_url(case)}/rut",
        {"reason": "Đã tự thỏa thuận"},
        token_from=case_url(case),
        expect=302,
    )
    with app.app_context():
        saved = db.session.scalar(db.select(Case).where(Case.id == case.id))
        assert saved.status == "withdrawn"
        assert saved.due_on is None
        assert saved.retain_until == local_date(saved.withdrawn_at) + timedelta(
            days=app.config["CASE_RETENTION_DAYS"]["complaint"]
        )
        event = db.session.scalars(
            db.select(CaseEvent).where(CaseEvent.action == "withdrawn")
        ).one()
        assert (event.from_status, event.to_status, event.public) == ("assigned", "withdrawn", True)


def test_an_answered_case_is_no_longer_withdrawn_but_can_be_rated(app, client):
    case, html = _page(app, client, status="responded")
    assert f"{case_url(case)}/rut" not in html
    assert f"{case_url(case)}/danh-gia" in html
    client.submit(f"{case_url(case)}/rut", {"reason": "x"}, token_from=case_url(case), expect=302)
    client.submit(
        f"{case_url(case)}/danh-gia",
        {"rating": "5", "solved": "yes"},
        token_from=case_url(case),
        expect=302,
    )
    with app.app_context():
        saved = db.session.scalar(db.select(Case).where(Case.id == case.id))
        assert (saved.status, saved.rating) == ("responded", 5)


@pytest.mark.parametrize("status", ["received", "assigned", "approved", "not-accepted"])
def test_a_case_not_yet_answered_cannot_be_rated(app, client, status):
    case, html = _page(app, client, status=status)
    assert f"{case_url(case)}/danh-gia" not in html
