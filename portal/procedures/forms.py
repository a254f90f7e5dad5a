"""Staff forms: a procedure with a fixed number of rows for ways to submit and documents.

Rows work without JavaScript: the page shows the existing rows plus a few blank ones, and blank
rows are ignored. Fields are flat (channel_1_kind, component_2_name …) so every input has its
own label and id, and the error summary links to each in page order.
"""

from functools import lru_cache

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    URLField,
)
from wtforms.validators import NumberRange, Optional, Regexp, ValidationError

from portal.core.forms import BaseForm, max_length, required
from portal.procedures import models
from portal.procedures.models import Channel, Level, OnlineLevel
from portal.procedures.services import ChannelData, ComponentData, FileChanges, ProcedureData

CHANNEL_ROWS = 3
COMPONENT_ROWS = 6
RICH_HINT = _l(
    "Plain text: each line becomes a paragraph. Or HTML: p, ul, ol, li, strong, em, a and "
    "tables are kept; anything else is removed."
)


def _web_url(form, field):
    if field.data and not models.is_web_url(field.data):
        raise ValidationError(_l("Enter a full web address starting with https:// or http://"))


class WholeNumberField(IntegerField):
    """An optional number from 0 to maximum, with messages in the portal's own grammar."""

    def __init__(self, label, *, maximum: int, **kwargs):
        self.maximum = maximum
        message = _l("Enter a whole number from 0 to %(max)d", max=maximum)
        kwargs.setdefault("render_kw", {"inputmode": "numeric"})
        super().__init__(
            label,
            validators=[Optional(), NumberRange(min=0, max=maximum, message=message)],
            **kwargs,
        )

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(
                _l("Enter a whole number from 0 to %(max)d", max=self.maximum)
            ) from None


def _count_field(label):
    return WholeNumberField(label, maximum=models.COPIES_MAX)


def _typed(field) -> bool:
    """Tell whether something was typed in the field, valid or not."""
    return bool(field.raw_data and str(field.raw_data[0]).strip())


