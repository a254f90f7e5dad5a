"""The search engine, the same cases on SQLite (FTS5) and PostgreSQL (tsvector).

Run once as is and once with TEST_DATABASE_URL pointing at PostgreSQL: every case here must
pass on both.
"""

import unicodedata
from datetime import UTC, datetime, timedelta
from itertools import count

import pytest

from portal.core import search as engine
from portal.core.search import fold_in_place, index_entry, remove_entry, search
from portal.extensions import db

_ids = count(1)

TITLE = "Thủ tục đăng ký kinh doanh"


def add(title, body="", *, kind="disclosure", published_at="now", ref_id=None):
    """Index one entry and commit, as a domain service does when an item becomes public."""
    if published_at == "now":
        published_at = datetime.now(UTC) - timedelta(minutes=1)
    ref_id = ref_id or next(_ids)
    index_entry(
        kind=kind,
        ref_id=ref_id,
        slug=f"muc-{ref_id}",
        title=title,
        body=body,
        published_at=published_at,
    )
    db.session.commit()
    return ref_id


def titles(results):
    return [hit.title for hit in results.hits]


def marked(parts):
    return [text for text, is_match in parts if is_match]


@pytest.fixture(autouse=True)
def _context(app_ctx):
    yield


# --- Finding --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "thu tuc dang ky kinh doanh",
        "Thủ tục đăng ký kinh doanh",
        "Đăng ký",
        "ĐĂNG KÝ KINH DOANH",
        "  dang   ky  ",
        unicodedata.normalize("NFD", "đăng ký"),
        "kinh-doanh",
    ],
)
def test_finds_the_title_with_or_without_diacritics(query):
    add(TITLE)
    add("Báo cáo ngân sách năm 2025")

    assert titles(search(query)) == [TITLE]


@pytest.mark.parametrize(("stored", "query"), [("hòa", "hoà"), ("hoà", "hòa"), ("thủy", "thuỷ")])
def test_either_tone_placement_finds_the_other(stored, query):
    add(f"Hội đồng {stored} giải")

    assert titles(search(query)) == [f"Hội đồng {stored} giải"]


def test_every_word_must_match():
    add(TITLE)

    assert search("đăng ký xe máy").total == 0


def test_words_in_the_body_are_found():
    add("Quyết định", "Ban hành thủ tục đăng ký kinh doanh hộ gia đình.")

    assert titles(search("ho gia dinh")) == ["Quyết định"]


def test_numbers_and_symbols_are_words():
    add("Quyết định số 123/QĐ-UBND", "Mã thủ tục 1.000948.H38")

    for query in ["123/QĐ-UBND", "qd ubnd", "1.000948.H38", "000948", "h38"]:
        assert search(query).total == 1, query


def test_a_word_being_typed_is_completed_when_nothing_else_matches():
    add(TITLE)
    add("Kế hoạch phát triển")

    assert titles(search("dang k")) == [TITLE]
    exact = search("ke hoach")
    assert titles(exact) == ["Kế hoạch phát triển"] and not exact.prefix
    # "hoa" as a whole word is not the start of "hoạch" while a whole-word match exists.
    add("Hòa giải ở cơ sở")
    assert titles(search("hoa")) == ["Hòa giải ở cơ sở"]


# --- Ranking and pages ---------------------------------------------------------------------


def test_title_matches_rank_above_body_matches():
    add("Thông báo", f"Hướng dẫn {TITLE.lower()} cho hộ cá thể.")
    add(TITLE, "Hồ sơ gồm giấy đề nghị.")
    add("Tin tức", f"{TITLE}. " * 3)

    assert titles(search("dang ky kinh doanh"))[0] == TITLE


def test_results_come_a_page_at_a_time():
    for n in range(25):
        add(f"Thủ tục số {n}")

    pages = [search("thu tuc", page=p, per_page=10) for p in (1, 2, 3)]

    assert [len(p.hits) for p in pages] == [10, 10, 5]
    assert {p.total for p in pages} == {25} and pages[0].pages == 3
    seen = [hit.ref_id for p in pages for hit in p.hits]
    assert len(set(seen)) == 25
    assert pages[0].has_next and not pages[0].has_prev
    assert pages[2].has_prev and not pages[2].has_next
    assert pages[1].first_number == 11
    assert search("thu tuc", page=4, per_page=10).hits == []


def test_kinds_filter_the_results_and_every_kind_is_counted():
    add(f"{TITLE} (công khai)", kind="disclosure")
    add(f"Dự thảo {TITLE}", kind="draft")
    add(TITLE, kind="procedure")
    add(f"{TITLE} cấp tỉnh", kind="procedure")
    add(f"Hỏi về {TITLE}", kind="answer")

    only = search("dang ky", kinds=["procedure"])

    assert {hit.kind for hit in only.hits} == {"procedure"}
    assert only.total == 2
    assert only.counts == {"disclosure": 1, "draft": 1, "procedure": 2, "answer": 1}
    assert only.all_kinds_total == 5
    assert search("dang ky", kinds=["answer"]).total == 1
    assert search("dang ky", kinds=["draft", "disclosure"]).total == 2
    assert search("dang ky", kinds=[]).total == 0


