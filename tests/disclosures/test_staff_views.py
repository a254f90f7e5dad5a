"""Editors' pages: who may open them, creating and editing (typed input kept on errors),
preview, publish and schedule, revise, withdraw, files; administrators keep the categories."""

import io
import re
from datetime import UTC, datetime, timedelta

import pytest

from portal.accounts.permissions import Role
from portal.core.audit import AuditEvent
from portal.disclosures import queries, services
from portal.disclosures.models import Category, Disclosure, Status
from portal.extensions import db
from tests.auth import sign_in
from tests.disclosures.factories import (
    MINIMAL_PDF,
    create_category,
    create_disclosure,
    open_consultation,
    upload,
)
from tests.disclosures.wording import say
from tests.factories import create_user


@pytest.fixture
def editor(app):
    with app.app_context():
        return create_user(role="editor")


@pytest.fixture
def signed_in(client, editor):
    sign_in(client, editor)
    return client


@pytest.fixture
def category(app):
    with app.app_context():
        return create_category(name="Văn bản quy phạm", slug="van-ban-quy-pham").id


def _actions(app):
    with app.app_context():
        return [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))]


PREVIEW_OF_A_DRAFT = (
    "Preview: this is how the page looks to readers once it is published. It is not public yet."
)


def _disclosure(app, **where):
    with app.app_context():
        d = db.session.scalars(db.select(Disclosure).filter_by(**where)).one()
        db.session.expunge(d)
        return d


# --- Who may open what -------------------------------------------------------------------


EDITOR_PAGES = ["/staff/disclosures", "/staff/disclosures/new", "/staff/comments"]
ADMIN_PAGES = ["/staff/disclosure-categories", "/staff/disclosure-categories/new"]


@pytest.mark.parametrize("role", [r.value for r in Role])
@pytest.mark.parametrize("url", EDITOR_PAGES + ADMIN_PAGES)
def test_role_access(app, client, role, url):
    with app.app_context():
        user = create_user(role=role)
    sign_in(client, user)
    allowed = (url in EDITOR_PAGES and role == "editor") or (url in ADMIN_PAGES and role == "admin")
    client.get(url, expect=200 if allowed else 403)


@pytest.mark.parametrize("role", [r.value for r in Role if r != Role.EDITOR])
def test_only_editors_reach_a_disclosure(app, client, role):
    with app.app_context():
        user = create_user(role=role)
        public_id = create_disclosure(status="draft").public_id
    sign_in(client, user)
    for suffix in ("", "/edit", "/preview", "/withdraw"):
        client.get(f"/staff/disclosures/{public_id}{suffix}", expect=403)
    client.submit(f"/staff/disclosures/{public_id}/publish", {}, token_from="/staff/", expect=403)


@pytest.mark.parametrize("url", EDITOR_PAGES + ADMIN_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url, expect=302)
    assert response.headers["Location"].startswith("/staff/login?next=")


def test_the_dashboard_links_to_the_disclosures(signed_in):
    assert "/staff/disclosures" in signed_in.get("/staff/").get_data(as_text=True)


def test_staff_urls_use_unguessable_ids(app, signed_in):
    with app.app_context():
        d = create_disclosure(status="draft")
        numeric, public_id = d.id, d.public_id
    signed_in.get(f"/staff/disclosures/{numeric}", expect=404)
    signed_in.get(f"/staff/disclosures/{public_id}")


# --- Create and edit -----------------------------------------------------------------------


def _form(category_id, **overrides):
    return {
        "category": str(category_id),
        "title": "Quyết định ban hành quy chế làm việc",
        "summary": "Quy chế làm việc của Sở.",
        "body_html": "<p>Nội dung <em>quy chế</em></p><script>alert(1)</script>",
        "document_type": "Quyết định",
        "issuer": "Giám đốc Sở",
        "number_symbol": "45/QĐ-STC",
        "issued_on": "2026-03-02",
        "effective_on": "2026-03-15",
        "disclosure_form": "Đăng trên cổng",
        "disclosure_place": "Cổng thông tin",
        "visible_until": "",
        "unit": "",
        "papi": ["2", "5"],
        **overrides,
    }


