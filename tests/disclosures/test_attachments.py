"""Attachments: checked by content, all or nothing, and a revision when the page is public."""

import io
import os
import zipfile
from datetime import UTC, datetime

import pytest

from portal.core.uploads import StoredFile, UploadRefused
from portal.disclosures import services
from portal.disclosures.models import DisclosureAttachment
from portal.extensions import db
from tests.disclosures.factories import MINIMAL_PDF, PNG, create_disclosure, upload

pytestmark = pytest.mark.usefixtures("app_ctx")


def _zip(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})
ODS = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"})
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _files(folder):
    return sorted(os.listdir(folder)) if os.path.isdir(folder) else []


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (MINIMAL_PDF, "bao-cao.pdf", "pdf"),
        (DOCX, "du-thao.docx", "docx"),
        (XLSX, "du-toan.xlsx", "xlsx"),
        (ODT, "ke-hoach.odt", "odt"),
        (ODS, "so-lieu.ods", "ods"),
        (PNG, "so-do.png", "png"),
        (JPEG, "anh.jpg", "jpeg"),
    ],
)
def test_accepted_kinds(upload_folder, data, name, kind):
    d = create_disclosure(status="draft")
    services.add_attachments(d, [upload(data, name)], actor=None)
    [attachment] = d.attachments
    assert attachment.stored_file.kind == kind
    assert _files(upload_folder) == [attachment.stored_file.storage_key]


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<!doctype html><script>alert(1)</script>", "trang.html"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "hinh.svg"),
        (b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64, "van-ban.pdf"),  # a program named .pdf
        (b"", "rong.pdf"),
        (_zip({"readme.txt": b"hi"}), "goi.docx"),
    ],
)
def test_refused_files_leave_nothing_behind(upload_folder, data, name):
    d = create_disclosure(status="draft")
    with pytest.raises(UploadRefused) as refused:
        services.add_attachments(d, [upload(data, name)], actor=None)
    assert name in str(refused.value)
    assert _files(upload_folder) == []
    assert db.session.scalar(db.select(db.func.count()).select_from(StoredFile)) == 0


def test_an_oversized_file_is_refused(app, upload_folder, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024)
    d = create_disclosure(status="draft")
    with pytest.raises(UploadRefused) as refused:
        services.add_attachments(d, [upload(MINIMAL_PDF + b"0" * 2000, "lon.pdf")], actor=None)
    assert "MB" in str(refused.value)
    assert _files(upload_folder) == []


def test_one_refused_file_refuses_the_whole_upload(upload_folder):
    d = create_disclosure(status="draft")
    with pytest.raises(UploadRefused):
        services.add_attachments(
            d, [upload(MINIMAL_PDF, "tot.pdf"), upload(b"<html></html>", "xau.pdf")], actor=None
        )
    # The first file had been written: it is removed again.
    assert _files(upload_folder) == []
    assert db.session.scalar(db.select(db.func.count()).select_from(DisclosureAttachment)) == 0


def test_a_failed_commit_removes_the_files_written(upload_folder, monkeypatch):
    d = create_disclosure(status="draft")

    def fail():
        raise RuntimeError("database went away")

    monkeypatch.setattr(db.session, "commit", fail)
    with pytest.raises(RuntimeError):
        services.add_attachments(d, [upload()], actor=None)
    monkeypatch.undo()
    assert _files(upload_folder) == []


def test_the_original_name_is_kept_for_display():
    d = create_disclosure(status="draft")
    services.add_attachments(d, [upload(name="Quyết định số 12.pdf")], actor=None, title="Bản ký")
    [attachment] = d.attachments
    assert attachment.stored_file.original_name == "Quyết định số 12.pdf"
    assert attachment.title == "Bản ký"


def test_attaching_to_a_public_disclosure_is_a_revision():
    d = create_disclosure()
    services.add_attachments(d, [upload()], actor=None, change_note="Đăng kèm bản scan.")
    assert d.revision_count == 2
    assert d.revisions[0].changed_fields == ["attachments"]
    assert d.revisions[0].snapshot["attachments"][0]["name"] == "quyết định.pdf"


def test_attaching_to_a_public_disclosure_needs_a_change_note(upload_folder):
    d = create_disclosure()
    with pytest.raises(services.DisclosureError):
        services.add_attachments(d, [upload()], actor=None)
    assert _files(upload_folder) == []


def test_removing_from_a_public_disclosure_is_a_revision_and_deletes_the_file(upload_folder):
    d = create_disclosure()
    services.add_attachments(d, [upload()], actor=None, change_note="Thêm tệp.")
    file_id = d.attachments[0].stored_file.public_id
    services.remove_attachment(d, file_id, actor=None, change_note="Tệp đính kèm nhầm.")
    assert d.attachments == []
    assert d.revision_count == 3
    assert d.revisions[0].changed_fields == ["attachments"]
    assert d.revisions[0].change_note == "Tệp đính kèm nhầm."
    assert _files(upload_folder) == []
    assert db.session.scalar(db.select(db.func.count()).select_from(StoredFile)) == 0


def test_removing_from_a_draft_makes_no_revision():
    d = create_disclosure(status="draft")
    services.add_attachments(d, [upload()], actor=None)
    services.remove_attachment(d, d.attachments[0].stored_file.public_id, actor=None)
    assert d.revisions == []


def test_files_on_a_scheduled_disclosure_update_its_pending_version():
    d = create_disclosure(status="scheduled")
    services.add_attachments(d, [upload()], actor=None)
    assert d.revision_count == 1
    assert len(d.revisions[0].snapshot["attachments"]) == 1
    assert d.publish_at > datetime.now(UTC)
