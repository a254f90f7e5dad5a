"""The admins' pages for Open311 partner systems: who may open them, registering a partner,
issuing a key that is shown once and stored as its SHA-256, revoking it, switching a partner
off; each checked against a real POST to /open311/v2/requests.json, and in the audit log."""

import json
import logging
import re

import pytest

from portal.accounts.models import Role
from portal.api import partners
from portal.api.models import ApiKey, ApiPartner, key_digest
from portal.core.audit import AuditEvent
from portal.extensions import db
from tests.auth import sign_in
from tests.cases.wording import say
from tests.factories import create_user

LIST_URL = "/staff/api-partners"
NEW_URL = "/staff/api-partners/new"
POST_URL = "/open311/v2/requests.json"
# A page every signed-in staff member may open, to take a valid CSRF token from.
TOKEN_PAGE = "/staff/account/password"
# The key, in the page's read-only field.
KEY_FIELD = re.compile(r'<textarea id="api-key"[^>]*>\s*([^<\s]+)</textarea>')
NOT_ADMINS = [role.value for role in Role if role is not Role.ADMIN]


def partner_url(partner) -> str:
    return f"{LIST_URL}/{partner.public_id}"


def revoke_url(partner, key) -> str:
    key_public_id = key if isinstance(key, str) else key.public_id
    return f"{partner_url(partner)}/keys/{key_public_id}/revoke"


def issue_directly(app, partner, by) -> str:
    """A key issued through the service (not the page); returns its public id."""
    with app.app_context():
        key, _raw = partners.issue_key(db.session.merge(partner), by=by)
        return key.public_id


def register(app, *, name="Ứng dụng Lạng Sơn số", by=None):
    """A partner registered by an admin (made here when not given); returns (partner, admin)."""
    with app.app_context():
        admin = by or create_user(role="admin")
        partner = partners.create_partner(name=name, contact="Anh Minh, 0912 345 678", by=admin)
        db.session.refresh(partner)
        db.session.expunge(partner)
    return partner, admin


def issue(client, partner) -> str:
    """Issue a key through the page; return it as the page shows it."""
    response = client.submit(f"{partner_url(partner)}/keys", {}, token_from=partner_url(partner))
    assert response.status_code == 200
    match = KEY_FIELD.search(response.get_data(as_text=True))
    assert match, "no key on the page"
    return match.group(1)


def open311_post(client, key: str):
    return client.raw.post(
        POST_URL,
        data={
            "api_key": key,
            "service_code": "petition-procedure",
            "description": "Đề nghị hướng dẫn thủ tục",
            "attribute[publish_consent]": "no",
        },
    )


def audit_entries(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)))


# --- Who may open the pages ----------------------------------------------------------------


@pytest.mark.parametrize("role", NOT_ADMINS)
def test_only_admins_open_the_partner_pages(app, client, role):
    partner, _admin = register(app)
    with app.app_context():
        user = create_user(role=role)
    key_public_id = issue_directly(app, partner, user)
    sign_in(client, user)
    for url in (LIST_URL, NEW_URL, partner_url(partner)):
        client.get(url, expect=403)
    for url in (
        NEW_URL,
        partner_url(partner),
        f"{partner_url(partner)}/keys",
        f"{partner_url(partner)}/keys/{key_public_id}/revoke",
    ):
        client.submit(url, {"name": "Khác"}, token_from=TOKEN_PAGE, expect=403)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ApiKey.id))) == 1
        assert db.session.scalar(db.select(ApiKey.revoked_at)) is None


def test_an_admin_opens_every_partner_page(app, client):
    partner, admin = register(app)
    sign_in(client, admin)
    listing = client.get(LIST_URL).get_data(as_text=True)
    assert partner.name in listing
    assert "0912 345 678" in listing
    assert f'href="{partner_url(partner)}"' in listing
    assert f'href="{NEW_URL}"' in listing
    client.get(NEW_URL)
    client.get(partner_url(partner))


def test_the_dashboard_links_admins_to_the_partners(app, client):
    with app.app_context():
        admin = create_user(role="admin")
        leader = create_user(role="leader")
    sign_in(client, admin)
    assert f'href="{LIST_URL}"' in client.get("/staff/").get_data(as_text=True)
    client.post("/staff/logout", data={"csrf_token": client.csrf_token("/staff/")})
    sign_in(client, leader)
    assert f'href="{LIST_URL}"' not in client.get("/staff/").get_data(as_text=True)


@pytest.mark.parametrize("path", ["", "/new", "/any-id"])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(LIST_URL + path, expect=302)
    assert response.headers["Location"].startswith("/staff/login?next=")


def test_unknown_partners_and_keys_are_not_found(app, client):
    partner, admin = register(app)
    sign_in(client, admin)
    client.get(f"{LIST_URL}/no-such-partner", expect=404)
    client.submit(f"{LIST_URL}/no-such-partner/keys", {}, token_from=LIST_URL, expect=404)
    client.submit(
        f"{partner_url(partner)}/keys/no-such-key/revoke", {}, token_from=LIST_URL, expect=404
    )
    # Another partner's key is not found under this one.
    other, _ = register(app, name="Tổng đài 1022", by=admin)
    key = issue_directly(app, other, admin)
    client.submit(revoke_url(partner, key), {}, token_from=LIST_URL, expect=404)


