"""Uploads: kinds by content (MP4 included), archives refused, image metadata stripped."""

import io
import re
import zipfile
import zlib

import pytest

from portal.core.uploads import (
    UploadRefused,
    is_archive,
    refuse_unless_accepted,
    sniff,
    strip_image_metadata,
)
from tests.cases.wording import say

ARCHIVE_REFUSED = (
    "The file %(name)s is a compressed archive (zip, rar, 7z or gz). Send the documents "
    "themselves, not an archive."
)
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def jpeg_with_exif() -> bytes:
    """A JPEG skeleton: JFIF, EXIF with a GPS tag, XMP, a comment, then the scan data."""

    def segment(marker: int, payload: bytes) -> bytes:
        return bytes([0xFF, marker]) + (len(payload) + 2).to_bytes(2, "big") + payload

    return (
        b"\xff\xd8"
        + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + segment(0xE1, b"Exif\x00\x00GPS 21.85N 106.76E")
        + segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>Lang Son</x:xmpmeta>")
        + segment(0xFE, b"taken by Nguyen Van A")
        + segment(0xDB, b"\x00" + bytes(64))
        + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + b"\x12\x34\xff\x00\x56"
        + b"\xff\xd9"
    )


def png_with_text() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data).to_bytes(4, "big")
        return len(data).to_bytes(4, "big") + kind + data + crc

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", b"\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00")
        + chunk(b"tEXt", b"Author\x00Nguyen Van A")
        + chunk(b"eXIf", b"MM\x00*GPS")
        + chunk(b"tIME", b"\x07\xea\x01\x01\x00\x00\x00")
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def mp4() -> bytes:
    return (24).to_bytes(4, "big") + b"ftypisom" + b"\x00\x00\x02\x00" + b"isomiso2" + bytes(64)


def zipped(names: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in names.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_mp4_is_recognised_by_its_ftyp_box():
    assert sniff(mp4()) == "mp4"
    quicktime = (20).to_bytes(4, "big") + b"ftypqt  " + b"\x00\x00\x00\x00qt  " + bytes(16)
    assert sniff(quicktime) is None


@pytest.mark.parametrize(
    "data",
    [
        zipped({"a.txt": b"hello"}),
        b"Rar!\x1a\x07\x00" + bytes(20),
        b"7z\xbc\xaf\x27\x1c" + bytes(20),
        b"\x1f\x8b\x08\x00" + bytes(20),
    ],
    ids=["zip", "rar", "7z", "gzip"],
)
def test_archives_are_refused_by_name(app_ctx, data):
    assert is_archive(data)
    refused = say(app_ctx, ARCHIVE_REFUSED, name="hoso.pdf")
    with pytest.raises(UploadRefused, match=re.escape(refused)):
        refuse_unless_accepted(data, "hoso.pdf")


def test_office_files_are_not_archives():
    docx = zipped({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"})
    assert sniff(docx) == "docx"
    assert not is_archive(docx)


def test_a_file_that_lies_about_its_type_is_refused(app_ctx):
    with pytest.raises(UploadRefused, match=r"don\.pdf"):
        refuse_unless_accepted(b"just text", "don.pdf")


def test_empty_file_is_refused(app_ctx):
    with pytest.raises(UploadRefused, match=r"trong\.pdf"):
        refuse_unless_accepted(b"", "trong.pdf")


def test_mp4_only_where_allowed(app_ctx):
    with pytest.raises(UploadRefused):
        refuse_unless_accepted(mp4(), "video.mp4")
    assert refuse_unless_accepted(mp4(), "video.mp4", allowed=frozenset({"mp4"})) == "mp4"
    assert refuse_unless_accepted(PDF, "a.pdf") == "pdf"


def test_jpeg_loses_exif_xmp_and_comments_but_keeps_the_image():
    original = jpeg_with_exif()
    stripped = strip_image_metadata(original, "jpeg")
    assert b"Exif" not in stripped
    assert b"xmpmeta" not in stripped
    assert b"Nguyen" not in stripped
    assert b"JFIF" in stripped
    assert stripped.startswith(b"\xff\xd8") and stripped.endswith(b"\xff\xd9")
    assert b"\x12\x34\xff\x00\x56" in stripped
    assert sniff(stripped) == "jpeg"


def test_png_loses_text_exif_and_time_chunks():
    stripped = strip_image_metadata(png_with_text(), "png")
    for chunk in (b"tEXt", b"eXIf", b"tIME", b"Nguyen"):
        assert chunk not in stripped
    for chunk in (b"IHDR", b"IDAT", b"IEND"):
        assert chunk in stripped


def test_other_kinds_are_unchanged():
    assert strip_image_metadata(PDF, "pdf") == PDF


def test_a_broken_image_is_refused(app_ctx):
    with pytest.raises(UploadRefused):
        strip_image_metadata(b"\xff\xd8\xff\xe1\xff\xff", "jpeg")
    with pytest.raises(UploadRefused):
        strip_image_metadata(b"\x89PNG\r\n\x1a\n\x00\x00", "png")
