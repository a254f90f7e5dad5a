"""Forms for disclosures: the editors' forms and the reader's comment on a draft."""

from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    EmailField,
    IntegerField,
    MultipleFileField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, NumberRange, Optional, ValidationError

from portal.core.forms import BaseForm, HoneypotForm, max_length, required
from portal.core.workdays import VIETNAM
from portal.disclosures.models import TITLE_MAX, PapiDimension

COMMENT_MAX = 5000
NAME_MAX = 120
EMAIL_MAX = 254
NOTE_MAX = 2000
BODY_MAX = 200_000

PAPI_LABELS = {
    PapiDimension.PARTICIPATION: _l("1. Participation at local levels"),
    PapiDimension.TRANSPARENCY: _l("2. Transparency"),
    PapiDimension.VERTICAL_ACCOUNTABILITY: _l("3. Vertical accountability"),
    PapiDimension.CONTROL_OF_CORRUPTION: _l("4. Control of corruption"),
    PapiDimension.ADMINISTRATIVE_PROCEDURES: _l("5. Administrative procedures"),
    PapiDimension.PUBLIC_SERVICE_DELIVERY: _l("6. Public service delivery"),
    PapiDimension.ENVIRONMENTAL_GOVERNANCE: _l("7. Environmental governance"),
    PapiDimension.E_GOVERNANCE: _l("8. E-governance"),
}