# --- What is public --------------------------------------------------------------------------


def test_scheduled_entries_are_never_found():
    add(TITLE, published_at=datetime.now(UTC) + timedelta(hours=1))

    results = search("dang ky")

    assert results.total == 0 and results.hits == []
    assert results.counts == {"disclosure": 0, "draft": 0, "procedure": 0, "answer": 0}


def test_entries_without_a_date_are_public():
    add(TITLE, published_at=None)

    assert search("dang ky").hits[0].published_at is None


def test_removed_entries_are_not_found():
    ref = add(TITLE)
    remove_entry(kind="disclosure", ref_id=ref)
    db.session.commit()

    assert search("dang ky").total == 0


def test_an_entry_indexed_again_is_found_by_its_new_words_only():
    ref = add(TITLE)
    add("Cấp giấy phép lái xe", ref_id=ref)

    assert search("dang ky").total == 0
    assert titles(search("giay phep")) == ["Cấp giấy phép lái xe"]


# --- Queries that must never fail ------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        '"',
        '"thu tuc',
        "thu*",
        "*",
        "-thu",
        "thu OR tuc",
        "thu AND NOT tuc",
        "NEAR(thu tuc)",
        "NEAR/2",
        "(thu",
        "thu)",
        "folded_title:thu",
        "{folded_title}: thu",
        "^thu",
        "thu + tuc",
        "'; DROP TABLE search_entry; --",
        "\\",
        "thu & tuc | ! <->",
        "thu:*",
        "\x00",
        "🙂 thủ tục",
        "thủ tục " * 500,
        "x" * 10_000,
        "_",
    ],
)
def test_odd_queries_never_raise(query):
    add(TITLE)

    results = search(query)

    assert results.total in (0, 1)


def test_operators_are_plain_words():
    add("Thủ tục hoặc hồ sơ")

    assert search("thu OR tuc").total == 0  # "or" is a word that must be there
    assert search("thu-tuc").total == 1
    assert search('"thủ tục"').total == 1


# --- Highlighting in the original text ------------------------------------------------------


def test_matches_are_marked_in_the_accented_title():
    add(TITLE)

    hit = search("thu tuc dang ky").hits[0]

    assert hit.title_parts == [
        ("Thủ", True),
        (" ", False),
        ("tục", True),
        (" ", False),
        ("đăng", True),
        (" ", False),
        ("ký", True),
        (" kinh doanh", False),
    ]
    assert "".join(text for text, _ in hit.title_parts) == TITLE


def test_a_completed_word_is_marked_whole():
    add(TITLE)

    assert marked(search("thu tuc kin").hits[0].title_parts) == ["Thủ", "tục", "kinh"]


def test_the_snippet_is_cut_around_the_match_in_the_body():
    body = "Mở đầu. " * 40 + "Hồ sơ đăng ký kinh doanh gồm giấy đề nghị." + " Kết thúc." * 40
    add("Văn bản", body)

    parts = search("đăng ký kinh doanh").hits[0].snippet_parts

    text = "".join(t for t, _ in parts)
    assert text.startswith("…") and text.endswith("…")
    assert len(text) <= engine.SNIPPET_LENGTH + 2
    assert marked(parts) == ["đăng", "ký", "kinh", "doanh"]


def test_the_snippet_starts_the_body_when_only_the_title_matches():
    add(TITLE, "Hồ sơ gồm giấy đề nghị.\n\nNộp tại bộ phận một cửa.")

    parts = search("kinh doanh").hits[0].snippet_parts

    assert parts == [("Hồ sơ gồm giấy đề nghị. Nộp tại bộ phận một cửa.", False)]


def test_snippet_text_is_left_for_the_template_to_escape():
    add('<script>alert("x")</script> thủ tục', "<b>đăng ký</b>")

    hit = search("thu tuc").hits[0]

    assert ('<script>alert("x")</script> ', False) in hit.title_parts
    assert "".join(t for t, _ in hit.snippet_parts) == "<b>đăng ký</b>"


def test_folding_keeps_nfc_vietnamese_in_place():
    text = "Đường Đinh Tiên Hoàng, Đà Nẵng:  hoà\thòa ĐĂNG KÝ"

    folded, origins = fold_in_place(text)

    assert origins is None
    assert len(folded) == len(text)
    assert folded == "duong dinh tien hoang, da nang:  hoa hoa dang ky"


def test_decomposed_text_is_marked_with_its_combining_marks():
    title = unicodedata.normalize("NFD", TITLE)
    pattern = engine._match_pattern(("dang", "ky"), False)

    parts = engine.highlight(title, pattern)

    assert [unicodedata.normalize("NFC", t) for t in marked(parts)] == ["đăng", "ký"]
    assert "".join(t for t, _ in parts) == title
