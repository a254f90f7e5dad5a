"""A confidential submitter is masked for everyone; only the assigned handler and the head of
the case's unit may reveal the identity, deliberately, with a reason, and every reveal lands
in the audit log before the identity is shown, once."""

import dataclasses
from dataclasses import dataclass

import pytest
from flask import render_template
from flask_login import login_user

from portal.cases import identity
from portal.cases.models import Case, CaseEvent
from portal.core.audit import AuditEvent
from portal.extensions import db
from tests.auth import sign_in
from tests.cases.factories import create_case
from tests.cases.wording import say
from tests.contacts.factories import create_unit
from tests.factories import create_user

NAME = "Đàm Thị Huyền Trang"
ADDRESS = "Số 12 ngõ 5 phố Kỳ Lừa"
PHONE = "+84915222333"
SHOWN_PHONE = "0915 222 333"
EMAIL = "huyen.trang.tc@example.vn"
REASON = "Cần mời người tố cáo đến làm việc để xác minh."


@dataclass
class Office:
    """A handling unit, its staff, and the staff of another unit and of the agency."""

    unit: object
    other_unit: object
    head: object
    handler: object  # assigned to the cases made with the office
    colleague: object  # a handler of the same unit, not assigned
    leader: object
    other_handler: object
    other_head: object
    editor: object
    admin: object


@pytest.fixture
def office(app):
    with app.app_context():
        unit = create_unit(name="Thanh tra", handles_cases=True)
        other = create_unit(name="Phòng Kế hoạch")
        return Office(
            unit=unit,
            other_unit=other,
            head=create_user(role="head", unit_id=unit.id),
            handler=create_user(role="handler", unit_id=unit.id),
            colleague=create_user(role="handler", unit_id=unit.id),
            leader=create_user(role="leader"),
            other_handler=create_user(role="handler", unit_id=other.id),
            other_head=create_user(role="head", unit_id=other.id),
            editor=create_user(role="editor"),
            admin=create_user(role="admin"),
        )


def make_case(app, office, *, kind="denunciation", named=True, **fields) -> Case:
    person = {"name": NAME, "address": ADDRESS, "phone": PHONE, "email": EMAIL} if named else {}
    fields.setdefault("status", "assigned")
    fields.setdefault("assignee_id", office.handler.id)
    confidential = fields.pop("confidential", None)
    with app.app_context():
        case, _ = create_case(kind=kind, handling_unit_id=office.unit.id, **person, **fields)
        if confidential is not None:  # the submitter asked (the factory sets denunciations)
            loaded = db.session.get(Case, case.id)
            loaded.confidential = confidential
            db.session.commit()
            case.confidential = confidential
    return case


def url(case) -> str:
    return f"/staff/cases/{case.number}/identity"


def reveals(app) -> list[AuditEvent]:
    with app.app_context():
        return db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "case.identity.revealed")
        ).all()


def assert_hidden(html: str) -> None:
    for value in (NAME, ADDRESS, PHONE, SHOWN_PHONE, EMAIL):
        assert value not in html


# --- Who sees what ---------------------------------------------------------------------------


def shown(app, office, who: str, case) -> identity.ShownIdentity:
    """What the case shows this staff member, its label rendered as the page would."""
    with app.test_request_context():
        user = db.session.get(type(office.head), getattr(office, who).id)
        loaded = db.session.get(Case, case.id)
        result = identity.shown_to(user, loaded)
        return dataclasses.replace(result, label=str(result.label))


@pytest.mark.parametrize("who", ["head", "handler", "colleague", "leader", "other_handler"])
def test_a_denouncer_is_masked_for_everyone(app, office, who):
    case = make_case(app, office)

    result = shown(app, office, who, case)

    assert result.state == identity.Shown.MASKED
    assert result.identity is None
    assert result.label == say(app, "Denouncer — identity protected")


@pytest.mark.parametrize(
    "who, can", [("head", True), ("handler", True), ("colleague", False), ("leader", False)]
)
def test_only_the_assigned_handler_and_the_head_are_offered_the_reveal(app, office, who, can):
    case = make_case(app, office)

    assert shown(app, office, who, case).can_reveal is can


