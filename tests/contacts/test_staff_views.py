"""Editors keep hotlines, units and the reception schedule; administrators keep the calendar
of working days. Every change is audited; a refused form keeps what was typed."""

import io
from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale, gettext

from portal.accounts.permissions import Role
from portal.contacts import schedule
from portal.contacts.models import Hotline, ReceptionDocument, ReceptionSession, Unit
from portal.core.audit import AuditEvent
from portal.core.uploads import StoredFile
from portal.core.workdays import CalendarException
from portal.extensions import db
from tests.auth import sign_in
from tests.contacts.factories import (
    create_document,
    create_hotline,
    create_rule,
    create_session,
    create_unit,
    pdf_bytes,
)
from tests.factories import create_user
from tests.pages import PageClient

EDITOR_PAGES = [
    "/staff/hotlines",
    "/staff/hotlines/new",
    "/staff/units",
    "/staff/units/new",
    "/staff/reception",
    "/staff/reception/place",
    "/staff/reception/rules/new",
    "/staff/reception/sessions/new",
    "/staff/reception/documents/new",
]
ADMIN_PAGES = ["/staff/calendar"]


def client_for(app, role):
    client = PageClient(app.test_client())
    with app.app_context():
        user = create_user(role=role)
    sign_in(client, user)
    return client


@pytest.fixture
def editor(app):
    return client_for(app, "editor")


@pytest.fixture
def admin(app):
    return client_for(app, "admin")


def in_vietnamese(app, message: str) -> str:
    """What the page says for an English msgid (English until the lead translates it)."""
    with app.test_request_context(), force_locale("vi"):
        return gettext(message)


def rows(app, model, *where):
    with app.app_context():
        return db.session.scalars(db.select(model).where(*where)).all()


def actions(app):
    with app.app_context():
        return [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))]


# --- Who may do what -----------------------------------------------------------------------


@pytest.mark.parametrize("role", [r.value for r in Role])
@pytest.mark.parametrize("url", EDITOR_PAGES)
def test_only_editors_keep_the_contacts(app, role, url):
    client = client_for(app, role)
    client.get(url, expect=200 if role == "editor" else 403)


@pytest.mark.parametrize("role", [r.value for r in Role])
@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_only_administrators_keep_the_calendar(app, role, url):
    client = client_for(app, role)
    client.get(url, expect=200 if role == "admin" else 403)


@pytest.mark.parametrize("url", EDITOR_PAGES + ADMIN_PAGES)
def test_anonymous_readers_are_sent_to_sign_in(client, url):
    response = client.get(url, expect=302)
    assert "/staff/login" in response.headers["Location"]


def test_an_unknown_public_id_is_not_found(editor):
    editor.get("/staff/hotlines/khong-co", expect=404)
    editor.get("/staff/units/khong-co", expect=404)
    editor.get("/staff/reception/rules/khong-co", expect=404)
    editor.get("/staff/reception/sessions/khong-co", expect=404)
    editor.get("/staff/reception/documents/khong-co", expect=404)


def test_the_dashboard_links_the_contacts_pages(editor, admin):
    page = editor.get("/staff/").get_data(as_text=True)
    for url in ("/staff/hotlines", "/staff/units", "/staff/reception"):
        assert f'href="{url}"' in page
    assert 'href="/staff/calendar"' in admin.get("/staff/").get_data(as_text=True)


# --- Hotlines ------------------------------------------------------------------------------

PHONE_MESSAGE = (
    "Enter a Vietnamese phone number: a 10-digit mobile number starting 03, 05, 07, 08 or 09, "
    "or a landline with its area code, like 0205 3812 345"
)
HOTLINE = {
    "label": "Đường dây nóng phản ánh nhũng nhiễu",
    "label_en": "Harassment report line",
    "phone": "0205 3812 888",
    "email": "phananh@example.vn",
    "purpose": "Phản ánh cán bộ gây phiền hà",
    "purpose_en": "",
    "hours": "Giờ hành chính",
    "hours_en": "",
    "is_harassment": "y",
    "position": "0",
    "published": "y",
}


