"""`flask cases remind`: one digest per handler and head of the cases due soon and overdue."""

from datetime import date

from portal.extensions import db
from portal.notifications.models import OutboxMessage
from tests.cases.factories import create_case
from tests.contacts.factories import create_unit
from tests.factories import create_user

# Tuesday 1 December 2026; three working days later is Friday 4 December.
TODAY = "2026-12-01"


def remind(app, *args):
    result = app.test_cli_runner().invoke(args=["cases", "remind", "--date", TODAY, *args])
    assert result.exit_code == 0, result.output
    return result.output


def digests(app) -> dict[str, str]:
    with app.app_context():
        return {
            m.recipient: m.body_text
            for m in db.session.scalars(
                db.select(OutboxMessage).where(OutboxMessage.event == "cases/daily_digest")
            )
        }


def _world(app):
    with app.app_context():
        unit = create_unit(handles_cases=True)
        other_unit = create_unit(handles_cases=True)
        handler = create_user(role="handler", unit_id=unit.id, email="xu@example.vn")
        idle = create_user(role="handler", unit_id=unit.id, email="ranh@example.vn")
        head = create_user(role="head", unit_id=unit.id, email="truong@example.vn")
        other_head = create_user(role="head", unit_id=other_unit.id, email="khac@example.vn")
        retired = create_user(
            role="handler", unit_id=unit.id, email="nghi@example.vn", active=False
        )
        editor = create_user(role="editor", email="bien@example.vn")

        def case(status, due_on, assignee=None, unit_id=unit.id, **fields):
            made, _ = create_case(
                kind="complaint",
                status=status,
                due_on=due_on,
                handling_unit_id=unit_id,
                assignee_id=assignee.id if assignee else None,
                title="Tiêu đề bí mật của công dân",
                **fields,
            )
            return made.number

        numbers = {
            "due_friday": case("assigned", date(2026, 12, 4), handler),
            "due_today": case("verifying", date(2026, 12, 1), handler),
            "overdue": case("drafted", date(2026, 11, 30), handler),
            "due_later": case("assigned", date(2026, 12, 7), handler),
            "unassigned_soon": case("received", date(2026, 12, 2)),
            "ended": case("responded", date(2026, 11, 1), handler),
            "retired_case": case("assigned", date(2026, 11, 2), retired),
            "other_unit": case("received", date(2026, 12, 2), unit_id=other_unit.id),
        }
    return numbers, handler, idle, head, other_head, editor


def test_each_handler_and_head_gets_one_digest_of_what_is_due(app):
    numbers, handler, _idle, head, other_head, _editor = _world(app)
    output = remind(app)
    mails = digests(app)
    assert set(mails) == {handler.email, head.email, other_head.email}

    mine = mails[handler.email]
    for key in ("due_friday", "due_today", "overdue"):
        assert numbers[key] in mine
    for key in ("due_later", "unassigned_soon", "ended", "other_unit", "retired_case"):
        assert numbers[key] not in mine
    assert "Tiêu đề bí mật" not in mine
    # Cron has no request: without PUBLIC_URL (development) the link is the page's path.
    assert f"/staff/cases/{numbers['overdue']}" in mine
    assert "http" not in mine

    # The head answers for every open case of the unit, assigned or not.
    theirs = mails[head.email]
    for key in ("due_friday", "due_today", "overdue", "unassigned_soon", "retired_case"):
        assert numbers[key] in theirs
    for key in ("due_later", "ended", "other_unit"):
        assert numbers[key] not in theirs
    assert numbers["other_unit"] in mails[other_head.email]

    assert "queued 3 digest(s)" in output
    assert "1 with nothing due" in output  # the idle handler
    for number in numbers.values():
        assert number not in output
    assert "@" not in output


def test_overdue_cases_come_first_in_the_digest(app):
    numbers, handler, *_ = _world(app)
    remind(app)
    mine = digests(app)[handler.email]
    assert mine.index(numbers["overdue"]) < mine.index(numbers["due_today"])
    assert mine.index(numbers["due_today"]) < mine.index(numbers["due_friday"])


def test_running_twice_a_day_sends_nothing_more(app):
    _world(app)
    remind(app)
    output = remind(app)
    assert "queued 0 digest(s)" in output
    assert "3 already had today's digest" in output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 3
    remind(app, "--force")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(OutboxMessage.id))) == 6


def test_nobody_is_mailed_when_nothing_is_due(app):
    with app.app_context():
        unit = create_unit(handles_cases=True)
        create_user(role="handler", unit_id=unit.id)
        create_user(role="head", unit_id=unit.id)
    output = remind(app)
    assert "queued 0 digest(s)" in output
    assert digests(app) == {}


def test_digest_links_are_absolute_with_the_public_address(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://tiepcongdan.example.gov.vn/cong")
    numbers, handler, *_ = _world(app)
    remind(app)
    mine = digests(app)[handler.email]
    base = "https://tiepcongdan.example.gov.vn/cong"
    assert f"{base}/staff/cases/{numbers['overdue']}" in mine
    assert f"{base}/staff/cases\n" in mine.replace("\r", "")  # the register
