"""The public catalogue: list with filters and pages, each procedure, its print view, its forms."""

import re

import pytest
from flask_babel import force_locale, ngettext

from portal.procedures import services
from portal.procedures.views import REPORT_ENDPOINT
from tests.e2e.browser import translate
from tests.procedures.factories import create_field, create_procedure, docx_bytes

BUSINESS = "Thành lập và hoạt động doanh nghiệp"
PRICES = "Quản lý giá"


def translate_plural(app, singular: str, plural: str, num: int) -> str:
    """The text the Vietnamese page shows for a plural message and `num`."""
    with app.test_request_context(), force_locale("vi"):
        return ngettext(singular, plural, num)


def _names(page: str) -> list[str]:
    return re.findall(r'<a href="/thu-tuc-hanh-chinh/[^"/]+">([^<]+)</a>', page)


@pytest.fixture
def catalogue(app):
    with app.app_context():
        # Positions order the fields: the alphabet would put Quản lý giá first.
        create_field(name=BUSINESS, position=10)
        create_field(name=PRICES, position=20)
        made = {
            "business": create_procedure(name="Đăng ký thành lập công ty cổ phần", field=BUSINESS,
                                         online_level="full", online_url="https://dvc.example.vn/1"),
            "household": create_procedure(name="Đăng ký thành lập hộ kinh doanh", field=BUSINESS,
                                          level="commune", online_level="partial",
                                          online_url="https://dvc.example.vn/2"),
            "price": create_procedure(name="Đăng ký giá", field=PRICES),
            "draft": create_procedure(name="Thủ tục chưa công bố", field=PRICES, published=False),
        }  # fmt: skip
    return made


def test_the_list_groups_published_procedures_by_field_with_counts(app, client, catalogue):
    page = client.get("/thu-tuc-hanh-chinh").get_data(as_text=True)
    assert set(_names(page)) == {
        "Đăng ký thành lập công ty cổ phần",
        "Đăng ký thành lập hộ kinh doanh",
        "Đăng ký giá",
    }
    assert "Thủ tục chưa công bố" not in page
    assert page.index(f">{BUSINESS}</h2>") < page.index(f">{PRICES}</h2>")
    # The counts leave drafts out.
    assert f"{BUSINESS} (2)" in page and f"{PRICES} (1)" in page
    assert translate_plural(app, "%(num)d procedure", "%(num)d procedures", 3) in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("linh-vuc=quan-ly-gia", {"Đăng ký giá"}),
        ("cap=xa", {"Đăng ký thành lập hộ kinh doanh"}),
        ("cap=tinh", {"Đăng ký thành lập công ty cổ phần", "Đăng ký giá"}),
        ("truc-tuyen=toan-trinh", {"Đăng ký thành lập công ty cổ phần"}),
        ("truc-tuyen=mot-phan", {"Đăng ký thành lập hộ kinh doanh"}),
        ("truc-tuyen=co", {"Đăng ký thành lập công ty cổ phần", "Đăng ký thành lập hộ kinh doanh"}),
        ("truc-tuyen=khong", {"Đăng ký giá"}),
        ("cap=tinh&truc-tuyen=co", {"Đăng ký thành lập công ty cổ phần"}),
        ("linh-vuc=khong-co&cap=tinh", set()),
        # Values that mean nothing are dropped, not guessed at.
        ("cap=huyen&truc-tuyen=nua-chung", {
            "Đăng ký thành lập công ty cổ phần", "Đăng ký thành lập hộ kinh doanh", "Đăng ký giá"}),
    ],
)  # fmt: skip
def test_filters(client, catalogue, query, expected):
    page = client.get(f"/thu-tuc-hanh-chinh?{query}").get_data(as_text=True)
    assert set(_names(page)) == expected


def test_the_filter_form_keeps_the_choices(client, catalogue):
    page = client.get("/thu-tuc-hanh-chinh?cap=xa&truc-tuyen=mot-phan").get_data(as_text=True)
    assert '<option value="xa" selected>' in page
    assert '<option value="mot-phan" selected>' in page
    # Field counts follow the other filters, and their links keep them.
    assert f"{BUSINESS} (1)" in page
    assert "linh-vuc=thanh-lap-va-hoat-dong-doanh-nghiep&amp;cap=xa&amp;truc-tuyen=mot-phan" in page


