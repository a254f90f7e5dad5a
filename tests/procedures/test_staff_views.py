"""Editors keep the catalogue: create, edit, upload forms, publish, manage fields; all audited."""

import os
import re

import pytest

from portal.core.audit import AuditEvent
from portal.core.search import SearchEntry
from portal.core.uploads import StoredFile
from portal.extensions import db
from portal.procedures.models import Procedure, ProcedureField
from tests.auth import sign_in
from tests.e2e.browser import translate
from tests.factories import create_user
from tests.procedures.factories import create_field, create_procedure, docx_bytes, procedure_by_code

BUSINESS = "Thành lập và hoạt động doanh nghiệp"


@pytest.fixture
def editor_client(app, client):
    with app.app_context():
        editor = create_user(role="editor")
        create_field(name=BUSINESS)
    sign_in(client, editor)
    return client


def _actions(app):
    with app.app_context():
        return [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))]


def _form(**changes):
    """A complete procedure form, as a browser sends it (blank rows included)."""
    blank_rows = {
        **{
            f"channel_{n}_{part}": ""
            for n in range(1, 5)
            for part in ("kind", "time", "fee", "note")
        },
        **{
            f"component_{n}_{part}": ""
            for n in range(1, 9)
            for part in ("name", "originals", "copies", "form_url")
        },
    }
    data = {
        **blank_rows,
        "code": "1.000948.H38",
        "decision_number": "1418/QĐ-UBND ngày 08/8/2025",
        "name": "Đăng ký thành lập doanh nghiệp tư nhân",
        "level": "province",
        "field": BUSINESS,
        "steps": "Bước 1: nộp hồ sơ.\nBước 2: nhận kết quả.",
        "channel_1_kind": "in-person",
        "channel_1_time": "03 ngày làm việc",
        "channel_1_fee": "50.000 đồng/lần",
        "channel_2_kind": "",
        "channel_3_kind": "online",
        "channel_3_time": "03 ngày làm việc",
        "channel_3_fee": "Miễn lệ phí",
        "component_1_name": "Giấy đề nghị đăng ký doanh nghiệp",
        "component_1_originals": "1",
        "component_1_copies": "0",
        "component_3_name": "Bản sao căn cước",
        "component_3_copies": "1",
        "applicants": "Cá nhân",
        "implementing_body": "Phòng Đăng ký kinh doanh",
        "result": "Giấy chứng nhận đăng ký doanh nghiệp",
        "conditions": "<p>Không <em>có</em></p><script>alert(1)</script>",
        "legal_basis": "Luật Doanh nghiệp số 59/2020/QH14",
        "online_level": "full",
        "online_url": "https://dichvucong.example.vn/1.000948.H38",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


STAFF_PAGES = ["/staff/procedures", "/staff/procedures/new", "/staff/procedures/fields"]


@pytest.mark.parametrize("path", STAFF_PAGES)
@pytest.mark.parametrize(
    ("role", "status"),
    [("editor", 200), ("admin", 403), ("handler", 403), ("head", 403), ("leader", 403)],
)
def test_only_editors_reach_the_staff_pages(app, client, role, status, path):
    with app.app_context():
        user = create_user(role=role)
        create_field(name=BUSINESS)
    sign_in(client, user)
    client.get(path, expect=status)


@pytest.mark.parametrize("role", ["admin", "handler", "head", "leader"])
def test_other_roles_cannot_change_a_procedure(app, client, role):
    with app.app_context():
        procedure = create_procedure(field=BUSINESS, published=False)
        user = create_user(role=role)
    sign_in(client, user)
    token = client.csrf_token("/staff/")
    for action in ("", "/publish"):
        response = client.post(
            f"/staff/procedures/{procedure.slug}{action}",
            data={"csrf_token": token, **_form(code=procedure.code)},
        )
        assert response.status_code == 403
    client.get(f"/staff/procedures/{procedure.slug}/preview", expect=403)
    with app.app_context():
        assert db.session.get(Procedure, procedure.id).published is False


def test_anonymous_readers_are_sent_to_sign_in(client):
    response = client.get("/staff/procedures", expect=302)
    assert "/staff/login" in response.headers["Location"]


def test_an_editor_creates_a_draft_and_publishes_it(app, editor_client):
    response = editor_client.submit("/staff/procedures/new", _form(), expect=302)
    with app.app_context():
        procedure = procedure_by_code("1.000948.H38")
        assert procedure.published is False
        assert [(c.channel, c.fee) for c in procedure.channels] == [
            ("in-person", "50.000 đồng/lần"),
            ("online", "Miễn lệ phí"),
        ]
        # Blank rows are ignored; the rest keep their order.
        assert [(c.name, c.originals, c.copies) for c in procedure.components] == [
            ("Giấy đề nghị đăng ký doanh nghiệp", 1, 0),
            ("Bản sao căn cước", 0, 1),
        ]
        assert procedure.steps_html == "<p>Bước 1: nộp hồ sơ.</p><p>Bước 2: nhận kết quả.</p>"
        assert procedure.conditions_html == "<p>Không <em>có</em></p>"
        assert db.session.scalar(db.select(db.func.count(SearchEntry.id))) == 0
        slug = procedure.slug
    assert response.headers["Location"] == f"/staff/procedures/{slug}"
    assert slug == "dang-ky-thanh-lap-doanh-nghiep-tu-nhan-1-000948-h38"
    editor_client.get(f"/thu-tuc-hanh-chinh/{slug}", expect=404)
    preview = editor_client.get(f"/staff/procedures/{slug}/preview").get_data(as_text=True)
    assert "Đăng ký thành lập doanh nghiệp tư nhân" in preview

    editor_client.submit(
        f"/staff/procedures/{slug}/publish", {}, token_from=f"/staff/procedures/{slug}", expect=302
    )
    editor_client.get(f"/thu-tuc-hanh-chinh/{slug}")
    with app.app_context():
        entry = db.session.scalar(db.select(SearchEntry))
        assert entry.kind == "procedure" and entry.slug == slug
        assert entry.title == "Đăng ký thành lập doanh nghiệp tư nhân 1.000948.H38"
        assert "Phòng Đăng ký kinh doanh" in entry.body and "Bước 2" in entry.body

    editor_client.submit(
        f"/staff/procedures/{slug}/unpublish",
        {},
        token_from=f"/staff/procedures/{slug}",
        expect=302,
    )
    editor_client.get(f"/thu-tuc-hanh-chinh/{slug}", expect=404)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(SearchEntry.id))) == 0
    assert _actions(app)[-3:] == [
        "procedure.created",
        "procedure.published",
        "procedure.unpublished",
    ]  # fmt: skip


