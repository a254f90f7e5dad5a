"""The public case form: one form for the four kinds, the rules of each kind in validate()."""

import secrets

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    MultipleFileField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Optional, ValidationError

from portal.cases.identity import Identity
from portal.cases.models import DESCRIPTION_MAX, PLACE_MAX, TITLE_MAX, Kind, Topic
from portal.cases.services import Submission
from portal.contacts.models import Unit
from portal.contacts.phones import InvalidPhone, normalise_phone
from portal.core.forms import HoneypotForm, max_length, required
from portal.extensions import db
from portal.procedures.models import Procedure

NAME_MAX = 200
ADDRESS_MAX = 500
PHONE_MAX = 30
EMAIL_MAX = 254
DECISION_MAX = 2000

TOPIC_LABELS = {
    Topic.PROCEDURE: _l("An administrative procedure"),
    Topic.HARASSMENT: _l("Harassment or corruption"),
    Topic.PUBLIC_FINANCE: _l("Public finance"),
    Topic.STAFF_CONDUCT: _l("The conduct of an official"),
    Topic.POLICY: _l("A policy"),
    Topic.OTHER: _l("Something else"),
}
KIND_HINTS = {
    Kind.REFLECTION: _l("Tell us about a problem you saw, e.g. a broken road or a long wait."),
    Kind.PETITION: _l("Suggest a change, e.g. longer opening hours or a simpler form."),
    Kind.COMPLAINT: _l(
        "Ask us to review a decision or act that affected your own rights, e.g. a refused permit."
    ),
    Kind.DENUNCIATION: _l(
        "Report a law broken by an official or body, e.g. a bribe asked for. "
        "Your identity is kept secret."
    ),
}
# Shown and stored with the case: it replaces the signature on a paper submission.
DECLARATION_TEXT = _l(
    "I declare that what I have written is true and that I am responsible for it before the law."
)
PROCESSING_NOTICE = _l(
    "Under the Law on Personal Data Protection (Law 91/2025/QH15) we use what you give here only "
    "to receive, handle and answer your case. The name, address and contact of a person who "
    "denounces, or who asks for confidentiality, are kept apart, encrypted and shown only to the "
    "officials handling the case. Case records are kept for the period set by the archives rules."
)


def procedure_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(
        db.select(Procedure.code, Procedure.name)
        .where(Procedure.published.is_(True))
        .order_by(Procedure.name)
    ).all()
    return [SelectChoice("", _l("None or I do not know"))] + [
        SelectChoice(code, f"{name} ({code})") for code, name in rows
    ]


def unit_choices() -> list[tuple[str, str]]:
    rows = db.session.execute(
        db.select(Unit.public_id, Unit.name)
        .where(Unit.published.is_(True))
        .order_by(Unit.position, Unit.name)
    ).all()
    return [SelectChoice("", _l("None or I do not know"))] + [
        SelectChoice(pid, name) for pid, name in rows
    ]


def procedure_id(code: str) -> int | None:
    if not code:
        return None
    return db.session.scalar(
        db.select(Procedure.id).where(Procedure.code == code, Procedure.published.is_(True))
    )


def unit_id(public_id: str) -> int | None:
    if not public_id:
        return None
    return db.session.scalar(
        db.select(Unit.id).where(Unit.public_id == public_id, Unit.published.is_(True))
    )


def new_submission_token() -> str:
    return secrets.token_urlsafe(24)