def test_a_submitter_who_asked_for_confidentiality_is_masked_in_other_words(app, office):
    case = make_case(app, office, kind="petition", confidential=True)

    result = shown(app, office, "head", case)

    assert result.state == identity.Shown.MASKED
    assert result.label == say(app, "Submitter — identity protected")


def test_a_denunciation_reclassified_as_another_kind_keeps_the_denouncer_masked(app, office):
    case = make_case(app, office, kind="denunciation")
    with app.app_context():
        loaded = db.session.get(Case, case.id)
        loaded.kind = "petition"  # the handler corrected the kind; the number and flag stay
        db.session.commit()

    result = shown(app, office, "handler", case)

    assert result.state == identity.Shown.MASKED
    assert result.label == say(app, "Denouncer — identity protected")


@pytest.mark.parametrize("who", ["head", "handler"])
def test_those_who_work_a_case_that_is_not_confidential_see_the_submitter(app, office, who):
    case = make_case(app, office, kind="complaint")

    result = shown(app, office, who, case)

    assert result.state == identity.Shown.CLEAR
    assert result.identity.name == NAME
    assert result.identity.phone == PHONE


@pytest.mark.parametrize("who", ["colleague", "leader"])
def test_readers_who_do_not_work_the_case_see_it_masked(app, office, who):
    case = make_case(app, office, kind="complaint")

    result = shown(app, office, who, case)

    assert result.state == identity.Shown.MASKED
    assert result.identity is None
    assert result.label == say(app, "Submitter — shown only to those handling the case")


def test_an_anonymous_case_shows_anonymous(app, office):
    case = make_case(app, office, kind="reflection", named=False)

    result = shown(app, office, "head", case)

    assert (result.state, result.can_reveal) == (identity.Shown.ANONYMOUS, False)
    assert result.label == say(app, "Anonymous")


# --- The case page's section -----------------------------------------------------------------


def section(app, office, who: str, case) -> str:
    """The identity section of the case page as this staff member gets it."""
    with app.test_request_context():
        user = db.session.get(type(office.head), getattr(office, who).id)
        login_user(user)
        html = render_template("staff/cases/_identity.html", case=db.session.get(Case, case.id))
        db.session.remove()
        return html


def test_the_section_masks_a_denouncer_and_offers_the_head_the_reveal(app, office):
    case = make_case(app, office)

    html = section(app, office, "head", case)

    assert say(app, "Denouncer — identity protected") in html
    assert f'href="{url(case)}"' in html
    assert_hidden(html)


def test_the_section_offers_a_leader_no_reveal(app, office):
    case = make_case(app, office)

    html = section(app, office, "leader", case)

    assert say(app, "Denouncer — identity protected") in html
    assert url(case) not in html
    assert_hidden(html)


def test_the_section_shows_a_complainant_to_the_assigned_handler(app, office):
    case = make_case(app, office, kind="complaint")

    html = section(app, office, "handler", case)

    assert NAME in html and ADDRESS in html and SHOWN_PHONE in html and EMAIL in html
    assert url(case) not in html


def test_the_section_masks_a_complainant_for_a_colleague(app, office):
    case = make_case(app, office, kind="complaint")

    html = section(app, office, "colleague", case)

    assert_hidden(html)
    assert say(app, "Submitter — shown only to those handling the case") in html


# --- Revealing -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["head", "handler"])
def test_the_reveal_page_asks_for_a_reason_and_shows_nothing_yet(app, client, office, who):
    case = make_case(app, office)
    sign_in(client, getattr(office, who))

    html = client.get(url(case)).get_data(as_text=True)

    assert say(app, "Why you need to see the identity") in html
    assert say(app, "Denouncer — identity protected") in html
    assert_hidden(html)
    assert reveals(app) == []


@pytest.mark.parametrize("who", ["head", "handler"])
def test_a_reveal_with_a_reason_shows_the_identity_once_and_is_audited(app, client, office, who):
    case = make_case(app, office)
    user = getattr(office, who)
    sign_in(client, user)

    response = client.submit(url(case), {"reason": REASON}, expect=200)

    html = response.get_data(as_text=True)
    assert NAME in html and ADDRESS in html and SHOWN_PHONE in html and EMAIL in html
    assert response.headers["Cache-Control"] == "no-store"
    [entry] = reveals(app)
    assert (entry.actor_id, entry.target_type, entry.target_id) == (user.id, "case", case.number)
    assert entry.detail == {"reason": REASON}
    assert entry.hash and entry.ip
    with client.session_transaction() as stored:
        assert_hidden(repr(dict(stored)))


