"""Shell commands: `flask demo load` and `flask users create`."""

import pytest
from flask_babel import force_locale

from portal.accounts import queries
from portal.accounts.models import User
from portal.accounts.passwords import password_problem, verify_password
from portal.accounts.permissions import Role
from portal.cases import tracking
from portal.cases.demo_samples import SAMPLES
from portal.cases.models import Case, CaseEvent, ReceptionEntry
from portal.core.audit import AuditEvent
from portal.core.site import SiteSetting
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from tests.apps import other_app, production_settings
from tests.factories import PASSWORD, create_user

COUNTED = (User, SiteSetting, AuditEvent, OutboxMessage, Case, CaseEvent, ReceptionEntry)


@pytest.fixture
def demo_file(app, tmp_path, monkeypatch):
    """Write the demo accounts table into tmp_path, not the instance folder."""
    path = tmp_path / "demo-accounts.txt"
    # os.path.join(instance_path, absolute) is the absolute path.
    monkeypatch.setitem(app.config, "DEMO_ACCOUNTS_FILE", str(path))
    # The demo's documents are uploads: keep them out of the instance folder too.
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))
    return path


@pytest.fixture
def run(app):
    runner = app.test_cli_runner()

    def invoke(*args):
        return runner.invoke(args=list(args))

    return invoke


def row_counts(app):
    with app.app_context():
        counts = {
            model.__tablename__: db.session.scalar(db.select(db.func.count()).select_from(model))
            for model in COUNTED
        }
    return counts


def table_rows(output):
    """Return {role: [e-mail, password, TOTP secret]} from the table the command printed."""
    rows = {}
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) == 4 and "@" in cells[1]:
            rows[cells[0]] = cells[1:]
    return rows


def table_lines(output):
    return [
        line for line in output.splitlines() if "|" in line or (line and set(line) <= set("-+"))
    ]


def test_demo_load_lists_one_account_per_role(run, demo_file):
    result = run("demo", "load")

    assert result.exit_code == 0, result.output
    assert set(table_rows(result.output)) == {role.value for role in Role}


def test_demo_load_gives_admin_and_head_the_totp_secret_they_sign_in_with(app, run, demo_file):
    rows = table_rows(run("demo", "load").output)

    with app.app_context():
        for role in Role:
            email, _, secret = rows[role.value]
            stored = queries.user_by_email(email).totp_secret
            if role in (Role.ADMIN, Role.HEAD):
                assert secret == stored and stored, role
            else:
                assert (secret, stored) == ("—", None), role


def test_demo_load_passwords_sign_in(app, run, demo_file):
    rows = table_rows(run("demo", "load").output)

    with app.app_context():
        for email, password, _ in rows.values():
            assert verify_password(queries.user_by_email(email).password_hash, password)


def test_demo_load_writes_the_table_to_the_accounts_file(run, demo_file):
    result = run("demo", "load")

    assert table_lines(demo_file.read_text(encoding="utf-8")) == table_lines(result.output)


def test_demo_load_twice_adds_no_rows(app, run, demo_file):
    run("demo", "load")
    before = row_counts(app)

    result = run("demo", "load")

    assert result.exit_code == 0, result.output
    assert row_counts(app) == before
    assert before["staff_user"] == len(Role)
    assert before["citizen_case"] == len(SAMPLES)


def test_demo_load_twice_prints_the_same_table(run, demo_file):
    first = run("demo", "load").output
    second = run("demo", "load").output

    assert table_lines(second) == table_lines(first)
    assert table_lines(first)


