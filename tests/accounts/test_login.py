"""Signing in: messages, lockout, two-step codes, and sessions the server can revoke."""

from datetime import UTC, datetime, timedelta

import pytest

from portal.accounts.models import StaffSession
from portal.core.audit import AuditEvent
from portal.extensions import db
from tests.auth import sign_in
from tests.factories import PASSWORD, create_user, totp_code

WRONG = "not the right password at all"


@pytest.fixture
def editor(app):
    with app.app_context():
        return create_user(role="editor", email="bien.tap@example.vn")


def _actions(app):
    with app.app_context():
        return [e.action for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))]


def test_sign_in_lands_on_the_dashboard(client, editor):
    response = sign_in(client, editor)
    assert response.headers["Location"] == "/staff/"
    page = client.get("/staff/").get_data(as_text=True)
    assert editor.full_name in page


def test_sign_in_returns_to_the_page_asked_for(client, editor):
    response = client.get("/staff/account/password", expect=302)
    assert response.headers["Location"] == "/staff/login?next=/staff/account/password"
    response = client.submit(
        "/staff/login?next=/staff/account/password",
        {"email": editor.email, "password": PASSWORD},
    )
    assert response.headers["Location"] == "/staff/account/password"


def test_sign_in_never_redirects_off_site(client, editor):
    response = client.submit(
        "/staff/login?next=//evil.example/x", {"email": editor.email, "password": PASSWORD}
    )
    assert response.headers["Location"] == "/staff/"


def test_wrong_password_keeps_the_email_and_says_what_went_wrong(client, editor):
    response = client.submit("/staff/login", {"email": editor.email, "password": WRONG}, expect=401)
    page = response.get_data(as_text=True)
    assert "hoặc mật khẩu không đúng" in page
    assert f'value="{editor.email}"' in page
    assert WRONG not in page


def test_unknown_account_gets_the_same_answer_as_a_wrong_password(client, editor):
    known = client.submit("/staff/login", {"email": editor.email, "password": WRONG}, expect=401)
    unknown = client.submit(
        "/staff/login", {"email": "nobody@example.vn", "password": WRONG}, expect=401
    )

    def summary(response):
        page = response.get_data(as_text=True)
        start = page.index('class="error-summary"')
        return page[start : page.index("</div>", start)]

    assert summary(known) == summary(unknown)


def test_deactivated_account_cannot_sign_in(app, client):
    with app.app_context():
        user = create_user(role="editor", active=False)
    client.submit("/staff/login", {"email": user.email, "password": PASSWORD}, expect=401)


def test_repeated_failures_lock_the_account_for_a_while(app, client, editor):
    threshold = app.config["LOCKOUT_THRESHOLD"]
    for _ in range(threshold - 1):
        client.submit("/staff/login", {"email": editor.email, "password": WRONG}, expect=401)
    response = client.submit("/staff/login", {"email": editor.email, "password": WRONG}, expect=429)
    assert "15" in response.get_data(as_text=True)
    # Even the right password is refused while locked.
    client.submit("/staff/login", {"email": editor.email, "password": PASSWORD}, expect=429)
    assert "login.locked" in _actions(app)
    assert "login.refused-locked" in _actions(app)


def test_lockout_ends_after_its_duration(app, client, editor):
    from portal.accounts.models import LoginThrottle

    for _ in range(app.config["LOCKOUT_THRESHOLD"]):
        client.submit("/staff/login", {"email": editor.email, "password": WRONG})
    with app.app_context():
        throttle = db.session.scalars(db.select(LoginThrottle)).one()
        throttle.locked_until = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
    sign_in(client, editor)


def test_unknown_accounts_lock_too(app, client):
    for _ in range(app.config["LOCKOUT_THRESHOLD"]):
        response = client.submit("/staff/login", {"email": "ghost@example.vn", "password": WRONG})
    assert response.status_code == 429


def test_honeypot_filled_is_refused(client, editor):
    client.submit(
        "/staff/login",
        {"email": editor.email, "password": PASSWORD, "website": "http://spam.example"},
        expect=400,
    )


def test_missing_csrf_token_is_refused(client, editor):
    client.post("/staff/login", data={"email": editor.email, "password": PASSWORD}, expect=400)


def test_failures_are_audited_without_the_password(app, client, editor):
    client.submit("/staff/login", {"email": editor.email, "password": WRONG})
    client.submit("/staff/login", {"email": "ghost@example.vn", "password": WRONG})
    with app.app_context():
        events = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "login.failed")
        ).all()
        assert len(events) == 2
        assert events[0].actor_label == editor.email
        assert events[0].ip == "127.0.0.1"
        assert events[1].actor_label is None
        assert all(WRONG not in str(e.detail) for e in events)


