"""Tables for download: CSV and XLSX, safe against formula injection, with small counts hidden.

Reports and the public scorecard build `Table`s; this module only writes them. Two dangers
shape it:

- Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with
  "=", "+", "-" or "@" as a formula, so a topic name like "=HYPERLINK(...)" typed by anyone
  could run in a reader's Excel. Text cells that could start a formula are neutralised; real
  numbers are written as numbers and never touched.
- Identifying a citizen through a small count: in a public table a count from 1 to 4 is shown
  as "< 5" (`suppress`, `suppress_table`), and a rate that would give such a count away is
  hidden (`rate`). Zero stays 0: it is about nobody.
"""

import csv
import io
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Literal, TypeAlias

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell as SheetCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from portal.core.text import nfc

__all__ = [
    "CSV_MIME",
    "SUPPRESSION_THRESHOLD",
    "XLSX_MIME",
    "Cell",
    "Kind",
    "Table",
    "csv_bytes",
    "is_small",
    "neutralise",
    "rate",
    "sheet_names",
    "starts_formula",
    "suppress",
    "suppress_table",
    "suppression_note",
    "xlsx_bytes",
]

Cell: TypeAlias = str | int | float | Decimal | date | None
# text: as given. int: a whole number (days, a year is better as text). count: a number of
# cases or people, the only kind suppress_table() hides. decimal: one decimal place (median
# days). percent: a fraction from 0 to 1, shown as 87.3%. date: dd/mm/yyyy.
Kind: TypeAlias = Literal["text", "int", "count", "decimal", "percent", "date"]
KINDS: frozenset[str] = frozenset({"text", "int", "count", "decimal", "percent", "date"})

SUPPRESSION_THRESHOLD = 5

# OWASP's list (= + - @ tab CR), line feed, and the full-width forms in case a spreadsheet or
# an import step folds them to ASCII: a quote in front of harmless text costs nothing.
_FORMULA_STARTS = frozenset("=+-@\t\r\n＝＋－＠")

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIME = "text/csv; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Table:
    """A titled table of cells, as reports build it and exports write it."""

    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    # One per column; None lets each cell's type choose its format, and suppress_table()
    # refuses such a table, because it cannot tell which columns are counts.
    kinds: Sequence[Kind] | None = None
    # A line under the table in XLSX, e.g. suppression_note(). CSV keeps only the data.
    note: str | None = None

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise ValueError("a table needs a title")
        width = len(self.headers)
        if self.kinds is not None:
            if len(self.kinds) != width:
                raise ValueError(f"{len(self.kinds)} kinds for {width} columns")
            unknown = set(self.kinds) - KINDS
            if unknown:
                raise ValueError(f"unknown column kinds: {sorted(unknown)}")
        for number, row in enumerate(self.rows, start=1):
            if len(row) != width:
                raise ValueError(f"row {number} has {len(row)} cells for {width} columns")

    def kind(self, column: int) -> Kind | None:
        return None if self.kinds is None else self.kinds[column]


# --- Small counts -------------------------------------------------------------------------


def is_small(n: int | None, threshold: int = SUPPRESSION_THRESHOLD) -> bool:
    """Tell whether a count is too small to publish: 1 to threshold - 1."""
    _check_threshold(threshold)
    if n is None:
        return False
    _check_count(n)
    return 0 < n < threshold


def suppress(n: int | None, threshold: int = SUPPRESSION_THRESHOLD) -> int | str | None:
    """Return the count, or "< 5" when it is from 1 to 4; 0 and None stay as they are."""
    # 0 is kept: it identifies nobody, and "< 5" for an empty cell would hide that a unit
    # received nothing, which the public may rightly want to know.
    return f"< {threshold}" if is_small(n, threshold) else n


def suppress_table(table: Table, threshold: int = SUPPRESSION_THRESHOLD) -> Table:
    """Return a copy of the table with the small counts of its "count" columns as "< 5"."""
    # Fail closed: a public table whose columns are not declared cannot be checked.
    if table.kinds is None:
        raise ValueError(f"declare the column kinds of {table.title!r} before suppressing")
    counts = [i for i, kind in enumerate(table.kinds) if kind == "count"]
    rows = []
    for row in table.rows:
        cells = list(row)
        for i in counts:
            if cells[i] is not None and not isinstance(cells[i], str):
                cells[i] = suppress(cells[i], threshold)
        rows.append(tuple(cells))
    return replace(table, rows=tuple(rows))


