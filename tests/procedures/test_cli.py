"""`flask procedures import/export`: idempotent by code, a report for every row, round trips."""

import csv
import json

import pytest

from portal.core.audit import AuditEvent
from portal.core.search import SearchEntry
from portal.extensions import db
from portal.procedures.models import Procedure, ProcedureField
from tests.procedures.factories import create_field, create_procedure, docx_bytes, procedure_by_code

FIELD = "Quản lý giá"
HEADER = ["code", "name", "level", "field", "steps", "online_level", "online_url", "channels"]


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def invoke(*args):
        return runner.invoke(args=["procedures", *args])

    return invoke


def _csv(tmp_path, rows, name="thu-tuc.csv", header=HEADER):
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return str(path)


def _row(code="1.010935.H38", name="Đăng ký giá", **changes):
    values = {
        "level": "province",
        "field": FIELD,
        "steps": "Nộp hồ sơ\nNhận kết quả",
        "online_level": "full",
        "online_url": f"https://dvc.example.vn/{code}",
        "channels": json.dumps(
            [{"channel": "online", "processing_time": "05 ngày làm việc", "fee": "Không"}]
        ),
        **changes,
    }
    return [code, name, *(values[key] for key in HEADER[2:])]


def _count(app, model):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def _import_events(app):
    with app.app_context():
        return [
            e.detail
            for e in db.session.scalars(
                db.select(AuditEvent).where(AuditEvent.action == "procedure.imported")
            )
        ]


def test_import_creates_then_updates_then_leaves_alone(app, run, tmp_path):
    with app.app_context():
        create_field(name=FIELD)
    path = _csv(tmp_path, [_row(), _row("1.010936.H38", "Kê khai giá")])
    result = run("import", path)
    assert result.exit_code == 0, result.output
    assert "2 created, 0 updated, 0 unchanged, 0 rejected" in result.output
    with app.app_context():
        procedure = procedure_by_code("1.010935.H38")
        assert procedure.published and procedure.steps_html == "<p>Nộp hồ sơ</p><p>Nhận kết quả</p>"
        assert procedure.channels[0].processing_time == "05 ngày làm việc"
        assert db.session.scalar(db.select(db.func.count(SearchEntry.id))) == 2

    assert "0 created, 0 updated, 2 unchanged, 0 rejected" in run("import", path).output

    path = _csv(tmp_path, [_row(name="Đăng ký giá (sửa)"), _row("1.010936.H38", "Kê khai giá")])
    assert "0 created, 1 updated, 1 unchanged, 0 rejected" in run("import", path).output
    with app.app_context():
        titles = set(db.session.scalars(db.select(SearchEntry.title)))
        assert titles == {"Đăng ký giá (sửa) 1.010935.H38", "Kê khai giá 1.010936.H38"}
    assert [
        {k: e[k] for k in ("created", "updated", "unchanged", "rejected", "source")}
        for e in _import_events(app)
    ] == [
        {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0, "source": "thu-tuc.csv"},
        {"created": 0, "updated": 0, "unchanged": 2, "rejected": 0, "source": "thu-tuc.csv"},
        {"created": 0, "updated": 1, "unchanged": 1, "rejected": 0, "source": "thu-tuc.csv"},
    ]


def test_rejected_rows_are_reported_and_the_rest_saved(app, run, tmp_path):
    with app.app_context():
        create_field(name=FIELD)
    path = _csv(
        tmp_path,
        [
            _row(),
            _row("", "Không có mã"),
            _row("1.3", level="huyện"),
            _row("1.4", online_level="sometimes"),
            _row("1.5", channels="[{"),
            _row("1.6", field="Lĩnh vực không có"),
        ],
    )
    result = run("import", path)
    assert result.exit_code == 1
    assert "1 created, 0 updated, 0 unchanged, 5 rejected" in result.output
    for line in (
        "rejected row 3: missing code",
        "rejected row 4 (1.3): level 'huyện' is not one of: province, commune",
        "rejected row 5 (1.4): online_level 'sometimes' is not one of: none, partial, full",
        "rejected row 6 (1.5): channels is not valid JSON",
        "rejected row 7 (1.6): unknown field 'Lĩnh vực không có' (add it first, or use "
        "--create-fields)",
    ):
        assert line in result.output, line
    assert _count(app, Procedure) == 1
    assert _import_events(app)[0]["rejected"] == 5


def test_create_fields_adds_the_fields_a_file_names(app, run, tmp_path):
    result = run("import", "--create-fields", _csv(tmp_path, [_row()]))
    assert result.exit_code == 0
    assert "new field: Quản lý giá" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(ProcedureField.slug)) == "quan-ly-gia"


