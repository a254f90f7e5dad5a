"""The form behind the site settings, built from core.site.FIELDS."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, StringField, TelField, TextAreaField
from wtforms.validators import Email, Optional

from portal.core import site
from portal.core.forms import BaseForm, max_length, required

_FIELD_CLASSES = {
    "text": StringField,
    "email": EmailField,
    "tel": TelField,
    "textarea": TextAreaField,
}


def _build():
    attrs = {}
    for field in site.FIELDS:
        validators = [
            required(field.missing) if field.missing else Optional(),
            max_length(field.max_length),
        ]
        if field.kind == "email":
            validators.append(
                Email(
                    message=_l(
                        "Enter an e-mail address in the correct format, like name@example.com"
                    ),
                    check_deliverability=False,
                )
            )
        attrs[field.key] = _FIELD_CLASSES[field.kind](field.label, validators=validators)

    def values(self) -> dict[str, str]:
        return {key: getattr(self, key).data or "" for key in site.KEYS}

    attrs["values"] = values
    return type("SiteSettingsForm", (BaseForm,), attrs)


SiteSettingsForm = _build()
