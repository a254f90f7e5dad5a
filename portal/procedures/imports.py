"""Reading and writing the catalogue as CSV or JSON files (`flask procedures import/export`).

One row (CSV) or one object (JSON) per procedure, with the keys in COLUMNS. Ways to submit and
dossier components are JSON arrays, in a CSV cell as in a JSON file. Nothing is guessed: a value
that is not exactly one of the documented forms rejects its row, with the reason.
"""

import csv
import io
import json
import os

from portal.core.text import nfc
from portal.procedures.models import (
    CODE_MAX,
    CODE_PATTERN,
    COPIES_MAX,
    DECISION_MAX,
    FEE_MAX,
    FIELD_NAME_MAX,
    NAME_MAX,
    PROCESSING_TIME_MAX,
    TEXT_MAX,
    URL_MAX,
    Channel,
    Level,
    OnlineLevel,
    is_web_url,
)
from portal.procedures.services import ChannelData, ComponentData, ImportRow, ProcedureData

COLUMNS = (
    "code",
    "name",
    "decision_number",
    "level",
    "field",
    "steps",
    "applicants",
    "implementing_body",
    "result",
    "conditions",
    "legal_basis",
    "online_level",
    "online_url",
    "published",
    "channels",
    "components",
)
REQUIRED_COLUMNS = ("code", "name", "level", "field")
CHANNEL_KEYS = ("channel", "processing_time", "fee", "note")
COMPONENT_KEYS = ("name", "originals", "copies", "form_url")
_TRUE = ("yes", "true", "1")
_FALSE = ("no", "false", "0")

FORMAT_HELP = f"""\b
FILE is .csv (UTF-8, comma-separated, header row) or .json (an array of
objects). One row or object per procedure; columns or keys:
  code               required; letters, digits, dots, hyphens (1.000948.H38);
                     a procedure with this code is updated, else created
  name               required
  decision_number    the publishing decision (số/ký hiệu, date)
  level              required: province | commune
  field              required: the field's (lĩnh vực) exact name
  steps, conditions, legal_basis
                     HTML (cleaned), or plain text: one paragraph per line
  applicants, implementing_body, result      plain text
  online_level       none (or empty) | partial | full
  online_url         http(s) link to the online service; required for
                     partial and full, not allowed with none
  published          yes | no (true/false, 1/0 also); empty: yes for a new
                     procedure, unchanged for an existing one
  channels           JSON array of {{"channel": "in-person" | "online" |
                     "post", "processing_time": "...", "fee": "...",
                     "note": "..."}}  (processing_time required)
  components         JSON array of {{"name": "...", "originals": 1,
                     "copies": 0, "form_url": "https://..."}}  (name
                     required; originals and copies 0-{COPIES_MAX})
Only code, name, level and field are required columns; a missing optional
column means empty. Unknown columns or keys are refused. An import replaces
the ways to submit and the components; uploaded form files stay with the
component of the same name. Row numbers count the header as row 1 (CSV) or
the first object as item 1 (JSON).
"""


class ImportFileError(ValueError):
    """The file as a whole cannot be read; nothing was imported."""


def read_file(path: str) -> list[ImportRow]:
    """Parse and check an import file; raise ImportFileError if the file itself is unusable."""
    extension = os.path.splitext(path)[1].lower()
    if extension not in (".csv", ".json"):
        raise ImportFileError("the file name must end in .csv or .json")
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as error:
        raise ImportFileError(f"cannot read the file ({error.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"the file is not UTF-8 text (byte {error.start}); save it as UTF-8"
        ) from None
    if not text.strip():
        raise ImportFileError("the file is empty")
    rows = read_csv(text) if extension == ".csv" else read_json(text)
    return _reject_duplicate_codes(rows)


def read_csv(text: str) -> list[ImportRow]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as error:
        raise ImportFileError(f"cannot read the header row ({error})") from None
    header = [nfc(name.strip()) for name in header]
    _check_header(header)
    rows = []
    number = 1
    try:
        for cells in reader:
            number += 1
            if not any(cell.strip() for cell in cells):
                continue  # a blank line, as spreadsheets leave at the end
            if len(cells) != len(header):
                rows.append(
                    ImportRow(
                        number,
                        None,
                        None,
                        [f"the row has {len(cells)} cells, the header has {len(header)}"],
                    )
                )
                continue
            rows.append(_validate(dict(zip(header, cells, strict=True)), number, from_csv=True))
    except csv.Error as error:
        raise ImportFileError(f"row {number + 1}: not valid CSV ({error})") from None
    return rows


