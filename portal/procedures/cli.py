"""`flask procedures …`: import and export of the catalogue."""

import os

import click
from flask.cli import AppGroup

from portal.procedures import imports, queries, services

procedures_cli = AppGroup("procedures", help="The administrative procedures catalogue.")

# Exit statuses, for scripts: 1 when some rows were rejected (the others were saved),
# 2 when the file itself could not be used (nothing was saved).
SOME_REJECTED = 1
FILE_REFUSED = 2


@procedures_cli.command("import", help="Create or update procedures from FILE, by code.\n\n"
                        + imports.FORMAT_HELP)  # fmt: skip
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False))
@click.option(
    "--create-fields",
    is_flag=True,
    help="Add fields (lĩnh vực) the file names that do not exist yet, instead of rejecting.",
)
@click.option("--dry-run", is_flag=True, help="Check and report, but save nothing.")
@click.pass_context
def import_command(ctx, path, create_fields, dry_run):
    try:
        rows = imports.read_file(path)
    except imports.ImportFileError as error:
        click.echo(f"{path}: {error}. Nothing was imported.", err=True)
        ctx.exit(FILE_REFUSED)
    report = services.import_procedures(
        rows, actor=None, source=path, create_fields=create_fields, dry_run=dry_run
    )
    noun = "item" if path.lower().endswith(".json") else "row"
    for number, code, problems in report.rejected:
        label = f"{noun} {number}" + (f" ({code})" if code else "")
        for problem in problems:
            click.echo(f"rejected {label}: {problem}", err=True)
    for name in report.new_fields:
        click.echo(f"new field: {name}")
    counts = report.counts()
    click.echo(
        ("Dry run, nothing saved: " if dry_run else "")
        + ", ".join(f"{counts[k]} {k}" for k in ("created", "updated", "unchanged", "rejected"))
    )
    if report.rejected:
        ctx.exit(SOME_REJECTED)


@procedures_cli.command("export")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False, writable=True))
def export_command(path):
    """Write every procedure to FILE (.csv or .json), in the format `import` reads."""
    if os.path.splitext(path)[1].lower() not in (".csv", ".json"):
        raise click.ClickException("the file name must end in .csv or .json")
    records = queries.export_records()
    imports.write_file(path, records)
    click.echo(f"exported {len(records)} procedures to {path}")
