"""Staff forms for hotlines, units, citizen reception and the working-day calendar."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import Email, NumberRange, Optional, ValidationError

from portal.contacts.models import ShiftRule
from portal.contacts.phones import InvalidPhone, normalise_phone
from portal.core.forms import BaseForm, max_length, required
from portal.core.workdays import DayKind

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
TIME_FORMATS = ["%H:%M", "%H:%M:%S", "%Hh%M"]
DOCUMENT_KINDS = {"rules": _l("Rules (nội quy)"), "regulations": _l("Regulations (quy chế)")}
RICH_TEXT_HINT = _l(
    "Plain text, or simple HTML: paragraphs, lists, bold, links. Anything else is removed."
)


def _email_field(label):
    return EmailField(
        label,
        validators=[
            Optional(),
            Email(
                message=_l("Enter an e-mail address in the correct format, like name@example.com"),
                check_deliverability=False,
            ),
            max_length(254),
        ],
        render_kw={"spellcheck": "false"},
    )


def _phone_field(label):
    return TelField(
        label,
        validators=[max_length(30)],
        description=_l("A mobile number or a landline with its area code, like 0205 3812 345."),
        render_kw={"autocomplete": "off", "inputmode": "tel"},
    )


def _position_field():
    return IntegerField(
        _l("Position in lists"),
        default=0,
        validators=[
            Optional(),
            NumberRange(min=0, max=9999, message=_l("Enter a number from 0 to 9999")),
        ],
        invalid_value_message=_l("Enter a whole number, like 10"),
        description=_l("Smaller numbers come first."),
        render_kw={"class": "input--number"},
    )


def _date_field(label, *, missing=None, description=None):
    return DateField(
        label,
        format=DATE_FORMATS,
        validators=[required(missing) if missing else Optional()],
        invalid_value_message=_l("Enter a real date, like 15/01/2027"),
        description=description,
    )


def _time_field(label, *, missing=None):
    return TimeField(
        label,
        format=TIME_FORMATS,
        validators=[required(missing) if missing else Optional()],
        invalid_value_message=_l("Enter a time in 24-hour format, like 07:30"),
    )


class _PhoneCheck:
    """Turns the typed number into E.164 as phone_e164, or explains what to type."""

    phone_e164: str | None = None

    def validate_phone(self, field):
        self.phone_e164 = None
        if field.data:
            try:
                self.phone_e164 = normalise_phone(field.data)
            except InvalidPhone as error:
                raise ValidationError(str(error)) from None


class _TimesInOrder:
    def _check_order(self, starts, ends):
        if starts.data and ends.data and ends.data <= starts.data:
            ends.errors.append(_l("The end time must be after the start time"))
            return False
        return True


class HotlineForm(_PhoneCheck, BaseForm):
    label = StringField(
        _l("Name (Vietnamese)"),
        validators=[required(_l("Enter the name of the hotline")), max_length(150)],
    )
    label_en = StringField(_l("Name (English)"), validators=[max_length(150)])
    phone = _phone_field(_l("Phone number"))
    email = _email_field(_l("E-mail address"))
    purpose = TextAreaField(_l("What it is for (Vietnamese)"), validators=[max_length(2000)])
    purpose_en = TextAreaField(_l("What it is for (English)"), validators=[max_length(2000)])
    hours = StringField(
        _l("When it answers (Vietnamese)"),
        validators=[max_length(200)],
        description=_l("For example: working days, 7:30–11:30 and 13:30–16:30."),
    )
    hours_en = StringField(_l("When it answers (English)"), validators=[max_length(200)])
    is_harassment = BooleanField(
        _l("For reporting harassment and corruption (shown first, and in the footer)")
    )
    is_main = BooleanField(_l("Main hotline (shown at the top of every page)"))
    position = _position_field()
    published = BooleanField(_l("Published"), default=True)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if ok and not self.phone.data and not self.email.data:
            self.phone.errors.append(_l("Enter a phone number or an e-mail address"))
            return False
        return ok


class UnitForm(_PhoneCheck, BaseForm):
    name = StringField(
        _l("Name (Vietnamese)"),
        validators=[required(_l("Enter the name of the unit")), max_length(200)],
    )
    name_en = StringField(
        _l("Name (English)"),
        validators=[max_length(200)],
        description=_l("The law asks for an English version of the organisation page."),
    )
    functions = TextAreaField(
        _l("Functions and tasks (Vietnamese)"),
        validators=[max_length(20000)],
        description=RICH_TEXT_HINT,
    )
    functions_en = TextAreaField(
        _l("Functions and tasks (English)"),
        validators=[max_length(20000)],
        description=RICH_TEXT_HINT,
    )
    head_name = StringField(_l("Head of the unit: full name"), validators=[max_length(120)])
    head_title = StringField(
        _l("Head's title (Vietnamese)"),
        validators=[max_length(120)],
        description=_l("For example: Trưởng phòng, Chánh Văn phòng."),
    )
    head_title_en = StringField(_l("Head's title (English)"), validators=[max_length(120)])
    phone = _phone_field(_l("Phone number"))
    email = _email_field(_l("E-mail address"))
    handles_cases = BooleanField(
        _l("Handles citizens' reflections, petitions, complaints and denunciations")
    )
    position = _position_field()
    published = BooleanField(_l("Published"), default=True)


class ReceptionOfficeForm(_TimesInOrder, BaseForm):
    place = StringField(
        _l("Place (Vietnamese)"),
        validators=[required(_l("Enter where citizens are received")), max_length(300)],
    )
    place_en = StringField(_l("Place (English)"), validators=[max_length(300)])
    morning_starts_at = _time_field(
        _l("Morning: from"), missing=_l("Enter when the morning reception starts")
    )
    morning_ends_at = _time_field(
        _l("Morning: until"), missing=_l("Enter when the morning reception ends")
    )
    afternoon_starts_at = _time_field(_l("Afternoon: from"))
    afternoon_ends_at = _time_field(_l("Afternoon: until"))
    note = TextAreaField(_l("Note (Vietnamese)"), validators=[max_length(2000)])
    note_en = TextAreaField(_l("Note (English)"), validators=[max_length(2000)])

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if not ok:
            return False
        ok = self._check_order(self.morning_starts_at, self.morning_ends_at)
        if bool(self.afternoon_starts_at.data) != bool(self.afternoon_ends_at.data):
            missing = (
                self.afternoon_ends_at
                if self.afternoon_starts_at.data
                else self.afternoon_starts_at
            )
            missing.errors.append(_l("Enter both afternoon times, or neither"))
            return False
        return self._check_order(self.afternoon_starts_at, self.afternoon_ends_at) and ok


class ReceptionRuleForm(_TimesInOrder, BaseForm):
    day_of_month = IntegerField(
        _l("Day of the month"),
        validators=[
            required(_l("Enter the day of the month")),
            NumberRange(min=1, max=31, message=_l("Enter a day from 1 to 31")),
        ],
        invalid_value_message=_l("Enter a day from 1 to 31"),
        description=_l("31 means the last day of shorter months."),
        render_kw={"class": "input--number"},
    )
    shift = SelectField(
        _l("When that day is not a working day"),
        choices=[
            SelectChoice(ShiftRule.NEXT_WORKING_DAY.value, _l("Move to the next working day")),
            SelectChoice(
                ShiftRule.PREVIOUS_WORKING_DAY.value, _l("Move to the previous working day")
            ),
        ],
    )
    host = StringField(
        _l("Who receives citizens (Vietnamese)"),
        validators=[required(_l("Enter who receives citizens")), max_length(200)],
        description=_l("For example: Giám đốc Sở."),
    )
    host_en = StringField(_l("Who receives citizens (English)"), validators=[max_length(200)])
    place = StringField(_l("Place"), validators=[required(_l("Enter the place")), max_length(300)])
    starts_at = _time_field(_l("From"), missing=_l("Enter the start time"))
    ends_at = _time_field(_l("Until"), missing=_l("Enter the end time"))
    valid_from = _date_field(_l("In force from"), missing=_l("Enter the date the rule starts"))
    valid_until = _date_field(
        _l("In force until"), description=_l("Leave empty if the rule has no end date.")
    )
    active = BooleanField(_l("In force"), default=True)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators) and self._check_order(self.starts_at, self.ends_at)
        if ok and self.valid_until.data and self.valid_until.data < self.valid_from.data:
            self.valid_until.errors.append(_l("The end date must not be before the start date"))
            return False
        return ok


class ReceptionSessionForm(_TimesInOrder, BaseForm):
    day = _date_field(_l("Date"), missing=_l("Enter the date"))
    starts_at = _time_field(_l("From"), missing=_l("Enter the start time"))
    ends_at = _time_field(_l("Until"), missing=_l("Enter the end time"))
    host = StringField(
        _l("Who receives citizens (Vietnamese)"),
        validators=[required(_l("Enter who receives citizens")), max_length(200)],
    )
    host_en = StringField(_l("Who receives citizens (English)"), validators=[max_length(200)])
    place = StringField(_l("Place"), validators=[required(_l("Enter the place")), max_length(300)])
    note = StringField(
        _l("Note"),
        validators=[max_length(300)],
        description=_l("Shown to the public, for example the reason for a change."),
    )
    replaces_rule_day = _date_field(
        _l("Replaces the regular session of"),
        description=_l(
            "Fill in to move or cancel a session the regular schedule gives on that date; "
            "leave empty for an extra session."
        ),
    )
    cancelled = BooleanField(_l("Cancelled"))

    def validate(self, extra_validators=None):
        return super().validate(extra_validators) and self._check_order(
            self.starts_at, self.ends_at
        )


class ReceptionDocumentForm(BaseForm):
    kind = SelectField(
        _l("Kind"), choices=[SelectChoice(k, label) for k, label in DOCUMENT_KINDS.items()]
    )
    title = StringField(
        _l("Title (Vietnamese)"),
        validators=[required(_l("Enter the title")), max_length(300)],
    )
    title_en = StringField(_l("Title (English)"), validators=[max_length(300)])
    summary = TextAreaField(
        _l("Summary"), validators=[max_length(5000)], description=RICH_TEXT_HINT
    )
    issued_on = _date_field(_l("Date issued"))
    position = _position_field()
    file = FileField(
        _l("File"),
        description=_l("PDF, Word, Excel, OpenDocument, PNG or JPEG, at most 10 MB."),
    )
    file_required = False

    def validate_file(self, field):
        if self.file_required and not (field.data and getattr(field.data, "filename", "")):
            raise ValidationError(_l("Choose the file to upload"))


class CalendarExceptionForm(BaseForm):
    day = _date_field(_l("Date"), missing=_l("Enter the date"))
    kind = SelectField(
        _l("What changes"),
        choices=[
            SelectChoice(DayKind.DAY_OFF.value, _l("Day off (no work on a normal working day)")),
            SelectChoice(
                DayKind.WORKING_DAY.value, _l("Make-up working day (work on a weekend day)")
            ),
        ],
    )
    note = StringField(
        _l("Reason"),
        validators=[max_length(200)],
        description=_l("For example: the announcement that set this day."),
    )


class DeleteForm(BaseForm):
    """A button-only form: the CSRF token is the point."""