def test_a_refused_form_keeps_what_was_typed(app, editor_client):
    response = editor_client.submit(
        "/staff/procedures/new",
        _form(
            code="1.000 948",
            level="",
            channel_2_fee="25.000 đồng",
            component_2_originals="hai",
            online_level="partial",
            online_url="",
        ),
        expect=400,
    )
    page = response.get_data(as_text=True)
    assert 'value="1.000 948"' in page
    assert "Đăng ký thành lập doanh nghiệp tư nhân</textarea>" in page
    assert 'value="25.000 đồng"' in page
    assert 'value="hai"' in page
    assert "Bước 1: nộp hồ sơ.\nBước 2: nhận kết quả.</textarea>" in page
    summary = page[
        page.index('class="error-summary"') : page.index(
            "</ul>", page.index('class="error-summary"')
        )
    ]
    assert re.findall(r'href="#([\w-]+)"', summary) == [
        "code",
        "level",
        "channel_2_kind",
        "component_2_name",
        "component_2_originals",
        "online_url",
    ]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Procedure.id))) == 0


def test_a_code_already_used_is_refused(app, editor_client):
    with app.app_context():
        create_procedure(code="1.000948.H38", field=BUSINESS)
    response = editor_client.submit("/staff/procedures/new", _form(), expect=400)
    page = response.get_data(as_text=True)
    assert translate(app, "Another procedure already has this code.") in page


