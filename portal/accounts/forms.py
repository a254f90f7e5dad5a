"""Forms for signing in, passwords, two-factor and account administration."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectChoice, SelectField, StringField
from wtforms.validators import Email, EqualTo, ValidationError

from portal.accounts.models import EMAIL_MAX, NAME_MAX
from portal.accounts.passwords import password_problem
from portal.accounts.permissions import Role
from portal.core.forms import BaseForm, HoneypotForm, max_length, required


def _role_choices():
    return [SelectChoice(role.value, role.label) for role in Role]


def _unit_field():
    # Choices are the agency's units, set by the view (they are data, not code).
    return SelectField(
        _l("Unit"),
        choices=[],
        default="",
        coerce=_unit_value,
        description=_l("Handlers and heads see the cases of their unit."),
    )


def _unit_value(value) -> str:
    # The account's unit_id (an int or None) and the submitted text both become a choice value.
    return "" if value in (None, "None") else str(value)


def set_unit_choices(form, units) -> None:
    """Offer the agency's units (and none) in the form's unit list."""
    form.unit_id.choices = [
        SelectChoice("", _l("No unit")),
        *(SelectChoice(str(u.id), u.name) for u in units),
    ]
    if form.unit_id.data is None:  # WTForms keeps an account's None as None
        form.unit_id.data = ""


def chosen_unit_id(form) -> int | None:
    return int(form.unit_id.data) if form.unit_id.data else None


def _email_field():
    return EmailField(
        _l("E-mail address"),
        validators=[
            required(_l("Enter your e-mail address")),
            Email(
                message=_l("Enter an e-mail address in the correct format, like name@example.com"),
                check_deliverability=False,
            ),
            max_length(EMAIL_MAX),
        ],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )


class LoginForm(HoneypotForm):
    email = _email_field()
    password = PasswordField(
        _l("Password"),
        validators=[required(_l("Enter your password"))],
        render_kw={"autocomplete": "current-password"},
    )


class TotpForm(BaseForm):
    code = StringField(
        _l("6-digit code from your authenticator app"),
        validators=[required(_l("Enter the 6-digit code"))],
        render_kw={
            "autocomplete": "one-time-code",
            "inputmode": "numeric",
            "pattern": "[0-9 ]*",
            "maxlength": "7",
        },
    )


def _new_password_fields():
    """A new password and its confirmation, made where the form declares them (field order)."""
    new_password = PasswordField(
        _l("New password"),
        validators=[required(_l("Enter a new password"))],
        description=_l(
            "Use a long password: a phrase of several words is easy to remember and hard to guess."
        ),
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        _l("Repeat the new password"),
        validators=[
            required(_l("Enter the new password again")),
            EqualTo("new_password", message=_l("The two passwords do not match")),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    return new_password, confirm_password


class _PasswordPolicy:
    password_owner_email = ""

    def validate_new_password(self, field):
        problem = password_problem(field.data or "", email=self.password_owner_email)
        if problem:
            raise ValidationError(problem)


class PasswordChangeForm(_PasswordPolicy, BaseForm):
    current_password = PasswordField(
        _l("Current password"),
        validators=[required(_l("Enter your current password"))],
        render_kw={"autocomplete": "current-password"},
    )
    new_password, confirm_password = _new_password_fields()


class UserForm(_PasswordPolicy, BaseForm):
    """Create a staff account (with a first password). Fields in the order the page shows them."""

    full_name = StringField(
        _l("Full name"),
        validators=[required(_l("Enter the full name")), max_length(NAME_MAX)],
        render_kw={"autocomplete": "off"},
    )
    email = _email_field()
    # No default role: an administrator must choose one, never get admin by accident.
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice("", _l("Choose a role")), *_role_choices()],
        validators=[required(_l("Choose a role"))],
    )
    unit_id = _unit_field()
    new_password, confirm_password = _new_password_fields()


class UserEditForm(BaseForm):
    full_name = StringField(
        _l("Full name"),
        validators=[required(_l("Enter the full name")), max_length(NAME_MAX)],
    )
    role = SelectField(_l("Role"), choices=_role_choices())
    unit_id = _unit_field()
    active = BooleanField(_l("Account is active (can sign in)"))


class PasswordResetForm(_PasswordPolicy, BaseForm):
    new_password, confirm_password = _new_password_fields()


class ConfirmForm(BaseForm):
    """A button-only form: the CSRF token is the point."""