def test_create_a_draft(app, signed_in, category):
    response = signed_in.submit("/staff/disclosures/new", _form(category), expect=302)
    d = _disclosure(app, title="Quyết định ban hành quy chế làm việc")
    assert response.headers["Location"] == f"/staff/disclosures/{d.public_id}"
    assert d.status == Status.DRAFT
    assert d.body_html == "<p>Nội dung <em>quy chế</em></p>"
    assert d.number_symbol == "45/QĐ-STC"
    assert "disclosure.created" in _actions(app)
    signed_in.get(f"/staff/disclosures/{d.public_id}")


def test_a_refused_form_keeps_what_was_typed(app, signed_in, category):
    response = signed_in.submit(
        "/staff/disclosures/new",
        _form(category, title="", effective_on="2026-01-01", summary="Giữ nguyên nội dung này"),
        expect=400,
    )
    page = response.get_data(as_text=True)
    assert say(app, "Enter the title") in page
    assert say(app, "The effective date cannot be before the date issued") in page
    assert "Giữ nguyên nội dung này" in page
    assert 'value="45/QĐ-STC"' in page
    assert re.search(r'id="papi-5" name="papi" value="5" checked', page)


def test_a_consultation_needs_its_comment_period(app, signed_in, category):
    response = signed_in.submit(
        "/staff/disclosures/new",
        _form(category, is_consultation="y", comments_open_at="2026-05-01T08:00"),
        expect=400,
    )
    assert say(app, "Enter when the comment period closes") in response.get_data(as_text=True)


def test_edit_a_draft(app, signed_in):
    with app.app_context():
        d = create_disclosure(status="draft", title="Cũ")
        public_id, category_id = d.public_id, d.category_id
    url = f"/staff/disclosures/{public_id}/edit"
    page = signed_in.get(url).get_data(as_text=True)
    assert 'value="Cũ"' in page
    assert say(app, "What changed and why") not in page  # a draft needs no note
    signed_in.submit(url, _form(category_id, title="Mới"), expect=302)
    d = _disclosure(app, public_id=public_id)
    assert (d.title, d.slug, d.revision_count) == ("Mới", "moi", 0)


def test_revise_a_public_disclosure_with_a_change_note(app, signed_in):
    with app.app_context():
        d = create_disclosure(title="Báo cáo quý I")
        public_id, slug, category_id = d.public_id, d.slug, d.category_id
    url = f"/staff/disclosures/{public_id}/edit"
    # Without the note: refused, with the typed title kept.
    response = signed_in.submit(url, _form(category_id, title="Báo cáo quý I/2026"), expect=400)
    page = response.get_data(as_text=True)
    assert say(app, "Say what changed and why") in page
    assert 'value="Báo cáo quý I/2026"' in page
    signed_in.submit(
        url, _form(category_id, title="Báo cáo quý I/2026", change_note="Ghi rõ năm."), expect=302
    )
    d = _disclosure(app, public_id=public_id)
    assert d.revision_count == 2 and d.slug == slug
    assert "disclosure.revised" in _actions(app)
    page = signed_in.get(f"/cong-khai/van-ban/{slug}").get_data(as_text=True)
    assert "Ghi rõ năm." in page


def test_preview_renders_the_public_page_for_a_draft(app, client, signed_in):
    with app.app_context():
        d = create_disclosure(status="draft", title="Dự thảo xem trước")
        services.add_attachments(d, [upload()], actor=None)
        public_id, slug = d.public_id, d.slug
        file_id = d.attachments[0].stored_file.public_id
    page = signed_in.get(f"/staff/disclosures/{public_id}/preview").get_data(as_text=True)
    assert "Dự thảo xem trước" in page
    assert say(app, PREVIEW_OF_A_DRAFT) in page
    assert f"/staff/disclosures/{public_id}/files/{file_id}" in page
    response = signed_in.get(f"/staff/disclosures/{public_id}/files/{file_id}")
    assert response.mimetype == "application/pdf"
    # The public still gets nothing.
    signed_in.get(f"/cong-khai/van-ban/{slug}", expect=404)


