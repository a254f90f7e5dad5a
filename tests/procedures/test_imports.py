"""Reading import files: every malformed row is reported with its number and the reason."""

import json

import pytest

from portal.procedures.imports import COLUMNS, ImportFileError, read_file

HEADER = "code,name,level,field,online_level,online_url,channels,components\n"
GOOD = (
    "1.000948.H38,Đăng ký thành lập doanh nghiệp tư nhân,province,Thành lập doanh nghiệp,"
    'full,https://dvc.example.vn/1,"[{""channel"": ""in-person"", ""processing_time"": '
    '""03 ngày làm việc"", ""fee"": ""50.000 đồng/lần""}]","[{""name"": ""Giấy đề nghị"", '
    '""originals"": 1, ""copies"": 0}]"\n'
)


def _write(tmp_path, text, name="thu-tuc.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return str(path)


def _problems(tmp_path, text, name="thu-tuc.csv"):
    """Return {row number: problems} for the rejected rows of a file."""
    rows = read_file(_write(tmp_path, text, name))
    return {row.number: row.problems for row in rows if row.problems}


def test_a_good_csv_row_is_read_with_its_channels_and_components(tmp_path):
    [row] = read_file(_write(tmp_path, HEADER + GOOD))
    assert row.number == 2 and not row.problems
    data = row.data
    assert (data.code, data.level, data.online_level) == ("1.000948.H38", "province", "full")
    assert data.channels[0].fee == "50.000 đồng/lần"
    assert (data.components[0].name, data.components[0].originals) == ("Giấy đề nghị", 1)
    assert data.published is None  # not given: new ones are published, others keep theirs


def test_a_byte_order_mark_and_blank_lines_are_fine(tmp_path):
    path = _write(tmp_path, "\ufeff" + HEADER + GOOD + ",,,,,,,\n\n")
    assert [row.number for row in read_file(path)] == [2]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("thu-tuc.xlsx", "code\n", "must end in .csv or .json"),
        ("thu-tuc.csv", "code,name\n".encode("utf-16"), "not UTF-8"),
        ("thu-tuc.csv", "  \n", "the file is empty"),
        ("thu-tuc.csv", "code,name,level,field,fees\n", "unknown column(s): 'fees'"),
        ("thu-tuc.csv", "code,name,level\n", "required column(s) missing: field"),
        ("thu-tuc.csv", "code,name,level,field,name\n", "more than once: name"),
        ("thu-tuc.json", '[{"code": "1"},', "not valid JSON"),
        ("thu-tuc.json", '{"code": "1.000948.H38"}', "must hold an array"),
    ],
)
def test_a_file_that_cannot_be_used_is_refused_whole(tmp_path, name, content, message):
    with pytest.raises(ImportFileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_file(_write(tmp_path, content, name))


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (",Tên,province,Lĩnh vực,,,,", "missing code"),
        ("1.000 948,Tên,province,Lĩnh vực,,,,", "may hold only letters, digits, dots and hyphens"),
        ("1.1,,province,Lĩnh vực,,,,", "missing name"),
        ("1.1,Tên,district,Lĩnh vực,,,,", "level 'district' is not one of: province, commune"),
        ("1.1,Tên,,Lĩnh vực,,,,", "missing level"),
        ("1.1,Tên,province,,,,,", "missing field"),
        ("1.1,Tên,province,Lĩnh vực,half,https://x.vn,,", "online_level 'half' is not one of"),
        ("1.1,Tên,province,Lĩnh vực,partial,,,", "online_level partial needs online_url"),
        ("1.1,Tên,province,Lĩnh vực,,https://x.vn,,", "online_url is given but online_level is none"),
        ("1.1,Tên,province,Lĩnh vực,full,javascript:alert(1),,", "is not an http(s) address"),
        ("1.1,Tên,province,Lĩnh vực,,,[{bad json},", "channels is not valid JSON"),
        ('1.1,Tên,province,Lĩnh vực,,,"{""channel"": ""post""}",', "channels must be a JSON array"),
        ('1.1,Tên,province,Lĩnh vực,,,"[""post""]",', "channels item 1 is not an object"),
        ('1.1,Tên,province,Lĩnh vực,,,"[{""channel"": ""fax"", ""processing_time"": ""1 ngày""}]",',
         "channels item 1: channel 'fax' is not one of: in-person, online, post"),
        ('1.1,Tên,province,Lĩnh vực,,,"[{""channel"": ""post""}]",',
         "missing channels item 1: processing_time"),
        ('1.1,Tên,province,Lĩnh vực,,,"[{""channel"": ""post"", ""processing_time"": ""1"", ""fees"": ""0""}]",',
         "channels item 1: unknown key(s) 'fees'"),
        ('1.1,Tên,province,Lĩnh vực,,,,"[{""name"": ""Tờ khai"", ""originals"": -1}]"',
         "components item 1: originals must be a whole number from 0 to 99"),
        ('1.1,Tên,province,Lĩnh vực,,,,"[{""name"": ""Tờ khai"", ""copies"": ""2""}]"',
         "components item 1: copies must be a whole number"),
        ('1.1,Tên,province,Lĩnh vực,,,,"[{""originals"": 1}]"', "missing components item 1: name"),
        ('1.1,Tên,province,Lĩnh vực,,,,"[{""name"": ""Tờ khai"", ""form_url"": ""ftp://x""}]"',
         "components item 1: form_url 'ftp://x' is not an http(s) address"),
        ("1.1,Tên,province,Lĩnh vực,,,", "the row has 7 cells, the header has 8"),
        ("1.1,Tên,province,Lĩnh vực,,,,,", "the row has 9 cells, the header has 8"),
        ("1.1," + "T" * 501 + ",province,Lĩnh vực,,,,", "name is too long (501 characters, at most 500)"),
    ],
)  # fmt: skip
def test_each_malformed_row_is_rejected_with_its_reason(tmp_path, row, reason):
    problems = _problems(tmp_path, HEADER + GOOD + row + "\n")
    assert list(problems) == [3]
    assert any(reason in problem for problem in problems[3]), problems


