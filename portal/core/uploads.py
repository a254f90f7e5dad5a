"""Uploaded files: checked by their content (never their name), stored under a random name.

Domain packages attach a StoredFile to their own rows and serve it through their own views,
which check that the reader may see the row; send_stored_file() sets safe headers.
"""

import contextlib
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
    "mp4": FileKind("mp4", "video/mp4", "MP4"),
}

# What store_upload() accepts when the caller names no kinds: documents and images.
DOCUMENT_KINDS = frozenset(FILE_KINDS) - {"mp4"}

# ISO base media files whose `ftyp` box names one of these brands are MP4 video.
MP4_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"avc1", b"dash"}
)
# Archives are refused by name in the message: they can hide anything, and nobody can read
# them without unpacking. (DOCX, XLSX, ODT and ODS are zip files too, recognised first.)
ARCHIVE_SIGNATURES = (
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"Rar!\x1a\x07",
    b"7z\xbc\xaf\x27\x1c",
    b"\x1f\x8b",
)


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
    if _is_mp4(data):
        return "mp4"
    return None


def _is_mp4(data: bytes) -> bool:
    if len(data) < 16 or data[4:8] != b"ftyp":
        return False
    size = int.from_bytes(data[:4], "big")
    box = data[8 : min(max(size, 16), 4096)]
    # The major brand, then the compatible brands (skipping the minor version).
    brands = [box[:4]] + [box[i : i + 4] for i in range(8, len(box) - 3, 4)]
    return any(brand in MP4_BRANDS for brand in brands)


def is_archive(data: bytes) -> bool:
    """True for zip (not an office document), RAR, 7-Zip and gzip content."""
    return data.startswith(ARCHIVE_SIGNATURES) and sniff(data) is None


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


def refuse_unless_accepted(
    data: bytes, name: str, *, allowed: frozenset[str] | None = None, limit: int | None = None
) -> str:
    """Return the file's kind by content, or raise UploadRefused saying why it is refused."""
    limit = limit or current_app.config["UPLOAD_MAX_BYTES"]
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
    if is_archive(data):
        raise UploadRefused(
            _l(
                "The file %(name)s is a compressed archive (zip, rar, 7z or gz). Send the "
                "documents themselves, not an archive.",
                name=name,
            )
        )
    kind = sniff(data)
    if kind is None or kind not in (DOCUMENT_KINDS if allowed is None else allowed):
        raise UploadRefused(
            _l(
                "The file %(name)s is not an accepted type. Send PDF, Word, Excel, "
                "OpenDocument, PNG or JPEG files.",
                name=name,
            )
        )
    return kind


def store_bytes(data: bytes, *, name: str, kind: str) -> StoredFile:
    """Write checked content under a random name; add its row to the session (no commit)."""
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


def discard_file(stored: StoredFile) -> None:
    """Remove a stored file's bytes (after a rolled-back transaction); never raises."""
    with contextlib.suppress(OSError):
        os.remove(os.path.join(upload_folder(), stored.storage_key))


def upload_name(file_storage) -> str:
    """The uploader's file name without any folder, NFC; "tep" when there is none."""
    return nfc(os.path.basename((file_storage.filename or "").replace("\\", "/"))) or "tep"


def store_upload(file_storage, *, allowed: frozenset[str] | None = None) -> StoredFile:
    """Check and store one upload; add the row to the session (the caller commits).

    Raises UploadRefused with a message for the uploader when the file is empty, too large,
    or not one of the allowed kinds by content.
    """
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    data = file_storage.read(limit + 1)
    name = upload_name(file_storage)
    kind = refuse_unless_accepted(data, name, allowed=allowed, limit=limit)
    return store_bytes(data, name=name, kind=kind)


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


# Image metadata (EXIF with the GPS position, XMP, comments) says where and when a photo was
# taken and on which phone: removed before storage. Hand-written so no image library parses
# untrusted files; the pixels are copied byte for byte.
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_DROPPED_CHUNKS = frozenset({b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"})
_JPEG_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})  # TEM, RST0-7: no length


def strip_image_metadata(data: bytes, kind: str) -> bytes:
    """Return JPEG or PNG content without its metadata; other kinds unchanged.

    Raises UploadRefused when the image's structure is broken.
    """
    try:
        if kind == "jpeg":
            return _strip_jpeg(data)
        if kind == "png":
            return _strip_png(data)
    except (IndexError, ValueError) as error:
        raise UploadRefused(
            _l("An image could not be read. Check the file and send it again.")
        ) from error
    return data


def _strip_jpeg(data: bytes) -> bytes:
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG")
    out = bytearray(b"\xff\xd8")
    pos = 2
    while pos < len(data):
        if data[pos] != 0xFF:
            raise ValueError("marker expected")
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0xD9:  # EOI
            out += b"\xff\xd9"
            return bytes(out)
        if marker in _JPEG_STANDALONE:
            out += data[pos : pos + 2]
            pos += 2
            continue
        length = int.from_bytes(data[pos + 2 : pos + 4], "big")
        if length < 2 or pos + 2 + length > len(data):
            raise ValueError("bad segment length")
        segment = data[pos : pos + 2 + length]
        if marker == 0xDA:  # start of scan: the image data runs to the end
            out += data[pos:]
            return bytes(out)
        # APP1-APP15 (EXIF, XMP, ICC, maker notes…) and COM go; APP0 (JFIF) stays. APP14
        # "Adobe" only says how colours are encoded, and decoders need it for CMYK images.
        is_adobe = marker == 0xEE and segment[4:9] == b"Adobe"
        if not ((0xE1 <= marker <= 0xEF and not is_adobe) or marker == 0xFE):
            out += segment
        pos += 2 + length
    raise ValueError("no image data")


def _strip_png(data: bytes) -> bytes:
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError("not a PNG")
    out = bytearray(PNG_SIGNATURE)
    pos = len(PNG_SIGNATURE)
    while pos < len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        chunk_type = data[pos + 4 : pos + 8]
        end = pos + 12 + length
        if len(chunk_type) < 4 or end > len(data):
            raise ValueError("truncated chunk")
        if chunk_type not in PNG_DROPPED_CHUNKS:
            out += data[pos:end]
        pos = end
        if chunk_type == b"IEND":
            return bytes(out)
    raise ValueError("no IEND chunk")
