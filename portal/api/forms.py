"""Forms of the admins' pages for Open311 partner systems (the keys need only a CSRF token:
accounts.forms.ConfirmForm)."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField

from portal.api.models import PARTNER_NAME_MAX
from portal.core.forms import BaseForm, max_length, required

CONTACT_MAX = 320  # api_partner.contact
NOTE_MAX = 4_000


class PartnerForm(BaseForm):
    name = StringField(
        _l("Name of the partner system"),
        validators=[
            required(_l("Enter the name of the partner system")),
            max_length(PARTNER_NAME_MAX),
        ],
        description=_l(
            "Every case the system sends records this name as the channel it came through."
        ),
        render_kw={"autocomplete": "off"},
    )
    contact = StringField(
        _l("Contact at the partner"),
        validators=[max_length(CONTACT_MAX)],
        description=_l(
            "Who to call about the system: a person, and their phone number or e-mail address."
        ),
        render_kw={"autocomplete": "off"},
    )
    note = TextAreaField(
        _l("Note"),
        validators=[max_length(NOTE_MAX)],
        description=_l(
            "Seen by administrators only: the agreement, what the system is used for, "
            "anything worth knowing."
        ),
    )


class PartnerEditForm(PartnerForm):
    active = BooleanField(_l("Active (its keys can send requests)"))