def rate(numerator: int, denominator: int, threshold: int = SUPPRESSION_THRESHOLD) -> float | None:
    """Return numerator / denominator, or None when publishing it could reveal a small count."""
    _check_threshold(threshold)
    _check_count(numerator)
    _check_count(denominator)
    if numerator > denominator:
        raise ValueError(f"numerator {numerator} is larger than denominator {denominator}")
    if denominator == 0 or denominator < threshold:
        return None
    # Next to its published denominator a rate gives away its numerator, and 1 - rate the
    # rest: 96% of 50 on time says "2 late" as plainly as the hidden count would.
    if is_small(numerator, threshold) or is_small(denominator - numerator, threshold):
        return None
    return numerator / denominator


def suppression_note(threshold: int = SUPPRESSION_THRESHOLD) -> str:
    """Return the sentence that explains "< 5" to readers of a table."""
    _check_threshold(threshold)
    return _(
        "Counts from 1 to %(largest)s are shown as “< %(threshold)s”, and rates that would reveal them are left blank, so that no citizen can be identified.",
        largest=threshold - 1,
        threshold=threshold,
    )


def _check_threshold(threshold: int) -> None:
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise ValueError(f"threshold must be a whole number of at least 1, not {threshold!r}")


def _check_count(n: object) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"a count must be an int, not {type(n).__name__}")
    if n < 0:
        raise ValueError(f"a count cannot be negative: {n}")


# --- Formula injection -------------------------------------------------------------------


def starts_formula(text: str) -> bool:
    """Tell whether a spreadsheet could read this text as the start of a formula."""
    # Importers may trim leading blanks (LibreOffice offers to), so " =1+1" counts as well.
    return bool(text) and (text[0] in _FORMULA_STARTS or text.lstrip()[:1] in _FORMULA_STARTS)


def neutralise(text: str) -> str:
    """Return text a spreadsheet shows as typed: a leading ' stops a formula from starting."""
    return "'" + text if starts_formula(text) else text


# --- CSV ----------------------------------------------------------------------------------


def csv_bytes(table: Table) -> bytes:
    """Write one table as CSV: UTF-8 with a BOM, CRLF, header row, dates as dd/mm/yyyy."""
    # One table per file keeps the CSV machine-readable (the first row is the header); the
    # title belongs in the file name. The BOM is what makes Excel read UTF-8 Vietnamese.
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralise(nfc(str(header))) for header in table.headers])
    for row in table.rows:
        writer.writerow([_csv_cell(value, table.kind(i)) for i, value in enumerate(row)])
    return buffer.getvalue().encode("utf-8-sig")