def test_sign_in_is_rate_limited_per_ip(app):
    from portal import create_app

    limited = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "LOGIN_RATE_LIMIT_PER_IP": "3 per day",
        },
    )
    from tests.pages import PageClient

    client = PageClient(limited.test_client())
    statuses = [
        client.submit("/staff/login", {"email": f"a{i}@example.vn", "password": WRONG}).status_code
        for i in range(4)
    ]
    assert statuses == [401, 401, 401, 429]


def test_sign_in_is_rate_limited_per_account(app):
    from portal import create_app
    from tests.pages import PageClient

    limited = create_app(
        "testing",
        {
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": "memory://",
            "LOGIN_RATE_LIMIT_PER_ACCOUNT": "2 per day",
            "LOCKOUT_THRESHOLD": 100,
        },
    )
    client = PageClient(limited.test_client())
    statuses = [
        client.submit(
            "/staff/login",
            {"email": "same@example.vn", "password": WRONG},
            environ_base={"REMOTE_ADDR": f"10.0.0.{i}"},
        ).status_code
        for i in range(3)
    ]
    assert statuses == [401, 401, 429]


# Two-step sign-in


@pytest.fixture
def head(app):
    with app.app_context():
        return create_user(role="head")


def test_a_user_with_two_step_sign_in_must_give_a_code(client, head):
    response = client.submit("/staff/login", {"email": head.email, "password": PASSWORD})
    assert response.headers["Location"] == "/staff/login/code"
    # Not signed in yet.
    assert client.get("/staff/", expect=302).headers["Location"].startswith("/staff/login")
    response = client.submit("/staff/login/code", {"code": totp_code(head)}, expect=302)
    client.get("/staff/")


def test_a_wrong_code_is_refused(client, head):
    client.submit("/staff/login", {"email": head.email, "password": PASSWORD})
    wrong = f"{(int(totp_code(head)) + 1) % 1000000:06d}"
    client.submit("/staff/login/code", {"code": wrong}, expect=401)
    client.get("/staff/", expect=302)


def test_a_code_cannot_be_used_twice(app, head):
    first = app.test_client()
    from tests.pages import PageClient

    first = PageClient(first)
    code = totp_code(head)
    first.submit("/staff/login", {"email": head.email, "password": PASSWORD})
    first.submit("/staff/login/code", {"code": code}, expect=302)

    second = PageClient(app.test_client())
    second.submit("/staff/login", {"email": head.email, "password": PASSWORD})
    second.submit("/staff/login/code", {"code": code}, expect=401)


def test_the_code_page_without_a_password_first_sends_back_to_sign_in(client):
    response = client.get("/staff/login/code", expect=302)
    assert response.headers["Location"] == "/staff/login"


def test_admin_and_head_must_set_up_two_step_sign_in_first(app, client):
    with app.app_context():
        admin = create_user(role="admin", totp=False)
    sign_in(client, admin)
    response = client.get("/staff/users", expect=302)
    assert response.headers["Location"] == "/staff/account/two-factor"
    page = client.get("/staff/account/two-factor").get_data(as_text=True)
    import re

    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1).replace(" ", "")
    import pyotp

    code = pyotp.TOTP(secret).now()
    client.submit("/staff/account/two-factor", {"code": code}, expect=302)
    client.get("/staff/users")
    assert "account.2fa-enabled" in _actions(app)


def test_other_roles_may_turn_two_step_sign_in_on_and_off(app, client, editor):
    sign_in(client, editor)
    client.get("/staff/users", expect=403)  # editors never manage users
    client.get("/staff/")  # but need no enrolment
    page = client.get("/staff/account/two-factor").get_data(as_text=True)
    import re

    import pyotp

    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1).replace(" ", "")
    client.submit("/staff/account/two-factor", {"code": pyotp.TOTP(secret).now()}, expect=302)
    client.submit("/staff/account/two-factor/off", {}, token_from="/staff/account/two-factor")
    with app.app_context():
        from portal.accounts.models import User

        assert db.session.get(User, editor.id).totp_secret is None


# Sessions


def _session_cookie(client, app):
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    return cookie.value


def _replay(app, cookie_value):
    """A second browser that copied the session cookie."""
    from tests.pages import PageClient

    thief = PageClient(app.test_client())
    thief.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie_value)
    return thief


def test_session_cookie_changes_at_sign_in(app, client, editor):
    client.get("/staff/login")
    before = _session_cookie(client, app)
    sign_in(client, editor)
    after = _session_cookie(client, app)
    assert before != after


