"""Staff forms of the intake: a case that arrived by hotline, post, e-mail or at reception, and
a line of the reception logbook.

The case form is the public form (forms.CaseForm): the same fields, limits, choices and rules
of each kind. It adds the channel, the date received, the logbook entry, an ID number and the
scanned letter; drops what only a citizen on the web does (declaration, consent, honeypot);
and speaks of the citizen rather than to them.
"""

from datetime import UTC, date, datetime, timedelta

from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.core import UnboundField
from wtforms.validators import NumberRange, Optional, ValidationError

from portal.cases import reception_log, services
from portal.cases.forms import NAME_MAX, CaseForm, procedure_id, unit_id
from portal.cases.identity import Identity
from portal.cases.models import DESCRIPTION_MAX, Channel
from portal.contacts.forms import DATE_FORMATS
from portal.core.filters import date_filter
from portal.core.forms import BaseForm, max_length, required
from portal.core.uploads import upload_name
from portal.core.workdays import local_date

ID_NUMBER_DIGITS = 12  # căn cước công dân
# A date received further back than this is almost certainly a typing error.
RECEIVED_MAX_AGE_DAYS = 366
PEOPLE_MAX = 1000
SUBJECT_MAX = 5000
OUTCOME_MAX = 5000
VISITORS_MAX = 5000


def today() -> date:
    return local_date(datetime.now(UTC))


def _again(unbound: UnboundField, label=None, **overrides) -> UnboundField:
    """The public form's field, declared anew so it takes its place in this form's order,
    with staff wording where given."""
    args, kwargs = unbound.args, {**unbound.kwargs, **overrides}
    if label is not None:
        if "label" in kwargs:
            kwargs["label"] = label
        else:
            args = (label, *args[1:])
    return UnboundField(unbound.field_class, *args, **kwargs)


# The public form's messages, addressed to the citizen, as staff read them.
STAFF_WORDING = {
    _l("Choose what you want to do"): _l("Choose the kind of case"),
    _l("A complaint cannot be anonymous: enter your name, address and contact"): _l(
        "A complaint cannot be anonymous: enter the complainant's name and address"
    ),
    _l(
        "A denunciation needs your name. To report harassment or corruption without "
        "your name, choose the topic Harassment or corruption"
    ): _l(
        "A denunciation needs the denouncer's name. A report of harassment or corruption "
        "without a name is recorded with the topic Harassment or corruption"
    ),
    _l("Enter your full name"): _l("Enter the citizen's full name"),
    _l("Enter your address"): _l("Enter the citizen's address"),
    _l("Describe what happened and what you ask for"): _l(
        "Enter what the citizen reports and asks for"
    ),
    _l("Enter the decision or act you complain about"): _l(
        "Enter the decision or act complained about"
    ),
    _l("Enter the date you learnt of the decision, like 25/03/2026"): _l(
        "Enter the date the complainant learnt of the decision, like 25/03/2026"
    ),
}
# On the web a phone or an e-mail is required; a letter by post gives an address instead.
WEB_CONTACT_MISSING = _l("Enter a phone number or an e-mail address")
CONTACT_MISSING = _l("Enter an address, a phone number or an e-mail address")


def _reception_label(entry) -> str:
    return f"{date_filter(entry.received_on)} – {entry.received_by} – " + reception_log.summary(
        entry.subject, 60
    )


