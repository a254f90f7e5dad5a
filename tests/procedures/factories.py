"""Keyword-only factories for the procedures catalogue. Call them inside an app context."""

import io
import itertools
import zipfile

from werkzeug.datastructures import FileStorage

from portal.extensions import db
from portal.procedures import services
from portal.procedures.models import Procedure, ProcedureField

_counter = itertools.count(1)


def create_field(*, name: str | None = None, name_en: str = "", position: int = 0):
    """Create a field (lĩnh vực) through the service, as an editor would."""
    row = services.create_field(
        name=name or f"Lĩnh vực {next(_counter)}", name_en=name_en, position=position, actor=None
    )
    return _detached(row)


def procedure_data(
    *,
    code: str | None = None,
    name: str | None = None,
    field: str,
    level: str = "province",
    online_level: str = "none",
    online_url: str = "",
    published: bool | None = True,
    channels=None,
    components=None,
    **extra,
) -> services.ProcedureData:
    n = next(_counter)
    data = services.ProcedureData(
        code=code or f"1.{n:06d}.H38",
        name=name or f"Thủ tục mẫu số {n}",
        level=level,
        field=field,
        online_level=online_level,
        online_url=online_url,
        published=published,
        **extra,
    )
    data.channels = list(
        channels
        if channels is not None
        else [services.ChannelData("in-person", "03 ngày làm việc", "50.000 đồng/lần")]
    )
    data.components = list(
        components
        if components is not None
        else [services.ComponentData("Tờ khai đề nghị", 1, 0), services.ComponentData("CCCD", 0, 1)]
    )
    return data


def create_procedure(*, field: str | None = None, files: dict | None = None, **kwargs):
    """Create a procedure (published unless published=False) through the service.

    `field` is a field name, created when missing; `files` maps component index to bytes.
    """
    field = field or "Thành lập và hoạt động doanh nghiệp"
    if db.session.scalar(db.select(ProcedureField).where(ProcedureField.name == field)) is None:
        create_field(name=field)
    changes = services.FileChanges(
        uploads={
            index: FileStorage(io.BytesIO(content), filename=f"Mẫu đơn {index + 1}.docx")
            for index, content in (files or {}).items()
        }
    )
    procedure = services.create_procedure(
        procedure_data(field=field, **kwargs), actor=None, files=changes
    )
    return _detached(procedure)


def docx_bytes(text: str = "Mẫu đơn") -> bytes:
    """A minimal file that sniffs as Word: a zip with [Content_Types].xml and word/."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", f"<w:document>{text}</w:document>")
    return out.getvalue()


def procedure_by_code(code: str) -> Procedure | None:
    return db.session.scalar(db.select(Procedure).where(Procedure.code == code))


def _detached(obj):
    db.session.refresh(obj)
    db.session.expunge(obj)
    return obj