# --- Registering and changing a partner ----------------------------------------------------


def test_an_admin_registers_a_partner(app, client):
    with app.app_context():
        admin = create_user(role="admin")
    sign_in(client, admin)
    response = client.submit(
        NEW_URL,
        {
            "name": "  Tổng đài 1022  ",
            "contact": "Chị Lan, lan@example.vn",
            "note": "Theo thỏa thuận số 12",
        },
        expect=302,
    )
    with app.app_context():
        partner = db.session.scalar(db.select(ApiPartner))
        assert (partner.name, partner.contact, partner.note) == (
            "Tổng đài 1022",
            "Chị Lan, lan@example.vn",
            "Theo thỏa thuận số 12",
        )
        assert partner.active and partner.created_by_id == admin.id
    assert response.headers["Location"] == partner_url(partner)
    page = client.get(partner_url(partner)).get_data(as_text=True)
    assert (
        say(app, "The partner system %(name)s was registered: issue it a key.", name=partner.name)
        in page
    )
    [entry] = audit_entries(app, "api.partner_created")
    assert (entry.actor_id, entry.target_id) == (admin.id, partner.public_id)


def test_a_partner_needs_a_name(app, client):
    with app.app_context():
        admin = create_user(role="admin")
    sign_in(client, admin)
    page = client.submit(NEW_URL, {"name": "   ", "contact": "Anh Minh"}, expect=400)
    html = page.get_data(as_text=True)
    assert say(app, "Enter the name of the partner system") in html
    assert 'value="Anh Minh"' in html


def test_a_taken_name_is_refused_and_what_was_typed_is_kept(app, client):
    _partner, admin = register(app, name="Ban tiếp dân Lạng Sơn")
    sign_in(client, admin)
    # The same name in other capitals, typed with stray spaces (trimmed before it is compared).
    typed = {
        "name": " ban tiếp dân lạng sơn ",
        "contact": "Anh Tuấn, 0987 654 321",
        "note": "Bản thử",
    }
    html = client.submit(NEW_URL, typed, expect=400).get_data(as_text=True)
    assert say(app, "Another partner system already has this name.") in html
    assert 'value="ban tiếp dân lạng sơn"' in html
    assert 'value="Anh Tuấn, 0987 654 321"' in html
    assert "Bản thử</textarea>" in html
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ApiPartner.id))) == 1
    # Renaming another partner to a taken name is refused the same way.
    other, _ = register(app, name="Tổng đài 1022", by=admin)
    edit = {"name": "Ban tiếp dân Lạng Sơn", "contact": "", "note": "", "active": "y"}
    html = client.submit(partner_url(other), edit, expect=400).get_data(as_text=True)
    assert say(app, "Another partner system already has this name.") in html


@pytest.mark.parametrize("typed", ["Đường dây nóng 1022", "đường DÂY nóng 1022"])
def test_a_taken_name_beginning_with_a_vietnamese_capital_is_refused(app, client, typed):
    _partner, admin = register(app, name="Đường dây nóng 1022")
    sign_in(client, admin)
    html = client.submit(NEW_URL, {"name": typed}, expect=400).get_data(as_text=True)
    assert say(app, "Another partner system already has this name.") in html


def test_an_admin_changes_a_partner(app, client):
    partner, admin = register(app)
    sign_in(client, admin)
    data = {
        "name": "Ứng dụng Lạng Sơn số",
        "contact": "Chị Hoa, 0203 123 456",
        "note": "",
        "active": "y",
    }
    response = client.submit(partner_url(partner), data, expect=302)
    assert response.headers["Location"] == partner_url(partner)
    with app.app_context():
        assert db.session.scalar(db.select(ApiPartner.contact)) == "Chị Hoa, 0203 123 456"
    [entry] = audit_entries(app, "api.partner_changed")
    assert entry.detail == {"fields": ["contact"]}


# --- Keys ----------------------------------------------------------------------------------


