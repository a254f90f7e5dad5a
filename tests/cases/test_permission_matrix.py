"""Every staff route of cases × every role × a case of one's own, a colleague's and another
unit's: who gets the page (or the action), who gets 403 and who gets 404.

The expected outcome is derived from two tables only: the permission each view declares
(core.security.requires → accounts.permissions) and the object rules of cases.authz written
out below. A new route is covered the moment it is registered: it has to fit these rules, or
the test names it. Outcomes other than 403/404 (a 200 page, a 302 after an action, a 400 for
an empty form, a 409 for a move the state forbids) all count as "let through".
"""

import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from portal.accounts.permissions import Permission, role_has
from portal.cases.models import (
    CaseAttachment,
    CaseConsultation,
    CaseResponse,
    CaseStatus,
    Outcome,
    ReceptionEntry,
)
from portal.core.sealing import seal_text
from portal.extensions import db
from tests.auth import sign_in
from tests.cases.factories import create_case
from tests.cases.test_case_page import add_file
from tests.contacts.factories import create_unit
from tests.factories import create_user

ROLES = ("admin", "editor", "handler", "head", "leader")
OWNERSHIP = ("own", "colleague", "other-unit")
# Views that act on a case: the object rule of each level of permission (authz.py).
CASE_ARG = "number"
THROUGH, FORBIDDEN, NOT_FOUND = "through", 403, 404


@pytest.fixture
def world(app, tmp_path, monkeypatch):
    """A handling unit (its head, a handler, a colleague), another unit and its cases."""
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    with app.app_context():
        unit = create_unit(name="Thanh tra", handles_cases=True)
        other = create_unit(name="Phòng Ngân sách")
        third = create_unit(name="Phòng Pháp chế")
        users = {
            "admin": create_user(role="admin"),
            "editor": create_user(role="editor"),
            "handler": create_user(role="handler", unit_id=unit.id),
            "head": create_user(role="head", unit_id=unit.id),
            "leader": create_user(role="leader"),
        }
        colleague = create_user(role="handler", unit_id=unit.id)
        other_handler = create_user(role="handler", unit_id=other.id)
        accepted = {"status": CaseStatus.ASSIGNED, "accepted_on": datetime.now(UTC).date()}
        cases = {
            "own": create_case(
                kind="denunciation",
                name="Vi Thị Tô",
                email="to@example.vn",
                handling_unit_id=unit.id,
                assignee_id=users["handler"].id,
                **accepted,
            )[0],
            "colleague": create_case(
                kind="denunciation",
                name="Hà Văn Lộc",
                email="loc@example.vn",
                handling_unit_id=unit.id,
                assignee_id=colleague.id,
                **accepted,
            )[0],
            "other-unit": create_case(
                kind="denunciation",
                name="Lò Thị Mai",
                email="mai@example.vn",
                handling_unit_id=other.id,
                assignee_id=other_handler.id,
                **accepted,
            )[0],
        }
        extras = {}
        for key, case in cases.items():
            response = CaseResponse(case_id=case.id, outcome=Outcome.REJECTED, body="Dự thảo")
            consultation = CaseConsultation(
                case_id=case.id,
                unit_id=third.id,
                question="Ý kiến?",
                due_on=datetime.now(UTC).date() + timedelta(days=10),
            )
            db.session.add_all([response, consultation])
            db.session.commit()
            document = add_file(app, case, name="Trả lời.pdf")
            db.session.execute(
                db.update(CaseAttachment)
                .where(CaseAttachment.public_id == document)
                .values(response_id=response.id)
            )
            db.session.commit()
            extras[key] = SimpleNamespace(
                response=response.public_id,
                consultation=consultation.public_id,
                file=add_file(app, case),
                document=document,
            )
        entry = ReceptionEntry(
            received_on=datetime.now(UTC).date(),
            received_by="Cán bộ tiếp dân",
            visitors_sealed=seal_text("Nông Văn Dân"),
            subject="Hỏi về thủ tục",
        )
        db.session.add(entry)
        db.session.commit()
        return SimpleNamespace(
            users=users, cases=cases, extras=extras, entry=entry.public_id, unit=unit
        )


