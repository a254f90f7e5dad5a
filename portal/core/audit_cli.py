"""`flask audit …`: the audit log's upkeep."""

import click
from flask.cli import AppGroup

from portal.core import audit

audit_cli = AppGroup("audit", help="The audit log.")


@audit_cli.command("verify")
def verify_command():
    """Check the audit log's hash chain; report the first broken link (exit code 1)."""
    result = audit.verify()
    if result.ok:
        click.echo(f"ok: {result.entries} entries")
        if result.last_id is not None:
            # Kept outside the database, this detects the newest entries being removed.
            click.echo(f"last: entry {result.last_id}, hash {result.last_hash}")
        return
    broken = result.broken
    click.echo(
        f"broken at entry {broken.id}: {broken.problem}: {broken.explanation} "
        f"({result.entries} entries before it hold)",
        err=True,
    )
    raise SystemExit(1)
