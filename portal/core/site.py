"""Site settings the administrator edits: the agency's name and address are data.

The department named in the plan has been merged and renamed since, so none of this is ever
written into a template. Hotlines are rows of their own (contacts.models.Hotline).
"""

from dataclasses import dataclass

from flask import g
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class SiteSetting(db.Model):
    __tablename__ = "site_setting"

    key: Mapped[str] = mapped_column(db.String(60), primary_key=True)
    value: Mapped[str] = mapped_column(db.Text, default="")


@dataclass(frozen=True)
class SettingField:
    key: str
    label: object
    max_length: int
    missing: object = None  # the message when left empty; None means optional
    kind: str = "text"  # text | email | tel | textarea


# The editable settings, in the order the form shows them.
FIELDS = (
    SettingField("agency_name", _l("Agency name (Vietnamese)"), 200, _l("Enter the agency's name")),
    SettingField(
        "agency_name_en",
        _l("Agency name (English)"),
        200,
        _l("Enter the agency's name in English"),
    ),
    SettingField("agency_short_name", _l("Short name"), 60, _l("Enter a short name")),
    SettingField("parent_body", _l("Governing body"), 200),
    SettingField("address", _l("Address"), 300, _l("Enter the address"), kind="textarea"),
    SettingField("email", _l("Contact e-mail"), 254, _l("Enter the contact e-mail"), kind="email"),
    SettingField("office_hours", _l("Office hours"), 200),
)
KEYS = tuple(f.key for f in FIELDS)


class Site:
    """Read-only view of the settings for templates: site.agency_name, site.address, …"""

    def __init__(self, values: dict[str, str]):
        self._values = values

    def __getattr__(self, key: str) -> str:
        if key.startswith("_"):
            raise AttributeError(key)
        return self._values.get(key, "")

    def as_dict(self) -> dict[str, str]:
        return {key: self._values.get(key, "") for key in KEYS}

    def name_for(self, locale: str) -> str:
        if str(locale) == "en" and self._values.get("agency_name_en"):
            return self._values["agency_name_en"]
        return self._values.get("agency_name", "")


def load() -> Site:
    """Return the site settings, read once per request."""
    if "site" not in g:
        rows = db.session.execute(db.select(SiteSetting.key, SiteSetting.value)).all()
        g.site = Site(dict(rows))
    return g.site


def save(values: dict[str, str]) -> list[str]:
    """Write the given settings and return the keys that changed (the caller commits)."""
    changed = []
    current = {s.key: s for s in db.session.scalars(db.select(SiteSetting))}
    for key, value in values.items():
        if key not in KEYS:
            raise KeyError(key)
        row = current.get(key)
        if row is None:
            db.session.add(SiteSetting(key=key, value=value))
            changed.append(key)
        elif row.value != value:
            row.value = value
            changed.append(key)
    g.pop("site", None)
    return changed
