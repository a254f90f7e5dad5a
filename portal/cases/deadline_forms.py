"""The staff deadline calculator's form: a GET form, it changes nothing (no CSRF token)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectChoice, SelectField
from wtforms.validators import ValidationError

from portal.cases.deadlines import Question, Reason, problems
from portal.cases.models import Kind
from portal.core.forms import BaseForm, required

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

COMPLEXITY_LABELS = {
    "0": _l("Normal"),
    "1": _l("Complex"),
    "2": _l("Especially complex (denunciations only)"),
}
EXTENSION_CHOICES = ("0", "1", "2")

# (option, reason) -> what to do about it, in the house grammar.
PROBLEM_MESSAGES = {
    ("remote", Reason.KIND): _l(
        "Untick remote area: only a complaint's period depends on it, or choose Complaint"
    ),
    ("remote", Reason.STAGE): _l(
        "Untick remote area, or choose the resolution deadline: it changes only that one"
    ),
    ("second", Reason.KIND): _l("Untick second complaint, or choose Complaint"),
    ("second", Reason.STAGE): _l(
        "Untick second complaint, or choose the resolution deadline: it changes only that one"
    ),
    ("complexity", Reason.KIND): _l(
        "Choose Normal: only complaints and denunciations have complexity levels"
    ),
    ("complexity", Reason.STAGE): _l(
        "Choose Normal, or choose the resolution deadline: complexity changes only that one"
    ),
    ("extensions", Reason.KIND): _l("Choose 0 extensions: only denunciations can be extended"),
    ("extensions", Reason.STAGE): _l(
        "Choose 0 extensions, or choose the resolution deadline: extensions change only that one"
    ),
    ("several_places", Reason.KIND): _l(
        "Untick several places: only denunciations have a longer period for it"
    ),
    ("several_places", Reason.STAGE): _l(
        "Untick several places, or choose the acceptance deadline: it changes only that one"
    ),
}
ESPECIALLY_COMPLEX_COMPLAINT = _l("Choose Complex: only denunciations can be especially complex")
NOT_COMPLEX_EXTENSION = _l(
    "Choose 0 extensions: a denunciation can be extended only if it is complex (once) or "
    "especially complex (twice)"
)
COMPLEX_EXTENSIONS = _l(
    "Choose at most 1 extension: a complex denunciation can be extended once, an especially "
    "complex one twice"
)


class DeadlineCalculatorForm(BaseForm):
    class Meta:
        csrf = False  # a GET form: it only computes a date

    kind = SelectField(
        _l("Kind of case"),
        choices=[SelectChoice("", _l("Choose the kind of case"))]
        + [SelectChoice(k.value, k.label) for k in Kind],
        validators=[required(_l("Choose the kind of case"))],
        validate_choice=False,
    )
    stage = SelectField(
        _l("Deadline"),
        choices=[
            SelectChoice("accept", _l("Acceptance, counted from receipt")),
            SelectChoice("resolve", _l("Resolution, counted from acceptance")),
        ],
        validators=[required(_l("Choose the deadline to work out"))],
        validate_choice=False,
    )
    day = DateField(
        _l("Date received or accepted"),
        format=DATE_FORMATS,
        validators=[required(_l("Enter the date the case was received or accepted"))],
        invalid_value_message=_l("Enter a real date, like 15/01/2027"),
        description=_l(
            "For the acceptance deadline, the day the case was received; for the resolution "
            "deadline, the day it was accepted."
        ),
    )
    complexity = SelectField(
        _l("Complexity"),
        choices=[SelectChoice(value, label) for value, label in COMPLEXITY_LABELS.items()],
        default="0",
        validate_choice=False,
    )
    remote = BooleanField(_l("Complaint from a remote area"))
    second = BooleanField(_l("Second complaint"))
    extensions = SelectField(
        _l("Extensions granted"),
        choices=[SelectChoice(value, value) for value in EXTENSION_CHOICES],
        default="0",
        validate_choice=False,
        description=_l("Denunciations: one if complex, two if especially complex."),
    )
    several_places = BooleanField(
        _l("Verification needs several places (denunciation)"),
    )

    def validate_kind(self, field):
        if field.data not in {k.value for k in Kind}:
            raise ValidationError(_l("Choose the kind of case"))

    def validate_stage(self, field):
        if field.data not in {"accept", "resolve"}:
            raise ValidationError(_l("Choose the deadline to work out"))

    def validate_complexity(self, field):
        if field.data not in COMPLEXITY_LABELS:
            raise ValidationError(_l("Choose the complexity from the list"))

    def validate_extensions(self, field):
        if field.data not in EXTENSION_CHOICES:
            raise ValidationError(_l("Choose the number of extensions from the list"))

    question: Question | None = None

    def validate(self, extra_validators=None) -> bool:
        """Check each field, then the options against the kind and stage (deadlines.problems)."""
        self.question = None
        if not super().validate(extra_validators):
            return False
        question = Question(
            kind=self.kind.data,
            stage=self.stage.data,
            day=self.day.data,
            remote=self.remote.data,
            complexity=int(self.complexity.data),
            second=self.second.data,
            extensions=int(self.extensions.data),
            several_places=self.several_places.data,
        )
        found = problems(question)
        for option, reason in found.items():
            getattr(self, option).errors.append(_message(option, reason, question))
        if found:
            return False
        self.question = question
        return True


def _message(option: str, reason: Reason, question: Question):
    if reason == Reason.LIMIT:
        return NOT_COMPLEX_EXTENSION if question.complexity == 0 else COMPLEX_EXTENSIONS
    if option == "complexity" and reason == Reason.KIND and question.kind == "complaint":
        return ESPECIALLY_COMPLEX_COMPLAINT
    return PROBLEM_MESSAGES[(option, reason)]