def _check_header(header: list[str]) -> None:
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise ImportFileError(
            "unknown column(s): "
            + ", ".join(repr(n) for n in unknown)
            + "; the columns are: "
            + ", ".join(COLUMNS)
        )
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise ImportFileError("column(s) appear more than once: " + ", ".join(repeated))
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ImportFileError("required column(s) missing: " + ", ".join(missing))


def read_json(text: str) -> list[ImportRow]:
    try:
        items = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    if not isinstance(items, list):
        raise ImportFileError("the JSON file must hold an array of objects, one per procedure")
    rows = []
    for number, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            rows.append(ImportRow(number, None, None, ["the item is not an object"]))
            continue
        unknown = [key for key in item if key not in COLUMNS]
        if unknown:
            code = item.get("code") if isinstance(item.get("code"), str) else None
            problem = "unknown key(s): " + ", ".join(repr(k) for k in unknown)
            rows.append(ImportRow(number, code, None, [problem]))
            continue
        rows.append(_validate(item, number, from_csv=False))
    return rows


def _reject_duplicate_codes(rows: list[ImportRow]) -> list[ImportRow]:
    numbers: dict[str, list[int]] = {}
    for row in rows:
        if row.code:
            numbers.setdefault(row.code, []).append(row.number)
    for row in rows:
        seen = numbers.get(row.code or "", [])
        if len(seen) > 1:
            where = ", ".join(str(n) for n in seen)
            row.problems.append(f"code {row.code} appears more than once in the file ({where})")
            row.data = None
    return rows


class _Checker:
    """Collects the problems of one row while reading its values."""

    def __init__(self, raw: dict, from_csv: bool):
        self.raw = raw
        self.from_csv = from_csv
        self.problems: list[str] = []

    def text(self, key: str, limit: int, *, required: bool = False, where: str = "", raw=None):
        source = self.raw if raw is None else raw
        value = source.get(key)
        label = f"{where}{key}"
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.problems.append(f"{label} must be text")
            return ""
        value = nfc(value.strip())
        if required and not value:
            self.problems.append(f"missing {label}")
        elif len(value) > limit:
            self.problems.append(f"{label} is too long ({len(value)} characters, at most {limit})")
        return value

    def url(self, key: str, *, where: str = "", raw=None) -> str:
        value = self.text(key, URL_MAX, where=where, raw=raw)
        if value and not is_web_url(value):
            self.problems.append(f"{where}{key} {value!r} is not an http(s) address")
        return value

    def choice(self, key: str, allowed, *, default: str | None = None) -> str:
        value = self.text(key, 40, required=default is None).lower()
        if not value and default is not None:
            return default
        if value and value not in allowed:
            self.problems.append(f"{key} {value!r} is not one of: {', '.join(allowed)}")
        return value

    def published(self) -> bool | None:
        value = self.raw.get("published")
        if value is None or value == "":
            return None
        if isinstance(value, bool) and not self.from_csv:
            return value
        if isinstance(value, str) and self.from_csv:
            word = value.strip().lower()
            if word in _TRUE:
                return True
            if word in _FALSE:
                return False
        self.problems.append(f"published {value!r} must be yes or no")
        return None

    def array(self, key: str) -> list:
        value = self.raw.get(key)
        if value is None or (self.from_csv and not value.strip()):
            return []
        if self.from_csv:
            try:
                value = json.loads(value)
            except json.JSONDecodeError as error:
                self.problems.append(
                    f"{key} is not valid JSON ({error.msg} at character {error.pos + 1})"
                )
                return []
        if not isinstance(value, list):
            self.problems.append(f"{key} must be a JSON array")
            return []
        return value

    def item_keys(self, item, key: str, number: int, allowed) -> bool:
        if not isinstance(item, dict):
            self.problems.append(f"{key} item {number} is not an object")
            return False
        unknown = [k for k in item if k not in allowed]
        if unknown:
            self.problems.append(
                f"{key} item {number}: unknown key(s) " + ", ".join(repr(k) for k in unknown)
            )
            return False
        return True

    def count(self, item: dict, key: str, where: str) -> int:
        value = item.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= COPIES_MAX:
            self.problems.append(f"{where}{key} must be a whole number from 0 to {COPIES_MAX}")
            return 0
        return value


