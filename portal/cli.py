"""Shell commands: `flask users …`, `flask demo load`, `flask outbox send|prune`."""

import os
import secrets

import click
import pyotp
from flask import current_app
from flask.cli import AppGroup

from portal.accounts import queries as account_queries
from portal.accounts import services as account_services
from portal.accounts.passwords import hash_password, password_problem
from portal.accounts.permissions import Role
from portal.answers import demo as answers_demo
from portal.cases import demo as cases_demo
from portal.contacts import demo as contacts_demo
from portal.contacts.models import Unit
from portal.core import site
from portal.disclosures import demo as disclosures_demo
from portal.extensions import db
from portal.notifications.services import deliver_due, prune
from portal.procedures import demo as procedures_demo

users_cli = AppGroup("users", help="Staff accounts.")
demo_cli = AppGroup("demo", help="Demo content for development.")
outbox_cli = AppGroup("outbox", help="The e-mail outbox.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--name", "full_name", default=None, help="Full name (defaults to the e-mail).")
@click.option(
    "--password",
    default=None,
    help="First password; prompted for when omitted. Prefer the prompt: shell history keeps options.",
)
@click.option("--unit", "unit_slug", default=None, help="Slug of the unit the member works in.")
def create_user_command(email, role, full_name, password, unit_slug):
    """Create a staff account."""
    email = account_services.normalise_email(email)
    if account_queries.user_by_email(email):
        raise click.ClickException(f"an account for {email} already exists")
    unit_id = None
    if unit_slug:
        unit_id = db.session.scalar(db.select(Unit.id).where(Unit.slug == unit_slug))
        if unit_id is None:
            raise click.ClickException(f"no unit with the slug {unit_slug}")
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password, email=email)
    if problem:
        raise click.ClickException(problem)
    # No e-mail: outside a request there is no address to put in its sign-in link, and the
    # person at the shell hands the account over in person anyway.
    user = account_services.create_user(
        email=email,
        full_name=full_name or email,
        role=role,
        password=password,
        actor=None,
        notify=False,
        unit_id=unit_id,
    )
    click.echo(f"created {user.email} ({user.role})")
    if user.requires_2fa:
        click.echo("this role must set up two-step sign-in at first sign-in")


# Demo content: the values come from DOMAIN.md and are clearly sample data.
DEMO_SETTINGS = {
    "agency_name": "Sở Tài chính tỉnh Lạng Sơn",
    "agency_name_en": "Lang Son Department of Finance",
    "agency_short_name": "STC Lạng Sơn",
    "parent_body": "Ủy ban nhân dân tỉnh Lạng Sơn",
    "address": "Số 2 đường Hoàng Văn Thụ, phường Lương Văn Tri, tỉnh Lạng Sơn (địa chỉ mẫu)",
    "email": "lienhe@stc.langson.example.vn",
    "office_hours": "Thứ Hai – Thứ Sáu: 7:30–11:30, 13:30–16:30",
}
DEMO_ACCOUNTS = (
    (Role.ADMIN, "admin@stc.langson.example.vn", "Hoàng Văn Quản"),
    (Role.EDITOR, "editor@stc.langson.example.vn", "Nguyễn Thị Biên"),
    (Role.HANDLER, "handler@stc.langson.example.vn", "Lý Văn Xử"),
    (Role.HEAD, "head@stc.langson.example.vn", "Đặng Thị Trưởng"),
    (Role.LEADER, "leader@stc.langson.example.vn", "Vi Văn Lãnh"),
)
COLUMNS = ("role", "e-mail", "password", "TOTP secret")


