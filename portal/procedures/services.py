"""Writes for the procedures catalogue: create, edit, publish, fields, import.

Each public function is one unit of work: change rows, keep the search index in step (published
procedures only), append the audit record, commit.
"""

import contextlib
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime

from markupsafe import escape

from portal.core import audit, search
from portal.core.sanitize import clean_html, clean_text
from portal.core.text import fold, slugify
from portal.core.uploads import StoredFile, UploadRefused, store_upload, upload_folder
from portal.extensions import db
from portal.procedures.models import (
    NAME_MAX,
    DossierComponent,
    Procedure,
    ProcedureChannel,
    ProcedureField,
)
from portal.procedures.queries import export_record

SEARCH_KIND = "procedure"


@dataclass
class ChannelData:
    channel: str
    processing_time: str
    fee: str = ""
    note: str = ""


@dataclass
class ComponentData:
    name: str
    originals: int = 0
    copies: int = 0
    form_url: str = ""


@dataclass
class ProcedureData:
    """Everything about a procedure an editor or an import file sets.

    Rich text (steps, conditions, legal_basis) is as typed; rich_text() cleans it on write.
    `field` is the name of a ProcedureField. `published` None means "leave as it is".
    """

    code: str
    name: str
    level: str
    field: str
    decision_number: str = ""
    steps: str = ""
    applicants: str = ""
    implementing_body: str = ""
    result: str = ""
    conditions: str = ""
    legal_basis: str = ""
    online_level: str = "none"
    online_url: str = ""
    published: bool | None = None
    channels: list[ChannelData] = field(default_factory=list)
    components: list[ComponentData] = field(default_factory=list)


def _now() -> datetime:
    return datetime.now(UTC)


def rich_text(value: str | None) -> str:
    """Clean staff rich text; text without any tag becomes one paragraph per line."""
    value = (value or "").strip()
    if not value:
        return ""
    if "<" not in value:
        lines = (line.strip() for line in value.splitlines())
        value = "".join(f"<p>{escape(line)}</p>" for line in lines if line)
    return clean_html(value)


def _data_snapshot(data: ProcedureData, published: bool) -> dict:
    return {
        "code": data.code,
        "name": data.name,
        "decision_number": data.decision_number,
        "level": data.level,
        "field": data.field,
        "steps": rich_text(data.steps),
        "applicants": data.applicants,
        "implementing_body": data.implementing_body,
        "result": data.result,
        "conditions": rich_text(data.conditions),
        "legal_basis": rich_text(data.legal_basis),
        "online_level": data.online_level,
        "online_url": data.online_url or "",
        "published": published,
        "channels": [vars(c).copy() for c in data.channels],
        "components": [{**vars(c), "form_url": c.form_url or ""} for c in data.components],
    }


def _changed_keys(before: dict, after: dict) -> list[str]:
    return [key for key in after if before.get(key) != after[key]]


def _unique_slug(base: str) -> str:
    slug, n = base, 2
    while db.session.scalar(db.select(Procedure.id).where(Procedure.slug == slug)) is not None:
        slug = f"{base}-{n}"
        n += 1
    return slug


def _new_slug(name: str, code: str) -> str:
    # The slug is made once and kept: a renamed procedure keeps its address.
    return _unique_slug(f"{slugify(name, 100) or 'thu-tuc'}-{slugify(code, 50)}")


def _field_by_name(name: str) -> ProcedureField | None:
    return db.session.scalar(db.select(ProcedureField).where(ProcedureField.name == name))


def _write(procedure: Procedure, data: ProcedureData, field_row: ProcedureField, files) -> None:
    """Copy data onto the procedure; files[i] is the form file for component i."""
    procedure.code = data.code
    procedure.name = data.name
    procedure.name_key = fold(data.name)[:NAME_MAX]
    procedure.decision_number = data.decision_number
    procedure.level = data.level
    procedure.field = field_row
    procedure.steps_html = rich_text(data.steps)
    procedure.applicants = data.applicants
    procedure.implementing_body = data.implementing_body
    procedure.result = data.result
    procedure.conditions_html = rich_text(data.conditions)
    procedure.legal_basis_html = rich_text(data.legal_basis)
    procedure.online_level = data.online_level
    procedure.online_url = data.online_url or None
    if data.published is not None:
        procedure.published = data.published
    # Rows are reused by position so an unchanged list writes nothing.
    for position, item in enumerate(data.channels):
        if position == len(procedure.channels):
            procedure.channels.append(ProcedureChannel(position=position))
        row = procedure.channels[position]
        row.channel, row.processing_time = item.channel, item.processing_time
        row.fee, row.note, row.position = item.fee, item.note, position
    del procedure.channels[len(data.channels) :]
    for position, item in enumerate(data.components):
        if position == len(procedure.components):
            procedure.components.append(DossierComponent(position=position))
        row = procedure.components[position]
        row.name, row.originals, row.copies = item.name, item.originals, item.copies
        row.form_url, row.position = item.form_url or None, position
        row.form_file = files[position] if position < len(files) else None
    del procedure.components[len(data.components) :]
    procedure.updated_at = _now()


