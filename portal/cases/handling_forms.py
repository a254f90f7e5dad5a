"""Forms of the staff case page: one per action, each carrying the case version it was drawn
from (optimistic locking) and its own id prefix, so a dozen forms share one page without
duplicate ids while their field names stay plain (`note`, `version`, …)."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional, ValidationError

from portal.cases.models import PLACE_MAX, Complexity, Kind
from portal.core.forms import BaseForm, max_length, required

NOTE_MAX = 10_000
QUESTION_MAX = 10_000
NUMBER_MAX = 30
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
YES_NO = [SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]

# Why a case is not accepted, by code (Thông tư 05/2021; Luật Khiếu nại 2011 art. 11; Luật Tố
# cáo 2018 art. 27). The code is stored on the case; the label goes to the citizen's notice.
REFUSAL_REASONS = {
    "not-within-time-limit": _l(
        "The time limit has passed with no lawful excuse (Luật Khiếu nại, art. 11)"
    ),
    "not-competent": _l("Not within the competence of the agency"),
    "anonymous": _l("The sender cannot be identified: no name, or a false name or address"),
    "already-resolved": _l(
        "Already resolved with a final decision or conclusion, and nothing new is raised"
    ),
    "not-enough-information": _l(
        "The content is not clear or concrete enough to verify (Luật Tố cáo, art. 27)"
    ),
    "not-affecting-rights": _l(
        "The decision or act does not concern the complainant's own rights (art. 11)"
    ),
    "before-court": _l("A court has accepted or decided the same matter"),
    "other": _l("Another reason, explained in the note"),
}

COMPLEXITY_LABELS = {
    Complexity.NORMAL: _l("Normal"),
    Complexity.COMPLEX: _l("Complex"),
    Complexity.ESPECIALLY_COMPLEX: _l("Especially complex"),
}

REOPEN_GROUNDS = {
    "second-complaint": _l("A second complaint about the same decision"),
    "new-evidence": _l("New evidence or new facts"),
}


def filled(message):
    """Required, and not only spaces: the house filters strip what InputRequired let through."""
    return [required(message), DataRequired(message=message)]


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


class ActionForm(BaseForm):
    """A form drawn for one case at one version; its ids start with `id_prefix`."""

    id_prefix = "action"
    version = HiddenField()

    def __init__(self, *args, id_prefix: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        prefix = id_prefix or self.id_prefix
        for field in self:
            field.id = f"{prefix}-{field.name}"
            field.label.field_id = field.id

    @classmethod
    def drawn(cls, case, **data):
        """A blank form for the case as it is now."""
        return cls(formdata=None, version=str(case.version), **data)

    @property
    def drawn_version(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class ClassifyForm(ActionForm):
    id_prefix = "classify"
    kind = SelectField(
        _l("Kind of case"),
        choices=[SelectChoice(k.value, k.label) for k in Kind],
        description=_l("Correct it if the content is of another kind: the deadlines follow."),
        validators=[required(_l("Choose the kind of case"))],
    )
    processable = RadioField(
        _l("Can the case be processed?"),
        choices=YES_NO,
        validators=[required(_l("Choose whether the case can be processed"))],
    )
    within_competence = RadioField(
        _l("Is it within the agency's competence?"),
        choices=YES_NO,
        validators=[required(_l("Choose whether the case is within the agency's competence"))],
    )
    many_people = BooleanField(_l("Sent by many people together"))
    resolving_authority = StringField(
        _l("Authority competent to resolve it (optional)"),
        validators=[Optional(), max_length(PLACE_MAX)],
    )
    remote_area = BooleanField(_l("The matter is in a remote or hard-to-reach area"))
    several_places = BooleanField(
        _l("Denunciations: verification needs several places (10 working days to accept)")
    )
    second_time = BooleanField(_l("Complaints: this is a second complaint"))
    note = TextAreaField(
        _l("Internal note (optional)"),
        validators=[Optional(), max_length(NOTE_MAX)],
        render_kw={"rows": 3},
    )

    @classmethod
    def drawn(cls, case, **data):
        return super().drawn(
            case,
            kind=case.kind,
            processable=_yes_no(case.processable),
            within_competence=_yes_no(case.within_competence),
            many_people=case.many_people,
            resolving_authority=case.resolving_authority,
            remote_area=case.remote_area,
            several_places=case.several_places,
            second_time=case.second_time,
            **data,
        )


class AcceptForm(ActionForm):
    id_prefix = "accept"


class NotAcceptForm(ActionForm):
    id_prefix = "not-accept"
    reason = RadioField(
        _l("Legal reason for not accepting"),
        choices=[SelectChoice(code, label) for code, label in REFUSAL_REASONS.items()],
        validators=[required(_l("Choose the reason for not accepting the case"))],
    )
    note = TextAreaField(
        _l("Explanation for the citizen"),
        description=_l("Required for another reason. It is sent to the citizen with the notice."),
        validators=[Optional(), max_length(NOTE_MAX)],
        render_kw={"rows": 3},
    )

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        if self.reason.data == "other" and not self.note.data:
            # Checked here: the note's own validators stop at Optional() when it is empty.
            self.note.errors.append(_l("Enter the reason for not accepting the case"))
            return False
        return valid


class TransferForm(ActionForm):
    id_prefix = "transfer"
    transferred_to = StringField(
        _l("Body the case is transferred to"),
        validators=[
            *filled(_l("Enter the body the case is transferred to")),
            max_length(PLACE_MAX),
        ],
    )
    note = TextAreaField(
        _l("Note for the citizen (optional)"),
        validators=[Optional(), max_length(NOTE_MAX)],
        render_kw={"rows": 3},
    )


class MergeForm(ActionForm):
    id_prefix = "merge"
    target = StringField(
        _l("Number of the case to merge this one into"),
        description=_l("For example KH-2026-000123. This case becomes a duplicate of it."),
        validators=[
            *filled(_l("Enter the number of the case to merge into")),
            max_length(NUMBER_MAX),
        ],
        render_kw={"autocomplete": "off", "spellcheck": "false"},
    )
    note = TextAreaField(
        _l("Internal note (optional)"),
        validators=[Optional(), max_length(NOTE_MAX)],
        render_kw={"rows": 2},
    )


class AssignForm(ActionForm):
    id_prefix = "assign"
    assignee = SelectField(
        _l("Handler"),
        validators=[required(_l("Choose the handler"))],
        validate_choice=False,
    )


class ComplexityForm(ActionForm):
    id_prefix = "complexity"
    complexity = RadioField(
        _l("Complexity"),
        choices=[SelectChoice(str(int(c)), label) for c, label in COMPLEXITY_LABELS.items()],
        validators=[required(_l("Choose the complexity"))],
    )

    @classmethod
    def drawn(cls, case, **data):
        return super().drawn(case, complexity=str(case.complexity), **data)


class ExtensionForm(ActionForm):
    id_prefix = "extend"
    reason = TextAreaField(
        _l("Reason for the extension"),
        description=_l("It is sent to the citizen with the new deadline."),
        validators=[*filled(_l("Enter the reason for the extension")), max_length(NOTE_MAX)],
        render_kw={"rows": 3},
    )
    decided_on = DateField(
        _l("Date of the decision to extend"),
        format=DATE_FORMATS,
        validators=[required(_l("Enter the date of the decision to extend"))],
        invalid_value_message=_l("Enter a real date, like 15/01/2027"),
    )


class VerifyForm(ActionForm):
    id_prefix = "verify"


class NoteForm(ActionForm):
    id_prefix = "note"
    note = TextAreaField(
        _l("Internal note"),
        description=_l("Seen by staff only, never by the citizen."),
        validators=[*filled(_l("Enter the note")), max_length(NOTE_MAX)],
        render_kw={"rows": 4},
    )


class MessageForm(ActionForm):
    id_prefix = "message"
    body = TextAreaField(
        _l("Message to the citizen"),
        description=_l("The citizen reads it on the case page and is told by e-mail."),
        validators=[*filled(_l("Enter the message")), max_length(NOTE_MAX)],
        render_kw={"rows": 4},
    )


class ConsultForm(ActionForm):
    id_prefix = "consult"
    unit = SelectField(
        _l("Unit asked for input"),
        validators=[required(_l("Choose the unit to ask"))],
        validate_choice=False,
    )
    question = TextAreaField(
        _l("What you ask"),
        validators=[*filled(_l("Enter what you ask the unit")), max_length(QUESTION_MAX)],
        render_kw={"rows": 4},
    )
    due_on = DateField(
        _l("Answer needed by"),
        format=DATE_FORMATS,
        validators=[required(_l("Enter the date the answer is needed by"))],
        invalid_value_message=_l("Enter a real date, like 15/01/2027"),
    )


class AnswerForm(ActionForm):
    id_prefix = "answer"
    answer = TextAreaField(
        _l("Your unit's answer"),
        validators=[*filled(_l("Enter the answer")), max_length(QUESTION_MAX)],
        render_kw={"rows": 4},
    )


class CloseForm(ActionForm):
    id_prefix = "close"
    note = TextAreaField(
        _l("Internal note (optional)"),
        validators=[Optional(), max_length(NOTE_MAX)],
        render_kw={"rows": 2},
    )


class ReopenForm(ActionForm):
    id_prefix = "reopen"
    ground = RadioField(
        _l("Why the case is reopened"),
        choices=[SelectChoice(code, label) for code, label in REOPEN_GROUNDS.items()],
        validators=[required(_l("Choose why the case is reopened"))],
    )
    note = TextAreaField(
        _l("Internal note"),
        validators=[*filled(_l("Enter what is new")), max_length(NOTE_MAX)],
        render_kw={"rows": 3},
    )


class BulkAssignForm(BaseForm):
    """Sent from the inbox: the ticked case numbers and the handler to give them to."""

    numbers = SelectMultipleField(_l("Cases"), validate_choice=False)
    assignee = StringField(_l("Handler"), validators=[required(_l("Choose the handler"))])
    next = HiddenField()

    def validate_numbers(self, field):
        if not [n for n in field.data or () if n.strip()]:
            raise ValidationError(_l("Choose at least one case"))

    @property
    def assignee_id(self) -> int | None:
        try:
            return int(self.assignee.data)
        except (TypeError, ValueError):
            return None
