"""Demo content: the agency's units, hotlines and reception schedule; a second load changes
nothing."""

import re
import unicodedata

from portal.contacts import demo, schedule
from portal.contacts.models import (
    Hotline,
    ReceptionDocument,
    ReceptionOffice,
    ReceptionRule,
    ReceptionSession,
    Unit,
)
from portal.core.uploads import StoredFile
from portal.extensions import db

MODELS = (
    Unit,
    Hotline,
    ReceptionOffice,
    ReceptionRule,
    ReceptionSession,
    ReceptionDocument,
    StoredFile,
)


def counts():
    return {
        m.__tablename__: db.session.scalar(db.select(db.func.count()).select_from(m))
        for m in MODELS
    }


def test_loading_twice_adds_and_changes_nothing(app_ctx, upload_folder):
    first = demo.load()
    before = counts()
    files = sorted(p.name for p in upload_folder.iterdir())
    snapshot = [(u.slug, u.name, u.functions_html) for u in db.session.scalars(db.select(Unit))]

    second = demo.load()

    assert first and second == ""
    assert counts() == before
    assert sorted(p.name for p in upload_folder.iterdir()) == files
    assert [
        (u.slug, u.name, u.functions_html) for u in db.session.scalars(db.select(Unit))
    ] == snapshot
    assert before["unit"] >= 7 and before["hotline"] >= 2 and before["reception_document"] == 2


def test_the_demo_has_the_hotlines_the_plan_asks_for(app_ctx):
    demo.load()

    lines = db.session.scalars(db.select(Hotline)).all()
    [main] = [h for h in lines if h.is_main]
    [report] = [h for h in lines if h.is_harassment]
    assert main.phone_e164 == "+842053812345"
    assert (report.phone_e164, report.email) == ("+842053812888", "phananh@stc.langson.example.vn")
    assert all("mẫu" in h.label and "sample" in h.label_en for h in lines)


def test_the_demo_units_are_bilingual_and_one_handles_cases(app_ctx):
    demo.load()

    units = db.session.scalars(db.select(Unit)).all()
    assert all(u.name_en and u.functions_html and u.functions_en_html for u in units)
    assert all(unicodedata.is_normalized("NFC", u.name) for u in units)
    assert [u.name for u in units if u.handles_cases] == ["Phòng Pháp chế – Tiếp công dân"]
    assert "Thanh tra Sở" not in {u.name for u in units}  # abolished on 1 July 2025


def test_the_demo_schedule_is_the_15th_moved_to_the_next_working_day(app_ctx):
    demo.load()

    [rule] = db.session.scalars(db.select(ReceptionRule)).all()
    assert (rule.day_of_month, rule.shift, rule.host) == (15, "next-working-day", "Giám đốc Sở")
    office = db.session.scalar(db.select(ReceptionOffice))
    assert (office.morning_starts_at.isoformat(), office.afternoon_ends_at.isoformat()) == (
        "07:30:00",
        "16:30:00",
    )
    assert len(schedule.upcoming_sessions(schedule.today_in_vietnam(), limit=3)) == 3


def test_the_demo_documents_are_valid_pdf_files(app_ctx, upload_folder):
    demo.load()

    for document in db.session.scalars(db.select(ReceptionDocument)):
        stored = document.stored_file
        data = (upload_folder / stored.storage_key).read_bytes()
        assert stored.kind == "pdf" and stored.original_name.endswith(".pdf")
        check_pdf(data)


def check_pdf(data: bytes) -> None:
    """The cross-reference table points at each object and startxref at the table."""
    assert data.startswith(b"%PDF-1.4\n") and data.rstrip().endswith(b"%%EOF")
    startxref = int(re.search(rb"startxref\n(\d+)\n", data).group(1))
    assert data[startxref:].startswith(b"xref\n")
    table = data[startxref:].split(b"trailer")[0].split(b"\n")
    count = int(table[1].split()[1])
    offsets = [int(line.split()[0]) for line in table[3 : 2 + count]]
    for number, offset in enumerate(offsets, start=1):
        assert data[offset:].startswith(f"{number} 0 obj".encode())
    length = int(re.search(rb"/Length (\d+)", data).group(1))
    stream = data.split(b"stream\n", 1)[1].split(b"\nendstream", 1)[0]
    assert len(stream) == length
