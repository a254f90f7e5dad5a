"""Forms of responses, response templates and printed documents.

Several of these share one page (the response page has the edit, approve, send-back and
publish forms), so each form gives its fields ids with its own prefix while the field names
stay plain. Each carries the versions it was drawn from (optimistic locking).
"""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    MultipleFileField,
    SelectChoice,
    SelectField,
    TextAreaField,
)
from wtforms.validators import Optional

from portal.cases import response_templates, responses
from portal.core.forms import BaseForm, max_length, required

REASON_MAX = 2_000


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class _PrefixedForm(BaseForm):
    id_prefix = "response"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self:
            field.id = f"{self.id_prefix}-{field.name}"
            field.label.field_id = field.id


class _VersionedForm(_PrefixedForm):
    version = HiddenField()
    case_version = HiddenField()

    @property
    def drawn_version(self) -> int | None:
        return _int(self.version.data)

    @property
    def drawn_case_version(self) -> int | None:
        return _int(self.case_version.data)

    def redraw(self, response) -> None:
        """After a conflict: the versions now saved, so a second save is a deliberate one."""
        self.version.data = str(response.version) if response is not None else ""
        self.case_version.data = str(response.case.version) if response is not None else ""


def _outcome_choices(kind: str) -> list[SelectChoice]:
    return [
        SelectChoice(str(o), response_templates.outcome_label(o))
        for o in response_templates.outcomes_for(kind)
    ]


class OutcomeForm(_PrefixedForm):
    """GET form: choose the outcome, and the body starts from its template."""

    id_prefix = "template"

    class Meta:
        csrf = False  # a GET that changes nothing

    outcome = SelectField(_l("Template to start from"), validators=[Optional()])

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcome.choices = _outcome_choices(kind)


class ResponseForm(_VersionedForm):
    id_prefix = "response"
    outcome = SelectField(
        _l("Outcome"), validators=[required(_l("Choose the outcome of the response"))]
    )
    body = TextAreaField(
        _l("Text of the response"),
        description=_l("Plain text. The citizen reads it on the case page once it is published."),
        validators=[
            required(_l("Enter the text of the response")),
            max_length(responses.BODY_MAX),
        ],
        render_kw={"rows": 18},
    )
    files = MultipleFileField(
        _l("Documents (optional)"),
        description=_l(
            "The signed response or decision: PDF or Word (DOCX), up to 5 files, 10 MB each."
        ),
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.outcome.choices = _outcome_choices(kind)


class ApproveForm(_VersionedForm):
    id_prefix = "approve"


class ReturnForm(_VersionedForm):
    id_prefix = "return"
    note = TextAreaField(
        _l("What needs more work"),
        description=_l("Internal: the citizen never sees it."),
        validators=[required(_l("Enter what needs more work")), max_length(responses.NOTE_MAX)],
        render_kw={"rows": 3},
    )


class PublishForm(_VersionedForm):
    id_prefix = "publish"
    publish_decision = BooleanField(_l("Also publish the decision on the portal"))
    decision_text = TextAreaField(
        _l("Text of the decision to publish, with personal data removed"),
        description=_l(
            "Required when the decision is published. Remove the names, addresses, contact "
            "details and ID numbers of the complainant and of anyone else. It stays public on "
            "the portal for at least 15 consecutive days."
        ),
        validators=[Optional(), max_length(responses.BODY_MAX)],
        render_kw={"rows": 10},
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.publish_decision.data and not (self.decision_text.data or "").strip():
            self.decision_text.errors = [
                *self.decision_text.errors,
                _l("Enter the text of the decision with personal data removed"),
            ]
            return False
        return ok


class RemoveDocumentForm(_VersionedForm):
    id_prefix = "remove"


class TemplateForm(BaseForm):
    body = TextAreaField(
        _l("Template text"),
        validators=[required(_l("Enter the template text")), max_length(responses.BODY_MAX)],
        render_kw={"rows": 18},
    )


class ResetTemplateForm(BaseForm):
    pass


class RevealForm(BaseForm):
    reason = TextAreaField(
        _l("Why the document needs the name and address"),
        description=_l("Recorded in the audit log with your name."),
        validators=[
            required(_l("Enter why the document needs the name and address")),
            max_length(REASON_MAX),
        ],
        render_kw={"rows": 2},
    )
