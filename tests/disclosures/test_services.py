"""Services: drafts, publication, revisions with what changed, scheduling, withdrawal, slugs,
and the one public() rule."""

from datetime import UTC, date, datetime, timedelta

import pytest

from portal.core.audit import AuditEvent
from portal.core.search import SearchEntry
from portal.core.workdays import local_date
from portal.disclosures import queries, services
from portal.disclosures.models import Disclosure, Status
from portal.extensions import db
from tests.disclosures.factories import create_category, create_disclosure, open_consultation
from tests.factories import create_user

pytestmark = pytest.mark.usefixtures("app_ctx")


def _actions():
    return [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))]


def _today():
    return local_date(datetime.now(UTC))


def _entries(d):
    return db.session.scalars(db.select(SearchEntry).where(SearchEntry.ref_id == d.id)).all()


@pytest.fixture
def editor(app_ctx):
    return create_user(role="editor")


def test_a_new_disclosure_is_a_draft_that_is_never_public(editor):
    d = create_disclosure(status="draft", title="Kế hoạch cải cách hành chính năm 2026")
    assert d.status == Status.DRAFT
    assert d.slug == "ke-hoach-cai-cach-hanh-chinh-nam-2026"
    assert not d.is_public()
    assert queries.public_by_slug(d.slug) is None
    assert _entries(d) == []  # drafts are never indexed
    assert d.revisions == []


def test_body_is_sanitised_on_write():
    d = create_disclosure(
        status="draft", body_html='<p onclick="x()">Nội dung</p><script>alert(1)</script>'
    )
    assert d.body_html == "<p>Nội dung</p>"


def test_new_draft_starts_from_the_category_form_and_place():
    category = create_category(disclosure_form="Niêm yết", disclosure_place="Trụ sở Sở")
    d = create_disclosure(category=category, status="draft")
    assert (d.disclosure_form, d.disclosure_place) == ("Niêm yết", "Trụ sở Sở")


def test_publishing_now_makes_it_public_indexed_and_revision_one(editor):
    d = create_disclosure(status="draft", summary="Tóm tắt", body_html="<p>Thân <b>bài</b></p>")
    services.publish_disclosure(d, actor=editor)
    assert d.is_public()
    assert queries.public_by_slug(d.slug) == d
    [revision] = d.revisions
    assert revision.number == 1 and d.revision_count == 1
    assert revision.changed_fields == []
    assert revision.snapshot["title"] == d.title
    [entry] = _entries(d)
    assert entry.kind == "disclosure"
    assert entry.body == "Tóm tắt\nThân bài"
    assert entry.published_at == d.publish_at
    assert "disclosure.published" in _actions()


def test_a_draft_open_for_comment_is_indexed_as_a_draft(editor):
    d = open_consultation()
    [entry] = _entries(d)
    assert entry.kind == "draft"


def test_scheduled_disclosure_is_not_public_until_its_time(editor):
    later = datetime.now(UTC) + timedelta(days=2)
    d = create_disclosure(status="draft")
    services.publish_disclosure(d, actor=editor, publish_at=later)
    assert d.status == Status.PUBLISHED
    assert d.is_scheduled() and not d.is_public()
    assert queries.public_by_slug(d.slug) is None
    assert d.is_public(now=later + timedelta(seconds=1))
    stmt = db.select(Disclosure).where(queries.public_filter(later + timedelta(seconds=1)))
    assert db.session.scalars(stmt).all() == [d]
    assert "disclosure.scheduled" in _actions()


def test_a_scheduled_disclosure_can_be_changed_without_a_version_nobody_saw(editor):
    d = create_disclosure(status="scheduled", title="Lịch công tác")
    services.edit_disclosure(d, {"summary": "Tóm tắt mới"}, actor=editor)
    assert d.revision_count == 1
    assert d.revisions[0].summary == "Tóm tắt mới"
    assert d.revisions[0].snapshot["summary"] == "Tóm tắt mới"


def test_a_scheduled_disclosure_can_go_back_to_draft(editor):
    d = create_disclosure(status="scheduled")
    services.unschedule_disclosure(d, actor=editor)
    assert d.status == Status.DRAFT and d.publish_at is None
    assert d.revisions == [] and d.revision_count == 0
    assert _entries(d) == []


def test_a_time_in_the_past_publishes_now(editor):
    d = create_disclosure(status="draft")
    before = datetime.now(UTC)
    services.publish_disclosure(d, actor=editor, publish_at=before - timedelta(days=30))
    assert d.publish_at >= before


def test_public_filter_shows_published_and_withdrawn_only_from_publish_at():
    published = create_disclosure()
    withdrawn = create_disclosure(status="withdrawn")
    create_disclosure(status="draft")
    create_disclosure(status="scheduled")
    visible = set(db.session.scalars(queries.public()))
    assert visible == {published, withdrawn}


def test_editing_a_public_disclosure_makes_a_revision_with_changed_fields(editor):
    d = create_disclosure(title="Báo cáo tài chính", issuer="Sở Tài chính")
    services.edit_disclosure(
        d,
        {"title": "Báo cáo tài chính năm 2025", "issuer": "Sở Tài chính tỉnh Lạng Sơn"},
        actor=editor,
        change_note="Bổ sung năm và tên đầy đủ của cơ quan.",
    )
    assert d.revision_count == 2
    latest, first = d.revisions
    assert latest.number == 2 and first.number == 1
    assert latest.changed_fields == ["title", "issuer"]
    assert latest.change_note == "Bổ sung năm và tên đầy đủ của cơ quan."
    assert latest.editor_id == editor.id
    assert first.title == "Báo cáo tài chính"  # the earlier version is untouched
    assert first.snapshot["issuer"] == "Sở Tài chính"
    assert latest.snapshot["issuer"] == "Sở Tài chính tỉnh Lạng Sơn"
    # The slug stays what it was when published.
    assert d.slug == "bao-cao-tai-chinh"
    assert _entries(d)[0].title == "Báo cáo tài chính năm 2025"
    event = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "disclosure.revised")
    ).one()
    assert event.detail == {"revision": 2, "changed": ["title", "issuer"]}