# --- Publish, schedule, withdraw ------------------------------------------------------------


def test_publish_now(app, signed_in):
    with app.app_context():
        d = create_disclosure(status="draft")
        public_id, slug = d.public_id, d.slug
    signed_in.submit(
        f"/staff/disclosures/{public_id}/publish",
        {"publish_at": ""},
        token_from=f"/staff/disclosures/{public_id}",
        expect=302,
    )
    signed_in.get(f"/cong-khai/van-ban/{slug}")
    assert "disclosure.published" in _actions(app)


def test_schedule_for_later(app, signed_in):
    with app.app_context():
        d = create_disclosure(status="draft")
        public_id, slug = d.public_id, d.slug
    later = (datetime.now(UTC) + timedelta(days=2)).astimezone().strftime("%Y-%m-%dT%H:%M")
    signed_in.submit(
        f"/staff/disclosures/{public_id}/publish",
        {"publish_at": later},
        token_from=f"/staff/disclosures/{public_id}",
        expect=302,
    )
    d = _disclosure(app, public_id=public_id)
    assert d.status == Status.PUBLISHED and d.publish_at > datetime.now(UTC)
    signed_in.get(f"/cong-khai/van-ban/{slug}", expect=404)
    page = signed_in.get(f"/staff/disclosures/{public_id}").get_data(as_text=True)
    assert say(app, "Scheduled") in page
    signed_in.submit(
        f"/staff/disclosures/{public_id}/unschedule",
        {},
        token_from=f"/staff/disclosures/{public_id}",
        expect=302,
    )
    assert _disclosure(app, public_id=public_id).status == Status.DRAFT


def test_a_malformed_publication_time_is_refused(app, signed_in):
    with app.app_context():
        public_id = create_disclosure(status="draft").public_id
    response = signed_in.submit(
        f"/staff/disclosures/{public_id}/publish",
        {"publish_at": "ngày mai"},
        token_from=f"/staff/disclosures/{public_id}",
        expect=400,
    )
    assert 'value="ngày mai"' in response.get_data(as_text=True)


def test_withdraw_with_a_reason(app, signed_in):
    with app.app_context():
        d = create_disclosure()
        public_id, slug = d.public_id, d.slug
    url = f"/staff/disclosures/{public_id}/withdraw"
    signed_in.submit(url, {"reason": ""}, expect=400)
    signed_in.submit(url, {"reason": "Văn bản bị thay thế."}, expect=302)
    page = signed_in.get(f"/cong-khai/van-ban/{slug}").get_data(as_text=True)
    assert "Văn bản bị thay thế." in page
    assert "disclosure.withdrawn" in _actions(app)


def test_a_draft_cannot_be_withdrawn(app, signed_in):
    with app.app_context():
        public_id = create_disclosure(status="draft").public_id
    response = signed_in.submit(
        f"/staff/disclosures/{public_id}/withdraw", {"reason": "Lý do"}, expect=400
    )
    page = response.get_data(as_text=True)
    assert say(app, "Only a public disclosure can be withdrawn.") in page


# --- Files -----------------------------------------------------------------------------------


def _attach(client, public_id, files, **fields):
    data = {"files": files, **fields}
    return client.submit(
        f"/staff/disclosures/{public_id}/attachments",
        data,
        token_from=f"/staff/disclosures/{public_id}",
        content_type="multipart/form-data",
    )