def index_text(procedure: Procedure) -> str:
    """Return the plain text the search index holds for a procedure, besides its title."""
    parts = [
        procedure.decision_number,
        procedure.field.name,
        clean_text(procedure.steps_html),
        procedure.applicants,
        procedure.implementing_body,
        procedure.result,
        clean_text(procedure.conditions_html),
        clean_text(procedure.legal_basis_html),
        *(f"{c.processing_time} {c.fee} {c.note}" for c in procedure.channels),
        *(c.name for c in procedure.components),
    ]
    return "\n".join(" ".join(p.split()) for p in parts if p and p.strip())


def _sync_index(procedure: Procedure) -> None:
    db.session.flush()
    if procedure.published:
        search.index_entry(
            kind=SEARCH_KIND,
            ref_id=procedure.id,
            slug=procedure.slug,
            title=f"{procedure.name} {procedure.code}",
            body=index_text(procedure),
            published_at=procedure.updated_at,
        )
    else:
        search.remove_entry(kind=SEARCH_KIND, ref_id=procedure.id)


# --- Editing in the staff area ---------------------------------------------------------------


class ComponentUploadRefused(ValueError):
    """A form file was refused; nothing was saved. `row` is the component's index."""

    def __init__(self, row: int, message: str):
        super().__init__(message)
        self.row = row


@dataclass
class FileChanges:
    """Form files from the editor, by index in data.components.

    uploads[i] is a new file for component i; keep[i] is the position of the existing component
    whose file component i keeps. A component in neither has no file.
    """

    uploads: dict = field(default_factory=dict)  # index -> FileStorage
    keep: dict = field(default_factory=dict)  # index -> existing position


def _store_uploads(changes: FileChanges) -> dict[int, StoredFile]:
    stored: dict[int, StoredFile] = {}
    for index in sorted(changes.uploads):
        try:
            stored[index] = store_upload(changes.uploads[index])
        except UploadRefused as refused:
            # Nothing half-saved: the files already written for this request go too.
            db.session.rollback()
            _discard(stored.values())
            raise ComponentUploadRefused(index, str(refused)) from None
    return stored


def _discard(files) -> None:
    """Delete from disk the files stored for a unit of work that did not happen."""
    for stored in files:
        with contextlib.suppress(FileNotFoundError):
            os.remove(os.path.join(upload_folder(), stored.storage_key))


def _files_for(procedure, data: ProcedureData, changes: FileChanges, stored: dict) -> list:
    existing = procedure.components if procedure is not None else []
    files = []
    for index in range(len(data.components)):
        position = changes.keep.get(index)
        if index in stored:
            files.append(stored[index])
        elif position is not None and position < len(existing):
            files.append(existing[position].form_file)
        else:
            files.append(None)
    return files


def _commit_or_discard(stored: dict) -> None:
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        _discard(stored.values())
        raise


def create_procedure(data: ProcedureData, *, actor, files: FileChanges | None = None) -> Procedure:
    """Create a procedure (unpublished unless data says otherwise) with its form files; commit."""
    changes = files or FileChanges()
    stored = _store_uploads(changes)
    field_row = _field_by_name(data.field)
    if field_row is None:
        db.session.rollback()
        _discard(stored.values())
        raise LookupError(data.field)
    procedure = Procedure(
        slug=_new_slug(data.name, data.code), published=bool(data.published), code=data.code
    )
    db.session.add(procedure)
    _write(procedure, data, field_row, _files_for(None, data, changes, stored))
    _sync_index(procedure)
    audit.record(
        "procedure.created",
        actor=actor,
        target_type="procedure",
        target_id=procedure.code,
        detail={"files": len(stored)} if stored else None,
    )
    _commit_or_discard(stored)
    return procedure


def update_procedure(
    procedure: Procedure, data: ProcedureData, *, actor, files: FileChanges | None = None
) -> list[str]:
    """Save an editor's changes, form files included; return what changed; commit."""
    changes = files or FileChanges()
    stored = _store_uploads(changes)
    field_row = _field_by_name(data.field)
    if field_row is None:
        db.session.rollback()
        _discard(stored.values())
        raise LookupError(data.field)
    before = export_record(procedure)
    files_before = [c.form_file for c in procedure.components if c.form_file]
    _write(procedure, data, field_row, _files_for(procedure, data, changes, stored))
    changed = _changed_keys(before, export_record(procedure))
    if [c.form_file for c in procedure.components if c.form_file] != files_before:
        changed.append("form_files")
    if not changed:
        db.session.rollback()  # a save with no change is not an edit: no audit, same date
        return []
    _sync_index(procedure)
    audit.record(
        "procedure.updated",
        actor=actor,
        target_type="procedure",
        target_id=procedure.code,
        detail={"changed": changed},
    )
    _commit_or_discard(stored)
    return changed


