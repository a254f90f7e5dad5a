import unicodedata

import pytest

from portal.core.text import fold, nfc, slugify


def nfd(value):
    return unicodedata.normalize("NFD", value)


def test_nfc_composes_decomposed_text():
    assert nfc(nfd("Thủ tục hành chính")) == "Thủ tục hành chính"
    assert unicodedata.is_normalized("NFC", nfc(nfd("Đà Nẵng")))


def test_nfc_keeps_none_and_empty():
    assert nfc(None) is None
    assert nfc("") == ""


@pytest.mark.parametrize("value", ["hoà", "hòa", "thuỷ", "thủy"])
def test_nfc_keeps_the_tone_placement_the_author_typed(value):
    assert nfc(nfd(value)) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Thủ tục HÀNH CHÍNH", "thu tuc hanh chinh"),
        ("Đà Nẵng", "da nang"),
        ("đường Đinh Tiên Hoàng", "duong dinh tien hoang"),
        ("ĐĂNG KÝ", "dang ky"),
        ("Lạng Sơn", "lang son"),
        ("Ðà Nẵng", "da nang"),  # Ð is the Icelandic eth, a look-alike of Đ
        ("  Sở \t Nội\u00a0vụ \n", "so noi vu"),
        ("", ""),
        ("2025", "2025"),
    ],
)
def test_fold(value, expected):
    assert fold(value) == expected


@pytest.mark.parametrize(
    "variants",
    [
        ["hoà", "hòa", "HOÀ", "Hòa", "hoa"],
        ["thuỷ", "thủy", "THUỶ", "Thủy", "thuy"],
        ["khoẻ", "khỏe", "khoe"],
        ["Thủ tục hành chính", "thu tuc hanh chinh", "THỦ TỤC HÀNH CHÍNH"],
    ],
)
def test_fold_makes_spelling_variants_equal(variants):
    forms = variants + [nfd(v) for v in variants]

    assert {fold(v) for v in forms} == {fold(variants[-1])}


def test_fold_of_decomposed_input_matches_composed():
    assert fold(nfd("Đà Nẵng")) == fold("Đà Nẵng") == "da nang"
    assert fold(nfd("hoà")) == fold("hòa") == "hoa"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Công khai ngân sách 2025", "cong-khai-ngan-sach-2025"),
        ("Đường dây nóng", "duong-day-nong"),
        ("  --Hỏi & đáp: thủ tục!--  ", "hoi-dap-thu-tuc"),
        ("Quyết định số 123/QĐ-UBND", "quyet-dinh-so-123-qd-ubnd"),
        ("", ""),
        ("!!!", ""),
        (nfd("Hòa bình"), "hoa-binh"),
    ],
)
def test_slugify(value, expected):
    assert slugify(value) == expected


def test_slugify_cuts_at_a_word_boundary():
    assert slugify("Công khai ngân sách năm 2025", max_length=18) == "cong-khai-ngan"
    assert slugify("Công khai ngân sách", max_length=14) == "cong-khai-ngan"
    assert slugify("Công khai ngân sách", max_length=15) == "cong-khai-ngan"


def test_slugify_cuts_a_single_long_word_hard():
    assert slugify("a" * 100) == "a" * 80
    assert slugify("a" * 10, max_length=4) == "aaaa"


def test_slugify_never_exceeds_max_length():
    title = "Thông báo về việc tiếp nhận hồ sơ đề nghị cấp giấy phép " * 5

    for max_length in range(1, 120):
        slug = slugify(title, max_length=max_length)
        assert len(slug) <= max_length
        assert not slug.startswith("-")
        assert not slug.endswith("-")


def test_slugify_rejects_a_useless_max_length():
    with pytest.raises(ValueError, match="max_length"):
        slugify("x", max_length=0)