def test_an_editor_adds_a_hotline_stored_in_e164(app, editor):
    response = editor.submit("/staff/hotlines/new", HOTLINE, expect=302)

    assert response.headers["Location"] == "/staff/hotlines"
    [hotline] = rows(app, Hotline)
    assert hotline.phone_e164 == "+842053812888"
    assert hotline.is_harassment and not hotline.is_main
    assert "hotline.created" in actions(app)
    footer = editor.get("/").get_data(as_text=True).split("<footer")[1]
    assert 'href="tel:+842053812888"' in footer


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"phone": "0205 1"}, "phone", PHONE_MESSAGE),
        ({"phone": "1900 1234"}, "phone", PHONE_MESSAGE),
        ({"phone": "", "email": ""}, "phone", "Enter a phone number or an e-mail address"),
        (
            {"email": "khong-hop-le"},
            "email",
            "Enter an e-mail address in the correct format, like name@example.com",
        ),
        ({"label": ""}, "label", "Enter the name of the hotline"),
        ({"position": "mười"}, "position", "Enter a whole number, like 10"),
    ],
)
def test_a_refused_hotline_keeps_what_was_typed(app, editor, changes, field, message):
    response = editor.submit("/staff/hotlines/new", {**HOTLINE, **changes}, expect=400)

    page = response.get_data(as_text=True)
    assert f'id="{field}-error"' in page and in_vietnamese(app, message) in page
    typed = {**HOTLINE, **changes}
    for name in ("label", "phone", "email", "hours"):
        if typed[name]:
            assert f'value="{typed[name]}"' in page
    assert "Phản ánh cán bộ gây phiền hà</textarea>" in page
    assert rows(app, Hotline) == []


def test_choosing_a_new_main_hotline_demotes_the_old_one(app, editor):
    with app.app_context():
        old = create_hotline(label="Cũ", phone="0205 3812 111", is_main=True)

    editor.submit(
        "/staff/hotlines/new",
        {**HOTLINE, "label": "Mới", "phone": "0912 345 678", "is_harassment": "", "is_main": "y"},
        expect=302,
    )

    with app.app_context():
        mains = db.session.scalars(db.select(Hotline.public_id).where(Hotline.is_main)).all()
    assert len(mains) == 1 and mains[0] != old.public_id
    assert "0912 345 678" in editor.get("/").get_data(as_text=True).split("</header>")[0]


def test_an_editor_edits_and_unpublishes_a_hotline(app, editor, client):
    with app.app_context():
        hotline = create_hotline(label="Đường dây nóng", phone="0205 3812 345", is_main=True)
    url = f"/staff/hotlines/{hotline.public_id}"

    page = editor.get(url).get_data(as_text=True)
    assert 'value="0205 3812 345"' in page  # shown as people write it, not +84…

    editor.submit(
        url,
        {
            **HOTLINE,
            "label": "Đường dây nóng",
            "is_harassment": "",
            "is_main": "y",
            "published": "",
        },
        expect=302,
    )

    assert "tel:" not in client.get("/").get_data(as_text=True)
    assert "hotline.updated" in actions(app)


def test_unpublishing_alone_is_audited_as_such(app, editor):
    with app.app_context():
        hotline = create_hotline(label="Đường dây nóng", phone="0205 3812 345")
    url = f"/staff/hotlines/{hotline.public_id}"
    form = {
        "label": "Đường dây nóng",
        "phone": "0205 3812 345",
        "position": "0",
    }

    editor.submit(url, form, expect=302)

    assert actions(app)[-1] == "hotline.unpublished"


def test_an_editor_deletes_a_hotline(app, editor):
    with app.app_context():
        hotline = create_hotline(label="Số cũ")

    editor.submit(
        f"/staff/hotlines/{hotline.public_id}/delete",
        {},
        token_from=f"/staff/hotlines/{hotline.public_id}",
        expect=302,
    )

    assert rows(app, Hotline) == []
    assert "hotline.deleted" in actions(app)


# --- Units ---------------------------------------------------------------------------------