def test_snapshot_holds_every_public_field():
    d = create_disclosure(issued_on=date(2026, 1, 5), visible_until=date(2027, 1, 5), papi=(2, 3))
    snapshot = d.revisions[0].snapshot
    assert set(snapshot) == set(services.PUBLIC_FIELDS)
    assert snapshot["issued_on"] == "2026-01-05"
    assert snapshot["papi"] == [2, 3]


def test_papi_and_dates_are_compared_too(editor):
    d = create_disclosure(papi=(2,))
    services.edit_disclosure(
        d, {"papi": [2, 5], "effective_on": date(2026, 3, 1)}, actor=editor, change_note="Sửa."
    )
    assert d.revisions[0].changed_fields == ["effective_on", "papi"]


def test_a_public_edit_needs_a_change_note(editor):
    d = create_disclosure()
    with pytest.raises(services.DisclosureError):
        services.edit_disclosure(d, {"title": "Khác"}, actor=editor, change_note="  ")
    db.session.rollback()
    assert d.revision_count == 1


def test_an_edit_that_changes_nothing_makes_no_revision(editor):
    d = create_disclosure(title="Giống hệt")
    with pytest.raises(services.DisclosureError):
        services.edit_disclosure(d, {"title": "Giống hệt"}, actor=editor, change_note="Không đổi")
    db.session.rollback()
    assert db.session.get(Disclosure, d.id).revision_count == 1


def test_editing_a_draft_changes_it_freely_and_its_slug_follows_the_title(editor):
    d = create_disclosure(status="draft", title="Dự thảo một")
    services.edit_disclosure(d, {"title": "Dự thảo hai"}, actor=editor)
    assert d.slug == "du-thao-hai"
    assert d.revisions == []
    assert "disclosure.updated" in _actions()


def test_slugs_are_unique():
    category = create_category()
    first = create_disclosure(category=category, title="Thông báo tuyển dụng")
    second = create_disclosure(category=category, title="Thông báo tuyển dụng")
    third = create_disclosure(category=category, title="Thông báo  tuyển dụng!", status="draft")
    assert [first.slug, second.slug, third.slug] == [
        "thong-bao-tuyen-dung",
        "thong-bao-tuyen-dung-2",
        "thong-bao-tuyen-dung-3",
    ]


def test_a_title_without_letters_still_gets_a_slug():
    assert create_disclosure(title="!!!", status="draft").slug == "van-ban"


def test_withdrawal_keeps_it_public_with_the_reason_and_indexed(editor):
    d = create_disclosure()
    services.withdraw_disclosure(d, reason="Đã có văn bản thay thế.", actor=editor)
    assert d.status == Status.WITHDRAWN
    assert d.withdrawn_at is not None
    assert d.withdrawal_reason == "Đã có văn bản thay thế."
    assert queries.public_by_slug(d.slug) == d
    assert len(_entries(d)) == 1
    event = db.session.scalars(
        db.select(AuditEvent).where(AuditEvent.action == "disclosure.withdrawn")
    ).one()
    assert event.actor_id == editor.id and event.target_id == d.public_id


@pytest.mark.parametrize("reason", ["", "   "])
def test_withdrawal_needs_a_reason(editor, reason):
    d = create_disclosure()
    with pytest.raises(services.DisclosureError):
        services.withdraw_disclosure(d, reason=reason, actor=editor)


@pytest.mark.parametrize("status", ["draft", "scheduled", "withdrawn"])
def test_only_a_public_published_disclosure_can_be_withdrawn(editor, status):
    d = create_disclosure(status=status)
    with pytest.raises(services.DisclosureError):
        services.withdraw_disclosure(d, reason="Lý do", actor=editor)


def test_a_withdrawn_disclosure_cannot_be_edited(editor):
    d = create_disclosure(status="withdrawn")
    with pytest.raises(services.DisclosureError):
        services.edit_disclosure(d, {"title": "Khác"}, actor=editor, change_note="x")


def test_comment_period_must_close_after_it_opens():
    now = datetime.now(UTC)
    with pytest.raises(services.DisclosureError):
        create_disclosure(
            status="draft",
            is_consultation=True,
            comments_open_at=now,
            comments_close_at=now - timedelta(hours=1),
        )


def test_a_disclosure_that_is_not_a_consultation_has_no_comment_period():
    now = datetime.now(UTC)
    d = create_disclosure(
        status="draft", comments_open_at=now, comments_close_at=now + timedelta(days=1)
    )
    assert d.comments_open_at is None and d.comments_close_at is None


def test_publishing_by_the_due_date_meets_the_obligation(editor):
    category = create_category(due_on=_today() + timedelta(days=5))
    create_disclosure(category=category)
    assert category.due_on is None
    assert "disclosure-category.due-met" in _actions()


def test_publishing_after_the_due_date_leaves_it(editor):
    category = create_category(due_on=_today() - timedelta(days=5))
    d = create_disclosure(category=category, status="draft")
    services.publish_disclosure(d, actor=editor)
    assert category.due_on == _today() - timedelta(days=5)
