"""Attachments sent with a case: kinds by content, limits, metadata stripped, nothing half-stored."""

import hashlib
import os

import pytest

from portal.cases.models import Case, CaseAttachment
from portal.core.uploads import StoredFile, upload_folder
from portal.extensions import db
from tests.cases.test_intake import complaint, submit
from tests.cases.wording import say
from tests.core.test_uploads import ARCHIVE_REFUSED, PDF, jpeg_with_exif, mp4, zipped


def _counts(app):
    with app.app_context():
        files = os.listdir(upload_folder()) if os.path.isdir(upload_folder()) else []
        return (
            db.session.scalar(db.select(db.func.count(Case.id))),
            db.session.scalar(db.select(db.func.count(StoredFile.id))),
            len(files),
        )


def test_photo_is_stored_without_exif_and_the_original_hash_is_kept(client, app):
    before = _counts(app)[2]
    photo = jpeg_with_exif()
    submit(
        client, complaint(), files=[(photo, "ảnh hiện trường.jpg"), (PDF, "đơn.pdf")], expect=302
    )
    with app.app_context():
        attachments = db.session.scalars(
            db.select(CaseAttachment).order_by(CaseAttachment.id)
        ).all()
        assert len(attachments) == 2
        image = attachments[0]
        assert image.original_sha256 == hashlib.sha256(photo).hexdigest()
        assert image.stored_file.original_name == "ảnh hiện trường.jpg"
        assert image.stored_file.sha256 != image.original_sha256
        with open(os.path.join(upload_folder(), image.stored_file.storage_key), "rb") as handle:
            stored = handle.read()
        assert b"Exif" not in stored and b"Nguyen" not in stored
        assert attachments[1].stored_file.kind == "pdf"
    assert _counts(app)[2] == before + 2


def test_mp4_is_accepted(client, app):
    submit(client, complaint(), files=[(mp4(), "video.mp4")], expect=302)
    with app.app_context():
        assert db.session.scalar(db.select(StoredFile.kind)) == "mp4"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([(b"not a pdf at all", "don.pdf")], lambda app: "don.pdf"),
        (
            [(zipped({"a.txt": b"x"}), "hoso.zip")],
            lambda app: say(app, ARCHIVE_REFUSED, name="hoso.zip"),
        ),
        ([(b"", "trong.pdf")], lambda app: "trong.pdf"),
        (
            [(PDF, f"{n}.pdf") for n in range(6)],
            lambda app: say(app, "Attach at most %(num)d files.", num=5),
        ),
    ],
    ids=["lying-type", "archive", "empty", "too-many"],
)
def test_refused_files_store_nothing_and_keep_the_text(client, app, request, files, message):
    before = _counts(app)
    # A good file first: it must not be left behind when a later one is refused.
    if not request.node.callspec.id.startswith("too-many"):
        files = [(PDF, "tot.pdf"), *files]
    html = submit(client, complaint(), files=files, expect=400).get_data(as_text=True)
    assert message(app) in html
    assert "Khiếu nại quyết định từ chối cấp phép" in html
    assert _counts(app) == before


def test_size_limits_are_configurable(client, app):
    before = _counts(app)
    app.config.update(CASE_MAX_FILE_BYTES=100, CASE_MAX_TOTAL_BYTES=150)
    try:
        big = PDF + b"x" * 200
        submit(client, complaint(), files=[(big, "lon.pdf")], expect=400)
        submit(
            client, complaint(), files=[(PDF + b"x" * 60, f"{n}.pdf") for n in range(2)], expect=400
        )
    finally:
        app.config.update(
            CASE_MAX_FILE_BYTES=10 * 1024 * 1024, CASE_MAX_TOTAL_BYTES=25 * 1024 * 1024
        )
    assert _counts(app) == before


def test_a_failing_write_rolls_the_case_back_and_removes_written_files(client, app, monkeypatch):
    from portal.cases import services

    before = _counts(app)
    calls = []
    real = services.store_bytes

    def store_then_fail(data, **kwargs):
        if calls:
            raise OSError("disk full")
        calls.append(1)
        return real(data, **kwargs)

    monkeypatch.setattr(services, "store_bytes", store_then_fail)
    response = submit(client, complaint(), files=[(PDF, "a.pdf"), (PDF, "b.pdf")], expect=503)
    assert say(
        app,
        "Your case could not be saved because of a problem on our side. Nothing was recorded: "
        "please press Send again in a few minutes.",
    ) in response.get_data(as_text=True)
    assert calls == [1]
    assert _counts(app) == before
