"""The demo loader: what a newcomer sees, and a second run that changes nothing."""

import pytest

from portal.core.audit import AuditEvent
from portal.core.uploads import StoredFile
from portal.disclosures import demo, queries
from portal.disclosures.models import (
    Category,
    CommentStatus,
    Disclosure,
    DisclosureRevision,
    DraftComment,
    Status,
)
from portal.extensions import db

pytestmark = pytest.mark.usefixtures("app_ctx")

COUNTED = (Category, Disclosure, DisclosureRevision, DraftComment, StoredFile, AuditEvent)


def _counts():
    return {
        m.__name__: db.session.scalar(db.select(db.func.count()).select_from(m)) for m in COUNTED
    }


def test_demo_is_believable():
    assert demo.load().startswith("Disclosures: 11 categories and")
    disclosures = db.session.scalars(db.select(Disclosure)).all()
    assert len(disclosures) >= 40
    public = db.session.scalars(queries.public()).all()
    categories = db.session.scalars(db.select(Category)).all()
    assert {d.category_id for d in public} == {c.id for c in categories}
    assert all(c.name_en and c.disclosure_place and c.disclosure_duration for c in categories)

    open_drafts = [d for d in public if d.comments_open()]
    assert len(open_drafts) == 1
    approved = queries.approved_comments(open_drafts[0])
    assert len(approved) == 2 and all(c.status == CommentStatus.APPROVED for c in approved)

    withdrawn = [d for d in disclosures if d.status == Status.WITHDRAWN]
    assert len(withdrawn) == 1 and withdrawn[0].withdrawal_reason
    assert len([d for d in disclosures if d.is_scheduled()]) == 1
    assert any(d.revision_count == 2 for d in public)
    assert sum(1 for d in disclosures if d.attachments) >= 3
    assert any(d.consultation_report_html for d in public)

    obligations = queries.obligations()
    assert len([o for o in obligations if o.overdue]) == 1
    assert len([o for o in obligations if o.category.due_on]) >= 2


def test_demo_links_units_when_there_are_some():
    from portal.contacts import demo as contacts_demo

    contacts_demo.load()
    demo.load()
    linked = db.session.scalars(db.select(Disclosure).where(Disclosure.unit_id.is_not(None)))
    assert len(linked.all()) >= 30


def test_demo_is_idempotent(upload_folder):
    demo.load()
    before = _counts()
    files = sorted(p.name for p in upload_folder.iterdir())
    assert demo.load() == ""
    assert _counts() == before
    assert sorted(p.name for p in upload_folder.iterdir()) == files


def test_demo_attachments_are_valid_pdfs(upload_folder):
    demo.load()
    stored = db.session.scalars(db.select(StoredFile)).all()
    assert stored and all(f.kind == "pdf" for f in stored)
    data = (upload_folder / stored[0].storage_key).read_bytes()
    assert data.startswith(b"%PDF-1.4") and data.rstrip().endswith(b"%%EOF")
    xref = int(data.rsplit(b"startxref", 1)[1].split()[0])
    assert data[xref:].startswith(b"xref")