def test_a_form_file_is_uploaded_and_published_with_the_procedure(
    app, editor_client, upload_folder
):
    from io import BytesIO

    data = _form(component_1_file=(BytesIO(docx_bytes()), "Mẫu đơn đăng ký.docx"))
    editor_client.submit(
        "/staff/procedures/new", data, expect=302, content_type="multipart/form-data"
    )
    with app.app_context():
        procedure = procedure_by_code("1.000948.H38")
        stored = procedure.components[0].form_file
        assert stored.original_name == "Mẫu đơn đăng ký.docx" and stored.kind == "docx"
        slug, public_id = procedure.slug, stored.public_id
    assert len(os.listdir(upload_folder)) == 1
    # Editors can fetch it before publication; the public cannot.
    editor_client.get(f"/staff/procedures/{slug}/files/{public_id}")
    editor_client.get(f"/thu-tuc-hanh-chinh/{slug}/bieu-mau/{public_id}", expect=404)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "mau.docx"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "mau.pdf"),
        (b"", "trong.docx"),
    ],
)
def test_a_refused_upload_saves_nothing(app, editor_client, upload_folder, content, name):
    from io import BytesIO

    data = _form(
        component_1_file=(BytesIO(docx_bytes()), "tot.docx"),
        component_3_file=(BytesIO(content), name),
    )
    response = editor_client.submit(
        "/staff/procedures/new", data, expect=400, content_type="multipart/form-data"
    )
    page = response.get_data(as_text=True)
    assert name in page
    assert 'href="#component_3_file"' in page
    assert 'value="Bản sao căn cước"' in page or "Bản sao căn cước</textarea>" in page
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Procedure.id))) == 0
        assert db.session.scalar(db.select(db.func.count(StoredFile.id))) == 0
    # The good file stored before the bad one was found is gone from the disk too.
    assert not upload_folder.exists() or os.listdir(upload_folder) == []


def test_editing_keeps_a_form_file_until_it_is_removed(app, editor_client):
    with app.app_context():
        procedure = create_procedure(field=BUSINESS, files={0: docx_bytes()})
        slug, code = procedure.slug, procedure.code
    url = f"/staff/procedures/{slug}"
    page = editor_client.get(url).get_data(as_text=True)
    assert translate(app, "Current form file:") in page and "Mẫu đơn 1.docx" in page
    form = _form(code=code, component_1_name="Tờ khai đề nghị (sửa)")
    editor_client.submit(url, form, expect=302)
    with app.app_context():
        procedure = procedure_by_code(code)
        assert procedure.components[0].name == "Tờ khai đề nghị (sửa)"
        assert procedure.components[0].form_file is not None
    editor_client.submit(url, {**form, "component_1_remove_file": "y"}, expect=302)
    with app.app_context():
        assert procedure_by_code(code).components[0].form_file is None
    changes = []
    with app.app_context():
        for event in db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "procedure.updated")
        ):
            changes.append(event.detail["changed"])
    assert "form_files" not in changes[0] and "components" in changes[0]
    assert changes[1] == ["form_files"]


def test_editing_a_published_procedure_refreshes_the_index(app, editor_client):
    with app.app_context():
        procedure = create_procedure(field=BUSINESS, name="Tên cũ")
    url = f"/staff/procedures/{procedure.slug}"
    editor_client.submit(url, _form(code=procedure.code, name="Tên mới"), expect=302)
    with app.app_context():
        entry = db.session.scalar(db.select(SearchEntry))
        assert entry.title == f"Tên mới {procedure.code}"
    # The address does not change with the name.
    editor_client.get(f"/thu-tuc-hanh-chinh/{procedure.slug}")


