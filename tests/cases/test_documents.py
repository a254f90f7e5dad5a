"""Printable documents: acceptance and refusal notices, transfer letter, extension notice.

HTML for print with the case's data, audited as exports; a confidential submitter is masked
unless someone allowed to reveal prints it with a reason.
"""

from datetime import date

import pytest

from portal.cases.models import Case, CaseEvent, CaseExtension
from portal.core.audit import AuditEvent
from portal.extensions import db
from tests.auth import sign_in
from tests.cases.factories import create_case
from tests.cases.test_responses import AGENCY, CITIZEN, make_world
from tests.cases.wording import say
from tests.contacts.factories import create_unit
from tests.factories import create_user


def doc_url(world, name, **query):
    url = f"{world.case_url}/documents/{name}"
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def printed(app):
    with app.app_context():
        return [
            e.detail
            for e in db.session.scalars(
                db.select(AuditEvent)
                .where(AuditEvent.action == "case.document.printed")
                .order_by(AuditEvent.id)
            )
        ]


def test_the_acceptance_notice_carries_the_case_data(app, client):
    world = make_world(app, kind="complaint", status="assigned")
    sign_in(client, world.handler)
    page = client.get(doc_url(world, "acceptance-notice"))
    html = page.get_data(as_text=True)
    assert world.case.number in html
    assert AGENCY.upper() in html
    assert world.case.received_on.strftime("%d/%m/%Y") in html
    assert "02/11/2026" in html  # accepted on
    assert "14/12/2026" in html  # resolution deadline
    assert CITIZEN in html  # a complaint: the handler who works it sees the complainant
    assert "<script" not in html
    assert "css/document.css" in html
    assert say(app, "SOCIALIST REPUBLIC OF VIETNAM") in html
    assert printed(app) == [{"document": "acceptance-notice", "revealed": False}]
    with app.app_context():
        entry = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "case.document.printed")
        ).one()
        assert (entry.target_id, entry.actor_id) == (world.case.number, world.handler.id)


def test_a_leader_prints_the_notice_with_the_submitter_masked(app, client):
    world = make_world(app, kind="complaint", status="assigned")
    with app.app_context():
        leader = create_user(role="leader")
    sign_in(client, leader)
    html = client.get(doc_url(world, "acceptance-notice")).get_data(as_text=True)
    assert CITIZEN not in html
    assert "Nà Chè" not in html
    assert 'name="reason"' not in html  # a leader cannot reveal


def test_a_denouncer_is_masked_until_revealed_with_a_reason(app, client):
    world = make_world(app, kind="denunciation", status="assigned")
    sign_in(client, world.handler)
    url = doc_url(world, "acceptance-notice")
    html = client.get(url).get_data(as_text=True)
    assert CITIZEN not in html and "Nà Chè" not in html
    assert say(app, "Denouncer — identity protected") in html
    assert 'name="reason"' in html
    page = client.submit(url, {"reason": ""}, expect=400)
    assert CITIZEN not in page.get_data(as_text=True)
    page = client.submit(url, {"reason": "Gửi thông báo thụ lý qua bưu điện"}, expect=200)
    html = page.get_data(as_text=True)
    assert CITIZEN in html and "Nà Chè" in html
    assert page.headers["Cache-Control"] == "no-store"
    with app.app_context():
        reveal = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "case.identity.revealed")
        ).one()
        assert reveal.detail["reason"] == "Gửi thông báo thụ lý qua bưu điện"
        assert CITIZEN not in str(reveal.detail)
    assert printed(app)[-1] == {"document": "acceptance-notice", "revealed": True}
    for detail in printed(app):
        assert CITIZEN not in str(detail)


def test_only_those_who_may_reveal_can_print_a_denouncer_unmasked(app, client):
    world = make_world(app, kind="denunciation", status="assigned")
    sign_in(client, world.other_handler)  # same unit, not assigned
    url = doc_url(world, "acceptance-notice")
    html = client.get(url).get_data(as_text=True)
    assert CITIZEN not in html and 'name="reason"' not in html
    client.submit(url, {"reason": "tò mò"}, token_from="/staff/cases", expect=403)
    with app.app_context():
        assert not db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "case.identity.revealed")
        ).all()


