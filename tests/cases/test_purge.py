"""Retention: an ended case is kept for its kind's period, then `flask cases purge` deletes it
with everything it holds (files on disk included), leaving only its number and dates in the
audit log. A dry run deletes nothing; a second run finds nothing more."""

import hashlib
import os
from datetime import UTC, date, datetime, timedelta

import pytest

from portal.cases import retention, workflow
from portal.cases.models import (
    Case,
    CaseAttachment,
    CaseConsultation,
    CaseEvent,
    CaseExtension,
    CaseIdentity,
    CaseMessage,
    CaseResponse,
    CaseStatus,
)
from portal.core.audit import AuditEvent
from portal.core.uploads import StoredFile, store_bytes, upload_folder
from portal.core.workdays import local_date
from portal.disclosures.models import Disclosure, DisclosureAttachment
from portal.extensions import db
from tests.cases.factories import create_case
from tests.contacts.factories import create_unit
from tests.disclosures.factories import create_disclosure
from tests.factories import create_user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PDF = b"%PDF-1.4\n%%EOF\n"


def _today() -> date:
    """Today in Vietnam, read when asked: a module constant goes stale when the
    suite runs across midnight (17:00 UTC)."""
    return local_date(datetime.now(UTC))


def _long_ago() -> date:
    return _today() - timedelta(days=30)


THIRTY_DAYS_AGO = object()  # resolved when the case is made
CASE_TABLES = (
    Case,
    CaseIdentity,
    CaseEvent,
    CaseMessage,
    CaseAttachment,
    CaseExtension,
    CaseConsultation,
    CaseResponse,
)


@pytest.fixture
def folder(app, tmp_path, monkeypatch):
    path = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(path))
    return path


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=["cases", "purge", *args])


def _attach(case_id: int, data: bytes, name: str, kind: str, **links) -> StoredFile:
    stored = store_bytes(data, name=name, kind=kind)
    db.session.add(
        CaseAttachment(
            case_id=case_id,
            stored_file=stored,
            original_sha256=hashlib.sha256(data).hexdigest(),
            **links,
        )
    )
    return stored


def full_case(
    *, retain_until: date | object | None = THIRTY_DAYS_AGO, status: str = "closed"
) -> dict:
    """A case with something in every table it owns; return its ids, files and disclosure."""
    if retain_until is THIRTY_DAYS_AGO:
        retain_until = _long_ago()
    unit = create_unit(name=f"Phòng {os.urandom(2).hex()}")
    case, _ = create_case(
        kind="complaint",
        status=status,
        name="Nguyễn Văn Lưu",
        email="luu@example.vn",
        retain_until=retain_until,
    )
    message = CaseMessage(case_id=case.id, author="citizen", body="Bổ sung chứng cứ.")
    db.session.add(message)
    db.session.flush()
    disclosure = create_disclosure(title="Quyết định giải quyết khiếu nại")
    response = CaseResponse(
        case_id=case.id,
        outcome="rejected",
        status="published",
        body="Nội dung trả lời.",
        disclosure_id=disclosure.id,
    )
    db.session.add(response)
    db.session.flush()
    files = [
        _attach(case.id, PNG, "ảnh.png", "png"),
        _attach(case.id, PNG + b"1", "ảnh 2.png", "png", message_id=message.id),
        _attach(case.id, PDF, "trả lời.pdf", "pdf", response_id=response.id),
    ]
    db.session.add(
        CaseExtension(
            case_id=case.id,
            ordinal=1,
            reason="Phức tạp",
            decided_on=_long_ago(),
            due_on=_today(),
        )
    )
    db.session.add(
        CaseConsultation(case_id=case.id, unit_id=unit.id, question="Ý kiến?", due_on=_today())
    )
    db.session.commit()
    return {
        "id": case.id,
        "number": case.number,
        "received_on": case.received_on,
        "keys": [f.storage_key for f in files],
        "disclosure_id": disclosure.id,
    }


def _rows(table, case_id: int) -> int:
    column = table.id if table is Case else table.case_id
    return db.session.scalar(db.select(db.func.count()).select_from(table).where(column == case_id))


def _on_disk(key: str) -> bool:
    return os.path.exists(os.path.join(upload_folder(), key))


def _purged_entries() -> list[AuditEvent]:
    return db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "case.purged").order_by(AuditEvent.id)
    ).all()


# --- Setting retain_until ---------------------------------------------------------------------


def test_the_ended_statuses_are_the_workflows_final_ones():
    assert retention.ENDED == workflow.FINAL