def test_attach_and_remove_on_a_public_disclosure(app, signed_in, upload_folder):
    with app.app_context():
        d = create_disclosure()
        public_id = d.public_id
    response = _attach(
        signed_in, public_id, [(io.BytesIO(MINIMAL_PDF), "Kế hoạch.pdf")], change_note=""
    )
    assert response.status_code == 400
    assert say(app, "Say what changed and why") in response.get_data(as_text=True)
    response = _attach(
        signed_in, public_id, [(io.BytesIO(MINIMAL_PDF), "Kế hoạch.pdf")], change_note="Thêm tệp."
    )
    assert response.status_code == 302
    with app.app_context():
        d = queries.by_public_id(public_id)
        file_id = d.attachments[0].stored_file.public_id
        assert d.revision_count == 2
    url = f"/staff/disclosures/{public_id}/attachments/{file_id}/remove"
    signed_in.get(url)
    signed_in.submit(url, {"change_note": ""}, expect=400)
    signed_in.submit(url, {"change_note": "Nhầm tệp."}, expect=302)
    with app.app_context():
        assert queries.by_public_id(public_id).revision_count == 3
    assert "disclosure.attachment-removed" in _actions(app)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<html><body>hi</body></html>", "trang.html"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "hinh.svg"),
        (b"MZ\x90\x00" + b"\x00" * 60, "chuong-trinh.pdf"),
    ],
)
def test_a_refused_upload_says_why(app, signed_in, upload_folder, data, name):
    with app.app_context():
        public_id = create_disclosure(status="draft").public_id
    signed_in.get("/ngon-ngu/en", expect=302)
    response = _attach(signed_in, public_id, [(io.BytesIO(data), name)])
    assert response.status_code == 400
    assert "is not an accepted type" in response.get_data(as_text=True)
    assert not upload_folder.exists() or list(upload_folder.iterdir()) == []


def test_an_oversized_upload_says_why(app, signed_in, upload_folder, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024 * 1024)
    with app.app_context():
        public_id = create_disclosure(status="draft").public_id
    big = MINIMAL_PDF + b"0" * (1024 * 1024)
    signed_in.get("/ngon-ngu/en", expect=302)
    response = _attach(signed_in, public_id, [(io.BytesIO(big), "lon.pdf")])
    assert response.status_code == 400
    assert "is larger than 1 MB" in response.get_data(as_text=True)


# --- Comments and the report -------------------------------------------------------------------


def test_the_report_on_comments_after_closing(app, signed_in):
    now = datetime.now(UTC)
    with app.app_context():
        d = create_disclosure(
            is_consultation=True,
            comments_open_at=now - timedelta(days=20),
            comments_close_at=now - timedelta(days=1),
        )
        public_id, slug = d.public_id, d.slug
    listing = signed_in.get("/staff/disclosures").get_data(as_text=True)
    assert say(app, "Consultations waiting for their report") in listing
    url = f"/staff/disclosures/{public_id}/consultation-report"
    signed_in.submit(url, {"report_html": ""}, expect=400)
    signed_in.submit(
        url, {"report_html": "<p>Tiếp thu 3 ý kiến.</p><script>x()</script>"}, expect=302
    )
    page = signed_in.get(f"/cong-khai/van-ban/{slug}").get_data(as_text=True)
    assert "<p>Tiếp thu 3 ý kiến.</p>" in page and "x()" not in page
    assert "disclosure.consultation-report-published" in _actions(app)


def test_no_report_while_comments_are_open(app, signed_in):
    with app.app_context():
        public_id = open_consultation().public_id
    response = signed_in.submit(
        f"/staff/disclosures/{public_id}/consultation-report",
        {"report_html": "<p>Sớm quá</p>"},
        expect=400,
    )
    page = response.get_data(as_text=True)
    assert say(app, "The report can be published once the comment period has closed.") in page


# --- The list and overdue obligations -----------------------------------------------------------