def _validate(raw: dict, number: int, *, from_csv: bool) -> ImportRow:
    check = _Checker(raw, from_csv)
    code = check.text("code", CODE_MAX, required=True)
    if code and len(code) <= CODE_MAX and not CODE_PATTERN.fullmatch(code):
        check.problems.append(
            f"code {code!r} may hold only letters, digits, dots and hyphens (like 1.000948.H38)"
        )
    name = check.text("name", NAME_MAX, required=True)
    level = check.choice("level", [v.value for v in Level])
    field_name = check.text("field", FIELD_NAME_MAX, required=True)
    online_level = check.choice("online_level", [v.value for v in OnlineLevel], default="none")
    online_url = check.url("online_url")
    if online_level in (OnlineLevel.PARTIAL, OnlineLevel.FULL) and not online_url:
        check.problems.append(f"online_level {online_level} needs online_url")
    if online_level == OnlineLevel.NONE and online_url:
        check.problems.append("online_url is given but online_level is none")
    data = ProcedureData(
        code=code,
        name=name,
        level=level,
        field=field_name,
        decision_number=check.text("decision_number", DECISION_MAX),
        steps=check.text("steps", TEXT_MAX),
        applicants=check.text("applicants", TEXT_MAX),
        implementing_body=check.text("implementing_body", TEXT_MAX),
        result=check.text("result", TEXT_MAX),
        conditions=check.text("conditions", TEXT_MAX),
        legal_basis=check.text("legal_basis", TEXT_MAX),
        online_level=online_level,
        online_url=online_url,
        published=check.published(),
    )
    for n, item in enumerate(check.array("channels"), start=1):
        if not check.item_keys(item, "channels", n, CHANNEL_KEYS):
            continue
        where = f"channels item {n}: "
        kind = check.text("channel", 20, required=True, where=where, raw=item)
        if kind and kind not in [c.value for c in Channel]:
            check.problems.append(
                f"{where}channel {kind!r} is not one of: " + ", ".join(c.value for c in Channel)
            )
        data.channels.append(
            ChannelData(
                channel=kind,
                processing_time=check.text(
                    "processing_time", PROCESSING_TIME_MAX, required=True, where=where, raw=item
                ),
                fee=check.text("fee", FEE_MAX, where=where, raw=item),
                note=check.text("note", TEXT_MAX, where=where, raw=item),
            )
        )
    for n, item in enumerate(check.array("components"), start=1):
        if not check.item_keys(item, "components", n, COMPONENT_KEYS):
            continue
        where = f"components item {n}: "
        data.components.append(
            ComponentData(
                name=check.text("name", TEXT_MAX, required=True, where=where, raw=item),
                originals=check.count(item, "originals", where),
                copies=check.count(item, "copies", where),
                form_url=check.url("form_url", where=where, raw=item),
            )
        )
    if check.problems:
        return ImportRow(number, code or None, None, check.problems)
    return ImportRow(number, code, data)


# --- Export ----------------------------------------------------------------------------------


def _csv_cells(record: dict) -> dict:
    cells = dict(record)
    cells["published"] = "yes" if record["published"] else "no"
    for key in ("channels", "components"):
        cells[key] = json.dumps(record[key], ensure_ascii=False) if record[key] else ""
    return cells


def export_text(records: list[dict], extension: str) -> str:
    """Return the file content for the records (queries.export_record of each procedure)."""
    if extension == ".json":
        return json.dumps(records, ensure_ascii=False, indent=2) + "\n"
    out = io.StringIO(newline="")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow(_csv_cells(record))
    return out.getvalue()


def write_file(path: str, records: list[dict]) -> None:
    """Write the records as CSV (with a byte-order mark, so spreadsheets read UTF-8) or JSON."""
    extension = os.path.splitext(path)[1].lower()
    if extension not in (".csv", ".json"):
        raise ImportFileError("the file name must end in .csv or .json")
    encoding = "utf-8-sig" if extension == ".csv" else "utf-8"
    with open(path, "w", encoding=encoding, newline="") as handle:
        handle.write(export_text(records, extension))