def test_no_match_offers_the_whole_list(app, client, catalogue):
    page = client.get("/thu-tuc-hanh-chinh?linh-vuc=quan-ly-gia&cap=xa").get_data(as_text=True)
    assert translate(app, "No procedure matches these choices.") in page
    assert f'href="/thu-tuc-hanh-chinh">{translate(app, "Show all procedures")}' in page


def test_pages_keep_the_filters(app, client):
    with app.app_context():
        for n in range(23):
            create_procedure(name=f"Thủ tục {n:02d}", field=BUSINESS, level="province")
        create_procedure(name="Thủ tục cấp xã", field=BUSINESS, level="commune")
    first = client.get("/thu-tuc-hanh-chinh?cap=tinh").get_data(as_text=True)
    assert len(_names(first)) == 20
    assert 'href="/thu-tuc-hanh-chinh?cap=tinh&amp;trang=2" rel="next"' in first
    second = client.get("/thu-tuc-hanh-chinh?cap=tinh&trang=2").get_data(as_text=True)
    assert _names(second) == ["Thủ tục 20", "Thủ tục 21", "Thủ tục 22"]
    assert 'href="/thu-tuc-hanh-chinh?cap=tinh" rel="prev"' in second
    beyond = client.get("/thu-tuc-hanh-chinh?trang=9").get_data(as_text=True)
    assert _names(beyond) == []


def _full_procedure(app):
    with app.app_context():
        return create_procedure(
            code="1.000948.H38",
            name="Đăng ký thành lập doanh nghiệp tư nhân",
            field=BUSINESS,
            decision_number="Quyết định số 1418/QĐ-UBND ngày 08/8/2025",
            steps="Bước 1: nộp hồ sơ.\nBước 2: nhận kết quả.",
            applicants="Cá nhân",
            implementing_body="Phòng Đăng ký kinh doanh",
            result="Giấy chứng nhận đăng ký doanh nghiệp",
            conditions="<p>Tên doanh nghiệp <strong>đúng quy định</strong><script>alert(1)</script></p>",
            legal_basis="<ul><li>Luật Doanh nghiệp số 59/2020/QH14</li></ul>",
            online_level="full",
            online_url="https://dichvucong.example.vn/thu-tuc/1.000948.H38",
            channels=[
                services.ChannelData("in-person", "03 ngày làm việc", "50.000 đồng/lần"),
                services.ChannelData("online", "03 ngày làm việc", "Miễn lệ phí", "Nộp 24/7"),
            ],
            components=[
                services.ComponentData("Giấy đề nghị đăng ký doanh nghiệp", 1, 0),
                services.ComponentData("Bản sao căn cước", 0, 2),
                services.ComponentData("Tờ khai", 1, 0, "https://example.vn/to-khai.docx"),
            ],
            files={0: docx_bytes()},
        )


def test_the_page_shows_every_field(app, client):
    procedure = _full_procedure(app)
    page = client.get(f"/thu-tuc-hanh-chinh/{procedure.slug}").get_data(as_text=True)
    for text in (
        "<h1>Đăng ký thành lập doanh nghiệp tư nhân</h1>",
        "1.000948.H38",
        "Quyết định số 1418/QĐ-UBND ngày 08/8/2025",
        translate(app, "Province level"),
        BUSINESS,
        "<p>Bước 1: nộp hồ sơ.</p><p>Bước 2: nhận kết quả.</p>",
        f'<th scope="row">{translate(app, "In person")}</th>'
        "<td>03 ngày làm việc</td><td>50.000 đồng/lần</td>",
        "<td>Miễn lệ phí</td><td>Nộp 24/7</td>",
        "<td>Bản sao căn cước</td>\n      <td>0</td>\n      <td>2</td>",
        'href="https://example.vn/to-khai.docx"',
        "Cá nhân",
        "Phòng Đăng ký kinh doanh",
        "Giấy chứng nhận đăng ký doanh nghiệp",
        "<strong>đúng quy định</strong>",
        "<li>Luật Doanh nghiệp số 59/2020/QH14</li>",
        translate(app, "Fully online"),
        'href="https://dichvucong.example.vn/thu-tuc/1.000948.H38"',
        f'href="/thu-tuc-hanh-chinh/{procedure.slug}/in"',
    ):
        assert text in page, text
    assert "alert(1)" not in page
    assert re.search(rf'href="/thu-tuc-hanh-chinh/{procedure.slug}/bieu-mau/[\w-]+" download', page)