@pytest.mark.parametrize(
    "kind, start, to, days_key",
    [
        ("complaint", "responded", "closed", "complaint"),
        ("reflection", "responded", "closed", "reflection"),
        ("denunciation", "classified", "transferred", "denunciation"),
        ("petition", "classified", "merged", "petition"),
        ("petition", "classified", "not-accepted", "not-accepted"),
    ],
)
def test_a_case_that_ends_is_kept_for_its_period(app, kind, start, to, days_key):
    with app.app_context():
        head = create_user(role="head")
        case, _ = create_case(kind=kind, status=start)
        loaded = db.session.get(Case, case.id)

        workflow.move(loaded, CaseStatus(to), by=db.session.get(type(head), head.id))
        db.session.commit()

        days = app.config["CASE_RETENTION_DAYS"][days_key]
        assert loaded.retain_until == _today() + timedelta(days=days)


def test_a_case_not_accepted_is_kept_one_year_by_default(app):
    assert app.config["CASE_RETENTION_DAYS"]["not-accepted"] == 365


def test_a_withdrawn_case_is_kept_for_its_period(app):
    with app.app_context():
        case, _ = create_case(kind="complaint", status="received")
        loaded = db.session.get(Case, case.id)

        workflow.move(loaded, CaseStatus.WITHDRAWN, by=None)

        days = app.config["CASE_RETENTION_DAYS"]["complaint"]
        assert loaded.retain_until == _today() + timedelta(days=days)


def test_the_period_counts_from_the_local_date_the_case_ended(app):
    with app.app_context():
        head = create_user(role="head")
        case, _ = create_case(kind="complaint", status="responded")
        loaded = db.session.get(Case, case.id)
        # 23:30 UTC on 31 December is 1 January in Vietnam.
        late = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)

        workflow.move(loaded, CaseStatus.CLOSED, by=db.session.get(type(head), head.id), now=late)

        days = app.config["CASE_RETENTION_DAYS"]["complaint"]
        assert loaded.retain_until == date(2027, 1, 1) + timedelta(days=days)


def test_reopening_a_case_clears_its_retention_date(app):
    with app.app_context():
        head = create_user(role="head")
        case, _ = create_case(kind="complaint", status="closed", retain_until=_long_ago())
        loaded = db.session.get(Case, case.id)

        workflow.move(loaded, CaseStatus.REOPENED, by=db.session.get(type(head), head.id))

        assert loaded.retain_until is None


def test_moves_that_do_not_end_a_case_set_no_date(app):
    with app.app_context():
        head = create_user(role="head")
        case, _ = create_case(kind="complaint", status="classified")
        loaded = db.session.get(Case, case.id)

        workflow.move(loaded, CaseStatus.ACCEPTED, by=db.session.get(type(head), head.id))

        assert loaded.retain_until is None


# --- Purging ----------------------------------------------------------------------------------


def test_purge_deletes_an_expired_case_with_everything_it_holds(app, folder, run):
    with app.app_context():
        old = full_case()
        assert all(_on_disk(key) for key in old["keys"])

    result = run()

    assert result.exit_code == 0, result.output
    assert f"deleted case {old['number']}" in result.output
    assert "deleted 1 case(s) and 3 file(s)" in result.output
    with app.app_context():
        for table in CASE_TABLES:
            assert _rows(table, old["id"]) == 0, table.__tablename__
        assert not any(_on_disk(key) for key in old["keys"])
        keys = set(db.session.scalars(db.select(StoredFile.storage_key)))
        assert keys.isdisjoint(old["keys"])


def test_purge_leaves_only_the_number_and_dates_in_the_audit_log(app, folder, run):
    with app.app_context():
        old = full_case()

    run()

    with app.app_context():
        [entry] = _purged_entries()
        assert (entry.target_type, entry.target_id) == ("case", old["number"])
        assert entry.actor_id is None
        assert entry.detail == {
            "received_on": old["received_on"].isoformat(),
            "ended_on": _today().isoformat(),  # the factory closes the case today
            "retain_until": _long_ago().isoformat(),
        }
        assert "Lưu" not in str(entry.detail) and "luu@" not in str(entry.detail)


def test_the_audit_entry_gives_the_date_the_case_ended(app, folder):
    with app.app_context():
        head = create_user(role="head")
        case, _ = create_case(kind="complaint", status="responded")
        loaded = db.session.get(Case, case.id)
        ended = datetime(2020, 3, 2, 3, 0, tzinfo=UTC)
        workflow.move(loaded, CaseStatus.CLOSED, by=db.session.get(type(head), head.id), now=ended)
        db.session.commit()

        retention.purge(today=date(2031, 1, 1))

        [entry] = _purged_entries()
        assert entry.detail["ended_on"] == "2020-03-02"
        assert entry.detail["retain_until"] == "2030-02-28"  # 3,650 days later