UNIT = {
    "name": "Phòng Quản lý ngân sách",
    "name_en": "Budget Management Division",
    "functions": "Lập dự toán ngân sách.\n\nHướng dẫn các xã <b>phường</b>",
    "functions_en": '<ul><li>Prepares the budget</li></ul><script>alert(1)</script><a href="javascript:x()">x</a>',
    "head_name": "Vi Văn Thắng",
    "head_title": "Trưởng phòng",
    "head_title_en": "Head of Division",
    "phone": "0205 3812 304",
    "email": "ngansach@example.vn",
    "position": "20",
    "published": "y",
}


def test_an_editor_adds_a_unit_with_sanitised_functions(app, editor):
    editor.submit("/staff/units/new", UNIT, expect=302)

    [unit] = rows(app, Unit)
    assert unit.slug == "phong-quan-ly-ngan-sach"
    assert unit.phone_e164 == "+842053812304"
    assert "<b>phường</b>" in unit.functions_html
    assert unit.functions_en_html.startswith("<ul><li>Prepares the budget</li></ul>")
    assert "script" not in unit.functions_en_html and "alert" not in unit.functions_en_html
    assert "javascript" not in unit.functions_en_html
    assert "unit.created" in actions(app)


def test_plain_text_functions_become_paragraphs(app, editor):
    editor.submit(
        "/staff/units/new", {**UNIT, "functions": "Dòng một\nDòng hai\n\nĐoạn <2>"}, expect=302
    )

    [unit] = rows(app, Unit)
    assert unit.functions_html == "<p>Dòng một<br>Dòng hai</p><p>Đoạn &lt;2&gt;</p>"


def test_two_units_with_the_same_name_get_different_slugs(app, editor):
    editor.submit("/staff/units/new", UNIT, expect=302)
    editor.submit("/staff/units/new", UNIT, expect=302)

    assert sorted(u.slug for u in rows(app, Unit)) == [
        "phong-quan-ly-ngan-sach",
        "phong-quan-ly-ngan-sach-2",
    ]


def test_a_refused_unit_keeps_what_was_typed(app, editor):
    response = editor.submit("/staff/units/new", {**UNIT, "name": "", "phone": "12345"}, expect=400)

    page = response.get_data(as_text=True)
    assert 'id="name-error"' in page and 'id="phone-error"' in page
    assert 'value="Vi Văn Thắng"' in page and 'value="12345"' in page
    assert "Lập dự toán ngân sách." in page
    assert rows(app, Unit) == []


def test_renaming_a_unit_keeps_its_slug_and_shows_on_the_english_page(app, editor, client):
    with app.app_context():
        unit = create_unit(name="Phòng cũ", slug="phong-cu")
    url = f"/staff/units/{unit.public_id}"
    editor.get(url)

    editor.submit(url, UNIT, expect=302)

    [saved] = rows(app, Unit)
    assert saved.slug == "phong-cu" and saved.name == UNIT["name"]
    assert "unit.updated" in actions(app)
    client.get("/ngon-ngu/en?next=/", expect=302)
    page = client.get("/co-cau-to-chuc").get_data(as_text=True)
    assert "Budget Management Division" in page and 'id="don-vi-phong-cu"' in page


# --- Reception -----------------------------------------------------------------------------


def test_an_editor_sets_the_place_and_hours(app, editor, client):
    form = {
        "place": "Phòng tiếp công dân, tầng 1",
        "place_en": "Reception room",
        "morning_starts_at": "07:30",
        "morning_ends_at": "11:30",
        "afternoon_starts_at": "13:30",
        "afternoon_ends_at": "16:30",
    }
    editor.submit("/staff/reception/place", form, expect=302)
    editor.submit("/staff/reception/place", {**form, "place": "Tầng 2"}, expect=302)

    page = client.get("/tiep-cong-dan").get_data(as_text=True)
    assert "Tầng 2" in page and "13:30–16:30" in page
    assert actions(app)[-2:] == ["reception.office-updated", "reception.office-updated"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"morning_ends_at": "07:00"}, "morning_ends_at"),
        ({"morning_starts_at": "25:00"}, "morning_starts_at"),
        ({"afternoon_ends_at": ""}, "afternoon_ends_at"),
        ({"place": ""}, "place"),
    ],
)
def test_refused_hours_keep_what_was_typed(editor, changes, field):
    form = {
        "place": "Phòng tiếp công dân",
        "morning_starts_at": "07:30",
        "morning_ends_at": "11:30",
        "afternoon_starts_at": "13:30",
        "afternoon_ends_at": "16:30",
        **changes,
    }
    page = editor.submit("/staff/reception/place", form, expect=400).get_data(as_text=True)

    assert f'id="{field}-error"' in page
    assert 'value="13:30"' in page