def test_a_dry_run_saves_nothing(app, run, tmp_path):
    result = run("import", "--dry-run", "--create-fields", _csv(tmp_path, [_row()]))
    assert "Dry run, nothing saved: 1 created" in result.output
    assert _count(app, Procedure) == 0 and _count(app, ProcedureField) == 0


def test_a_file_that_cannot_be_read_imports_nothing(app, run, tmp_path):
    path = _csv(tmp_path, [_row()], header=[*HEADER, "lệ phí"])
    result = run("import", path)
    assert result.exit_code == 2
    assert (
        "unknown column(s): 'lệ phí'" in result.output and "Nothing was imported." in result.output
    )
    assert _count(app, Procedure) == 0 and _import_events(app) == []


def test_published_can_be_set_by_import_and_is_kept_when_empty(app, run, tmp_path):
    with app.app_context():
        create_field(name=FIELD)
    header = [*HEADER, "published"]
    run("import", _csv(tmp_path, [[*_row(), "no"]], header=header))
    with app.app_context():
        assert procedure_by_code("1.010935.H38").published is False
        assert db.session.scalar(db.select(db.func.count(SearchEntry.id))) == 0
    assert "1 unchanged" in run("import", _csv(tmp_path, [[*_row(), ""]], header=header)).output
    assert "1 updated" in run("import", _csv(tmp_path, [[*_row(), "yes"]], header=header)).output
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(SearchEntry.id))) == 1


@pytest.mark.parametrize("extension", [".csv", ".json"])
def test_export_then_import_changes_nothing(app, run, tmp_path, extension):
    with app.app_context():
        create_procedure(
            field=FIELD,
            name='Hiệp thương giá, "đặc biệt"',
            steps="<ol><li>Nộp, hồ sơ</li></ol>",
            conditions="Dòng 1\nDòng 2",
            legal_basis="<p>Luật Giá số 16/2023/QH15 &amp; Nghị định 85/2024/NĐ-CP</p>",
            online_level="partial",
            online_url="https://dvc.example.vn/x?a=1&b=2",
            applicants="Tổ chức;\ncá nhân",
            files={0: docx_bytes()},
        )
        create_procedure(field="Đầu tư tại Việt Nam", level="commune", published=False,
                         channels=[], components=[])  # fmt: skip
    path = str(tmp_path / f"thu-tuc{extension}")
    result = run("export", path)
    assert "exported 2 procedures" in result.output
    result = run("import", path)
    assert result.exit_code == 0, result.output
    assert "0 created, 0 updated, 2 unchanged, 0 rejected" in result.output
    # Form files are not in the file and stay where they are.
    with app.app_context():
        assert all(
            p.components[0].form_file is not None
            for p in db.session.scalars(db.select(Procedure))
            if p.components
        )


def test_the_csv_export_is_readable_by_spreadsheets(app, run, tmp_path):
    with app.app_context():
        create_procedure(field=FIELD, code="1.010935.H38")
    path = tmp_path / "thu-tuc.csv"
    run("export", str(path))
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a byte-order mark: Excel reads UTF-8
    [record] = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert record["code"] == "1.010935.H38" and record["published"] == "yes"
    assert json.loads(record["channels"])[0]["fee"] == "50.000 đồng/lần"
    assert json.loads(record["components"])[1] == {
        "name": "CCCD", "originals": 0, "copies": 1, "form_url": ""}  # fmt: skip


def test_an_import_update_keeps_form_files_by_component_name(app, run, tmp_path):
    with app.app_context():
        create_procedure(field=FIELD, code="1.010935.H38", files={0: docx_bytes()})
    path = tmp_path / "thu-tuc.json"
    run("export", str(path))
    records = json.loads(path.read_text(encoding="utf-8"))
    records[0]["components"] = [
        {"name": "Thành phần mới", "originals": 1, "copies": 0},
        {"name": "Tờ khai đề nghị", "originals": 2, "copies": 0},
    ]
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    assert "1 updated" in run("import", str(path)).output
    with app.app_context():
        components = procedure_by_code("1.010935.H38").components
        assert [(c.name, c.originals, c.form_file is not None) for c in components] == [
            ("Thành phần mới", 1, False),
            ("Tờ khai đề nghị", 2, True),
        ]


def test_export_refuses_other_file_types(run, tmp_path):
    result = run("export", str(tmp_path / "thu-tuc.xlsx"))
    assert result.exit_code != 0 and ".csv or .json" in result.output


def test_the_help_documents_the_format(run):
    output = run("import", "--help").output
    assert "processing_time" in output and "online_level" in output and "--create-fields" in output
