"""The staff area is deny-by-default, and this file proves it for every route there is."""

import pytest
from flask import Blueprint

from portal.accounts.permissions import ROLE_PERMISSIONS, Permission, Role
from portal.core.security import (
    Level,
    is_staff_path,
    register_staff_blueprint,
    requires,
    staff_guard,
)
from tests.auth import sign_in
from tests.factories import create_user

LEVELS = {Level.PUBLIC, Level.SIGNED_IN, Level.STAFF}


def staff_rules(app):
    return [rule for rule in app.url_map.iter_rules() if is_staff_path(rule.rule)]


def unguarded_staff_endpoints(app) -> list[str]:
    """Every /staff endpoint lacking the guard or a declared permission."""
    problems = []
    for rule in staff_rules(app):
        blueprint = rule.endpoint.rpartition(".")[0]
        if staff_guard not in app.before_request_funcs.get(blueprint, []):
            problems.append(f"{rule.endpoint}: blueprint {blueprint!r} has no staff guard")
        permission = getattr(app.view_functions[rule.endpoint], "staff_permission", None)
        if permission not in LEVELS and not isinstance(permission, Permission):
            problems.append(f"{rule.endpoint}: no permission declared")
    return problems


def test_there_are_staff_routes(app):
    assert len(staff_rules(app)) >= 10


def test_every_staff_endpoint_is_guarded_and_declares_a_permission(app):
    assert unguarded_staff_endpoints(app) == []


def test_the_check_catches_a_blueprint_registered_without_the_guard(app):
    from portal import create_app

    other = create_app(
        "testing", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    )
    rogue = Blueprint("rogue", __name__, url_prefix="/staff/rogue")

    @rogue.route("/")
    @requires(Permission.MANAGE_USERS)
    def index():
        return "secret"

    other.register_blueprint(rogue)  # not register_staff_blueprint: no guard
    assert unguarded_staff_endpoints(other) == ["rogue.index: blueprint 'rogue' has no staff guard"]


def test_the_check_catches_a_view_without_a_declared_permission(app):
    from portal import create_app

    other = create_app(
        "testing", {"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"]}
    )
    sloppy = Blueprint("sloppy", __name__, url_prefix="/staff/sloppy")

    @sloppy.route("/")
    def index():
        return "secret"

    register_staff_blueprint(other, sloppy)
    assert unguarded_staff_endpoints(other) == ["sloppy.index: no permission declared"]
    # And the guard itself refuses it, even to an admin.
    with other.app_context():
        admin = create_user(role="admin")
    from tests.pages import PageClient

    client = PageClient(other.test_client())
    sign_in(client, admin)
    client.get("/staff/sloppy/", expect=403)


def test_every_role_has_permissions_and_every_permission_a_role():
    assert set(ROLE_PERMISSIONS) == set(Role)
    granted = set().union(*ROLE_PERMISSIONS.values())
    assert granted == set(Permission)


# What each role may open. Pages any signed-in staff member may use are listed for all roles.
COMMON = ["/staff/", "/staff/account/password", "/staff/account/two-factor"]
ADMIN_ONLY = ["/staff/users", "/staff/users/new", "/staff/settings", "/staff/audit-log"]


@pytest.mark.parametrize("role", [r.value for r in Role])
@pytest.mark.parametrize("url", COMMON + ADMIN_ONLY)
def test_role_access(app, client, role, url):
    with app.app_context():
        user = create_user(role=role)
    sign_in(client, user)
    expected = 200 if url in COMMON or role == "admin" else 403
    client.get(url, expect=expected)


@pytest.mark.parametrize("url", COMMON + ADMIN_ONLY + ["/staff/users/unknown-id"])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url, expect=302)
    assert response.headers["Location"].startswith("/staff/login?next=")


def test_user_pages_use_unguessable_ids(app, client):
    with app.app_context():
        admin = create_user(role="admin")
        editor = create_user(role="editor")
    sign_in(client, admin)
    client.get(f"/staff/users/{editor.id}", expect=404)
    client.get(f"/staff/users/{editor.public_id}", expect=200)
    assert len(editor.public_id) >= 16