def test_a_published_disclosure_of_the_response_stays(app, folder, run):
    with app.app_context():
        old = full_case()
        disclosure = db.session.get(Disclosure, old["disclosure_id"])
        shared = store_bytes(PDF + b"shared", name="qd.pdf", kind="pdf")
        db.session.add(DisclosureAttachment(disclosure_id=disclosure.id, stored_file=shared))
        # The response's document was published with the disclosure: the same stored file.
        db.session.add(
            CaseAttachment(case_id=old["id"], stored_file=shared, original_sha256="0" * 64)
        )
        db.session.commit()
        shared_key = shared.storage_key

    run()

    with app.app_context():
        assert db.session.get(Disclosure, old["disclosure_id"]) is not None
        assert _rows(CaseResponse, old["id"]) == 0
        assert _on_disk(shared_key)
        assert db.session.scalar(db.select(StoredFile).where(StoredFile.storage_key == shared_key))


def test_a_duplicate_merged_into_a_purged_case_stays(app, folder, run):
    with app.app_context():
        old = full_case()
        duplicate, _ = create_case(kind="complaint", status="merged", merged_into_id=old["id"])

    run()

    with app.app_context():
        kept = db.session.get(Case, duplicate.id)
        assert kept is not None and kept.merged_into_id is None


@pytest.mark.parametrize(
    "retain_until, status",
    [
        (0, "closed"),  # the last day it is kept
        (1, "closed"),
        (None, "verifying"),  # still being handled
        (-30, "reopened"),  # reopened: no longer ended
    ],
)
def test_a_case_not_expired_stays(app, folder, run, retain_until, status):
    with app.app_context():
        until = None if retain_until is None else _today() + timedelta(days=retain_until)
        kept = full_case(retain_until=until, status=status)

    result = run()

    assert "deleted 0 case(s) and 0 file(s)" in result.output
    with app.app_context():
        for table in CASE_TABLES:
            assert _rows(table, kept["id"]) >= 1, table.__tablename__
        assert all(_on_disk(key) for key in kept["keys"])
        assert _purged_entries() == []


def test_only_the_expired_case_goes(app, folder, run):
    with app.app_context():
        old = full_case()
        kept = full_case(retain_until=_today() + timedelta(days=100))

    run()

    with app.app_context():
        assert _rows(Case, old["id"]) == 0
        assert _rows(Case, kept["id"]) == 1
        assert _rows(CaseIdentity, kept["id"]) == 1
        assert all(_on_disk(key) for key in kept["keys"])


def test_a_dry_run_deletes_nothing(app, folder, run):
    with app.app_context():
        old = full_case()

    result = run("--dry-run")

    assert result.exit_code == 0
    assert f"would delete case {old['number']}" in result.output
    assert "would delete 1 case(s) and 3 file(s)" in result.output
    with app.app_context():
        for table in CASE_TABLES:
            assert _rows(table, old["id"]) >= 1, table.__tablename__
        assert all(_on_disk(key) for key in old["keys"])
        assert _purged_entries() == []


def test_purge_is_idempotent(app, folder, run):
    with app.app_context():
        full_case()

    first = run()
    second = run()

    assert "deleted 1 case(s)" in first.output
    assert "deleted 0 case(s) and 0 file(s)" in second.output
    with app.app_context():
        assert len(_purged_entries()) == 1


def test_an_ended_case_without_a_date_gets_one_from_the_day_it_ended(app, folder, run):
    """Cases that ended before retention existed (or outside the workflow) are not kept for ever."""
    with app.app_context():
        ancient, _ = create_case(kind="reflection", status="withdrawn")
        recent, _ = create_case(kind="reflection", status="withdrawn")
        for case, years in ((ancient, 6), (recent, 1)):
            loaded = db.session.get(Case, case.id)
            loaded.withdrawn_at = datetime.now(UTC) - timedelta(days=365 * years)
        db.session.commit()

    dry = run("--dry-run")
    with app.app_context():
        assert db.session.get(Case, ancient.id).retain_until is None  # the dry run wrote nothing
    result = run()

    assert f"would delete case {ancient.number}" in dry.output
    assert f"deleted case {ancient.number}" in result.output
    assert recent.number not in result.output
    with app.app_context():
        assert db.session.get(Case, ancient.id) is None
        kept = db.session.get(Case, recent.id)
        days = app.config["CASE_RETENTION_DAYS"]["reflection"]
        assert kept.retain_until == local_date(kept.withdrawn_at) + timedelta(days=days)


def test_the_audit_chain_holds_after_a_purge(app, folder, run):
    with app.app_context():
        full_case()
        full_case()

    run()

    verify = app.test_cli_runner().invoke(args=["audit", "verify"])
    assert verify.exit_code == 0, verify.output