def to_utc(value: datetime | None) -> datetime | None:
    """A datetime-local input is Vietnamese wall-clock time; store it in UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=VIETNAM).astimezone(UTC)


def to_local(value: datetime | None) -> datetime | None:
    """The reverse of to_utc(), to fill a datetime-local input."""
    if value is None:
        return None
    return value.astimezone(VIETNAM).replace(tzinfo=None)


def _date(label, hint=None):
    return DateField(
        label,
        validators=[Optional()],
        description=hint,
        render_kw={"class": "input--date"},
    )


def _text(label, limit, hint=None):
    return StringField(label, validators=[Optional(), max_length(limit)], description=hint)


class DisclosureForm(BaseForm):
    """Everything an editor sets on a disclosure; choices are filled by the view."""

    category = SelectField(
        _l("Category"), validators=[required(_l("Choose a category"))], coerce=str
    )
    title = StringField(
        _l("Title"), validators=[required(_l("Enter the title")), max_length(TITLE_MAX)]
    )
    summary = TextAreaField(
        _l("Summary"),
        validators=[Optional(), max_length(4000)],
        description=_l("Two or three sentences in plain words: shown in lists and search."),
    )
    body_html = TextAreaField(
        _l("Content"),
        validators=[Optional(), max_length(BODY_MAX)],
        description=_l(
            "HTML: paragraphs, headings, lists, tables and links are kept; anything else is "
            "removed when saved."
        ),
        render_kw={"rows": 12},
    )
    document_type = _text(_l("Document type"), 120, _l("For example: Quyết định, Kế hoạch"))
    issuer = _text(_l("Issued by"), 200)
    number_symbol = _text(_l("Number and symbol"), 100, _l("For example: 125/QĐ-STC"))
    issued_on = _date(_l("Date issued"))
    effective_on = _date(_l("Effective date"))
    disclosure_form = _text(_l("Form of disclosure"), 300)
    disclosure_place = _text(_l("Place of disclosure"), 300)
    visible_until = _date(
        _l("Keep visible until"), _l("Leave empty when there is no end to the duty to publish.")
    )
    unit = SelectField(_l("Responsible unit"), coerce=str, validators=[Optional()])
    papi = SelectMultipleField(
        _l("PAPI dimensions"),
        coerce=int,
        choices=[SelectChoice(int(k), v) for k, v in PAPI_LABELS.items()],
        validators=[Optional()],
    )
    is_consultation = BooleanField(_l("This is a draft open for comment"))
    comments_open_at = DateTimeLocalField(
        _l("Comments open"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=_l("Vietnam time."),
    )
    comments_close_at = DateTimeLocalField(
        _l("Comments close"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=_l("Vietnam time."),
    )
    change_note = TextAreaField(
        _l("What changed and why"),
        validators=[Optional(), max_length(NOTE_MAX)],
        description=_l("Shown to readers in the list of versions."),
    )

    def set_choices(self, categories, units) -> None:
        self.category.choices = [SelectChoice("", _l("Choose a category"))] + [
            SelectChoice(str(c.id), c.name) for c in categories
        ]
        self.unit.choices = [SelectChoice("", _l("No unit"))] + [
            SelectChoice(str(u.id), u.name) for u in units
        ]

    def validate(self, extra_validators=None) -> bool:
        # Optional() ends a field's validator chain when it is empty, so the comment period,
        # required only for a consultation, is checked here.
        valid = super().validate(extra_validators)
        if not self.is_consultation.data:
            return valid
        opens, closes = self.comments_open_at, self.comments_close_at
        if opens.data is None and not opens.errors:
            opens.errors.append(_l("Enter when the comment period opens"))
        if closes.data is None and not closes.errors:
            closes.errors.append(_l("Enter when the comment period closes"))
        elif opens.data and closes.data and closes.data <= opens.data:
            closes.errors.append(_l("The comment period must close after it opens"))
        return valid and not opens.errors and not closes.errors

    def validate_effective_on(self, field):
        if field.data and self.issued_on.data and field.data < self.issued_on.data:
            raise ValidationError(_l("The effective date cannot be before the date issued"))


class CommentForm(HoneypotForm):
    """A reader's comment on a draft: the name and e-mail are optional."""

    author_name = StringField(
        _l("Your name (optional)"),
        validators=[Optional(), max_length(NAME_MAX)],
        render_kw={"autocomplete": "name"},
    )
    author_email = EmailField(
        _l("Your e-mail address (optional)"),
        validators=[
            Optional(),
            Email(
                message=_l("Enter an e-mail address in the correct format, like name@example.com"),
                check_deliverability=False,
            ),
            max_length(EMAIL_MAX),
        ],
        description=_l("Only to contact you about your comment. It is never published."),
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    body = TextAreaField(
        _l("Your comment"),
        validators=[required(_l("Enter your comment")), max_length(COMMENT_MAX)],
        description=_l("At most %(max)d characters.", max=COMMENT_MAX),
        render_kw={"rows": 8},
    )


class PublishForm(BaseForm):
    publish_at = DateTimeLocalField(
        _l("Publish at"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=_l("Vietnam time. Leave empty to publish now."),
    )


class WithdrawForm(BaseForm):
    reason = TextAreaField(
        _l("Reason for withdrawal"),
        validators=[required(_l("Enter the reason for withdrawal")), max_length(NOTE_MAX)],
        description=_l("Shown to readers on the page of the withdrawn disclosure."),
    )


class AttachmentForm(BaseForm):
    files = MultipleFileField(
        _l("Files"),
        description=_l("PDF, Word, Excel, OpenDocument, PNG or JPEG files."),
    )
    title = StringField(
        _l("Description of the files (optional)"), validators=[Optional(), max_length(300)]
    )
    change_note = TextAreaField(
        _l("What changed and why"),
        validators=[Optional(), max_length(NOTE_MAX)],
        description=_l("Needed when the disclosure is public: shown to readers."),
    )


class RemoveAttachmentForm(BaseForm):
    change_note = TextAreaField(
        _l("What changed and why"),
        validators=[Optional(), max_length(NOTE_MAX)],
        description=_l("Needed when the disclosure is public: shown to readers."),
    )


class ConsultationReportForm(BaseForm):
    report_html = TextAreaField(
        _l("Report on how comments were taken into account"),
        validators=[required(_l("Write the report")), max_length(BODY_MAX)],
        description=_l(
            "HTML: paragraphs, headings, lists, tables and links are kept; anything else is "
            "removed when saved."
        ),
        render_kw={"rows": 12},
    )


class ConfirmForm(BaseForm):
    """A button that changes something: only the CSRF token."""


class CategoryForm(BaseForm):
    name = StringField(
        _l("Name (Vietnamese)"), validators=[required(_l("Enter the name")), max_length(200)]
    )
    name_en = _text(_l("Name (English)"), 200)
    slug = StringField(
        _l("Address"),
        validators=[Optional(), max_length(120)],
        description=_l("Lower-case words joined by hyphens; made from the name when empty."),
    )
    description = TextAreaField(_l("Description (Vietnamese)"), validators=[Optional()])
    description_en = TextAreaField(_l("Description (English)"), validators=[Optional()])
    legal_basis = _text(_l("Legal basis"), 300)
    disclosure_form = _text(_l("Form of disclosure"), 300)
    disclosure_place = _text(_l("Place of disclosure"), 300)
    disclosure_time = _text(_l("Time of disclosure"), 300)
    disclosure_duration = _text(_l("Duration of disclosure"), 300)
    due_on = _date(
        _l("Next disclosure due by"),
        _l("Past this date with nothing published, the obligation is shown as overdue."),
    )
    position = IntegerField(
        _l("Position in lists"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=1000)],
    )
    active = BooleanField(_l("Active (listed on the portal)"), default=True)

    def values(self) -> dict:
        return {
            "name": self.name.data,
            "name_en": self.name_en.data or "",
            "slug": self.slug.data or "",
            "description": self.description.data or "",
            "description_en": self.description_en.data or "",
            "legal_basis": self.legal_basis.data or "",
            "disclosure_form": self.disclosure_form.data or "",
            "disclosure_place": self.disclosure_place.data or "",
            "disclosure_time": self.disclosure_time.data or "",
            "disclosure_duration": self.disclosure_duration.data or "",
            "due_on": self.due_on.data,
            "position": self.position.data or 0,
            "active": bool(self.active.data),
        }