def test_every_problem_of_a_row_is_reported(tmp_path):
    problems = _problems(tmp_path, HEADER + ",,county,,half,,,\n")
    assert problems[2] == [
        "missing code",
        "missing name",
        "level 'county' is not one of: province, commune",
        "missing field",
        "online_level 'half' is not one of: none, partial, full",
    ]


def test_a_code_twice_in_the_file_rejects_both_rows(tmp_path):
    problems = _problems(tmp_path, HEADER + GOOD + "1.2,Khác,commune,Lĩnh vực,,,,\n" + GOOD)
    message = "code 1.000948.H38 appears more than once in the file (2, 4)"
    assert problems == {2: [message], 4: [message]}


@pytest.mark.parametrize(
    ("value", "expected"), [("yes", True), ("No", False), ("1", True), ("", None)]
)
def test_published_in_csv(tmp_path, value, expected):
    text = "code,name,level,field,published\n" + f"1.1,Tên,province,Lĩnh vực,{value}\n"
    [row] = read_file(_write(tmp_path, text))
    assert row.data.published is expected


def test_published_must_be_yes_or_no(tmp_path):
    text = "code,name,level,field,published\n1.1,Tên,province,Lĩnh vực,maybe\n"
    assert _problems(tmp_path, text) == {2: ["published 'maybe' must be yes or no"]}


def test_a_json_file_is_read_item_by_item(tmp_path):
    items = [
        {"code": "1.1", "name": "Tên", "level": "commune", "field": "Lĩnh vực", "published": False,
         "channels": [{"channel": "online", "processing_time": "Trong ngày"}],
         "components": [{"name": "Tờ khai", "copies": 2}]},
        "not an object",
        {"code": "1.2", "name": "Tên", "level": "commune", "field": "Lĩnh vực", "fee": "0"},
        {"code": 12, "name": "Tên", "level": "commune", "field": "Lĩnh vực", "published": "yes",
         "channels": "[]"},
    ]  # fmt: skip
    rows = read_file(_write(tmp_path, json.dumps(items, ensure_ascii=False), "thu-tuc.json"))
    assert rows[0].data.published is False and rows[0].data.components[0].copies == 2
    assert rows[1].problems == ["the item is not an object"]
    assert rows[2].problems == ["unknown key(s): 'fee'"] and rows[2].code == "1.2"
    assert rows[3].problems == [
        "code must be text",
        "published 'yes' must be yes or no",
        "channels must be a JSON array",
    ]


def test_the_columns_are_documented_in_the_help():
    from portal.procedures.imports import FORMAT_HELP

    for column in COLUMNS:
        assert column in FORMAT_HELP
