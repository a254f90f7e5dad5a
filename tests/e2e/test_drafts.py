"""A reader comments on a draft open for consultation, through Chromium; the public pages of
the disclosures domain pass axe-core."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from portal.disclosures import services
from portal.extensions import db
from tests.disclosures.factories import (
    create_category,
    create_disclosure,
    create_unit,
    open_consultation,
    upload,
)
from tests.e2e.browser import translate


@pytest.fixture
def portal_data(app, tmp_path, monkeypatch):
    """Like the demo: a draft open for comment with an approved comment, a revised disclosure
    with a file, a withdrawn one, and an overdue obligation."""
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    now = datetime.now(UTC)
    with app.app_context():
        unit = create_unit(slug="phong-phap-che", name="Phòng Pháp chế – Tiếp công dân")
        drafts = create_category(name="Dự thảo văn bản lấy ý kiến", name_en="Drafts for comment")
        budget = create_category(name="Ngân sách", name_en="Budget")
        create_category(name="Đầu tư công, mua sắm công", due_on=(now - timedelta(days=12)).date())
        draft = open_consultation(
            category=drafts,
            title="Dự thảo Quy chế tiếp công dân của Sở Tài chính",
            unit=unit,
            papi=(1, 2, 3),
        )
        services.moderate_comment(
            services.add_comment(draft, name="Nguyễn Văn Hùng", email="", body="Đề nghị bổ sung."),
            approve=True,
            actor=None,
        )
        revised = create_disclosure(
            category=budget,
            title="Công khai dự toán ngân sách năm 2026",
            document_type="Quyết định",
            number_symbol="05/QĐ-STC",
        )
        services.add_attachments(
            revised, [upload(name="Dự toán 2026.pdf")], actor=None, change_note="Thêm biểu 3."
        )
        withdrawn = create_disclosure(category=budget, title="Thông báo đã thay thế")
        services.withdraw_disclosure(withdrawn, reason="Đã có thông báo thay thế.", actor=None)
        db.session.commit()
        return {"draft": draft.slug, "revised": revised.slug, "withdrawn": withdrawn.slug}


@pytest.mark.usefixtures("site_settings")
def test_a_reader_comments_on_a_draft(page, app, portal_data, axe_check):
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"/cong-khai/van-ban/{portal_data['draft']}")
    expect(page.locator("h1")).to_have_text("Dự thảo Quy chế tiếp công dân của Sở Tài chính")
    axe_check(page)

    page.get_by_label(translate(app, "Your name (optional)")).fill("Trần Thị Bình")
    page.get_by_label(translate(app, "Your comment")).fill(
        "Nên cho đăng ký lịch tiếp trước qua cổng thông tin."
    )
    page.get_by_role("button", name=translate(app, "Send the comment")).click()

    page.wait_for_url(f"**/cong-khai/van-ban/{portal_data['draft']}")
    expect(page.get_by_role("status")).to_contain_text(
        translate(
            app,
            "Thank you. Your comment was received and awaits moderation: it appears here once "
            "an editor has approved it.",
        )
    )
    # Not public before an editor approves it; the approved one is.
    expect(page.get_by_text("Nên cho đăng ký lịch tiếp trước")).to_have_count(0)
    expect(page.get_by_text("Đề nghị bổ sung.")).to_be_visible()
    axe_check(page)


@pytest.mark.usefixtures("site_settings")
def test_an_empty_comment_is_explained(page, app, portal_data, axe_check):
    page.goto(f"/cong-khai/van-ban/{portal_data['draft']}")
    page.get_by_role("button", name=translate(app, "Send the comment")).click()
    expect(page.get_by_role("alert")).to_contain_text(translate(app, "Enter your comment"))
    axe_check(page)


@pytest.mark.usefixtures("site_settings")
@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize(
    "path",
    ["/cong-khai", "/cong-khai/danh-muc", "revised", "withdrawn", "revised/phien-ban/1"],
)
def test_public_pages_pass_axe(page, portal_data, axe_check, path, locale):
    if locale != "vi":
        page.goto(f"/ngon-ngu/{locale}")
    slug, _, rest = path.partition("/")
    if slug in portal_data:
        path = f"/cong-khai/van-ban/{portal_data[slug]}" + (f"/{rest}" if rest else "")
    response = page.goto(path)
    assert response.status == 200
    axe_check(page)
