"""The audit log is tamper-evident: each entry carries the hash of the one before it, and
`flask audit verify` walks the chain and names the first broken link."""

import itertools
import json
import threading
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from flask_migrate import upgrade
from sqlalchemy import text

from portal.core import audit
from portal.core.audit import AuditEvent
from portal.extensions import db
from tests.apps import other_app


def _append(n: int, *, one_flush: bool = False) -> list[int]:
    """Record n entries (each committed on its own, or all in one flush); return their ids."""
    entries = []
    for i in range(n):
        entries.append(
            audit.record(
                "test.chained",
                target_type="case",
                target_id=f"PA-2026-{i:06d}",
                detail={"ordinal": i, "note": "Lý do: kiểm tra", "tuple": (1, 2)},
            )
        )
        if not one_flush:
            db.session.commit()
    db.session.commit()
    return [e.id for e in entries]


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()
    return lambda: runner.invoke(args=["audit", "verify"])


@contextmanager
def rewriting(app):
    """Give a raw connection that may change audit rows, as an intruder with SQL access could."""
    with app.app_context(), db.engine.begin() as connection:
        postgresql = connection.dialect.name == "postgresql"
        if postgresql:
            connection.execute(text("ALTER TABLE audit_event DISABLE TRIGGER USER"))
        yield connection
        if postgresql:
            connection.execute(text("ALTER TABLE audit_event ENABLE TRIGGER USER"))


def test_each_entry_chains_to_the_one_before_it_in_id_order(app):
    with app.app_context():
        _append(3)
        _append(3, one_flush=True)
        entries = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)).all()

        assert entries[0].prev_hash is None
        for before, entry in itertools.pairwise(entries):
            assert entry.prev_hash == before.hash
        for entry in entries:
            assert entry.hash == audit.entry_hash(audit.content_of(entry), entry.prev_hash)
            assert len(entry.hash) == 64


def test_the_hash_covers_the_content_not_the_id(app):
    with app.app_context():
        [first] = _append(1)
        entry = db.session.get(AuditEvent, first)
        content = audit.content_of(entry)

    assert set(json.loads(content)) == {
        "occurred_at",
        "actor_id",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "ip",
        "detail",
    }
    assert '"action":"test.chained"' in content
    assert '"detail":{"note":"Lý do: kiểm tra","ordinal":0,"tuple":[1,2]}' in content
    assert entry.occurred_at.isoformat(timespec="microseconds") in content


def test_verify_reports_an_intact_chain(app, run):
    with app.app_context():
        _append(4)
        _append(2, one_flush=True)

    result = run()

    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: 6 entries\n")


def test_verify_accepts_an_empty_log(app, run):
    result = run()

    assert result.exit_code == 0
    assert result.output == "ok: 0 entries\n"


def test_a_changed_entry_is_reported_with_its_id(app, run):
    with app.app_context():
        ids = _append(5)
    with rewriting(app) as connection:
        connection.execute(
            text("UPDATE audit_event SET actor_label = 'someone-else' WHERE id = :id"),
            {"id": ids[2]},
        )

    result = run()

    assert result.exit_code == 1
    assert f"broken at entry {ids[2]}: content changed" in result.output
    assert "2 entries before it hold" in result.output


def test_a_changed_detail_is_reported(app, run):
    with app.app_context():
        ids = _append(3)
    with rewriting(app) as connection:
        connection.execute(
            text("UPDATE audit_event SET detail = :detail WHERE id = :id"),
            {"id": ids[1], "detail": '{"ordinal": 99}'},
        )

    result = run()

    assert result.exit_code == 1
    assert f"broken at entry {ids[1]}: content changed" in result.output


def test_a_deleted_entry_is_reported_at_the_one_after_it(app, run):
    with app.app_context():
        ids = _append(5)
    with rewriting(app) as connection:
        connection.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": ids[2]})

    result = run()

    assert result.exit_code == 1
    assert f"broken at entry {ids[3]}: entry missing" in result.output
    assert f"after entry {ids[1]}" in result.output


def test_deleting_the_first_entry_is_reported(app, run):
    with app.app_context():
        ids = _append(3)
    with rewriting(app) as connection:
        connection.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": ids[0]})

    result = run()

    assert result.exit_code == 1
    assert f"broken at entry {ids[1]}: entry missing" in result.output