def test_a_copied_cookie_works_until_sign_out_and_not_after(app, client, editor):
    sign_in(client, editor)
    stolen = _session_cookie(client, app)
    _replay(app, stolen).get("/staff/", expect=200)
    client.submit("/staff/logout", {}, token_from="/staff/", expect=302)
    _replay(app, stolen).get("/staff/", expect=302)


def test_a_copied_cookie_stops_working_after_a_password_change(app, client, editor):
    sign_in(client, editor)
    stolen = _session_cookie(client, app)
    new = "a brand new long passphrase 2026"
    client.submit(
        "/staff/account/password",
        {"current_password": PASSWORD, "new_password": new, "confirm_password": new},
        expect=302,
    )
    _replay(app, stolen).get("/staff/", expect=302)
    client.get("/staff/", expect=200)  # the browser that changed it carries on


def test_a_copied_cookie_stops_working_after_deactivation(app, client, editor):
    sign_in(client, editor)
    stolen = _session_cookie(client, app)
    with app.app_context():
        from portal.accounts import services
        from portal.accounts.models import User

        admin = create_user(role="admin")
        services.update_user(
            db.session.get(User, editor.id),
            full_name=editor.full_name,
            role="editor",
            active=False,
            actor=db.session.get(User, admin.id),
        )
    _replay(app, stolen).get("/staff/", expect=302)


def _age_session(app, **delta):
    with app.app_context():
        row = db.session.scalars(db.select(StaffSession)).one()
        if "idle" in delta:
            row.last_seen_at = datetime.now(UTC) - delta["idle"]
        if "age" in delta:
            row.created_at = datetime.now(UTC) - delta["age"]
        db.session.commit()


def test_idle_sessions_end_after_thirty_minutes(app, client, editor):
    sign_in(client, editor)
    _age_session(app, idle=timedelta(minutes=29))
    client.get("/staff/", expect=200)
    _age_session(app, idle=timedelta(minutes=31))
    client.get("/staff/", expect=302)
    assert "session.idle" in _actions(app)


def test_sessions_end_after_twelve_hours_even_when_active(app, client, editor):
    sign_in(client, editor)
    _age_session(app, age=timedelta(hours=12, minutes=1))
    client.get("/staff/", expect=302)
    assert "session.expired" in _actions(app)


def test_no_remember_me_cookie_is_ever_set(app, client, editor):
    sign_in(client, editor)
    assert client.get_cookie(app.config["REMEMBER_COOKIE_NAME"]) is None


def test_signing_out_needs_a_post_with_a_token(client, editor):
    sign_in(client, editor)
    client.get("/staff/logout", expect=405)
    client.post("/staff/logout", expect=400)
    client.get("/staff/", expect=200)


def test_password_change_checks_the_current_password_and_the_policy(client, editor):
    sign_in(client, editor)
    response = client.submit(
        "/staff/account/password",
        {"current_password": WRONG, "new_password": "x" * 5, "confirm_password": "y"},
        expect=400,
    )
    page = response.get_data(as_text=True)
    assert 'class="error-summary"' in page
    response = client.submit(
        "/staff/account/password",
        {
            "current_password": WRONG,
            "new_password": "another long passphrase 99",
            "confirm_password": "another long passphrase 99",
        },
        expect=400,
    )
    assert "aria-invalid" in response.get_data(as_text=True)


def test_password_change_sends_a_notice_by_email(client, editor, smtp):
    sign_in(client, editor)
    new = "a brand new long passphrase 2026"
    client.submit(
        "/staff/account/password",
        {"current_password": PASSWORD, "new_password": new, "confirm_password": new},
        expect=302,
    )
    assert [m.rcpt_tos for m in smtp.messages] == [[editor.email]]
    assert new not in smtp.messages[0].content.decode("utf-8", "replace")


def test_wrong_codes_count_towards_the_lockout(app, client, head):
    client.submit("/staff/login", {"email": head.email, "password": PASSWORD})
    wrong = f"{(int(totp_code(head)) + 500000) % 1000000:06d}"
    for _ in range(app.config["LOCKOUT_THRESHOLD"] - 1):
        client.submit("/staff/login/code", {"code": wrong}, expect=401)
    client.submit("/staff/login/code", {"code": wrong}, expect=429)
    # The password step is locked too now.
    client.submit("/staff/login", {"email": head.email, "password": PASSWORD}, expect=429)
    assert "login.totp-failed" in _actions(app)


def test_a_successful_sign_in_clears_earlier_failures(app, client, editor):
    from portal.accounts.models import LoginThrottle

    client.submit("/staff/login", {"email": editor.email, "password": WRONG}, expect=401)
    sign_in(client, editor)
    with app.app_context():
        assert db.session.scalars(db.select(LoginThrottle)).all() == []
