"""The house base form: trimmed, NFC-normalised input and one grammar of messages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length, StopValidation, ValidationError

from portal.core.text import nfc


def _clean(value):
    if isinstance(value, str):
        return nfc(value.strip())
    return value


class BaseForm(FlaskForm):
    """Every form in the portal derives from this."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            # Passwords are taken exactly as typed; every other text is trimmed and NFC.
            cls = unbound_field.field_class
            if issubclass(cls, StringField) and not issubclass(cls, PasswordField):
                options["filters"] = [*unbound_field.kwargs.get("filters", ()), _clean]
            return unbound_field.bind(form=form, **options)


class _Required(InputRequired):
    # InputRequired alone accepts "   ", which the strip filter then turns into "".
    def __call__(self, form, field):
        super().__call__(form, field)
        if isinstance(field.data, str) and not field.data.strip():
            field.errors[:] = []
            raise StopValidation(self.message)


def required(message):
    """A required-field validator whose message says what to do: "Enter your full name"."""
    return _Required(message=message)


def max_length(limit: int):
    return Length(max=limit, message=_l("Use at most %(max)d characters.", max=limit))


class HoneypotForm(BaseForm):
    """For forms anyone can send: a field people never see and bots fill in."""

    website = StringField(_l("Leave this field empty"))

    def validate_website(self, field):
        if field.data:
            raise ValidationError(_l("This form could not be sent. Please try again."))