def test_demo_load_refuses_a_production_app(app, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    with other_app(app, "production", production_settings(tmp_path)) as production:
        result = production.test_cli_runner().invoke(args=["demo", "load"])

    assert result.exit_code != 0
    assert "development only" in result.output


GOOD_PASSWORD = "nắng sớm trên đồi chè Bắc Sơn"


def test_users_create_makes_an_account_with_the_role_and_password(app, run):
    result = run(
        "users", "create", "Bien.Tap@Example.vn", "--role", "editor", "--password", GOOD_PASSWORD
    )

    assert result.exit_code == 0, result.output
    with app.app_context():
        user = queries.user_by_email("bien.tap@example.vn")
        assert user.role == "editor"
        assert verify_password(user.password_hash, GOOD_PASSWORD)


def test_users_create_records_the_creation_in_the_audit_log(app, run):
    run("users", "create", "bientap@example.vn", "--role", "editor", "--password", GOOD_PASSWORD)

    with app.app_context():
        actions = db.session.scalars(db.select(AuditEvent.action)).all()
    assert actions == ["account.created"]


def expected_refusal(app, password, email):
    with app.app_context(), force_locale(app.config["BABEL_DEFAULT_LOCALE"]):
        return password_problem(password, email=email)


@pytest.mark.parametrize(
    "password", ["ngắn quá", "matkhau123456", "bientap-2025-x"], ids=["short", "common", "email"]
)
def test_users_create_refuses_a_weak_password_with_the_reason(app, run, password):
    result = run(
        "users", "create", "bientap@example.vn", "--role", "editor", "--password", password
    )

    reason = expected_refusal(app, password, "bientap@example.vn")
    assert reason
    assert result.exit_code != 0
    assert reason in result.output
    with app.app_context():
        assert queries.user_by_email("bientap@example.vn") is None


def test_users_create_refuses_an_e_mail_already_in_use(app, run):
    with app.app_context():
        create_user(role="handler", email="bientap@example.vn")

    result = run(
        "users", "create", "BienTap@example.vn", "--role", "editor", "--password", PASSWORD
    )

    assert result.exit_code != 0
    assert "bientap@example.vn already exists" in result.output
    with app.app_context():
        assert queries.user_by_email("bientap@example.vn").role == "handler"


def test_users_create_puts_the_member_in_the_unit_named_by_its_slug(app, run):
    from tests.contacts.factories import create_unit

    with app.app_context():
        unit_id = create_unit(name="Thanh tra Sở", slug="thanh-tra").id
    result = run(
        "users", "create", "xuly@example.vn", "--role", "handler", "--unit", "thanh-tra",
        "--password", GOOD_PASSWORD,
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    with app.app_context():
        assert queries.user_by_email("xuly@example.vn").unit_id == unit_id


def test_users_create_refuses_an_unknown_unit(app, run):
    result = run(
        "users", "create", "xuly@example.vn", "--role", "handler", "--unit", "khong-co",
        "--password", GOOD_PASSWORD,
    )  # fmt: skip

    assert result.exit_code != 0
    assert "no unit with the slug khong-co" in result.output
    with app.app_context():
        assert queries.user_by_email("xuly@example.vn") is None


def test_demo_puts_the_handler_and_the_head_in_the_unit_that_handles_cases(app, run, demo_file):
    run("demo", "load")
    with app.app_context():
        for email in ("handler@stc.langson.example.vn", "head@stc.langson.example.vn"):
            user = queries.user_by_email(email)
            assert user.unit is not None and user.unit.handles_cases
        assert queries.user_by_email("editor@stc.langson.example.vn").unit_id is None


def showcase_rows(output):
    """Return [(number, key)] from the demo cases section the command printed."""
    lines = output.split("Demo cases to open at /tra-cuu", 1)[1].splitlines()[1:]
    return [tuple(line.split()[:2]) for line in lines if line.startswith("  ")]


def test_demo_load_adds_cases_worked_by_the_demo_handler_and_head(app, run, demo_file):
    result = run("demo", "load")

    assert result.exit_code == 0, result.output
    assert f"Cases: {len(SAMPLES)} demo cases" in result.output
    with app.app_context():
        handler = queries.user_by_email("handler@stc.langson.example.vn")
        head = queries.user_by_email("head@stc.langson.example.vn")
        assignees = db.session.scalars(db.select(Case.assignee_id)).all()
        actors = db.session.scalars(db.select(CaseEvent.staff_user_id)).all()
    assert assignees.count(handler.id) >= 5 and head.id in assignees
    assert head.id in actors


def test_demo_load_prints_and_files_the_keys_of_the_showcase_cases(app, run, demo_file):
    first = run("demo", "load").output
    second = run("demo", "load").output

    shown = showcase_rows(first)
    assert len(shown) == 3
    assert showcase_rows(second) == shown
    assert "Cases:" not in second  # nothing added the second time
    assert showcase_rows(demo_file.read_text(encoding="utf-8")) == shown
    with app.app_context():
        for number, key in shown:
            assert tracking.find_case(number, key) is not None