def test_the_list_shows_overdue_obligations_first_and_filters(app, signed_in):
    with app.app_context():
        create_category(
            name="Quyết toán ngân sách", due_on=datetime.now(UTC).date() - timedelta(days=3)
        )
        budget = create_category(name="Dự toán", slug="du-toan")
        create_disclosure(title="Bản nháp dự toán", status="draft", category=budget)
        create_disclosure(title="Thông báo dự toán đã đăng", category=budget)
    page = signed_in.get("/staff/disclosures").get_data(as_text=True)
    assert page.index(say(app, "Overdue obligations")) < page.index("Bản nháp dự toán")
    assert "Quyết toán ngân sách" in page
    drafts = signed_in.get("/staff/disclosures?status=draft").get_data(as_text=True)
    assert "Bản nháp dự toán" in drafts and "Thông báo dự toán đã đăng" not in drafts
    filtered = signed_in.get("/staff/disclosures?category=du-toan&status=published")
    assert "Thông báo dự toán đã đăng" in filtered.get_data(as_text=True)


# --- Categories (administrators) ------------------------------------------------------------------


@pytest.fixture
def admin_client(app, client):
    with app.app_context():
        admin = create_user(role="admin")
    sign_in(client, admin)
    return client


def _category_form(**overrides):
    return {
        "name": "Kết luận thanh tra",
        "name_en": "Inspection conclusions",
        "slug": "",
        "disclosure_form": "Đăng trên cổng",
        "disclosure_place": "Cổng thông tin",
        "disclosure_time": "Trong 15 ngày",
        "disclosure_duration": "Ít nhất 1 năm",
        "due_on": "",
        "position": "3",
        "active": "y",
        **overrides,
    }


def test_admin_creates_and_edits_a_category(app, admin_client):
    admin_client.submit("/staff/disclosure-categories/new", _category_form(), expect=302)
    with app.app_context():
        category = db.session.scalars(db.select(Category)).one()
        assert category.slug == "ket-luan-thanh-tra"
        assert category.name_en == "Inspection conclusions"
    url = "/staff/disclosure-categories/ket-luan-thanh-tra"
    admin_client.submit(url, _category_form(due_on="2026-12-31"), expect=302)
    with app.app_context():
        assert db.session.scalars(db.select(Category)).one().due_on.isoformat() == "2026-12-31"
    actions = _actions(app)
    assert "disclosure-category.created" in actions and "disclosure-category.updated" in actions


@pytest.mark.parametrize("slug", ["danh-muc", "van-ban", "new"])
def test_a_category_cannot_take_a_reserved_address(app, admin_client, slug):
    response = admin_client.submit(
        "/staff/disclosure-categories/new", _category_form(slug=slug), expect=400
    )
    page = response.get_data(as_text=True)
    assert say(app, "This address is used by another page: choose another.") in page
    assert 'value="Kết luận thanh tra"' in page


def test_a_category_address_is_unique(app, admin_client):
    with app.app_context():
        create_category(slug="ket-luan-thanh-tra")
    admin_client.submit("/staff/disclosure-categories/new", _category_form(), expect=400)


def test_a_refused_category_form_keeps_what_was_typed(app, admin_client):
    response = admin_client.submit(
        "/staff/disclosure-categories/new",
        _category_form(name="", disclosure_time="Hằng quý"),
        expect=400,
    )
    page = response.get_data(as_text=True)
    assert say(app, "Enter the name") in page and 'value="Hằng quý"' in page


@pytest.mark.parametrize("state", ["draft", "scheduled", "published", "withdrawn", "consultation"])
def test_every_page_of_a_disclosure_renders_in_each_state(app, signed_in, state):
    with app.app_context():
        d = open_consultation() if state == "consultation" else create_disclosure(status=state)

        if state != "withdrawn":
            services.add_attachments(
                d, [upload()], actor=None, change_note="Thêm tệp." if state != "draft" else ""
            )
        public_id = d.public_id
    page = signed_in.get(f"/staff/disclosures/{public_id}").get_data(as_text=True)
    assert ("/publish" in page) == (state in ("draft", "scheduled"))
    assert ("/withdraw" in page) == (state in ("published", "consultation"))
    signed_in.get(f"/staff/disclosures/{public_id}/preview")
    if state != "withdrawn":
        signed_in.get(f"/staff/disclosures/{public_id}/edit")
    else:
        signed_in.get(f"/staff/disclosures/{public_id}/edit", expect=302)
