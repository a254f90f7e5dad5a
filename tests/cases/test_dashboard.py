"""The staff dashboard's card of cases: what is open, overdue and due soon for this member."""

from datetime import timedelta

from flask_babel import ngettext

from portal.cases.models import CaseStatus
from tests.auth import sign_in
from tests.cases import test_case_page
from tests.cases.factories import create_case
from tests.cases.test_case_page import today

team = test_case_page.team


def _numbered(app, singular, plural, n):
    with app.test_request_context():
        return str(ngettext(singular, plural, n))


def test_a_handler_sees_their_own_open_overdue_and_due_soon_cases(app, client, team):
    with app.app_context():
        mine = {"handling_unit_id": team.unit.id, "assignee_id": team.handler.id}
        for days in (-3, -1):  # overdue
            create_case(status=CaseStatus.ASSIGNED, due_on=today() + timedelta(days=days), **mine)
        create_case(status=CaseStatus.ASSIGNED, due_on=today(), **mine)  # due soon
        create_case(status=CaseStatus.ASSIGNED, due_on=today() + timedelta(days=60), **mine)
        # A colleague's overdue case is not in this handler's numbers.
        create_case(
            status=CaseStatus.ASSIGNED,
            due_on=today() - timedelta(days=5),
            handling_unit_id=team.unit.id,
            assignee_id=team.handler2.id,
        )
    sign_in(client, team.handler)

    html = client.get("/staff/").get_data(as_text=True)

    assert _numbered(app, "%(num)d open case", "%(num)d open cases", 4) in html
    assert _numbered(app, "%(num)d overdue", "%(num)d overdue", 2) in html
    assert _numbered(app, "%(num)d due soon", "%(num)d due soon", 1) in html
    assert 'href="/staff/cases?deadline=overdue"' in html


def test_an_editor_has_no_card_of_cases(app, client, team):
    sign_in(client, team.editor)
    html = client.get("/staff/").get_data(as_text=True)
    assert "/staff/cases" not in html
