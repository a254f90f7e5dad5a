"""The citizen-reception logbook (sổ tiếp công dân): who received whom, what was asked, the
cases it produced; the visitors' names sealed, shown only on an entry's page and audited."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from portal.accounts.models import User
from portal.cases import reception_log
from portal.cases.models import ReceptionEntry
from portal.cases.reception_log import EntryData, record_entry
from portal.core.audit import AuditEvent
from portal.core.workdays import local_date
from portal.extensions import db
from tests.auth import sign_in
from tests.cases.factories import create_case
from tests.cases.wording import say, shown_date
from tests.contacts.factories import create_session, create_unit
from tests.factories import create_user

LOG_URL = "/staff/reception-log"
NEW_URL = "/staff/reception-log/new"
VISITORS = "Lý Thị Mai, Đàm Văn Quyết"


def today():
    return local_date(datetime.now(UTC))


@pytest.fixture
def unit(app):
    with app.app_context():
        return create_unit(handles_cases=True)


def staff(app, unit, role="handler", **fields):
    with app.app_context():
        return create_user(role=role, unit_id=unit.id, **fields)


def add_entry(app, user, *, received_on=None, visitors=VISITORS, people=2, subject=None):
    """Write an entry through the service, as the form would; return its public_id."""
    with app.app_context():
        entry = record_entry(
            EntryData(
                received_on=received_on or today(),
                received_by="Hà Văn Nhận, chuyên viên",
                visitors=visitors,
                people_count=people,
                subject=subject or "Hỏi về tiền bồi thường đất",
                outcome="Hướng dẫn gửi đơn",
            ),
            actor=db.session.get(User, user.id),
        )
        return entry.public_id


def visit(**fields) -> dict:
    return {
        "received_on": today().isoformat(),
        "received_by": "Hà Văn Nhận, chuyên viên",
        "visitors": VISITORS,
        "people_count": "2",
        "subject": "Hỏi về tiền bồi thường đất",
        "outcome": "Hướng dẫn gửi đơn",
        **fields,
    }


def viewed(app) -> list[AuditEvent]:
    with app.app_context():
        return list(
            db.session.scalars(
                db.select(AuditEvent).where(AuditEvent.action == "reception.visitors.viewed")
            )
        )


# --- writing an entry -------------------------------------------------------------------------


def test_a_visit_is_logged_with_the_names_sealed(app, client, unit):
    handler = staff(app, unit, full_name="Hà Văn Nhận")
    sign_in(client, handler)
    form = client.get(NEW_URL).get_data(as_text=True)
    assert 'value="Hà Văn Nhận"' in form  # who received: the signed-in official
    assert f'value="{today().isoformat()}"' in form
    response = client.submit(NEW_URL, visit(), expect=302)
    with app.app_context():
        entry = db.session.scalars(db.select(ReceptionEntry)).one()
        assert "Lý Thị Mai" not in entry.visitors_sealed and "Mai" not in entry.visitors_sealed
        assert entry.recorded_by_id == handler.id
        assert entry.people_count == 2
        audit = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "reception.recorded")
        ).one()
        assert "Mai" not in str(audit.detail) and "bồi thường" not in str(audit.detail)
        assert response.headers["Location"] == f"{LOG_URL}/{entry.public_id}"


def test_a_refused_entry_keeps_what_was_typed(app, client, unit):
    sign_in(client, staff(app, unit))
    html = client.submit(NEW_URL, visit(subject="", people_count="zero"), expect=400).get_data(
        as_text=True
    )
    summary = html[html.index('class="error-summary"') :]
    assert say(app, "Enter what was asked") in summary
    assert say(app, "Enter a whole number, like 3") in summary
    assert VISITORS in html and "Hướng dẫn gửi đơn" in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ReceptionEntry.id))) == 0


def test_a_visit_in_the_future_is_refused(app, client, unit):
    sign_in(client, staff(app, unit))
    tomorrow = (today() + timedelta(days=1)).isoformat()
    html = client.submit(NEW_URL, visit(received_on=tomorrow), expect=400).get_data(as_text=True)
    assert say(app, "The date of the visit cannot be in the future") in html


def test_a_reception_session_of_that_day_may_be_linked(app, client, unit):
    with app.app_context():
        session_today = create_session(day=today(), host="Giám đốc Sở")
        earlier = create_session(day=today() - timedelta(days=3))
    sign_in(client, staff(app, unit))
    html = client.submit(NEW_URL, visit(reception_session=earlier.public_id), expect=400).get_data(
        as_text=True
    )
    assert (
        say(
            app,
            "That session was on %(day)s: choose the session of the visit's date, or None",
            day=shown_date(app, earlier.day),
        )
        in html
    )
    response = client.submit(NEW_URL, visit(reception_session=session_today.public_id), expect=302)
    with app.app_context():
        entry = db.session.scalars(db.select(ReceptionEntry)).one()
        assert entry.reception_session_id == session_today.id
    assert "Giám đốc Sở" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_a_group_visit_is_marked(app, client, unit):
    handler = staff(app, unit)
    sign_in(client, handler)
    form = client.get(NEW_URL).get_data(as_text=True)
    assert "đông người" in form  # the hint on the number of people
    public_id = add_entry(app, handler, people=7)
    add_entry(app, handler, people=4, subject="Một nhóm nhỏ")
    assert say(app, "group visit") in client.get(f"{LOG_URL}/{public_id}").get_data(as_text=True)
    listing = client.get(LOG_URL).get_data(as_text=True)
    assert listing.count(f"({say(app, 'group visit')})") == 1


# --- reading ----------------------------------------------------------------------------------


def test_the_list_shows_no_names(app, client, unit):
    handler = staff(app, unit)
    public_id = add_entry(app, handler)
    sign_in(client, handler)
    html = client.get(LOG_URL).get_data(as_text=True)
    assert "Hỏi về tiền bồi thường đất" in html
    assert "Hà Văn Nhận, chuyên viên" in html
    assert public_id in html
    assert "Lý Thị Mai" not in html and "Đàm Văn Quyết" not in html
    assert viewed(app) == []


def test_the_entry_page_shows_the_names_to_handlers_and_audits_it(app, client, unit):
    handler = staff(app, unit)
    public_id = add_entry(app, handler)
    sign_in(client, handler)
    html = client.get(f"{LOG_URL}/{public_id}").get_data(as_text=True)
    assert "Lý Thị Mai, Đàm Văn Quyết" in html
    events = viewed(app)
    assert len(events) == 1
    assert events[0].actor_id == handler.id
    assert events[0].target_id == public_id
    assert "Mai" not in str(events[0].detail)


def test_leaders_read_the_logbook_without_the_names(app, client, unit):
    handler = staff(app, unit)
    public_id = add_entry(app, handler)
    sign_in(client, staff(app, unit, role="leader"))
    assert "Hỏi về tiền bồi thường đất" in client.get(LOG_URL).get_data(as_text=True)
    html = client.get(f"{LOG_URL}/{public_id}").get_data(as_text=True)
    assert "Lý Thị Mai" not in html
    assert say(app, "Kept confidential: shown only to staff who handle cases.") in html
    assert say(app, "Record a case from this visit") not in html
    assert viewed(app) == []
    client.get(NEW_URL, expect=403)


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_editors_and_admins_see_no_logbook(app, client, unit, role):
    public_id = add_entry(app, staff(app, unit))
    sign_in(client, staff(app, unit, role=role))
    client.get(LOG_URL, expect=403)
    client.get(f"{LOG_URL}/{public_id}", expect=403)
    client.get(NEW_URL, expect=403)


def test_an_unknown_entry_is_not_found(app, client, unit):
    sign_in(client, staff(app, unit))
    client.get(f"{LOG_URL}/nothing-here", expect=404)


def test_the_list_is_newest_first_and_filters_by_month(app, client, unit):
    handler = staff(app, unit)
    this_month = today().replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    add_entry(app, handler, received_on=last_month, subject="Việc tháng trước")
    add_entry(app, handler, received_on=this_month, subject="Việc tháng này")
    sign_in(client, handler)
    html = client.get(LOG_URL).get_data(as_text=True)
    assert html.index("Việc tháng này") < html.index("Việc tháng trước")
    filtered = client.get(f"{LOG_URL}?month={last_month:%Y-%m}").get_data(as_text=True)
    assert "Việc tháng trước" in filtered and "Việc tháng này" not in filtered
    assert f'value="{last_month:%Y-%m}" selected' in filtered
    # A month that is not one shows everything rather than failing.
    assert "Việc tháng này" in client.get(f"{LOG_URL}?month=2026-13").get_data(as_text=True)


def test_the_list_is_paginated(app, client, unit, monkeypatch):
    monkeypatch.setattr(reception_log, "PER_PAGE", 2)
    handler = staff(app, unit)
    for n in range(3):
        add_entry(app, handler, received_on=date(2026, 1, 10 + n), subject=f"Việc số {n}")
    sign_in(client, handler)
    first = client.get(LOG_URL).get_data(as_text=True)
    assert "Việc số 2" in first and "Việc số 0" not in first
    next_link = re.search(r'href="([^"]*page=2[^"]*)"', first).group(1).replace("&amp;", "&")
    assert "Việc số 0" in client.get(next_link).get_data(as_text=True)


def test_the_entry_lists_its_cases_and_offers_to_record_one(app, client, unit):
    handler = staff(app, unit)
    public_id = add_entry(app, handler)
    with app.app_context():
        entry_id = db.session.scalar(
            db.select(ReceptionEntry.id).where(ReceptionEntry.public_id == public_id)
        )
        case, _ = create_case(
            channel="reception", reception_entry_id=entry_id, handling_unit_id=unit.id
        )
    sign_in(client, handler)
    html = client.get(f"{LOG_URL}/{public_id}").get_data(as_text=True)
    assert case.number in html
    assert f"/staff/cases/new?reception={public_id}" in html
    assert case.number in client.get(LOG_URL).get_data(as_text=True)