class CaseForm(HoneypotForm):
    """Everything a citizen may send; which fields are required depends on the kind."""

    class Meta:
        # A citizen may take an hour or more to write: this form's token lives long.
        @property
        def csrf_time_limit(self):
            return current_app.config["CASE_FORM_TOKEN_SECONDS"]

    kind = RadioField(
        _l("What do you want to do?"),
        choices=[SelectChoice(k.value, k.label) for k in Kind],
        validators=[InputRequired(message=_l("Choose what you want to do"))],
        validate_choice=False,
    )
    topic = SelectField(
        _l("Topic"),
        choices=[SelectChoice("", _l("Choose a topic"))]
        + [SelectChoice(t.value, label) for t, label in TOPIC_LABELS.items()],
        validators=[required(_l("Choose a topic"))],
    )
    procedure = SelectField(_l("The procedure concerned (optional)"), validate_choice=False)
    concerned_unit = SelectField(_l("The unit concerned (optional)"), validate_choice=False)
    place = StringField(
        _l("Where it happened (optional)"),
        validators=[Optional(), max_length(PLACE_MAX)],
        description=_l("A village, street or office, if it helps."),
    )
    title = StringField(
        _l("Subject"),
        validators=[required(_l("Enter the subject in a few words")), max_length(TITLE_MAX)],
    )
    description = TextAreaField(
        _l("What happened and what you ask for"),
        validators=[
            required(_l("Describe what happened and what you ask for")),
            max_length(DESCRIPTION_MAX),
        ],
        description=_l("At most %(max)d characters.", max=DESCRIPTION_MAX),
        render_kw={"rows": 10},
    )
    decision_concerned = TextAreaField(
        _l("The decision or act you complain about"),
        validators=[Optional(), max_length(DECISION_MAX)],
        description=_l("Its number and date if it is a written decision, or what was done."),
        render_kw={"rows": 3},
    )
    decision_known_on = DateField(
        _l("When you learnt of it"),
        validators=[Optional()],
        description=_l("A complaint is made within 90 days of learning of the decision."),
    )
    anonymous = BooleanField(
        _l("Send without my name"),
        description=_l(
            "Reflections and petitions may be anonymous, and so may a report of harassment or "
            "corruption: it is then checked as anonymous information and we cannot answer you."
        ),
    )
    confidential = BooleanField(_l("Keep my identity confidential"))
    name = StringField(
        _l("Full name"),
        validators=[Optional(), max_length(NAME_MAX)],
        render_kw={"autocomplete": "name"},
    )
    address = StringField(
        _l("Address"),
        validators=[Optional(), max_length(ADDRESS_MAX)],
        render_kw={"autocomplete": "street-address"},
    )
    phone = StringField(
        _l("Phone number"),
        validators=[Optional(), max_length(PHONE_MAX)],
        render_kw={"autocomplete": "tel", "type": "tel"},
    )
    email = EmailField(
        _l("E-mail address"),
        validators=[Optional(), max_length(EMAIL_MAX)],
        description=_l("We send the case number and your key there."),
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
    files = MultipleFileField(
        _l("Documents, photos or video (optional)"),
        description=_l(
            "Up to 5 files: PDF, JPEG, PNG, Word, Excel or MP4; 10 MB each and 25 MB in all. "
            "Location and camera details are removed from photos."
        ),
    )
    declaration = BooleanField(
        DECLARATION_TEXT,
        validators=[InputRequired(message=_l("Confirm the declaration to send"))],
    )
    publish_consent = BooleanField(
        _l("I agree that my question and its answer may be published, without my name")
    )
    submission_token = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure.choices = procedure_choices()
        self.concerned_unit.choices = unit_choices()
        if not self.submission_token.data:
            self.submission_token.data = new_submission_token()
        self.late_complaint = False

    def submission(self, *, declaration_text: str, **extra):
        """The validated form as services.submit_case takes it; `extra` sets the rest
        (uploads, channel, source)."""
        return Submission(
            kind=self.kind.data,
            topic=self.topic.data,
            title=self.title.data,
            description=self.description.data,
            submission_token=self.submission_token.data,
            declaration_text=declaration_text,
            place=self.place.data or "",
            procedure_id=procedure_id(self.procedure.data or ""),
            concerned_unit_id=unit_id(self.concerned_unit.data or ""),
            decision_concerned=self.decision_concerned.data or "",
            decision_known_on=self.decision_known_on.data,
            anonymous=bool(self.anonymous.data),
            confidential=bool(self.confidential.data),
            publish_consent=bool(self.publish_consent.data),
            identity=Identity(
                name=self.name.data or "",
                address=self.address.data or "",
                phone=self.phone.data or "",
                email=self.email.data or "",
            ),
            **extra,
        )

    def validate_kind(self, field):
        if field.data not in set(Kind):
            raise ValidationError(_l("Choose what you want to do"))

    def validate_phone(self, field):
        if field.data:
            try:
                field.data = normalise_phone(field.data)
            except InvalidPhone as error:
                raise ValidationError(str(error)) from None

    def validate_email(self, field):
        if field.data:
            try:
                field.data = validate_email(field.data, check_deliverability=False).normalized
            except EmailNotValidError:
                raise ValidationError(
                    _l("Enter an e-mail address in the correct format, like name@example.com")
                ) from None

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.kind.errors:
            return False
        kind = Kind(self.kind.data)
        anonymous_allowed = kind in (Kind.REFLECTION, Kind.PETITION) or (
            kind == Kind.DENUNCIATION and self.topic.data == Topic.HARASSMENT
        )
        if self.anonymous.data and not anonymous_allowed:
            self.anonymous.errors.append(
                _l("A complaint cannot be anonymous: enter your name, address and contact")
                if kind == Kind.COMPLAINT
                else _l(
                    "A denunciation needs your name. To report harassment or corruption without "
                    "your name, choose the topic Harassment or corruption"
                )
            )
            return False
        if self.anonymous.data:
            return valid
        needs_address = kind in (Kind.COMPLAINT, Kind.DENUNCIATION)
        if not self.name.data:
            self.name.errors.append(_l("Enter your full name"))
            valid = False
        if needs_address and not self.address.data:
            self.address.errors.append(_l("Enter your address"))
            valid = False
        if not self.phone.data and not self.email.data and not self.phone.errors:
            self.phone.errors.append(_l("Enter a phone number or an e-mail address"))
            valid = False
        if kind == Kind.COMPLAINT:
            if not self.decision_concerned.data:
                self.decision_concerned.errors.append(
                    _l("Enter the decision or act you complain about")
                )
                valid = False
            if not self.decision_known_on.data and not self.decision_known_on.errors:
                self.decision_known_on.errors.append(
                    _l("Enter the date you learnt of the decision, like 25/03/2026")
                )
                valid = False
        return valid