def set_published(procedure: Procedure, published: bool, *, actor) -> None:
    """Publish or unpublish a procedure: the public pages and the search index follow; commit."""
    if procedure.published == published:
        return
    procedure.published = published
    procedure.updated_at = _now()
    _sync_index(procedure)
    audit.record(
        "procedure.published" if published else "procedure.unpublished",
        actor=actor,
        target_type="procedure",
        target_id=procedure.code,
    )
    db.session.commit()


# --- Fields (lĩnh vực) -----------------------------------------------------------------------


def _unique_field_slug(name: str) -> str:
    base = slugify(name, 110) or "linh-vuc"
    slug, n = base, 2
    while db.session.scalar(db.select(ProcedureField.id).where(ProcedureField.slug == slug)):
        slug = f"{base}-{n}"
        n += 1
    return slug


def create_field(*, name: str, name_en: str = "", position: int = 0, actor) -> ProcedureField:
    """Add a field procedures can be grouped by; commit."""
    row = ProcedureField(
        name=name, name_en=name_en, position=position, slug=_unique_field_slug(name)
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        "procedure-field.created", actor=actor, target_type="procedure_field", target_id=row.slug
    )
    db.session.commit()
    return row


def update_field(row: ProcedureField, *, name: str, name_en: str, position: int, actor) -> None:
    """Rename or reorder a field; the procedures in it are re-indexed under the new name; commit."""
    renamed = row.name != name
    row.name, row.name_en, row.position = name, name_en, position
    if renamed:
        procedures = db.session.scalars(db.select(Procedure).where(Procedure.field_id == row.id))
        for procedure in procedures:
            _sync_index(procedure)
    audit.record(
        "procedure-field.updated",
        actor=actor,
        target_type="procedure_field",
        target_id=row.slug,
        detail={"renamed": renamed},
    )
    db.session.commit()


def delete_field(row: ProcedureField, *, actor) -> bool:
    """Delete a field no procedure uses; return False (and change nothing) if one does."""
    used = db.session.scalar(db.select(Procedure.id).where(Procedure.field_id == row.id).limit(1))
    if used is not None:
        return False
    audit.record(
        "procedure-field.deleted",
        actor=actor,
        target_type="procedure_field",
        target_id=row.slug,
        detail={"name": row.name},
    )
    db.session.delete(row)
    db.session.commit()
    return True


# --- Import ----------------------------------------------------------------------------------


@dataclass
class ImportRow:
    """One row of an import file: its number, its code if any, the data or the problems."""

    number: int
    code: str | None
    data: ProcedureData | None
    problems: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    created: list[tuple[int, str]] = field(default_factory=list)
    updated: list[tuple[int, str]] = field(default_factory=list)
    unchanged: list[tuple[int, str]] = field(default_factory=list)
    rejected: list[tuple[int, str | None, list[str]]] = field(default_factory=list)
    new_fields: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "rejected": len(self.rejected),
            "new_fields": len(self.new_fields),
        }


def import_procedures(
    rows: list[ImportRow],
    *,
    actor,
    source: str,
    create_fields: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Create or update procedures by code; report each row; commit unless dry_run.

    A field named in a row must exist, unless create_fields is set. Rejected rows change
    nothing; the others are saved together, with one audit event carrying the counts.
    """
    report = ImportReport()
    for row in rows:
        if row.problems or row.data is None:
            report.rejected.append((row.number, row.code, row.problems))
            continue
        data = row.data
        field_row = _field_by_name(data.field)
        if field_row is None:
            if not create_fields:
                report.rejected.append(
                    (
                        row.number,
                        data.code,
                        [f"unknown field {data.field!r} (add it first, or use --create-fields)"],
                    )
                )
                continue
            field_row = ProcedureField(name=data.field, slug=_unique_field_slug(data.field))
            db.session.add(field_row)
            db.session.flush()
            report.new_fields.append(data.field)
        procedure = db.session.scalar(db.select(Procedure).where(Procedure.code == data.code))
        if procedure is None:
            published = True if data.published is None else data.published
            procedure = Procedure(
                code=data.code, slug=_new_slug(data.name, data.code), published=published
            )
            db.session.add(procedure)
            _write(procedure, data, field_row, [])
            _sync_index(procedure)
            report.created.append((row.number, data.code))
            continue
        before = export_record(procedure)
        published = procedure.published if data.published is None else data.published
        if _data_snapshot(data, published) == before:
            report.unchanged.append((row.number, data.code))
            continue
        # Uploaded form files stay with the component of the same name.
        files_by_name = {c.name: c.form_file for c in procedure.components if c.form_file}
        _write(procedure, data, field_row, [files_by_name.get(c.name) for c in data.components])
        _sync_index(procedure)
        report.updated.append((row.number, data.code))
    audit.record(
        "procedure.imported",
        actor=actor,
        target_type="procedure",
        detail={"source": os.path.basename(source), **report.counts(), "dry_run": dry_run},
    )
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return report