def test_a_reveal_lands_on_the_internal_timeline(app, client, office):
    case = make_case(app, office)
    sign_in(client, office.handler)

    client.submit(url(case), {"reason": REASON}, expect=200)

    with app.app_context():
        event = db.session.scalars(
            db.select(CaseEvent).where(
                CaseEvent.case_id == case.id, CaseEvent.action == "identity-revealed"
            )
        ).one()
        assert (event.public, event.staff_user_id, event.note) == (False, office.handler.id, REASON)


def test_each_reveal_is_audited(app, client, office):
    case = make_case(app, office)
    sign_in(client, office.head)

    client.submit(url(case), {"reason": REASON}, expect=200)
    client.submit(url(case), {"reason": "Lần thứ hai"}, expect=200)

    assert [e.detail["reason"] for e in reveals(app)] == [REASON, "Lần thứ hai"]


def test_a_reveal_without_a_reason_is_refused_and_shows_nothing(app, client, office):
    case = make_case(app, office)
    sign_in(client, office.head)

    response = client.submit(url(case), {"reason": "   "}, expect=400)

    html = response.get_data(as_text=True)
    assert say(app, "Enter why you need to see the identity") in html
    assert_hidden(html)
    assert reveals(app) == []


def test_a_reveal_without_the_form_token_is_refused(app, client, office):
    case = make_case(app, office)
    sign_in(client, office.head)

    response = client.post(url(case), data={"reason": REASON})

    assert response.status_code == 400
    assert_hidden(response.get_data(as_text=True))
    assert reveals(app) == []


def test_a_reveal_is_only_by_post(app, client, office):
    case = make_case(app, office)
    sign_in(client, office.head)

    html = client.get(url(case) + "?reason=x").get_data(as_text=True)

    assert_hidden(html)
    assert reveals(app) == []


@pytest.mark.parametrize(
    "who, status",
    [
        ("colleague", 403),  # reads the unit's cases, not assigned this one
        ("leader", 403),  # reads every case, changes nothing
        ("editor", 403),  # sees no cases
        ("admin", 403),
        ("other_handler", 404),  # another unit's case does not exist for them
        ("other_head", 404),
    ],
)
def test_nobody_else_may_reveal(app, client, office, who, status):
    case = make_case(app, office)
    sign_in(client, getattr(office, who))
    token = client.csrf_token("/staff/account/password")

    page = client.raw.get(url(case))
    response = client.raw.post(url(case), data={"csrf_token": token, "reason": REASON})

    assert (page.status_code, response.status_code) == (status, status)
    assert_hidden(page.get_data(as_text=True) + response.get_data(as_text=True))
    assert reveals(app) == []


def test_the_head_of_a_unit_asked_for_input_may_not_reveal(app, client, office):
    case = make_case(app, office)
    with app.app_context():
        from datetime import date

        from portal.cases.models import CaseConsultation

        db.session.add(
            CaseConsultation(
                case_id=case.id,
                unit_id=office.other_unit.id,
                question="Xin ý kiến",
                due_on=date(2026, 12, 31),
            )
        )
        db.session.commit()
    sign_in(client, office.other_head)
    token = client.csrf_token("/staff/account/password")

    response = client.raw.post(url(case), data={"csrf_token": token, "reason": REASON})

    assert response.status_code == 403
    assert reveals(app) == []


def test_a_handler_no_longer_assigned_may_not_reveal(app, client, office):
    case = make_case(app, office, assignee_id=office.colleague.id)
    sign_in(client, office.handler)
    token = client.csrf_token("/staff/account/password")

    response = client.raw.post(url(case), data={"csrf_token": token, "reason": REASON})

    assert response.status_code == 403
    assert reveals(app) == []


def test_an_anonymous_case_has_nothing_to_reveal(app, client, office):
    case = make_case(app, office, kind="reflection", named=False)
    sign_in(client, office.head)

    client.get(url(case), expect=404)


def test_a_signed_out_visitor_is_sent_to_sign_in(app, client, office):
    case = make_case(app, office)

    response = client.raw.post(url(case), data={"reason": REASON})

    assert response.status_code in (302, 400)
    assert reveals(app) == []
