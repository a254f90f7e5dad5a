"""`flask cases clean-orphans`: files and file records nothing refers to are removed, once they
are old enough that no submission can still be writing them; --dry-run only lists them."""

import os
import time
from datetime import UTC, datetime, timedelta

import pytest

from portal.cases.cli import _referring_columns
from portal.cases.models import CaseAttachment
from portal.core.uploads import StoredFile, store_bytes, upload_folder
from portal.extensions import db
from tests.cases.factories import create_case

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
LONG_AGO = timedelta(hours=3)


@pytest.fixture
def folder(app, tmp_path, monkeypatch):
    path = tmp_path / "uploads"
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(path))
    return path


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()
    return lambda *args: runner.invoke(args=["cases", "clean-orphans", *args])


def _stored(name="ảnh.png", *, age=LONG_AGO) -> StoredFile:
    stored = store_bytes(PNG, name=name, kind="png")
    stored.created_at = datetime.now(UTC) - age
    db.session.commit()
    _age_file(stored.storage_key, age)
    return stored


def _age_file(storage_key, age):
    then = time.time() - age.total_seconds()
    os.utime(os.path.join(upload_folder(), storage_key), (then, then))


def _stray_file(folder, name, *, age=LONG_AGO):
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(PNG)
    then = time.time() - age.total_seconds()
    os.utime(path, (then, then))
    return path


def _keys():
    db.session.expire_all()
    return set(db.session.scalars(db.select(StoredFile.storage_key)))


@pytest.fixture
def scene(app_ctx, folder):
    """An attached file, an old and a young orphan record, an old and a young stray file."""
    case, _key = create_case(kind="complaint", name="Nguyễn Văn An", phone="+84912345678")
    attached = _stored("bằng-chứng.png")
    db.session.add(
        CaseAttachment(case_id=case.id, stored_file_id=attached.id, original_sha256="0" * 64)
    )
    db.session.commit()
    return {
        "attached": attached.storage_key,
        "old_row": _stored("cũ.png").storage_key,
        "young_row": _stored("mới.png", age=timedelta(minutes=5)).storage_key,
        "old_file": _stray_file(folder, "a" * 32),
        "young_file": _stray_file(folder, "b" * 32, age=timedelta(minutes=5)),
        "other_file": _stray_file(folder, ".gitkeep"),
    }


def test_every_table_that_refers_to_stored_files_is_consulted(app_ctx):
    assert {f"{c.table.name}.{c.name}" for c in _referring_columns()} == {
        "case_attachment.stored_file_id",
        "disclosure_attachment.stored_file_id",
        "dossier_component.form_file_id",
        "reception_document.stored_file_id",
    }


def test_dry_run_lists_the_old_orphans_and_deletes_nothing(scene, folder, run):
    before = set(os.listdir(folder))
    result = run("--dry-run")
    assert result.exit_code == 0, result.output
    assert f"would delete file {'a' * 32}" in result.output
    assert scene["old_row"] in result.output
    assert "would delete 1 record(s) and 1 file(s)" in result.output
    assert set(os.listdir(folder)) == before
    assert scene["old_row"] in _keys()


def test_old_orphans_are_deleted_and_everything_else_is_kept(scene, folder, run):
    result = run()
    assert result.exit_code == 0, result.output
    assert "deleted 1 record(s) and 1 file(s)" in result.output
    assert _keys() == {scene["attached"], scene["young_row"]}
    assert set(os.listdir(folder)) == {
        scene["attached"],
        scene["young_row"],
        "b" * 32,
        ".gitkeep",
    }
    # A second run finds nothing more.
    assert "deleted 0 record(s) and 0 file(s)" in run().output


def test_min_age_zero_takes_the_young_orphans_too(scene, folder, run):
    result = run("--min-age-minutes", "0")
    assert result.exit_code == 0, result.output
    assert _keys() == {scene["attached"]}
    assert set(os.listdir(folder)) == {scene["attached"], ".gitkeep"}


def test_an_empty_or_missing_upload_folder_is_fine(app_ctx, folder, run):
    result = run()
    assert result.exit_code == 0, result.output
    assert "deleted 0 record(s) and 0 file(s)" in result.output