class _ProcedureFormBase(BaseForm):
    channel_rows = 0
    component_rows = 0

    def channel_row(self, n: int):
        return [self[f"channel_{n}_{part}"] for part in ("kind", "time", "fee", "note")]

    def component_row(self, n: int):
        return [
            self[f"component_{n}_{part}"]
            for part in ("name", "originals", "copies", "form_url", "file")
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for n in range(1, self.channel_rows + 1):
            kind, time, fee, note = self.channel_row(n)
            if not kind.data and (time.data or fee.data or note.data):
                kind.errors.append(
                    _l("Choose in person, online or by post for way to submit %(n)d", n=n)
                )
                valid = False
            elif kind.data and not time.data:
                time.errors.append(_l("Enter the processing time of way to submit %(n)d", n=n))
                valid = False
        for n in range(1, self.component_rows + 1):
            name, originals, copies, form_url, upload = self.component_row(n)
            filled = any(_typed(f) for f in (originals, copies, form_url))
            if not name.data and (filled or upload.data):
                name.errors.append(_l("Enter the name of document %(n)d", n=n))
                valid = False
        online = self.online_level.data
        if online in (OnlineLevel.PARTIAL, OnlineLevel.FULL) and not self.online_url.data:
            self.online_url.errors.append(_l("Enter the address of the online service"))
            valid = False
        elif online == OnlineLevel.NONE and self.online_url.data:
            self.online_url.errors.append(
                _l("Remove the address, or choose how much of the procedure is online")
            )
            valid = False
        return valid

    def procedure_data(self) -> ProcedureData:
        data = ProcedureData(
            code=self.code.data,
            name=self.name.data,
            level=self.level.data,
            field=self.field.data,
            decision_number=self.decision_number.data or "",
            steps=self.steps.data or "",
            applicants=self.applicants.data or "",
            implementing_body=self.implementing_body.data or "",
            result=self.result.data or "",
            conditions=self.conditions.data or "",
            legal_basis=self.legal_basis.data or "",
            online_level=self.online_level.data,
            online_url=self.online_url.data or "",
        )
        for n in range(1, self.channel_rows + 1):
            kind, time, fee, note = self.channel_row(n)
            if kind.data:
                data.channels.append(ChannelData(kind.data, time.data, fee.data or "", note.data))
        for n in range(1, self.component_rows + 1):
            name, originals, copies, form_url, _upload = self.component_row(n)
            if name.data:
                data.components.append(
                    ComponentData(
                        name=name.data,
                        originals=originals.data or 0,
                        copies=copies.data or 0,
                        form_url=form_url.data or "",
                    )
                )
        return data

    def file_changes(self, existing: int) -> tuple[FileChanges, list[int]]:
        """Return the form files per component, and the row number of each component.

        Row n (1-based) shows existing component n-1, so a row keeps that component's file
        unless a new one is chosen or "remove" is ticked.
        """
        changes, rows = FileChanges(), []
        for n in range(1, self.component_rows + 1):
            if not self[f"component_{n}_name"].data:
                continue
            index = len(rows)
            rows.append(n)
            upload = self[f"component_{n}_file"].data
            if upload:
                changes.uploads[index] = upload
            elif n <= existing and not self[f"component_{n}_remove_file"].data:
                changes.keep[index] = n - 1
        return changes, rows


@lru_cache(maxsize=32)
def procedure_form_class(channel_rows: int, component_rows: int):
    """Build the form class with the given numbers of rows, fields in page order."""
    attrs = {
        "channel_rows": channel_rows,
        "component_rows": component_rows,
        "code": StringField(
            _l("Code"),
            description=_l("As on the national public service portal, like 1.000948.H38"),
            validators=[
                required(_l("Enter the procedure's code")),
                max_length(models.CODE_MAX),
                Regexp(
                    models.CODE_PATTERN.pattern + r"\Z",
                    message=_l("Use only letters, digits, dots and hyphens, like 1.000948.H38"),
                ),
            ],
            render_kw={"spellcheck": "false", "autocomplete": "off"},
        ),
        "decision_number": StringField(
            _l("Publishing decision"),
            description=_l("Number, symbol and date of the decision that published it"),
            validators=[max_length(models.DECISION_MAX)],
        ),
        "name": TextAreaField(
            _l("Name"),
            validators=[required(_l("Enter the procedure's name")), max_length(models.NAME_MAX)],
            render_kw={"rows": 2},
        ),
        "level": SelectField(
            _l("Level"),
            choices=[
                SelectChoice("", _l("Choose a level")),
                *(SelectChoice(v.value, v.label) for v in Level),
            ],
            validators=[required(_l("Choose a level"))],
        ),
        "field": SelectField(
            _l("Field"),
            choices=[],
            validators=[required(_l("Choose a field"))],
            validate_choice=True,
        ),
        "steps": TextAreaField(
            _l("Steps"),
            description=RICH_HINT,
            validators=[max_length(models.TEXT_MAX)],
            render_kw={"rows": 8},
        ),
    }
    for n in range(1, channel_rows + 1):
        attrs[f"channel_{n}_kind"] = SelectField(
            _l("Way"),
            choices=[
                SelectChoice("", _l("(none)")),
                *(SelectChoice(c.value, c.label) for c in Channel),
            ],
        )
        attrs[f"channel_{n}_time"] = StringField(
            _l("Processing time"),
            validators=[max_length(models.PROCESSING_TIME_MAX)],
        )
        attrs[f"channel_{n}_fee"] = StringField(_l("Fee"), validators=[max_length(models.FEE_MAX)])
        attrs[f"channel_{n}_note"] = StringField(
            _l("Note"), validators=[max_length(models.TEXT_MAX)]
        )
    for n in range(1, component_rows + 1):
        attrs[f"component_{n}_name"] = TextAreaField(
            _l("Document"), validators=[max_length(models.TEXT_MAX)], render_kw={"rows": 2}
        )
        attrs[f"component_{n}_originals"] = _count_field(_l("Originals"))
        attrs[f"component_{n}_copies"] = _count_field(_l("Copies"))
        attrs[f"component_{n}_form_url"] = URLField(
            _l("Link to the form elsewhere"),
            validators=[max_length(models.URL_MAX), _web_url],
        )
        attrs[f"component_{n}_file"] = FileField(_l("Form file"))
        attrs[f"component_{n}_remove_file"] = BooleanField(_l("Remove the form file"))
    attrs.update(
        applicants=TextAreaField(
            _l("Who may apply"), validators=[max_length(models.TEXT_MAX)], render_kw={"rows": 2}
        ),
        implementing_body=TextAreaField(
            _l("Implementing body"),
            validators=[max_length(models.TEXT_MAX)],
            render_kw={"rows": 2},
        ),
        result=TextAreaField(
            _l("Result"), validators=[max_length(models.TEXT_MAX)], render_kw={"rows": 2}
        ),
        conditions=TextAreaField(
            _l("Conditions"),
            description=RICH_HINT,
            validators=[max_length(models.TEXT_MAX)],
            render_kw={"rows": 4},
        ),
        legal_basis=TextAreaField(
            _l("Legal basis"),
            description=RICH_HINT,
            validators=[max_length(models.TEXT_MAX)],
            render_kw={"rows": 4},
        ),
        online_level=SelectField(
            _l("Online public service"),
            choices=[SelectChoice(v.value, v.label) for v in OnlineLevel],
            default=OnlineLevel.NONE.value,
        ),
        online_url=URLField(
            _l("Address of the online service"),
            validators=[max_length(models.URL_MAX), _web_url],
        ),
    )
    return type("ProcedureForm", (_ProcedureFormBase,), attrs)


def procedure_form(procedure=None, *, fields, formdata=...):
    """Return the form for a new procedure, or for editing one (filled from it)."""
    channels = procedure.channels if procedure else []
    components = procedure.components if procedure else []
    cls = procedure_form_class(
        max(CHANNEL_ROWS, len(channels) + 1), max(COMPONENT_ROWS, len(components) + 2)
    )
    data = {}
    if procedure is not None:
        data = {
            "code": procedure.code,
            "decision_number": procedure.decision_number,
            "name": procedure.name,
            "level": procedure.level,
            "field": procedure.field.name,
            "steps": procedure.steps_html,
            "applicants": procedure.applicants,
            "implementing_body": procedure.implementing_body,
            "result": procedure.result,
            "conditions": procedure.conditions_html,
            "legal_basis": procedure.legal_basis_html,
            "online_level": procedure.online_level,
            "online_url": procedure.online_url or "",
        }
        for n, channel in enumerate(channels, start=1):
            data.update(
                {
                    f"channel_{n}_kind": channel.channel,
                    f"channel_{n}_time": channel.processing_time,
                    f"channel_{n}_fee": channel.fee,
                    f"channel_{n}_note": channel.note,
                }
            )
        for n, component in enumerate(components, start=1):
            data.update(
                {
                    f"component_{n}_name": component.name,
                    f"component_{n}_originals": component.originals,
                    f"component_{n}_copies": component.copies,
                    f"component_{n}_form_url": component.form_url or "",
                }
            )
    kwargs = {} if formdata is ... else {"formdata": formdata}
    form = cls(data=data, **kwargs)
    form.field.choices = [SelectChoice("", _l("Choose a field"))] + [
        SelectChoice(f.name, f.name) for f in fields
    ]
    return form


class FieldForm(BaseForm):
    """A field (lĩnh vực) procedures are grouped by."""

    name = StringField(
        _l("Name"),
        validators=[required(_l("Enter the field's name")), max_length(models.FIELD_NAME_MAX)],
    )
    name_en = StringField(_l("Name in English"), validators=[max_length(models.FIELD_NAME_MAX)])
    position = WholeNumberField(
        _l("Position in lists"),
        maximum=9999,
        description=_l("Fields with smaller numbers come first."),
        default=0,
    )


class ConfirmForm(BaseForm):
    """A button-only form: the CSRF token is the point."""
