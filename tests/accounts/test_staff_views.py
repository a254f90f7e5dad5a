"""Administrators manage staff accounts and the site settings; everything is audited."""

import email
import email.policy

import pytest

from portal.accounts.models import User
from portal.core.audit import AuditEvent
from portal.extensions import db
from tests.auth import sign_in
from tests.factories import PASSWORD, create_user
from tests.pages import PageClient

NEW_PASSWORD = "mật khẩu rất dài cho cán bộ mới"


@pytest.fixture
def admin_client(app, client):
    with app.app_context():
        admin = create_user(role="admin", email="quan.tri@example.vn")
    sign_in(client, admin)
    client.admin = admin
    return client


def _user(app, email_address):
    with app.app_context():
        return db.session.scalar(db.select(User).where(User.email == email_address))


def _actions(app):
    with app.app_context():
        return [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))]


def test_admin_creates_an_account_and_the_new_member_is_told_by_email(app, admin_client, smtp):
    response = admin_client.submit(
        "/staff/users/new",
        {
            "full_name": "Nguyễn Văn Mới",
            "email": "Moi.Nguyen@Example.vn",
            "role": "handler",
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
        expect=302,
    )
    assert response.headers["Location"] == "/staff/users"
    user = _user(app, "moi.nguyen@example.vn")
    assert user.role == "handler" and user.active
    assert "Nguyễn Văn Mới" in admin_client.get("/staff/users").get_data(as_text=True)
    assert "account.created" in _actions(app)

    [message] = smtp.messages
    parsed = email.message_from_bytes(message.content, policy=email.policy.default)
    assert message.rcpt_tos == ["moi.nguyen@example.vn"]
    assert NEW_PASSWORD not in parsed.get_body(("plain",)).get_content()


def test_a_refused_form_keeps_what_was_typed(admin_client):
    response = admin_client.submit(
        "/staff/users/new",
        {
            "full_name": "Trần Thị Hà",
            "email": "not-an-email",
            "role": "editor",
            "new_password": "short",
            "confirm_password": "short",
        },
        expect=400,
    )
    page = response.get_data(as_text=True)
    assert 'value="Trần Thị Hà"' in page
    assert 'value="not-an-email"' in page
    assert '<option selected value="editor">' in page or 'selected value="editor"' in page
    assert page.count('class="error-message"') >= 2


def test_common_passwords_are_refused(admin_client):
    response = admin_client.submit(
        "/staff/users/new",
        {
            "full_name": "Lê Văn A",
            "email": "a@example.vn",
            "role": "editor",
            "new_password": "password1234",
            "confirm_password": "password1234",
        },
        expect=400,
    )
    assert 'id="new_password-error"' in response.get_data(as_text=True)


def test_duplicate_email_is_refused(app, admin_client):
    with app.app_context():
        create_user(role="editor", email="trung@example.vn")
    admin_client.submit(
        "/staff/users/new",
        {
            "full_name": "Trùng",
            "email": "TRUNG@example.vn",
            "role": "editor",
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
        expect=400,
    )


def test_admin_deactivates_an_account(app, admin_client):
    with app.app_context():
        editor = create_user(role="editor")
    admin_client.submit(
        f"/staff/users/{editor.public_id}",
        {"full_name": editor.full_name, "role": "editor"},  # unchecked box: not sent
        expect=302,
    )
    assert _user(app, editor.email).active is False
    assert "account.deactivated" in _actions(app)

    other = PageClient(app.test_client())
    other.submit("/staff/login", {"email": editor.email, "password": PASSWORD}, expect=401)


def test_admin_cannot_lock_themselves_out(app, admin_client):
    admin = admin_client.admin
    response = admin_client.submit(
        f"/staff/users/{admin.public_id}",
        {"full_name": admin.full_name, "role": "editor", "active": "y"},
        expect=400,
    )
    assert 'class="error-summary"' in response.get_data(as_text=True)
    assert _user(app, admin.email).role == "admin"


def test_admin_sets_a_new_password_and_resets_two_step_sign_in(app, admin_client):
    with app.app_context():
        head = create_user(role="head")
    url = f"/staff/users/{head.public_id}"
    admin_client.submit(
        f"{url}/password",
        {"new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD},
        token_from=url,
        expect=302,
    )
    admin_client.submit(f"{url}/two-factor/reset", {}, token_from=url, expect=302)
    user = _user(app, head.email)
    assert user.totp_secret is None
    actions = _actions(app)
    assert "account.password-reset" in actions and "account.2fa-disabled" in actions


def test_settings_are_data_and_show_on_every_page(app, admin_client):
    data = {
        "agency_name": "Sở Tài chính tỉnh Lạng Sơn",
        "agency_name_en": "Lang Son Department of Finance",
        "agency_short_name": "STC",
        "parent_body": "",
        "address": "1 Đường Mẫu, phường Đông Kinh",
        "email": "lienhe@example.vn",
        "office_hours": "",
    }
    admin_client.submit("/staff/settings", data, expect=302)
    home = admin_client.get("/").get_data(as_text=True)
    assert "Sở Tài chính tỉnh Lạng Sơn" in home
    assert 'href="mailto:lienhe@example.vn"' in home
    assert "settings.updated" in _actions(app)


def test_settings_refuse_a_bad_email_and_keep_the_rest(admin_client):
    response = admin_client.submit(
        "/staff/settings",
        {
            "agency_name": "Tên mới",
            "agency_name_en": "New name",
            "agency_short_name": "TM",
            "address": "Địa chỉ",
            "email": "khong-hop-le",
        },
        expect=400,
    )
    page = response.get_data(as_text=True)
    assert 'value="Tên mới"' in page and 'id="email-error"' in page


def test_the_audit_log_lists_sign_ins_for_admins(app, admin_client):
    page = admin_client.get("/staff/audit-log").get_data(as_text=True)
    assert "login.succeeded" in page
    assert admin_client.admin.email in page


def test_a_new_account_has_no_role_until_one_is_chosen(admin_client):
    page = admin_client.get("/staff/users/new").get_data(as_text=True)
    assert '<option value="">' in page
    assert "selected" not in page.split('id="role"')[1].split("</select>")[0]
    response = admin_client.submit(
        "/staff/users/new",
        {
            "full_name": "Vi Văn B",
            "email": "b@example.vn",
            "role": "",
            "new_password": NEW_PASSWORD,
            "confirm_password": NEW_PASSWORD,
        },
        expect=400,
    )
    assert 'id="role-error"' in response.get_data(as_text=True)


def test_the_audit_log_filters_by_action(app, admin_client):

    stranger = PageClient(app.test_client())
    stranger.submit("/staff/login", {"email": "ghost@example.vn", "password": "wrong one"})
    page = admin_client.get("/staff/audit-log?action=login.failed").get_data(as_text=True)
    rows = page.split("<tbody>")[1].split("</tbody>")[0]
    assert "login.failed" in rows and "login.succeeded" not in rows
    # An unknown action shows everything rather than failing.
    admin_client.get("/staff/audit-log?action=<script>")


def test_admin_moves_a_member_to_a_unit_which_ends_their_sessions(app, admin_client):
    from tests.contacts.factories import create_unit

    with app.app_context():
        unit = create_unit(name="Thanh tra Sở", slug="thanh-tra")
        handler = create_user(role="handler")
    member = PageClient(app.test_client())
    sign_in(member, handler)
    page = admin_client.get(f"/staff/users/{handler.public_id}").get_data(as_text=True)
    assert "Thanh tra Sở" in page

    admin_client.submit(
        f"/staff/users/{handler.public_id}",
        {"full_name": handler.full_name, "role": "handler", "unit_id": str(unit.id), "active": "y"},
        expect=302,
    )

    assert _user(app, handler.email).unit_id == unit.id
    assert "account.updated" in _actions(app)
    # The member's old session no longer opens staff pages: their case scope changed.
    assert member.raw.get("/staff/cases").status_code == 302
    listing = admin_client.get("/staff/users").get_data(as_text=True)
    assert "Thanh tra Sở" in listing


def test_admin_gives_a_new_account_its_unit(app, admin_client):
    from tests.contacts.factories import create_unit

    with app.app_context():
        unit = create_unit(name="Thanh tra Sở", slug="thanh-tra")
    admin_client.submit(
        "/staff/users/new",
        {
            "full_name": "Lý Văn Xử",
            "email": "xu@example.vn",
            "role": "handler",
            "unit_id": str(unit.id),
            "new_password": "nắng sớm trên đồi chè Bắc Sơn",
            "confirm_password": "nắng sớm trên đồi chè Bắc Sơn",
        },
        expect=302,
    )
    assert _user(app, "xu@example.vn").unit_id == unit.id