RULE = {
    "day_of_month": "15",
    "shift": "next-working-day",
    "host": "Giám đốc Sở",
    "host_en": "Director",
    "place": "Phòng tiếp công dân",
    "starts_at": "07:30",
    "ends_at": "11:30",
    "valid_from": "2026-01-01",
    "valid_until": "",
    "active": "y",
}


def test_an_editor_adds_edits_and_deletes_a_regular_day(app, editor):
    editor.submit("/staff/reception/rules/new", RULE, expect=302)
    with app.app_context():
        [rule] = schedule.sessions_between(date(2026, 3, 1), date(2026, 3, 31))
        assert rule.day == date(2026, 3, 16)
        from portal.contacts.models import ReceptionRule

        public_id = db.session.scalar(db.select(ReceptionRule.public_id))

    url = f"/staff/reception/rules/{public_id}"
    editor.submit(url, {**RULE, "day_of_month": "20"}, expect=302)
    with app.app_context():
        assert [s.day for s in schedule.sessions_between(date(2026, 3, 1), date(2026, 3, 31))] == [
            date(2026, 3, 20)
        ]
    editor.submit(f"{url}/delete", {}, token_from=url, expect=302)

    assert actions(app)[-3:] == [
        "reception.rule-created",
        "reception.rule-updated",
        "reception.rule-deleted",
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"day_of_month": "32"}, "day_of_month"),
        ({"day_of_month": "rằm"}, "day_of_month"),
        ({"ends_at": "07:00"}, "ends_at"),
        ({"valid_from": "31/02/2026"}, "valid_from"),
        ({"valid_until": "2025-01-01"}, "valid_until"),
        ({"host": ""}, "host"),
    ],
)
def test_a_refused_rule_keeps_what_was_typed(editor, changes, field):
    page = editor.submit("/staff/reception/rules/new", {**RULE, **changes}, expect=400).get_data(
        as_text=True
    )

    assert f'id="{field}-error"' in page
    assert 'value="Phòng tiếp công dân"' in page


def test_dates_may_be_typed_day_first(app, editor):
    editor.submit("/staff/reception/rules/new", {**RULE, "valid_from": "01/07/2025"}, expect=302)
    with app.app_context():
        from portal.contacts.models import ReceptionRule

        assert db.session.scalar(db.select(ReceptionRule.valid_from)) == date(2025, 7, 1)


def test_moving_a_regular_session_starts_from_its_details(app, editor, client):
    with app.app_context():
        create_rule(day_of_month=15, host="Giám đốc Sở", place="Phòng tiếp công dân")
        [first] = schedule.upcoming_sessions(schedule.today_in_vietnam(), limit=1)

    overview = editor.get("/staff/reception").get_data(as_text=True)
    link = f"/staff/reception/sessions/new?replaces={first.day.isoformat()}"
    assert f'href="{link}"' in overview
    form_page = editor.get(link).get_data(as_text=True)
    assert 'value="Giám đốc Sở"' in form_page
    assert f'value="{first.day.isoformat()}"' in form_page

    editor.submit(
        link,
        {
            "day": first.day.isoformat(),
            "starts_at": "07:30",
            "ends_at": "11:30",
            "host": "Giám đốc Sở",
            "place": "Phòng tiếp công dân",
            "note": "Giám đốc đi công tác",
            "replaces_rule_day": first.day.isoformat(),
            "cancelled": "y",
        },
        expect=302,
    )

    page = client.get("/tiep-cong-dan").get_data(as_text=True)
    assert "Giám đốc đi công tác" in page and 'class="cancelled"' in page
    assert "reception.session-created" in actions(app)