def _csv_cell(value: Cell, kind: Kind | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(nfc(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    _check_number(value)
    if kind == "percent":
        # A fraction, as in the XLSX; four places keep 0.1 of a percentage point.
        return _plain(round(Decimal(str(value)), 4).normalize())
    if isinstance(value, float):
        return repr(value)
    return _plain(value)


def _plain(value: int | Decimal) -> str:
    # str(Decimal) may use an exponent ("1E+3") that spreadsheets read differently.
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def _check_number(value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"unsupported cell value of type {type(value).__name__}")
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        raise ValueError(f"a cell cannot hold {value}")


# --- XLSX ---------------------------------------------------------------------------------

_SHEET_NAME_MAX = 31
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_HEADER_FILL = PatternFill(fill_type="solid", start_color="FFDCE6F1", end_color="FFDCE6F1")
_NUMBER_FORMATS = {
    "int": "#,##0",
    "count": "#,##0",
    "decimal": "#,##0.0",
    "percent": "0.0%",
    "date": "dd/mm/yyyy",
}
_MIN_WIDTH, _MAX_WIDTH = 8, 60


def sheet_names(titles: Iterable[str]) -> list[str]:
    """Return an Excel-valid, distinct sheet name for each title, in order."""
    names: list[str] = []
    taken: set[str] = set()
    for number, title in enumerate(titles, start=1):
        base = _SHEET_NAME_FORBIDDEN.sub("-", " ".join(nfc(str(title)).split()))
        # Excel refuses a name that starts or ends with an apostrophe, and "History".
        base = base.strip("'").strip() or str(number)
        if base.casefold() == "history":
            base = f"{base} ({number})"
        name, copy = _cut(base, _SHEET_NAME_MAX), 1
        while name.casefold() in taken:  # Excel compares sheet names case-insensitively
            copy += 1
            suffix = f" ({copy})"
            name = _cut(base, _SHEET_NAME_MAX - len(suffix)) + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def _cut(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if text[limit] != " " and " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]  # end on a whole word when that keeps most of the name
    return cut.rstrip(" -'") or text[:limit]


def xlsx_bytes(
    tables: Sequence[Table],
    *,
    title: str,
    subtitle: str | None = None,
    creator: str | None = None,
) -> bytes:
    """Write tables as an XLSX workbook, one formatted sheet per table."""
    if not tables:
        raise ValueError("a workbook needs at least one table")
    # Write-only mode streams rows: a list of overdue cases can run to thousands of rows.
    workbook = Workbook(write_only=True)
    workbook.properties.title = _xlsx_text(title)
    workbook.properties.subject = _xlsx_text(subtitle) if subtitle else None
    workbook.properties.creator = _xlsx_text(creator) if creator else None
    workbook.properties.lastModifiedBy = workbook.properties.creator
    for table, name in zip(tables, sheet_names(t.title for t in tables), strict=True):
        _write_sheet(workbook.create_sheet(name), table, title, subtitle)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_sheet(sheet, table: Table, title: str, subtitle: str | None) -> None:
    width = len(table.headers)
    cells = [
        [_xlsx_cell(sheet, value, table.kind(i)) for i, value in enumerate(row)]
        for row in table.rows
    ]
    headers = [_text_cell(sheet, header, font=Font(bold=True)) for header in table.headers]
    for header in headers:
        header.fill = _HEADER_FILL
        header.alignment = Alignment(wrap_text=True, vertical="center")

    # Column widths must be set before the first row in write-only mode.
    for i in range(width):
        longest = max(
            [_display_length(headers[i].value)] + [_display_length_of(row[i]) for row in cells]
        )
        letter = get_column_letter(i + 1)
        sheet.column_dimensions[letter].width = min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH)

    above = [[_text_cell(sheet, title, font=Font(bold=True, size=14))]]
    if subtitle:
        above.append([_text_cell(sheet, subtitle, font=Font(italic=True))])
    above += [[_text_cell(sheet, table.title, font=Font(bold=True, size=12))], []]
    header_row = len(above) + 1
    # Freeze everything down to the header row, so the headers stay in view while scrolling.
    sheet.freeze_panes = f"A{header_row + 1}"
    for row in above:
        sheet.append(row)
    sheet.append(headers)
    for row in cells:
        sheet.append(row)
    if table.note:
        sheet.append([])
        sheet.append([_text_cell(sheet, table.note, font=Font(italic=True))])
    sheet.print_title_rows = f"{header_row}:{header_row}"


def _xlsx_cell(sheet, value: Cell, kind: Kind | None) -> SheetCell | str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = _xlsx_text(value)
        if kind in (None, "text") and not starts_formula(text):
            # A bare string is written as text and costs a third of a styled cell: a list
            # of overdue cases is mostly text.
            return text
        cell = _text_cell(sheet, text)
        if kind not in (None, "text"):
            cell.alignment = Alignment(horizontal="right")  # "< 5" lines up with the numbers
        return cell
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            raise ValueError("convert a datetime to local time and drop its tzinfo first")
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = "dd/mm/yyyy hh:mm"
        return cell
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value)
        cell.number_format = _NUMBER_FORMATS["date"]
        return cell
    _check_number(value)
    cell = WriteOnlyCell(sheet, value)
    if kind in _NUMBER_FORMATS and kind != "date":
        cell.number_format = _NUMBER_FORMATS[kind]
    elif kind is None and isinstance(value, int):
        cell.number_format = _NUMBER_FORMATS["int"]
    return cell


def _text_cell(sheet, value: str, *, font: Font | None = None) -> SheetCell:
    text = _xlsx_text(value)
    cell = WriteOnlyCell(sheet, text)
    # openpyxl stores any string starting with "=" as a formula. Force a string, and mark
    # risky ones with Excel's own quote prefix so that editing the cell keeps it text too.
    cell.data_type = "s"
    if starts_formula(text):
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    return cell


def _xlsx_text(value: str) -> str:
    # Control characters make openpyxl refuse the workbook; they carry nothing readable.
    return ILLEGAL_CHARACTERS_RE.sub("", nfc(str(value)))


def _display_length_of(cell: SheetCell | str | None) -> int:
    if cell is None:
        return 0
    if isinstance(cell, str):
        return _display_length(cell)
    value = cell.value
    if value is None:
        return 0
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date):
        return 10
    if isinstance(value, str):
        return _display_length(value)
    if cell.number_format == "0.0%":
        return len(f"{value:.1%}")
    if cell.number_format == "#,##0.0":
        return len(f"{value:,.1f}")
    if cell.number_format == "#,##0":
        return len(f"{value:,.0f}")
    return len(str(value))


def _display_length(text: str | None) -> int:
    # A wrapped cell is as wide as its longest line; Vietnamese is stored NFC, so the
    # letters with tone marks count once each.
    return max((len(line) for line in (text or "").splitlines()), default=0)
