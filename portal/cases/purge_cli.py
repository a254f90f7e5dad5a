"""`flask cases purge`: delete the cases kept past their retention period."""

import click

from portal.cases import retention
from portal.cases.cli import cases_cli


@cases_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="List what would be deleted; delete nothing.")
def purge_command(dry_run):
    """Delete ended cases whose retention period is over, files and identity included."""
    result = retention.purge(dry_run=dry_run)
    verb = "would delete" if dry_run else "deleted"
    for number in result.numbers:
        click.echo(f"{verb} case {number}")
    if result.dated:
        dated = "would date" if dry_run else "dated"
        click.echo(f"{dated} {result.dated} ended case(s) that had no retention date")
    click.echo(f"{verb} {len(result.numbers)} case(s) and {result.files} file(s)")