def test_an_editor_edits_and_deletes_a_one_off_session(app, editor):
    with app.app_context():
        row = create_session(day=date(2099, 3, 3))
    url = f"/staff/reception/sessions/{row.public_id}"
    form = {
        "day": "2099-03-04",
        "starts_at": "13:30",
        "ends_at": "16:30",
        "host": "Phó Giám đốc Sở",
        "place": "Phòng họp số 2",
    }

    editor.submit(url, form, expect=302)
    [saved] = rows(app, ReceptionSession)
    assert saved.day == date(2099, 3, 4) and saved.place == "Phòng họp số 2"
    editor.submit(f"{url}/delete", {}, token_from=url, expect=302)

    assert rows(app, ReceptionSession) == []
    assert actions(app)[-2:] == ["reception.session-updated", "reception.session-deleted"]


def test_a_refused_session_keeps_what_was_typed(editor):
    page = editor.submit(
        "/staff/reception/sessions/new",
        {
            "day": "",
            "starts_at": "13:30",
            "ends_at": "16:30",
            "host": "Phó Giám đốc Sở",
            "place": "Phòng 2",
        },
        expect=400,
    ).get_data(as_text=True)

    assert 'id="day-error"' in page and 'value="Phó Giám đốc Sở"' in page


# --- Reception documents -------------------------------------------------------------------

DOCUMENT = {
    "kind": "rules",
    "title": "Nội quy tiếp công dân",
    "title_en": "Reception rules",
    "summary": "Quyền và nghĩa vụ của công dân",
    "issued_on": "2025-07-15",
    "position": "0",
}


def upload(data: bytes, name: str):
    return (io.BytesIO(data), name)


def test_an_editor_publishes_a_document(app, editor, client, upload_folder):
    editor.submit(
        "/staff/reception/documents/new",
        {**DOCUMENT, "file": upload(pdf_bytes(), "Nội quy.pdf")},
        expect=302,
    )

    [document] = rows(app, ReceptionDocument)
    assert document.summary_html == "<p>Quyền và nghĩa vụ của công dân</p>"
    page = client.get("/tiep-cong-dan").get_data(as_text=True)
    assert f"/tiep-cong-dan/tai-lieu/{document.public_id}" in page
    assert len(list(upload_folder.iterdir())) == 1
    assert "reception.document-created" in actions(app)


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<html><script>alert(1)</script></html>", "noi-quy.pdf"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "a.svg"),
        (b"MZ\x90\x00 not a document", "noi-quy.docx"),
        (b"", "rong.pdf"),
    ],
    ids=["html-as-pdf", "svg", "executable", "empty"],
)
def test_a_file_that_is_not_a_document_is_refused_and_nothing_is_saved(
    app, editor, upload_folder, data, name
):
    response = editor.submit(
        "/staff/reception/documents/new", {**DOCUMENT, "file": upload(data, name)}, expect=400
    )

    page = response.get_data(as_text=True)
    assert 'id="file-error"' in page and name in page
    assert 'value="Nội quy tiếp công dân"' in page  # what was typed stays
    assert rows(app, ReceptionDocument) == [] and rows(app, StoredFile) == []
    assert not upload_folder.exists() or not any(upload_folder.iterdir())


def test_a_document_needs_a_file(app, editor):
    page = editor.submit("/staff/reception/documents/new", DOCUMENT, expect=400).get_data(
        as_text=True
    )
    assert 'id="file-error"' in page
    assert rows(app, ReceptionDocument) == []


def test_an_editor_replaces_a_documents_file_and_then_removes_it(app, editor):
    with app.app_context():
        document = create_document()
    url = f"/staff/reception/documents/{document.public_id}"

    editor.submit(
        url, {**DOCUMENT, "file": upload(pdf_bytes("Bản mới"), "Bản mới.pdf")}, expect=302
    )
    [saved] = rows(app, ReceptionDocument)
    with app.app_context():
        assert db.session.get(StoredFile, saved.stored_file_id).original_name == "Bản mới.pdf"

    refused = editor.submit(url, {**DOCUMENT, "file": upload(b"<html>", "x.pdf")}, expect=400)
    assert 'id="file-error"' in refused.get_data(as_text=True)

    editor.submit(f"{url}/delete", {}, token_from=url, expect=302)
    assert rows(app, ReceptionDocument) == []
    assert actions(app)[-2:] == ["reception.document-updated", "reception.document-deleted"]