def _reforge(app, entry_id: int, prev_hash: str | None) -> None:
    """Chain an entry to another hash, with a hash that fits its content (a careful forger)."""
    with app.app_context():
        entry = db.session.get(AuditEvent, entry_id)
        forged = audit.entry_hash(audit.content_of(entry), prev_hash)
    with rewriting(app) as connection:
        connection.execute(
            text("UPDATE audit_event SET prev_hash = :prev, hash = :hash WHERE id = :id"),
            {"id": entry_id, "prev": prev_hash, "hash": forged},
        )


def test_an_entry_moved_in_the_chain_is_a_broken_link(app, run):
    with app.app_context():
        ids = _append(4)
        newest_hash = db.session.get(AuditEvent, ids[3]).hash
    _reforge(app, ids[1], newest_hash)  # the second entry now claims to follow the newest

    result = run()

    assert result.exit_code == 1
    assert f"broken at entry {ids[1]}: link broken" in result.output
    assert f"does not follow entry {ids[0]}" in result.output


def test_an_entry_cut_from_the_chain_is_a_broken_link(app):
    with app.app_context():
        ids = _append(3)
    _reforge(app, ids[2], None)

    with app.app_context():
        result = audit.verify()

    assert (result.broken.id, result.broken.problem) == (ids[2], "link broken")
    assert result.entries == 2


def test_a_rewritten_entry_with_a_fitting_hash_breaks_the_next_link(app):
    with app.app_context():
        ids = _append(3)
    with rewriting(app) as connection:
        connection.execute(
            text("UPDATE audit_event SET action = 'test.rewritten' WHERE id = :id"), {"id": ids[1]}
        )
    with app.app_context():
        prev = db.session.get(AuditEvent, ids[1]).prev_hash
    _reforge(app, ids[1], prev)

    with app.app_context():
        result = audit.verify()

    assert (result.broken.id, result.broken.problem) == (ids[2], "entry missing")


def test_two_entries_cannot_follow_the_same_entry(app):
    """A fork (two transactions chaining to one entry) fails instead of passing silently."""
    with app.app_context():
        ids = _append(2)
        first_hash = db.session.get(AuditEvent, ids[0]).hash
        with pytest.raises(Exception, match=r"(?i)unique"), db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO audit_event (occurred_at, action, prev_hash, hash) "
                    "VALUES (:at, 'test.fork', :prev, :hash)"
                ),
                {"at": datetime.now(UTC), "prev": first_hash, "hash": "e" * 64},
            )


def test_concurrent_appends_form_one_chain(app, run):
    """Two connections appending at once never chain to the same previous entry."""
    per_thread = 15
    barrier = threading.Barrier(2)
    errors = []

    def append(worker: int):
        try:
            with app.app_context():
                for i in range(per_thread):
                    audit.record("test.concurrent", target_id=f"{worker}-{i}")
                    barrier.wait(timeout=30)  # both flush and commit at the same moment
                    db.session.commit()
                db.session.remove()
        except Exception as error:  # reported by the main thread
            errors.append(repr(error))
            barrier.abort()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    with app.app_context():
        entries = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)).all()
        assert len(entries) == 2 * per_thread
        assert len({e.prev_hash for e in entries}) == len(entries)
    result = run()
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"ok: {2 * per_thread} entries\n")


def test_the_migration_chains_entries_recorded_before_it(app, tmp_path):
    """Entries from before the chain existed get their hashes when the schema is upgraded."""
    database = "sqlite:///" + str(tmp_path / "before-the-chain.db")
    with (
        other_app(app, "testing", {"SQLALCHEMY_DATABASE_URI": database}) as older,
        older.app_context(),
    ):
        upgrade(revision="fe3aa61b9c51")  # the revision before the chain
        with db.engine.begin() as connection:
            for n in range(3):
                connection.execute(
                    text(
                        "INSERT INTO audit_event (occurred_at, action, target_id, detail) "
                        "VALUES (:at, 'test.old', :target, :detail)"
                    ),
                    {
                        "at": datetime(2026, 1, n + 1, 8, 30, tzinfo=UTC).replace(tzinfo=None),
                        "target": f"PA-2026-{n:06d}",
                        "detail": json.dumps({"n": n}),
                    },
                )
        upgrade()
        result = audit.verify()
        audit.record("test.new")
        db.session.commit()
        after = audit.verify()

    assert result.ok and result.entries == 3
    assert after.ok and after.entries == 4
