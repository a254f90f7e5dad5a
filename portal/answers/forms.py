"""Forms of published answers. Each carries the version it was drawn from."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField, TextAreaField

from portal.answers.models import ANSWER_MAX, QUESTION_MAX, TITLE_MAX
from portal.core.forms import BaseForm, max_length, required


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class _VersionedForm(BaseForm):
    version = HiddenField()

    @property
    def drawn_version(self) -> int | None:
        return _int(self.version.data)


class AnswerForm(_VersionedForm):
    title = StringField(
        _l("Title of the question"),
        description=_l("A short title others with the same question would search for."),
        validators=[required(_l("Enter a short title for the question")), max_length(TITLE_MAX)],
    )
    question = TextAreaField(
        _l("Question, with personal data removed"),
        description=_l(
            "Rewrite the citizen's question in general terms. Remove names, addresses, "
            "contact details, ID numbers, dates and places that could identify anyone."
        ),
        validators=[required(_l("Enter the question")), max_length(QUESTION_MAX)],
        render_kw={"rows": 8},
    )
    answer = TextAreaField(
        _l("Answer, with personal data removed"),
        description=_l("The agency's answer as anyone with the same question should read it."),
        validators=[required(_l("Enter the answer")), max_length(ANSWER_MAX)],
        render_kw={"rows": 14},
    )


class PublishForm(_VersionedForm):
    checked = BooleanField(
        _l("I have read the question and the answer: they identify nobody."),
        validators=[required(_l("Confirm that the text identifies nobody"))],
    )


class WithdrawForm(_VersionedForm):
    pass