class RecordCaseForm(CaseForm):
    """A case recorded by staff from a letter, a call, an e-mail or a visit."""

    # Only a citizen on the web needs these.
    website = None
    declaration = None
    publish_consent = None

    channel = RadioField(
        _l("How the case arrived"),
        choices=[SelectChoice(c.value, c.label) for c in services.STAFF_CHANNELS],
        validators=[required(_l("Choose how the case arrived"))],
        validate_choice=False,
    )
    received_on = DateField(
        _l("Date received"),
        format=DATE_FORMATS,
        default=today,
        validators=[required(_l("Enter the date it was received, like 25/03/2026"))],
        invalid_value_message=_l("Enter a real date, like 25/03/2026"),
        description=_l(
            "The day the letter, call, e-mail or visit reached the agency: the deadlines count "
            "from it. A letter received last week keeps its real date."
        ),
    )
    reception = SelectField(_l("Reception logbook entry (optional)"), validate_choice=False)
    kind = _again(CaseForm.kind, _l("Kind of case"))
    topic = _again(CaseForm.topic)
    procedure = _again(CaseForm.procedure)
    concerned_unit = _again(CaseForm.concerned_unit)
    place = _again(CaseForm.place)
    title = _again(CaseForm.title)
    description = _again(
        CaseForm.description,
        _l("What the citizen reports and asks for"),
        description=_l(
            "Copy or summarise the letter, the call or what was said. At most %(max)d characters.",
            max=DESCRIPTION_MAX,
        ),
    )
    decision_concerned = _again(
        CaseForm.decision_concerned, _l("The decision or act complained about")
    )
    decision_known_on = _again(CaseForm.decision_known_on, _l("When the complainant learnt of it"))
    anonymous = _again(
        CaseForm.anonymous,
        _l("No name given (anonymous)"),
        description=_l(
            "Reflections and petitions may be anonymous, and so may a report of harassment or "
            "corruption: it is then checked as anonymous information."
        ),
    )
    confidential = _again(
        CaseForm.confidential,
        _l("Keep the identity confidential"),
        description=_l("Always so for a denunciation."),
    )
    name = _again(CaseForm.name, render_kw={"autocomplete": "off"})
    address = _again(CaseForm.address, render_kw={"autocomplete": "off"})
    phone = _again(CaseForm.phone, render_kw={"autocomplete": "off", "type": "tel"})
    email = _again(
        CaseForm.email,
        description=_l("The case number and the key are sent there."),
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    id_number = StringField(
        _l("Citizen ID number (optional)"),
        validators=[Optional(), max_length(20)],
        description=_l("Only where the law needs it: 12 digits."),
        render_kw={"autocomplete": "off", "inputmode": "numeric"},
    )
    letter = FileField(
        _l("Scanned letter"),
        description=_l(
            "Required for a letter received by post: a PDF, JPEG or PNG scan. Files are checked "
            "by their content."
        ),
    )
    files = _again(
        CaseForm.files,
        _l("Other documents (optional)"),
        description=_l(
            "Up to 5 files with the scanned letter: PDF, JPEG, PNG, Word, Excel or MP4; 10 MB "
            "each and 25 MB in all."
        ),
    )
    submission_token = _again(CaseForm.submission_token)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.entry = None
        preselected = request.args.get("reception", "") if request.method == "GET" else ""
        current = self.reception.data or preselected
        self.reception.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(e.public_id, _reception_label(e))
            for e in reception_log.recent_entries(today(), include=current or None)
        ]
        if preselected and not self.is_submitted():
            self._from_visit(preselected)

    def _from_visit(self, public_id: str) -> None:
        """Start from a logbook entry: channel reception, the visit's date."""
        entry = reception_log.entry_by_public_id(public_id)
        if entry is None:
            return
        self.reception.data = entry.public_id
        self.channel.data = Channel.RECEPTION
        self.received_on.data = entry.received_on

    def validate_id_number(self, field):
        digits = "".join(field.data.split())
        if not (digits.isdigit() and len(digits) == ID_NUMBER_DIGITS):
            raise ValidationError(_l("Enter the 12-digit citizen ID number, like 020123456789"))
        field.data = digits

    def validate_received_on(self, field):
        if field.data is None:  # not a date: the field already says so
            return
        if field.data > today():
            raise ValidationError(_l("The date received cannot be in the future"))
        if field.data < today() - timedelta(days=RECEIVED_MAX_AGE_DAYS):
            raise ValidationError(_l("Enter a date received within the last year"))

    def validate_channel(self, field):
        if field.data not in set(services.STAFF_CHANNELS):
            raise ValidationError(_l("Choose how the case arrived"))

    def validate(self, extra_validators=None):
        super().validate(extra_validators)
        self._contact_may_be_the_address()
        self._check_letter()
        self._check_visit()
        self._speak_of_the_citizen()
        return not self.errors

    def _contact_may_be_the_address(self) -> None:
        missing = str(WEB_CONTACT_MISSING)
        if not any(str(e) == missing for e in self.phone.errors):
            return
        self.phone.errors = [e for e in self.phone.errors if str(e) != missing]
        if not self.address.data:
            self.phone.errors.append(CONTACT_MISSING)

    def _check_letter(self) -> None:
        if self.channel.data == Channel.POST and not self._letter_given():
            self.letter.errors = [*self.letter.errors, _l("Attach the scanned letter")]

    def _letter_given(self) -> bool:
        return bool(self.letter.data and getattr(self.letter.data, "filename", ""))

    def _check_visit(self) -> None:
        if not self.reception.data:
            return
        self.entry = reception_log.entry_by_public_id(self.reception.data)
        if self.entry is None:
            self.reception.errors = [_l("Choose an entry of the reception logbook, or None")]
            return
        if self.channel.data and self.channel.data != Channel.RECEPTION and not self.channel.errors:
            self.channel.errors = [
                _l("A case from a reception logbook entry arrives by citizen reception")
            ]
        if self.received_on.data and self.received_on.data != self.entry.received_on:
            self.received_on.errors = [
                *self.received_on.errors,
                _l(
                    "The visit was on %(day)s: enter that date",
                    day=date_filter(self.entry.received_on),
                ),
            ]

    def _speak_of_the_citizen(self) -> None:
        wording = {str(citizen): staff for citizen, staff in STAFF_WORDING.items()}
        for field in self:
            if field.errors:
                field.errors = [wording.get(str(e), e) for e in field.errors]

    def submission(self) -> services.Submission:
        """The validated form as the service takes it, files read once."""
        return services.Submission(
            kind=self.kind.data,
            topic=self.topic.data,
            title=self.title.data,
            description=self.description.data,
            submission_token=self.submission_token.data,
            declaration_text="",
            place=self.place.data or "",
            procedure_id=procedure_id(self.procedure.data or ""),
            concerned_unit_id=unit_id(self.concerned_unit.data or ""),
            decision_concerned=self.decision_concerned.data or "",
            decision_known_on=self.decision_known_on.data,
            anonymous=bool(self.anonymous.data),
            confidential=bool(self.confidential.data),
            identity=Identity(
                name=self.name.data or "",
                address=self.address.data or "",
                phone=self.phone.data or "",
                email=self.email.data or "",
                id_number=self.id_number.data or "",
            ),
            channel=self.channel.data,
            received_on=self.received_on.data,
            letter=_upload(self.letter.data) if self._letter_given() else None,
            uploads=[_upload(f) for f in self.files.data or [] if f and f.filename],
            reception_entry_id=self.entry.id if self.entry is not None else None,
        )