def test_the_staff_list_searches_code_and_name_without_diacritics(app, editor_client):
    with app.app_context():
        create_procedure(code="2.001610.H38", name="Đăng ký thay đổi địa chỉ", field=BUSINESS)
        create_procedure(
            code="1.005427.H38", name="Thu hồi tài sản công", field=BUSINESS, published=False
        )
    page = editor_client.get("/staff/procedures?q=dang+ky+thay+doi").get_data(as_text=True)
    assert "Đăng ký thay đổi địa chỉ" in page and "Thu hồi tài sản công" not in page
    page = editor_client.get("/staff/procedures?q=1.005427").get_data(as_text=True)
    assert "Thu hồi tài sản công" in page and f"<td>{translate(app, 'Draft')}</td>" in page
    page = editor_client.get("/staff/procedures?q=khong+co").get_data(as_text=True)
    assert translate(app, "No procedure found.") in page


def test_fields_are_added_renamed_and_deleted_when_empty(app, editor_client):
    editor_client.submit(
        "/staff/procedures/fields", {"name": "Quản lý giá", "position": "5"}, expect=302
    )
    response = editor_client.submit("/staff/procedures/fields", {"name": "Quản lý giá"}, expect=400)
    page = response.get_data(as_text=True)
    assert translate(app, "A field with this name already exists.") in page
    with app.app_context():
        procedure = create_procedure(field="Quản lý giá")
    assert 'value="Quản lý giá"' in editor_client.get("/staff/procedures/fields/quan-ly-gia").text
    editor_client.submit(
        "/staff/procedures/fields/quan-ly-gia",
        {"name": "Quản lý giá cả", "name_en": "Prices", "position": "5"},
        expect=302,
    )
    with app.app_context():
        assert db.session.scalar(db.select(SearchEntry)).body.startswith("Quản lý giá cả") or (
            "Quản lý giá cả" in db.session.scalar(db.select(SearchEntry)).body
        )
    token_page = "/staff/procedures/fields"
    editor_client.submit(
        "/staff/procedures/fields/quan-ly-gia/delete", {}, token_from=token_page, expect=302
    )
    with app.app_context():
        assert db.session.scalar(
            db.select(ProcedureField).where(ProcedureField.slug == "quan-ly-gia")
        )
        db.session.delete(db.session.get(Procedure, procedure.id))
        db.session.commit()
    editor_client.submit(
        "/staff/procedures/fields/quan-ly-gia/delete", {}, token_from=token_page, expect=302
    )
    with app.app_context():
        assert not db.session.scalar(
            db.select(ProcedureField).where(ProcedureField.slug == "quan-ly-gia")
        )
    actions = _actions(app)
    assert "procedure-field.created" in actions and "procedure-field.updated" in actions
    assert actions[-1] == "procedure-field.deleted"


def test_adding_a_procedure_needs_a_field_first(app, client):
    with app.app_context():
        editor = create_user(role="editor")
    sign_in(client, editor)
    response = client.get("/staff/procedures/new", expect=302)
    assert response.headers["Location"] == "/staff/procedures/fields"


def test_the_dashboard_links_to_the_catalogue(app, editor_client):
    page = editor_client.get("/staff/").get_data(as_text=True)
    assert 'href="/staff/procedures"' in page


def test_unknown_procedures_and_fields_are_not_found(editor_client):
    editor_client.get("/staff/procedures/khong-co", expect=404)
    editor_client.get("/staff/procedures/khong-co/preview", expect=404)
    editor_client.get("/staff/procedures/fields/khong-co", expect=404)


def test_saving_without_a_change_records_nothing(app, editor_client):
    editor_client.submit("/staff/procedures/new", _form(), expect=302)
    with app.app_context():
        procedure = procedure_by_code("1.000948.H38")
        slug, changed_at = procedure.slug, procedure.updated_at
    editor_client.submit(f"/staff/procedures/{slug}", _form(), expect=302)
    with app.app_context():
        assert procedure_by_code("1.000948.H38").updated_at == changed_at
    assert "procedure.updated" not in _actions(app)
