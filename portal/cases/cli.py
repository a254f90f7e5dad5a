"""`flask cases …`: upkeep of what citizens sent."""

import contextlib
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import click
from flask.cli import AppGroup

from portal.core.uploads import StoredFile, upload_folder
from portal.extensions import db

cases_cli = AppGroup("cases", help="Citizens' cases.")

# store_bytes() names files with secrets.token_hex(16); nothing else in the folder is touched.
STORAGE_KEY = re.compile(r"^[0-9a-f]{32}$")


@dataclass
class Orphans:
    rows: list[StoredFile] = field(default_factory=list)  # StoredFile rows nothing refers to
    files: list[str] = field(default_factory=list)  # files in the folder no row names


def _referring_columns():
    """Every column with a foreign key to stored_file.id (attachments, documents, forms…)."""
    return [
        fk.parent
        for table in db.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table is StoredFile.__table__
    ]


def find_orphans(*, min_age: timedelta) -> Orphans:
    """Rows and files older than min_age that nothing refers to.

    The age keeps a submission being written safe: its file exists before its row is committed,
    and its row before the attachment that refers to it.
    """
    cutoff = datetime.now(UTC) - min_age
    query = db.select(StoredFile).where(StoredFile.created_at < cutoff)
    for column in _referring_columns():
        query = query.where(
            StoredFile.id.not_in(db.select(column).where(column.is_not(None)).scalar_subquery())
        )
    rows = list(db.session.scalars(query.order_by(StoredFile.id)))

    known = set(db.session.scalars(db.select(StoredFile.storage_key)))
    folder = upload_folder()
    files = []
    if os.path.isdir(folder):
        with os.scandir(folder) as entries:
            for entry in entries:
                if not (entry.is_file(follow_symlinks=False) and STORAGE_KEY.match(entry.name)):
                    continue
                modified = datetime.fromtimestamp(entry.stat().st_mtime, UTC)
                if entry.name not in known and modified < cutoff:
                    files.append(entry.name)
    return Orphans(rows=rows, files=sorted(files))


def clean_orphans(*, min_age: timedelta, dry_run: bool = False) -> Orphans:
    """Delete orphaned rows (then their files) and orphaned files; return what was found."""
    orphans = find_orphans(min_age=min_age)
    if dry_run:
        return orphans
    keys = [row.storage_key for row in orphans.rows]
    for row in orphans.rows:
        db.session.delete(row)
    db.session.commit()
    # Files go after the commit: a crash in between leaves files without rows, which the next
    # run removes, never rows without files.
    folder = upload_folder()
    for name in [*keys, *orphans.files]:
        with contextlib.suppress(FileNotFoundError):
            os.remove(os.path.join(folder, name))
    return orphans


@cases_cli.command("clean-orphans")
@click.option(
    "--min-age-minutes",
    default=60,
    show_default=True,
    type=click.IntRange(min=0),
    help="Leave alone anything younger than this (a submission may be being written).",
)
@click.option("--dry-run", is_flag=True, help="List what would be deleted; delete nothing.")
def clean_orphans_command(min_age_minutes, dry_run):
    """Delete uploaded files no record refers to, and file records nothing refers to."""
    orphans = clean_orphans(min_age=timedelta(minutes=min_age_minutes), dry_run=dry_run)
    verb = "would delete" if dry_run else "deleted"
    for row in orphans.rows:
        click.echo(f"{verb} record {row.public_id} ({row.storage_key})")
    for name in orphans.files:
        click.echo(f"{verb} file {name}")
    click.echo(f"{verb} {len(orphans.rows)} record(s) and {len(orphans.files)} file(s)")


# Commands kept in their own modules register on the same group.
from portal.cases import deadline_cli, purge_cli, remind_cli  # noqa: E402, F401
