"""The dates the statistics count by: a response published sets `resolved_on`, a final status
sets `ended_on`, reopening clears both; the migration fills them for older cases."""

from datetime import UTC, date, datetime

from flask_migrate import upgrade
from sqlalchemy import text

from portal.cases import workflow
from portal.cases.models import Case, CaseStatus
from portal.extensions import db
from tests.apps import other_app
from tests.cases.factories import create_case
from tests.factories import create_user

S = CaseStatus
# 23:30 UTC on 9 March is 10 March in Vietnam: the local date counts.
LATE_EVENING = datetime(2026, 3, 9, 23, 30, tzinfo=UTC)


def _moved(app, status, to, role="head"):
    with app.app_context():
        user = create_user(role=role)
        case_id = create_case(status=status)[0].id
        case = db.session.get(Case, case_id)
        workflow.move(case, to, by=user if role != "citizen" else None, now=LATE_EVENING)
        db.session.commit()
        return case.resolved_on, case.ended_on


def test_publishing_the_response_sets_the_resolution_date_in_local_time(app):
    assert _moved(app, S.APPROVED, S.RESPONDED, role="handler") == (date(2026, 3, 10), None)


def test_a_final_status_sets_the_end_date(app):
    for status, to in [
        (S.CLASSIFIED, S.NOT_ACCEPTED),
        (S.CLASSIFIED, S.TRANSFERRED),
        (S.RECEIVED, S.MERGED),
    ]:
        assert _moved(app, status, to) == (None, date(2026, 3, 10)), to
    assert _moved(app, S.ASSIGNED, S.WITHDRAWN, role="citizen") == (None, date(2026, 3, 10))


def test_reopening_clears_both_dates(app):
    with app.app_context():
        head = create_user(role="head")
        case = db.session.get(Case, create_case(status=S.RESPONDED)[0].id)
        workflow.move(case, S.CLOSED, by=head, now=LATE_EVENING)
        case.resolved_on = date(2026, 3, 1)
        workflow.move(case, S.REOPENED, by=head)
        db.session.commit()
        assert (case.resolved_on, case.ended_on) == (None, None)


def test_the_migration_fills_the_dates_of_cases_handled_before_it(app, tmp_path):
    database = "sqlite:///" + str(tmp_path / "before-the-dates.db")
    with (
        other_app(app, "testing", {"SQLALCHEMY_DATABASE_URI": database}) as older,
        older.app_context(),
    ):
        upgrade(revision="048508fcdf28")  # the revision before the dates
        with db.engine.begin() as connection:
            for n, status in enumerate(["closed", "transferred", "assigned"], start=1):
                connection.execute(
                    text(
                        "INSERT INTO citizen_case (id, public_id, number, kind, year, sequence,"
                        " track, status, topic, title, description, place, decision_concerned,"
                        " anonymous, confidential, declaration_text, publish_consent,"
                        " received_at, received_on, access_key_hash, submission_token,"
                        " withdrawal_reason, rating_comment, created_at, updated_at)"
                        " VALUES (:n, :pid, :number, 'petition', 2026, :n, 'formal', :status,"
                        " 'other', 't', 'd', '', '', 0, 0, '', 0, '2026-03-01 01:00:00',"
                        " '2026-03-01', 'x', :token, '', '', '2026-03-01 01:00:00',"
                        " '2026-03-01 01:00:00')"
                    ),
                    {
                        "n": n,
                        "pid": f"p{n}",
                        "number": f"KN-2026-{n:06d}",
                        "status": status,
                        "token": f"t{n}",
                    },
                )
            moves = [
                (1, "responded", "2026-03-20 02:00:00"),
                (1, "responded", "2026-03-24 18:00:00"),  # 25/03 in Vietnam, the last
                (1, "closed", "2026-03-30 03:00:00"),
                (2, "transferred", "2026-03-05 03:00:00"),
                (3, "assigned", "2026-03-06 03:00:00"),
            ]
            for case_id, to, at in moves:
                connection.execute(
                    text(
                        "INSERT INTO case_event (case_id, occurred_at, actor, action,"
                        " to_status, public, note) VALUES (:c, :at, 'staff', 'x', :to, 1, '')"
                    ),
                    {"c": case_id, "at": at, "to": to},
                )
        upgrade()
        rows = db.session.execute(db.select(Case.number, Case.resolved_on, Case.ended_on))
        dates = {number: (resolved, ended) for number, resolved, ended in rows}

    assert dates == {
        "KN-2026-000001": (date(2026, 3, 25), date(2026, 3, 30)),
        "KN-2026-000002": (None, date(2026, 3, 5)),
        "KN-2026-000003": (None, None),
    }