# --- Working-day calendar ------------------------------------------------------------------


def test_an_administrator_declares_a_day_off_and_the_schedule_follows(app, admin):
    with app.app_context():
        create_rule(day_of_month=15)

    admin.submit(
        "/staff/calendar",
        {"day": "15/12/2026", "kind": "day-off", "note": "Nghỉ bù theo thông báo"},
        expect=302,
    )

    with app.app_context():
        assert [
            s.day for s in schedule.sessions_between(date(2026, 12, 1), date(2026, 12, 31))
        ] == [date(2026, 12, 16)]
    page = admin.get("/staff/calendar").get_data(as_text=True)
    assert "Nghỉ bù theo thông báo" in page and "15/12/2026" in page
    assert "calendar.day-set" in actions(app)


def test_an_administrator_removes_a_declared_day(app, admin):
    admin.submit("/staff/calendar", {"day": "2026-08-15", "kind": "working-day"}, expect=302)

    admin.submit("/staff/calendar/2026-08-15/delete", {}, token_from="/staff/calendar", expect=302)

    assert rows(app, CalendarException) == []
    assert actions(app)[-1] == "calendar.day-removed"


def test_a_refused_calendar_date_keeps_what_was_typed(admin):
    page = admin.submit(
        "/staff/calendar", {"day": "30/02/2026", "kind": "day-off", "note": "Lý do"}, expect=400
    ).get_data(as_text=True)
    assert 'id="day-error"' in page and 'value="30/02/2026"' in page and 'value="Lý do"' in page


def test_removing_an_unknown_date_is_not_found(admin):
    token = admin.csrf_token("/staff/calendar")
    admin.post("/staff/calendar/2026-13-45/delete", data={"csrf_token": token}, expect=404)
    admin.post("/staff/calendar/2026-08-15/delete", data={"csrf_token": token}, expect=404)


def test_every_staff_page_renders_with_data(app, editor, admin):
    with app.app_context():
        hotline = create_hotline(label="Đường dây nóng", email="a@example.vn", is_main=True)
        unit = create_unit(name="Văn phòng Sở", functions_html="<p>Tham mưu</p>")
        create_rule(day_of_month=15)
        from portal.contacts.models import ReceptionRule

        rule_id = db.session.scalar(db.select(ReceptionRule.public_id))
        row = create_session(day=date(2099, 1, 5), cancelled=True, note="Hoãn")
        document = create_document()
    admin.submit("/staff/calendar", {"day": "2026-12-31", "kind": "day-off"}, expect=302)

    for url in (
        "/staff/hotlines",
        f"/staff/hotlines/{hotline.public_id}",
        "/staff/units",
        f"/staff/units/{unit.public_id}",
        "/staff/reception",
        "/staff/reception/place",
        f"/staff/reception/rules/{rule_id}",
        f"/staff/reception/sessions/{row.public_id}",
        f"/staff/reception/documents/{document.public_id}",
    ):
        editor.get(url)  # PageClient checks each page: valid HTML, one h1, labelled fields
    page = admin.get("/staff/calendar").get_data(as_text=True)
    assert "31/12/2026" in page


def test_the_calendar_lists_the_make_up_saturdays_the_standard_calendar_knows(app, admin):
    from portal.core.workdays import local_date, make_up_days

    with app.app_context():
        year = local_date(datetime.now(UTC)).year
        known = make_up_days(year) + make_up_days(year + 1)
    page = admin.get("/staff/calendar").get_data(as_text=True)

    if not known:
        pytest.skip("the holidays package lists no make-up day for these years")
    assert in_vietnamese(app, "Make-up working days in the same calendar") in page
    for day in known:
        assert day.strftime("%d/%m/%Y") in page
