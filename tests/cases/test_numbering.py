"""Case numbers: prefix by kind, gapless per kind and Vietnam year, even under concurrency."""

import threading
from datetime import UTC, date, datetime

import pytest

from portal.cases import services
from portal.cases.deadlines import acceptance_due_on, complaint_is_late
from portal.cases.models import Case
from portal.extensions import db


def _submission(kind="reflection", token=None):
    return services.Submission(
        kind=kind,
        topic="other",
        title="Tiêu đề",
        description="Nội dung",
        submission_token=token or _token(),
        declaration_text="I declare",
        anonymous=kind in ("reflection", "petition"),
    )


_tokens = iter(range(1, 10_000))


def _token():
    return f"token-{next(_tokens)}"


def test_numbers_are_gapless_per_kind(app_ctx):
    numbers = [
        services.submit_case(_submission(kind)).number
        for kind in ["reflection", "reflection", "petition", "reflection", "petition"]
    ]
    year = numbers[0][3:7]
    assert numbers == [
        f"PA-{year}-000001",
        f"PA-{year}-000002",
        f"KN-{year}-000001",
        f"PA-{year}-000003",
        f"KN-{year}-000002",
    ]


def test_year_and_received_day_are_vietnam_dates(app_ctx):
    # 23:30 UTC on 31 December is already 1 January in Vietnam.
    receipt = services.submit_case(_submission(), now=datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    assert receipt.number == "PA-2027-000001"
    assert receipt.received_on == date(2027, 1, 1)
    receipt = services.submit_case(_submission(), now=datetime(2026, 12, 31, 12, 0, tzinfo=UTC))
    assert receipt.number == "PA-2026-000001"


def test_a_rolled_back_submission_gives_its_number_back(app_ctx):
    services.next_number("petition", 2030)
    db.session.rollback()
    assert services.next_number("petition", 2030) == (1, "KN-2030-000001")
    db.session.rollback()


def test_acceptance_deadlines_count_working_days(app_ctx):
    # Friday 2 October 2026: 10 working days later is Friday 16 October; 7 is Tuesday 13.
    assert acceptance_due_on("complaint", date(2026, 10, 2)) == date(2026, 10, 16)
    assert acceptance_due_on("denunciation", date(2026, 10, 2)) == date(2026, 10, 13)
    # Over the National Day holidays (31 August to 2 September 2026).
    assert acceptance_due_on("denunciation", date(2026, 8, 28)) == date(2026, 9, 11)


def test_complaint_limit_is_90_days(app_ctx):
    assert not complaint_is_late(date(2026, 1, 1), date(2026, 4, 1))
    assert complaint_is_late(date(2026, 1, 1), date(2026, 4, 2))
    assert not complaint_is_late(None, date(2026, 4, 2))


def test_concurrent_submissions_get_distinct_gapless_numbers(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("concurrency is proved on PostgreSQL")
    results, errors = [], []

    def worker():
        try:
            with app.test_request_context():
                results.append(services.submit_case(_submission()).number)
                db.session.remove()
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    sequences = sorted(int(number[-6:]) for number in results)
    assert sequences == list(range(1, 13))
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Case.id))) == 12
