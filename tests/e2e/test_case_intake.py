"""Submitting cases in a browser: an anonymous reflection and a complaint with a photo, the
number and key read on the receipt, and axe-core on every page of the way."""

import re

import pytest
from playwright.sync_api import expect

from portal.cases.models import Case, CaseAttachment
from portal.extensions import db
from tests.core.test_uploads import jpeg_with_exif
from tests.e2e.browser import translate

KEY = re.compile(r"^[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}-[2-9A-HJKMNP-Z]$")


@pytest.fixture
def uploads(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))


def _read_receipt(page, app):
    expect(page).to_have_url(re.compile(r"/gop-y/bien-nhan$"))
    number = page.locator(".case-number").inner_text()
    key = page.locator(".case-key__value").get_attribute("aria-label")
    assert KEY.match(key), key
    return number, key


def test_choose_page_and_empty_form_have_no_accessibility_violations(page, axe_check):
    page.goto("/gop-y")
    axe_check(page)
    page.goto("/gop-y/moi")
    axe_check(page)


def test_an_anonymous_reflection_from_the_home_page(page, app, axe_check, uploads):
    page.goto("/")
    page.locator("#gop-y h2 a").click()
    expect(page).to_have_url(re.compile(r"/gop-y$"))
    page.locator("#h-reflection a").click()
    page.get_by_label(translate(app, "Topic")).select_option("other")
    page.get_by_label(translate(app, "Subject")).fill("Đèn đường thôn Nà Cạn hỏng")
    page.get_by_label(translate(app, "What happened and what you ask for")).fill(
        "Đèn đường hỏng đã hai tuần, buổi tối rất tối."
    )
    page.get_by_label(translate(app, "Send without my name")).check()
    page.locator("#declaration").check()
    page.get_by_role("button", name=translate(app, "Send")).click()
    number, _key = _read_receipt(page, app)
    assert number.startswith("PA-")
    axe_check(page)
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.number == number))
        assert case.anonymous and case.identity is None


def test_a_complaint_with_a_photo_after_a_refused_first_try(
    page, app, axe_check, uploads, tmp_path
):
    photo = tmp_path / "ảnh.jpg"
    photo.write_bytes(jpeg_with_exif())
    page.goto("/gop-y/moi?loai=complaint")
    page.get_by_label(translate(app, "Topic")).select_option("procedure")
    page.get_by_label(translate(app, "Subject")).fill("Khiếu nại quyết định từ chối cấp phép")
    page.get_by_label(translate(app, "What happened and what you ask for")).fill(
        "Đề nghị xem xét lại quyết định."
    )
    page.locator("#declaration").check()
    page.get_by_role("button", name=translate(app, "Send")).click()
    # Refused: the error summary, everything typed kept.
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_label(translate(app, "Subject"))).to_have_value(
        "Khiếu nại quyết định từ chối cấp phép"
    )
    axe_check(page)

    page.locator("#decision_concerned").fill("Quyết định số 12/QĐ-UBND")
    page.locator("#decision_known_on").fill("2026-03-05")
    page.locator("#name").fill("Nguyễn Văn An")
    page.locator("#address").fill("Thôn Nà Cạn, xã Hoàng Văn Thụ")
    page.locator("#phone").fill("0912 345 678")
    page.locator("#files").set_input_files(str(photo))
    page.locator("#declaration").check()
    page.get_by_role("button", name=translate(app, "Send")).click()
    number, _key = _read_receipt(page, app)
    assert number.startswith("KH-")
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.number == number))
        attachment = db.session.scalar(
            db.select(CaseAttachment).where(CaseAttachment.case_id == case.id)
        )
        assert attachment.stored_file.original_name == "ảnh.jpg"