def test_the_refusal_notice_gives_the_legal_reason(app, client):
    world = make_world(
        app,
        status="not-accepted",
        accepted_on=None,
        resolution_due_on=None,
        due_on=None,
        refusal_reason="before-court",
    )
    with app.app_context():
        db.session.add(
            CaseEvent(
                case_id=world.case.id,
                actor="staff",
                action="status:not-accepted",
                from_status="classified",
                to_status="not-accepted",
                public=True,
                note="Tòa án nhân dân tỉnh đã thụ lý vụ án.",
            )
        )
        db.session.commit()
    sign_in(client, world.head)
    html = client.get(doc_url(world, "refusal-notice")).get_data(as_text=True)
    assert say(app, "A court has accepted or decided the same matter") in html
    assert "Tòa án nhân dân tỉnh đã thụ lý vụ án." in html
    # An accepted-case document does not apply to this case.
    client.get(doc_url(world, "acceptance-notice"), expect=404)


def test_the_transfer_letter_names_the_competent_body(app, client):
    world = make_world(
        app,
        status="transferred",
        accepted_on=None,
        resolution_due_on=None,
        due_on=None,
        transferred_to="Ủy ban nhân dân xã Hữu Lũng",
    )
    sign_in(client, world.head)
    html = client.get(doc_url(world, "transfer-letter")).get_data(as_text=True)
    assert "Ủy ban nhân dân xã Hữu Lũng" in html
    assert say(app, "TRANSFER LETTER") in html


def test_the_extension_notice_gives_the_reason_and_new_deadline(app, client):
    world = make_world(app, kind="denunciation", status="verifying", complexity=2)
    with app.app_context():
        for ordinal, due in ((1, date(2027, 1, 4)), (2, date(2027, 2, 1))):
            db.session.add(
                CaseExtension(
                    case_id=world.case.id,
                    ordinal=ordinal,
                    reason=f"Cần xác minh tại nhiều địa điểm (lần {ordinal})",
                    decided_on=date(2026, 11, 20),
                    due_on=due,
                )
            )
        db.session.commit()
    sign_in(client, world.handler)
    latest = client.get(doc_url(world, "extension-notice")).get_data(as_text=True)
    assert "(lần 2)" in latest and "01/02/2027" in latest
    first = client.get(doc_url(world, "extension-notice", extension=1)).get_data(as_text=True)
    assert "(lần 1)" in first and "04/01/2027" in first and "20/11/2026" in first
    client.get(doc_url(world, "extension-notice", extension=3), expect=404)
    assert printed(app)[-1] == {"document": "extension-notice", "revealed": False, "extension": 1}


def test_unknown_or_inapplicable_documents_are_not_found(app, client):
    world = make_world(app, status="assigned")
    sign_in(client, world.handler)
    client.get(doc_url(world, "nonsense"), expect=404)
    client.get(doc_url(world, "extension-notice"), expect=404)
    client.get(doc_url(world, "transfer-letter"), expect=404)
    assert printed(app) == []


@pytest.mark.parametrize(("role", "expect"), [("editor", 403), ("admin", 403), ("stranger", 404)])
def test_documents_are_for_those_who_read_the_case(app, client, role, expect):
    world = make_world(app, status="assigned")
    with app.app_context():
        if role == "stranger":
            user = create_user(role="handler", unit_id=create_unit().id)
        else:
            user = create_user(role=role)
    sign_in(client, user)
    client.get(doc_url(world, "acceptance-notice"), expect=expect)


def test_the_documents_partial_lists_what_applies(app):
    from flask import render_template

    with app.app_context():
        case, _ = create_case(kind="complaint", status="assigned", accepted_on=date(2026, 11, 2))
    with app.test_request_context(f"/staff/cases/{case.number}/documents/acceptance-notice"):
        loaded = db.session.scalar(db.select(Case).where(Case.number == case.number))
        html = render_template("staff/cases/_documents.html", case=loaded)
        assert f"/staff/cases/{case.number}/documents/acceptance-notice" in html
        assert "refusal-notice" not in html and "transfer-letter" not in html
