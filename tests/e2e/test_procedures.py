"""A reader finds a procedure by its field and reads it; axe-core finds nothing to fix."""

import re

import pytest
from playwright.sync_api import expect

from portal.procedures import services
from tests.e2e.browser import translate
from tests.procedures.factories import create_field, create_procedure, docx_bytes


@pytest.fixture
def catalogue(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    with app.app_context():
        create_field(name="Thành lập và hoạt động doanh nghiệp", position=1)
        create_field(name="Quản lý giá", position=2)
        create_procedure(
            code="1.000948.H38",
            name="Đăng ký thành lập doanh nghiệp tư nhân",
            field="Thành lập và hoạt động doanh nghiệp",
            online_level="full",
            online_url="https://dichvucong.example.vn/1.000948.H38",
            steps="Nộp hồ sơ.\nNhận kết quả.",
            legal_basis="<ul><li>Luật Doanh nghiệp số 59/2020/QH14</li></ul>",
            channels=[
                services.ChannelData("in-person", "03 ngày làm việc", "50.000 đồng/lần"),
                services.ChannelData("online", "03 ngày làm việc", "Miễn lệ phí"),
            ],
            files={0: docx_bytes()},
        )
        create_procedure(code="1.010935.H38", name="Đăng ký giá", field="Quản lý giá")


@pytest.mark.usefixtures("site_settings", "catalogue")
def test_a_reader_filters_by_field_and_opens_a_procedure(page, app, axe_check):
    page.goto("/thu-tuc-hanh-chinh")
    expect(page.locator("h1")).to_have_text(translate(app, "Administrative procedures"))
    axe_check(page)

    page.get_by_label(translate(app, "Field"), exact=True).select_option(label="Quản lý giá (1)")
    page.get_by_role("button", name=translate(app, "Show"), exact=True).click()
    expect(page).to_have_url(re.compile(r"linh-vuc=quan-ly-gia"))
    expect(page.get_by_role("link", name="Đăng ký giá")).to_be_visible()
    expect(page.get_by_role("link", name="Đăng ký thành lập doanh nghiệp tư nhân")).to_have_count(0)

    page.get_by_role("link", name=re.compile("Thành lập và hoạt động doanh nghiệp")).first.click()
    page.get_by_role("link", name="Đăng ký thành lập doanh nghiệp tư nhân").click()
    expect(page.locator("h1")).to_have_text("Đăng ký thành lập doanh nghiệp tư nhân")
    expect(page.get_by_text("50.000 đồng/lần")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name=translate(app, "Print view")).click()
    expect(page.locator("h1")).to_have_text("Đăng ký thành lập doanh nghiệp tư nhân")
    axe_check(page)
