"""The Open311 service catalogue: one service per case kind and topic, and what each needs.

A service_code reads `<kind>-<topic>` (complaint-procedure, reflection-other, …): stable, as
the kinds and topics are (portal/cases/models.py). Names and descriptions reuse the labels the
case form shows, so they come in Vietnamese or English with the catalogue's translations.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.cases.forms import KIND_HINTS, TOPIC_LABELS
from portal.cases.models import KIND_LABELS, Kind, Topic

# When the catalogue or a service definition last changed (discovery's `changeset`): change
# it with them, so clients know to refresh what they cached.
CHANGESET = "2026-11-28T03:00:00+07:00"

# Complaints and denunciations are registered, classified and numbered by staff before they
# have a number (Thông tư 05/2021): POST answers them with a token ("batch"). Reflections and
# petitions get their number at once ("realtime").
BATCH_KINDS = frozenset({Kind.COMPLAINT, Kind.DENUNCIATION})


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str  # string, number, datetime, text, singlevaluelist, multivaluelist
    description: object  # lazy string
    required: bool = True
    datatype_description: object = None
    values: tuple[tuple[str, object], ...] = ()  # (key, lazy name) of a value list

    def as_document(self, order: int) -> dict:
        return {
            "variable": True,
            "code": self.code,
            "datatype": self.datatype,
            "required": self.required,
            "datatype_description": _str(self.datatype_description),
            "order": order,
            "description": _str(self.description),
            "values": [{"key": key, "name": str(name)} for key, name in self.values],
        }


@dataclass(frozen=True)
class Service:
    kind: Kind
    topic: Topic

    @property
    def code(self) -> str:
        return f"{self.kind.value}-{self.topic.value}"

    @property
    def name(self) -> str:
        return f"{KIND_LABELS[self.kind]}: {TOPIC_LABELS[self.topic]}"

    @property
    def metadata(self) -> bool:
        return bool(self.attributes)

    @property
    def attributes(self) -> tuple[Attribute, ...]:
        return attributes_of(self.kind, self.topic)

    def as_document(self) -> dict:
        """The service as GET services lists it."""
        return {
            "service_code": self.code,
            "service_name": self.name,
            "description": str(KIND_HINTS[self.kind]),
            "metadata": self.metadata,
            "type": "batch" if self.kind in BATCH_KINDS else "realtime",
            "keywords": f"{KIND_LABELS[self.kind]}, {TOPIC_LABELS[self.topic]}",
            "group": str(KIND_LABELS[self.kind]),
        }

    def definition(self) -> dict:
        """The service definition: the attributes a request for it must or may carry."""
        return {
            "service_code": self.code,
            "attributes": [a.as_document(order) for order, a in enumerate(self.attributes, 1)],
        }


def _str(value) -> str | None:
    return None if value is None else str(value)


# The law asks a complaint for the decision or act complained about and when it was learnt
# (Luật Khiếu nại art. 8, 9: 90 days from then), and the name, address and a contact of whoever
# complains or denounces (Luật Tố cáo art. 23). The same strings as the case form.
DECISION = (
    Attribute(
        "decision_concerned",
        "text",
        _l("The decision or act you complain about"),
        datatype_description=_l(
            "Its number and date if it is a written decision, or what was done."
        ),
    ),
    Attribute(
        "decision_known_on",
        "datetime",
        _l("When you learnt of it"),
        datatype_description=_l("A complaint is made within 90 days of learning of the decision."),
    ),
)
IDENTITY = (
    Attribute("full_name", "string", _l("Full name")),
    Attribute("address", "string", _l("Address")),
    Attribute("contact", "string", _l("Enter a phone number or an e-mail address")),
)
# A report of harassment or corruption may be anonymous: checked as anonymous information.
ANONYMOUS_NOTE = _l(
    "Reflections and petitions may be anonymous, and so may a report of harassment or "
    "corruption: it is then checked as anonymous information and we cannot answer you."
)
OPTIONAL_IDENTITY = tuple(
    Attribute(a.code, a.datatype, a.description, False, ANONYMOUS_NOTE) for a in IDENTITY
)


# Whether the question and its answer may be published without the name (the case form's
# check box): only then does the request appear in GET requests. Never asked of a denunciation.
YES, NO = "yes", "no"
CONSENT = Attribute(
    "publish_consent",
    "singlevaluelist",
    _l("I agree that my question and its answer may be published, without my name"),
    required=False,
    datatype_description=_l("Without it, nothing about the request is published."),
    values=((YES, _l("Yes")), (NO, _l("No"))),
)


# The case form's other check box: the identity kept apart and shown only to the officials who
# handle the case, as a denouncer's always is (so a denunciation does not ask it). Such a
# request never appears in GET requests, whatever the consent.
CONFIDENTIAL = Attribute(
    "confidential",
    "singlevaluelist",
    _l("Keep my identity confidential"),
    required=False,
    datatype_description=_l(
        "Shown only to the officials handling the case, as for a denunciation; the request is "
        "then never published."
    ),
    values=((YES, _l("Yes")), (NO, _l("No"))),
)


def attributes_of(kind: Kind, topic: Topic) -> tuple[Attribute, ...]:
    if kind == Kind.COMPLAINT:
        return DECISION + IDENTITY + (CONSENT, CONFIDENTIAL)
    if kind == Kind.DENUNCIATION:
        return OPTIONAL_IDENTITY if topic == Topic.HARASSMENT else IDENTITY
    return (CONSENT, CONFIDENTIAL)


SERVICES = tuple(Service(kind, topic) for kind in Kind for topic in Topic)
BY_CODE = {service.code: service for service in SERVICES}


def service_for(kind: str, topic: str) -> Service | None:
    """The service a case of this kind and topic belongs to (None for a value no longer known)."""
    return BY_CODE.get(f"{kind}-{topic}")