@demo_cli.command("load")
def load_demo_command():
    """Load demo settings and one staff account per role (idempotent)."""
    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("demo data is for development only")
    missing = {k: v for k, v in DEMO_SETTINGS.items() if not getattr(site.load(), k)}
    if missing:
        site.save(missing)
        db.session.commit()
    # Order matters: disclosures refer to units, so contacts come first.
    for domain_demo in (contacts_demo, procedures_demo, disclosures_demo):
        summary = domain_demo.load()
        if summary:
            click.echo(summary)
    path = os.path.join(current_app.instance_path, current_app.config["DEMO_ACCOUNTS_FILE"])
    known = _read_table(path)
    rows = []
    for role, email, name in DEMO_ACCOUNTS:
        password, secret = known.get(email, (None, None))
        user = account_queries.user_by_email(email)
        if user is None or password is None:
            password = "demo-" + secrets.token_urlsafe(12)
            secret = (
                pyotp.random_base32()
                if role.value in current_app.config["ROLES_REQUIRING_2FA"]
                else None
            )
            if user is None:
                user = account_services.create_user(
                    email=email,
                    full_name=name,
                    role=role,
                    password=password,
                    actor=None,
                    notify=False,
                )
            else:
                user.password_hash = hash_password(password)
            user.totp_secret = secret
            user.totp_last_step = None
        if role in (Role.HANDLER, Role.HEAD) and user.unit_id is None:
            # Handlers and the head work in the unit that handles cases (the Inspectorate).
            user.unit_id = db.session.scalar(
                db.select(Unit.id).where(Unit.handles_cases.is_(True)).order_by(Unit.position)
            )
        rows.append((role.value, email, password, secret or "—"))
    db.session.commit()
    # Cases last: they are assigned to the handler and the head committed just above. Their
    # services link to pages in the e-mails they queue, as from a request.
    with current_app.test_request_context():
        summary = cases_demo.load()
        showcase = _format_showcase(cases_demo.showcase())
        answers = answers_demo.load()
    for line in (summary, answers):
        if line:
            click.echo(line)
    table = _format_table(rows)
    os.makedirs(current_app.instance_path, exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("# Demo staff accounts: development only, never in production.\n")
        handle.write(table)
        if showcase:
            handle.write("\n" + showcase)
    click.echo(
        ("Demo data loaded." if missing else "Demo data already present.") + f" Accounts ({path}):"
    )
    click.echo(table)
    if showcase:
        click.echo(showcase)


def _format_table(rows) -> str:
    widths = [max(len(str(r[i])) for r in (COLUMNS, *rows)) for i in range(len(COLUMNS))]
    line = lambda r: " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()  # noqa: E731
    rule = "-+-".join("-" * w for w in widths)
    return "\n".join([line(COLUMNS), rule, *(line(r) for r in rows)]) + "\n"


def _format_showcase(cases) -> str:
    if not cases:
        return ""
    lines = ["Demo cases to open at /tra-cuu (case number, access key):"]
    lines += [f"  {number}  {key}  {title}" for number, key, title in cases]
    return "\n".join(lines) + "\n"


def _read_table(path: str) -> dict[str, tuple[str, str | None]]:
    if not os.path.exists(path):
        return {}
    known = {}
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            cells = [c.strip() for c in raw.split("|")]
            if len(cells) == 4 and "@" in cells[1]:
                known[cells[1]] = (cells[2], None if cells[3] == "—" else cells[3])
    return known


@outbox_cli.command("send")
def send_outbox_command():
    """Send the e-mails whose time has come (run from cron every minute)."""
    sent, failed = deliver_due(limit=500)
    click.echo(f"sent {sent}, failed {failed}")


@outbox_cli.command("prune")
@click.option("--dry-run", is_flag=True, help="Count what would be deleted; delete nothing.")
def prune_outbox_command(dry_run):
    """Delete sent and given-up e-mails older than OUTBOX_KEEP_DAYS (run once a day)."""
    count = prune(dry_run=dry_run)
    click.echo(f"{'would delete' if dry_run else 'deleted'} {count} message(s)")


def init_app(app) -> None:
    from portal.api.cli import api_cli
    from portal.cases.cli import cases_cli
    from portal.contacts.cli import calendar_cli
    from portal.core.audit_cli import audit_cli
    from portal.procedures.cli import procedures_cli

    app.cli.add_command(procedures_cli)
    app.cli.add_command(cases_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(calendar_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(api_cli)
