"""Forms for following a case: look-up, lost key, messages, withdrawal, rating."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    EmailField,
    MultipleFileField,
    RadioField,
    SelectChoice,
    StringField,
    TextAreaField,
)
from wtforms.validators import Email, Optional

from portal.core.forms import BaseForm, HoneypotForm, max_length, required

NUMBER_MAX = 30
KEY_MAX = 40
MESSAGE_MAX = 10_000
REASON_MAX = 2_000
COMMENT_MAX = 2_000


def _number_field():
    return StringField(
        _l("Case number"),
        description=_l("As on your receipt, for example PA-2026-000123."),
        validators=[required(_l("Enter the case number")), max_length(NUMBER_MAX)],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    )


class LookupForm(HoneypotForm):
    number = _number_field()
    key = StringField(
        _l("Access key"),
        description=_l("The secret key on your receipt, for example 7KQ4-M2XD-9PWA-H3TC-5."),
        validators=[required(_l("Enter the access key")), max_length(KEY_MAX)],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    )


class LostKeyForm(HoneypotForm):
    number = _number_field()
    email = EmailField(
        _l("E-mail address you gave with the case"),
        validators=[
            required(_l("Enter your e-mail address")),
            Email(
                message=_l("Enter an e-mail address in the correct format, like name@example.com"),
                check_deliverability=False,
            ),
            max_length(254),
        ],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )


class MessageForm(BaseForm):
    body = TextAreaField(
        _l("Information to add or your answer"),
        validators=[required(_l("Enter the information you want to add")), max_length(MESSAGE_MAX)],
        render_kw={"rows": 6},
    )
    files = MultipleFileField(
        _l("Files (optional)"),
        description=_l(
            "Up to 5 files: PDF, JPEG, PNG, Word (DOCX), Excel (XLSX) or MP4, 10 MB each, 25 MB in all."
        ),
    )


class WithdrawForm(BaseForm):
    reason = TextAreaField(
        _l("Why do you withdraw the case?"),
        validators=[required(_l("Enter the reason for withdrawing")), max_length(REASON_MAX)],
        render_kw={"rows": 3},
    )


class RatingForm(BaseForm):
    rating = RadioField(
        _l("How well was your case handled? (1 = very badly, 5 = very well)"),
        choices=[SelectChoice(str(n), str(n)) for n in range(1, 6)],
        validators=[required(_l("Choose a rating from 1 to 5"))],
    )
    solved = RadioField(
        _l("Was the problem solved?"),
        choices=[SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))],
        validators=[required(_l("Say whether the problem was solved"))],
    )
    comment = TextAreaField(
        _l("Comment (optional)"),
        validators=[Optional(), max_length(COMMENT_MAX)],
        render_kw={"rows": 3},
    )