def staff_case_rules(app):
    """(endpoint, method, rule) for every route of the staff cases blueprint."""
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("staff_cases."):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, rule


def build(rule, world, ownership: str) -> str:
    """The rule's URL with real values for the case of this ownership."""
    extras = world.extras[ownership]
    values = {
        "number": world.cases[ownership].number,
        "public_id": extras.response,
        "file_id": extras.document if "/responses/" in rule.rule else extras.file,
        "consultation_id": extras.consultation,
        "document": "acceptance-notice",
        "kind": "complaint",
        "outcome": "rejected",
    }
    if rule.endpoint.startswith("staff_cases.reception_log"):
        values["public_id"] = world.entry
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: values[m.group(1)], rule.rule)


def expected(app, endpoint: str, method: str, rule, role: str, ownership: str):
    """What the two tables say this role gets on this route for a case of this ownership."""
    permission = app.view_functions[endpoint].staff_permission
    if not role_has(role, Permission(permission)):
        return FORBIDDEN
    if CASE_ARG not in rule.arguments:
        return THROUGH
    # The cases here are denunciations: the denouncer's own letter and files travel with the
    # identity, so they follow the reveal rule (the assigned handler and the head).
    protected = endpoint == "staff_cases.case_file"
    if role == "leader":
        # Reads every case; a POST changes something (or reveals a name): never theirs.
        return THROUGH if method == "GET" and not protected else FORBIDDEN
    if ownership == "other-unit":
        return NOT_FOUND  # another unit's case does not exist for them
    if endpoint == "staff_cases.case_answer":
        return FORBIDDEN  # only the consulted unit answers (none of these users)
    if permission == Permission.READ_CASES and method == "GET" and not protected:
        return THROUGH
    if role == "head":
        return THROUGH
    # A handler changes only what is assigned to them.
    return THROUGH if ownership == "own" else FORBIDDEN


def outcome(status: int):
    return status if status in (FORBIDDEN, NOT_FOUND) else THROUGH


@pytest.mark.parametrize("ownership", OWNERSHIP)
@pytest.mark.parametrize("role", ROLES)
def test_every_staff_case_route_lets_through_exactly_whom_the_tables_say(
    app, client, world, role, ownership
):
    sign_in(client, world.users[role])
    token = client.csrf_token("/staff/account/password")  # one token serves the session
    wrong = []
    seen = 0
    for endpoint, method, rule in staff_case_rules(app):
        if CASE_ARG not in rule.arguments and ownership != "own":
            continue  # routes without a case: checked once per role
        url = build(rule, world, ownership)
        want = expected(app, endpoint, method, rule, role, ownership)
        data = {"csrf_token": token} if method == "POST" else None
        response = client.raw.open(url, method=method, data=data)
        assert response.status_code < 500, f"{method} {url}: {response.status_code}"
        if endpoint == "staff_cases.receipt" and response.status_code == NOT_FOUND:
            got = THROUGH  # no receipt waiting in this session: allowed, nothing to show
        else:
            got = outcome(response.status_code)
        seen += 1
        if got != want:
            wrong.append(f"{method} {url} ({endpoint}): expected {want}, got {got}")
    assert seen > 20
    assert not wrong, "\n".join(wrong)


def test_the_matrix_covers_every_route_of_the_blueprint(app):
    endpoints = {endpoint for endpoint, _method, _rule in staff_case_rules(app)}
    # The pages issue 5 names, so a rename cannot silently drop one from the matrix.
    for name in (
        "cases",
        "case",
        "case_file",
        "case_classify",
        "case_accept",
        "bulk_assign",
        "case_extend",
        "reveal_identity",
        "record_case",
        "reception_log",
        "deadline_calculator",
        "response_templates",
        "document",
    ):
        assert f"staff_cases.{name}" in endpoints, name