def test_the_key_page_gives_the_public_address_to_call(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://tiepcongdan.example.gov.vn")
    partner, admin = register(app)
    sign_in(client, admin)
    html = client.submit(
        f"{partner_url(partner)}/keys", {}, token_from=partner_url(partner)
    ).get_data(as_text=True)
    base = "https://tiepcongdan.example.gov.vn/open311/v2"
    assert f'curl "{base}/requests.json"' in html
    assert f"{base}/services.xml" in html
    assert f"{base}/requests/PA-2026-000001.json?api_key=" in html
    assert "http://localhost/open311" not in html


def test_a_key_is_shown_once_and_only_its_digest_is_kept(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    partner, admin = register(app)
    sign_in(client, admin)
    response = client.submit(f"{partner_url(partner)}/keys", {}, token_from=partner_url(partner))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    raw = KEY_FIELD.search(html).group(1)
    assert raw.startswith("o311_") and len(raw) > 40
    assert f"api_key={raw}" in html  # the curl example
    assert "http://localhost/open311/v2/requests.json" in html
    with app.app_context():
        [key] = db.session.scalars(db.select(ApiKey)).all()
        assert key.digest == key_digest(raw)
        assert key.hint == raw[-4:]
        assert key.created_by_id == admin.id
        stored = [str(v) for v in db.session.execute(db.select(ApiKey.__table__)).one()]
        assert not any(raw in value for value in stored)
    # Never again: not on the partner's page, not in a flash, not in the session.
    page = client.get(partner_url(partner)).get_data(as_text=True)
    assert raw not in page
    assert f"…{raw[-4:]}" in page
    serializer = app.session_interface.get_signing_serializer(app)
    session = serializer.loads(client.raw.get_cookie(app.config["SESSION_COOKIE_NAME"]).value)
    assert raw not in json.dumps(session, default=str)
    assert raw not in caplog.text
    [entry] = audit_entries(app, "api.key_issued")
    assert entry.target_id == partner.public_id
    assert raw not in json.dumps(entry.detail) and raw not in (entry.target_id or "")


def test_the_key_sends_requests_until_it_is_revoked(app, client):
    partner, admin = register(app)
    sign_in(client, admin)
    raw = issue(client, partner)

    accepted = open311_post(client, raw)
    assert accepted.status_code == 200, accepted.get_data(as_text=True)
    [document] = accepted.get_json()
    assert document["service_request_id"]  # a petition: numbered at once
    with app.app_context():
        key = db.session.scalar(db.select(ApiKey))
        assert key.last_used_at is not None
    page = client.get(partner_url(partner)).get_data(as_text=True)
    assert say(app, "Not used yet") not in page.split("<tbody>")[1]  # the key's last use is shown

    response = client.submit(
        revoke_url(partner, key), {}, token_from=partner_url(partner), expect=302
    )
    assert response.headers["Location"] == partner_url(partner)
    assert raw not in response.headers["Location"]
    page = client.get(partner_url(partner)).get_data(as_text=True)
    assert (
        say(app, "The key ending …%(hint)s was revoked: it no longer works.", hint=key.hint) in page
    )
    assert say(app, "Revoke the key ending …%(hint)s", hint=key.hint) not in page

    refused = open311_post(client, raw)
    assert refused.status_code == 403
    [error] = refused.get_json()
    assert error["code"] == 403 and error["description"]
    with app.app_context():
        assert db.session.scalar(db.select(ApiKey.revoked_by_id)) == admin.id
    [entry] = audit_entries(app, "api.key_revoked")
    assert entry.detail == {"key": key.public_id, "hint": raw[-4:]}
    # Revoking twice changes nothing.
    client.submit(revoke_url(partner, key), {}, token_from=partner_url(partner), expect=302)
    assert len(audit_entries(app, "api.key_revoked")) == 1


def test_switching_a_partner_off_stops_its_keys(app, client):
    partner, admin = register(app)
    sign_in(client, admin)
    raw = issue(client, partner)
    assert open311_post(client, raw).status_code == 200

    data = {"name": partner.name, "contact": partner.contact, "note": ""}  # "active" unticked
    client.submit(partner_url(partner), data, expect=302)
    refused = open311_post(client, raw)
    assert refused.status_code == 403
    assert refused.get_json()[0]["code"] == 403
    [entry] = audit_entries(app, "api.partner_changed")
    assert entry.detail == {"fields": ["active"]}
    listing = client.get(LIST_URL).get_data(as_text=True)
    assert say(app, "Switched off") in listing

    client.submit(partner_url(partner), {**data, "active": "y"}, expect=302)
    assert open311_post(client, raw).status_code == 200


def test_no_audit_entry_holds_a_key(app, client):
    partner, admin = register(app)
    sign_in(client, admin)
    raws = [issue(client, partner), issue(client, partner)]
    with app.app_context():
        keys = db.session.scalars(db.select(ApiKey)).all()
    client.submit(revoke_url(partner, keys[0]), {}, token_from=partner_url(partner), expect=302)
    with app.app_context():
        entries = db.session.scalars(db.select(AuditEvent)).all()
        text = json.dumps([[e.action, e.target_id, e.detail, e.actor_label] for e in entries])
    assert {"api.partner_created", "api.key_issued", "api.key_revoked"} <= {
        e.action for e in entries
    }
    assert not any(raw in text for raw in raws)


# --- CSRF ----------------------------------------------------------------------------------


def test_posts_without_the_csrf_token_are_refused(app, client):
    partner, admin = register(app)
    key = issue_directly(app, partner, admin)
    sign_in(client, admin)
    client.post(NEW_URL, data={"name": "Tổng đài 1022"}, expect=400)
    client.post(partner_url(partner), data={"name": "Đổi tên", "active": ""}, expect=400)
    client.post(f"{partner_url(partner)}/keys", data={}, expect=400)
    client.post(revoke_url(partner, key), data={}, expect=400)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ApiPartner.id))) == 1
        assert db.session.scalar(db.select(ApiPartner.name)) == partner.name
        assert db.session.scalar(db.select(db.func.count(ApiKey.id))) == 1
        assert db.session.scalar(db.select(ApiKey.revoked_at)) is None