def _upload(file_storage) -> services.Upload:
    limit = current_app.config["CASE_MAX_FILE_BYTES"]
    return services.Upload(name=upload_name(file_storage), data=file_storage.read(limit + 1))


class ReceptionEntryForm(BaseForm):
    """One visit to the citizen reception, for the logbook."""

    received_on = DateField(
        _l("Date of the visit"),
        format=DATE_FORMATS,
        default=today,
        validators=[required(_l("Enter the date of the visit, like 25/03/2026"))],
        invalid_value_message=_l("Enter a real date, like 25/03/2026"),
    )
    reception_session = SelectField(
        _l("Reception session (optional)"),
        validate_choice=False,
        description=_l("If the visit was at a scheduled session, choose it."),
    )
    received_by = StringField(
        _l("Who received"),
        validators=[required(_l("Enter who received the visitors")), max_length(NAME_MAX)],
        description=_l("Name and title of the official who received them."),
    )
    visitors = TextAreaField(
        _l("Who came"),
        validators=[required(_l("Enter who came")), max_length(VISITORS_MAX)],
        description=_l(
            "Names, and addresses if given. Kept encrypted and shown only on this entry's page "
            "to staff who handle cases."
        ),
        render_kw={"rows": 3, "autocomplete": "off"},
    )
    people_count = IntegerField(
        _l("Number of people"),
        default=1,
        validators=[
            required(_l("Enter the number of people")),
            NumberRange(
                min=1,
                max=PEOPLE_MAX,
                message=_l("Enter a number from 1 to %(max)d", max=PEOPLE_MAX),
            ),
        ],
        invalid_value_message=_l("Enter a whole number, like 3"),
        description=_l(
            "%(num)d or more people about the same matter is a group visit (đông người): the "
            "rules for group visits apply.",
            num=reception_log.MANY_PEOPLE,
        ),
        render_kw={"class": "input--number", "inputmode": "numeric"},
    )
    subject = TextAreaField(
        _l("What was asked"),
        validators=[required(_l("Enter what was asked")), max_length(SUBJECT_MAX)],
        # The logbook list shows a summary of this: the names belong in "Who came" only.
        description=_l("Shown in the logbook list: write the visitors' names only in Who came."),
        render_kw={"rows": 5},
    )
    outcome = TextAreaField(
        _l("Outcome and guidance given (optional)"),
        validators=[Optional(), max_length(OUTCOME_MAX)],
        render_kw={"rows": 4},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = None
        self.reception_session.choices = [SelectChoice("", _l("None"))] + [
            SelectChoice(s.public_id, f"{date_filter(s.day)} {s.starts_at:%H:%M} – {s.host}")
            for s in reception_log.recent_sessions(today())
        ]

    def validate_received_on(self, field):
        if field.data is not None and field.data > today():
            raise ValidationError(_l("The date of the visit cannot be in the future"))

    def validate_reception_session(self, field):
        if not field.data:
            return
        self.session = reception_log.session_by_public_id(field.data)
        if self.session is None:
            raise ValidationError(_l("Choose a reception session from the list, or None"))
        visit = self.received_on.data
        if visit and self.session.day != visit:
            raise ValidationError(
                _l(
                    "That session was on %(day)s: choose the session of the visit's date, or None",
                    day=date_filter(self.session.day),
                )
            )

    def entry_data(self) -> reception_log.EntryData:
        return reception_log.EntryData(
            received_on=self.received_on.data,
            received_by=self.received_by.data,
            visitors=self.visitors.data,
            people_count=self.people_count.data,
            subject=self.subject.data,
            outcome=self.outcome.data or "",
            reception_session_id=self.session.id if self.session is not None else None,
        )