def test_a_form_file_downloads_as_an_attachment(app, client):
    procedure = _full_procedure(app)
    page = client.get(f"/thu-tuc-hanh-chinh/{procedure.slug}").get_data(as_text=True)
    link = re.search(r'href="(/thu-tuc-hanh-chinh/[^"]+/bieu-mau/[^"]+)"', page).group(1)
    response = client.get(link)
    assert response.data == docx_bytes()
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=UTF-8''M%E1%BA%ABu%20%C4%91%C6%A1n%201.docx"
        in (response.headers["Content-Disposition"])
    )
    assert response.mimetype.endswith("wordprocessingml.document")
    # The file's id under another procedure, or an unknown id, is not found.
    with app.app_context():
        other = create_procedure(field=BUSINESS)
    public_id = link.rsplit("/", 1)[1]
    client.get(f"/thu-tuc-hanh-chinh/{other.slug}/bieu-mau/{public_id}", expect=404)
    client.get(f"/thu-tuc-hanh-chinh/{procedure.slug}/bieu-mau/khong-co", expect=404)


def test_forms_of_an_unpublished_procedure_are_not_public(app, client):
    procedure = _full_procedure(app)
    page = client.get(f"/thu-tuc-hanh-chinh/{procedure.slug}").get_data(as_text=True)
    link = re.search(r'href="(/thu-tuc-hanh-chinh/[^"]+/bieu-mau/[^"]+)"', page).group(1)
    with app.app_context():
        services.set_published(
            services.db.session.get(services.Procedure, procedure.id), False, actor=None
        )
    client.get(link, expect=404)


def test_unpublished_and_unknown_procedures_are_not_found(client, catalogue):
    draft = catalogue["draft"]
    client.get(f"/thu-tuc-hanh-chinh/{draft.slug}", expect=404)
    client.get(f"/thu-tuc-hanh-chinh/{draft.slug}/in", expect=404)
    client.get("/thu-tuc-hanh-chinh/khong-co-thu-tuc-nay", expect=404)
    client.get("/thu-tuc-hanh-chinh/khong-co-thu-tuc-nay/in", expect=404)


def test_the_print_view_has_the_content_without_the_menus(app, client):
    procedure = _full_procedure(app)
    page = client.get(f"/thu-tuc-hanh-chinh/{procedure.slug}/in").get_data(as_text=True)
    assert "<h1>Đăng ký thành lập doanh nghiệp tư nhân</h1>" in page
    assert "50.000 đồng/lần" in page and "Luật Doanh nghiệp số 59/2020/QH14" in page
    assert 'class="main-nav"' not in page
    assert f"http://localhost/thu-tuc-hanh-chinh/{procedure.slug}" in page
    assert 'media="print"' in page


def test_the_report_link_preselects_the_procedure_on_the_case_form(app, client, catalogue):
    assert REPORT_ENDPOINT in app.view_functions
    procedure = catalogue["price"]
    page = client.get(f"/thu-tuc-hanh-chinh/{procedure.slug}").get_data(as_text=True)
    assert translate(app, "Report a problem with this procedure") in page
    assert f'href="/gop-y/moi?procedure={procedure.code}"' in page
    form = client.get(f"/gop-y/moi?procedure={procedure.code}").get_data(as_text=True)
    assert f'selected value="{procedure.code}"' in form


def test_english_readers_see_the_english_field_name(app, client):
    with app.app_context():
        create_field(name=PRICES, name_en="Price management")
        create_procedure(field=PRICES)
    client.get("/ngon-ngu/en", expect=302)
    page = client.get("/thu-tuc-hanh-chinh").get_data(as_text=True)
    assert "Price management" in page


def test_names_sort_as_vietnamese_readers_expect(app, client):
    with app.app_context():
        for name in ("Giải thể doanh nghiệp", "Đăng ký giá", "Cấp lại giấy chứng nhận", "Dừng"):
            create_procedure(name=name, field=BUSINESS)
    page = client.get("/thu-tuc-hanh-chinh").get_data(as_text=True)
    # By code point Đ would come after every letter of the alphabet.
    assert _names(page) == [
        "Cấp lại giấy chứng nhận",
        "Đăng ký giá",
        "Dừng",
        "Giải thể doanh nghiệp",
    ]
