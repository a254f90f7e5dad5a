"""Uploaded files: checked by their content (never their name), stored under a random name.

Domain packages attach a StoredFile to their own rows and serve it through their own views,
which check that the reader may see the row; send_stored_file() sets safe headers.
"""

import hashlib
import io
import os
import secrets
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

from flask import current_app, send_file
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.dbtypes import UTCDateTime
from portal.core.text import nfc
from portal.extensions import db


class StoredFile(db.Model):
    __tablename__ = "stored_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(
        db.String(22), unique=True, default=lambda: secrets.token_urlsafe(16)
    )
    # The name as the uploader gave it (NFC), for display and Content-Disposition only.
    original_name: Mapped[str] = mapped_column(db.String(255))
    kind: Mapped[str] = mapped_column(db.String(10))  # a key of FILE_KINDS
    content_type: Mapped[str] = mapped_column(db.String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(db.String(64), index=True)
    storage_key: Mapped[str] = mapped_column(db.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=lambda: datetime.now(UTC))

    @property
    def extension(self) -> str:
        return FILE_KINDS[self.kind].extension


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str
    label: str


FILE_KINDS = {
    "pdf": FileKind("pdf", "application/pdf", "PDF"),
    "docx": FileKind(
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word",
    ),
    "xlsx": FileKind(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"
    ),
    "odt": FileKind("odt", "application/vnd.oasis.opendocument.text", "ODT"),
    "ods": FileKind("ods", "application/vnd.oasis.opendocument.spreadsheet", "ODS"),
    "png": FileKind("png", "image/png", "PNG"),
    "jpeg": FileKind("jpg", "image/jpeg", "JPEG"),
}


class UploadRefused(ValueError):
    """The file was not stored; str(error) is a message for the uploader, translated."""


def sniff(data: bytes) -> str | None:
    """Return the FILE_KINDS key the content really is, or None. The file name plays no part."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    return None


def _sniff_zip(data: bytes) -> str | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "mimetype" in names:
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
            return {
                FILE_KINDS["odt"].content_type: "odt",
                FILE_KINDS["ods"].content_type: "ods",
            }.get(mimetype)
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return "docx"
            if any(n.startswith("xl/") for n in names):
                return "xlsx"
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return None


def store_upload(file_storage, *, allowed: frozenset[str] | None = None) -> StoredFile:
    """Check and store one upload; add the row to the session (the caller commits).

    Raises UploadRefused with a message for the uploader when the file is empty, too large,
    or not one of the allowed kinds by content.
    """
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = file_storage.read(limit + 1)
    name = nfc(os.path.basename((file_storage.filename or "").replace("\\", "/"))) or "tep"
    if not data:
        raise UploadRefused(_l("The file %(name)s is empty.", name=name))
    if len(data) > limit:
        raise UploadRefused(
            _l(
                "The file %(name)s is larger than %(mb)d MB.",
                name=name,
                mb=limit // (1024 * 1024),
            )
        )
    kind = sniff(data)
    if kind is None or (allowed is not None and kind not in allowed):
        raise UploadRefused(
            _l(
                "The file %(name)s is not an accepted type. Send PDF, Word, Excel, "
                "OpenDocument, PNG or JPEG files.",
                name=name,
            )
        )
    storage_key = secrets.token_hex(16)
    folder = upload_folder()
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, storage_key), "xb") as handle:
        handle.write(data)
    stored = StoredFile(
        original_name=name[:255],
        kind=kind,
        content_type=FILE_KINDS[kind].content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_key=storage_key,
    )
    db.session.add(stored)
    return stored


def upload_folder() -> str:
    return current_app.config.get("UPLOAD_FOLDER") or os.path.join(
        current_app.instance_path, "uploads"
    )


def send_stored_file(stored: StoredFile, *, inline: bool = False):
    """Send a stored file with its real type and a Content-Disposition no browser misreads."""
    path = os.path.join(upload_folder(), stored.storage_key)
    response = send_file(path, mimetype=stored.content_type, conditional=True, max_age=3600)
    disposition = "inline" if inline and stored.kind in ("pdf", "png", "jpeg") else "attachment"
    ascii_name = (
        stored.original_name.encode("ascii", "ignore").decode() or f"tep.{stored.extension}"
    )
    ascii_name = "".join(c if c.isalnum() or c in "._- " else "_" for c in ascii_name)
    response.headers["Content-Disposition"] = (
        f'{disposition}; filename="{ascii_name}"; '
        f"filename*=UTF-8''{quote(stored.original_name, safe='')}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    # A file is never a page: even a mislabelled one cannot run script here.
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
