"""POST requests: a partner system submits a case, and tokens/{token} for batch services.

The arguments are the specification's (form fields, UTF-8): `api_key`, `service_code`,
`description`, the location (`lat`/`long` or `address_string`, optional here: cases are not
places), the submitter (`first_name`, `last_name`, `email`, `phone`), `media_url` and
`attribute[code]` for the service definition's attributes. They are mapped onto the case form
and checked by the same rules as the web (portal/cases/forms.py), so a case from a partner
meets exactly what a case from the web must; every problem found is listed in one error
document (400). Nothing is stored unless everything is valid, and the case and the record of
who sent it are committed in one transaction (services.submit_case `with_case`).

`media_url` is checked to be an http(s) address and stored as text: this server never fetches
it (no request to an address a client chose). No XML is read: a body that is not a form is
refused by its content type before anything parses it.
"""

import re
from datetime import UTC, date, datetime
from urllib.parse import parse_qsl

from flask import current_app, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from limits import parse_many
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import TooManyRequests

from portal.api import partners
from portal.api.models import MEDIA_URL_MAX, ApiKey, Open311Submission, new_token
from portal.api.open311_format import Open311Error
from portal.api.open311_services import BATCH_KINDS, BY_CODE, YES, Service
from portal.cases import services as case_services
from portal.cases.forms import CaseForm
from portal.cases.models import Case, CaseStatus, Channel
from portal.core import audit
from portal.core.workdays import VIETNAM, local_date
from portal.extensions import db, limiter

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
DESCRIPTION_MAX = 4_000  # the specification's limit
TITLE_WORDS_MAX = 120
NAME_PART_MAX = 100
ADDRESS_STRING_MAX = 300
OTHER_MAX = 200  # device_id, account_id, jurisdiction_id, address_id
MAX_FIELDS = 100
KNOWN = frozenset(
    {
        "api_key",
        "jurisdiction_id",
        "service_code",
        "lat",
        "long",
        "address_string",
        "address_id",
        "email",
        "device_id",
        "account_id",
        "first_name",
        "last_name",
        "phone",
        "description",
        "media_url",
        "locale",
    }
)
_ATTRIBUTE = re.compile(r"attribute\[([^\]]{1,64})\]")
_URL = re.compile(r"https?://[^\s/?#]+[^\s]*", re.IGNORECASE)
# Which Open311 argument a case-form field came from, for the error document.
FIELD_ARGUMENT = {
    "description": "description",
    "place": "address_string",
    "decision_concerned": "attribute[decision_concerned]",
    "decision_known_on": "attribute[decision_known_on]",
    "name": "attribute[full_name]",
    "address": "attribute[address]",
    "phone": "phone",
    "email": "email",
    "anonymous": "attribute[full_name]",
    "title": "description",
}


def bad(*descriptions: str) -> Open311Error:
    return Open311Error(400, descriptions[0], list(descriptions))


def check_body() -> None:
    """A form of at most OPEN311_MAX_POST_BYTES, or a 400 before anything is parsed."""
    limit = current_app.config["OPEN311_MAX_POST_BYTES"]
    if request.content_length is not None and request.content_length > limit:
        raise bad(f"The request body is larger than {limit} bytes")
    request.max_content_length = limit  # a body without a length is cut off there
    if request.mimetype not in FORM_TYPES:
        raise bad("Content-Type must be application/x-www-form-urlencoded")
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise bad("The form must be encoded in UTF-8")


def _urlencoded() -> MultiDict:
    """Parse the form strictly: werkzeug would drop a body with invalid UTF-8 silently, or
    keep an invalid percent-escape as text; here either is a 400."""
    try:
        text = request.get_data(cache=False).decode("utf-8")
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            strict_parsing=False,
            encoding="utf-8",
            errors="strict",
            max_num_fields=MAX_FIELDS,
        )
    except UnicodeDecodeError:
        raise bad("The form is not valid UTF-8 in percent-encoding") from None
    except ValueError:  # parse_qsl: more than MAX_FIELDS
        raise bad(f"The form has more than {MAX_FIELDS} fields") from None
    return MultiDict(pairs)


def form() -> MultiDict:
    """The posted fields, each once, without NUL characters or invalid UTF-8."""
    if request.mimetype == FORM_TYPES[0]:
        fields = _urlencoded()
    else:
        fields = request.form
        if request.files:
            raise bad("Files are not accepted: give the document's address in media_url")
        if len(fields) > MAX_FIELDS:
            raise bad(f"The form has more than {MAX_FIELDS} fields")
    for name, values in fields.lists():
        if len(values) > 1:
            raise bad(f"{name} is given more than once")
        if "\x00" in name or "\x00" in values[0] or "\ufffd" in name + values[0]:
            raise bad(f"{name[:40]} holds a character that is not allowed")
    return fields


def authenticate(fields: MultiDict) -> ApiKey:
    """The POST's live key, or 403; 429 instead once this address has had too many refused.

    Only refusals are counted, and only on refusal is the count consulted: a partner with a
    good key is never held up by someone guessing from the same address."""
    key = partners.authenticate(fields.get("api_key", ""))
    if key is not None:
        return key
    if limiter.enabled:
        for item in parse_many(current_app.config["OPEN311_REFUSED_KEY_LIMIT"]):
            if not limiter.limiter.hit(item, "open311-refused-key", get_remote_address()):
                raise TooManyRequests()
    raise Open311Error(403, "api_key was not provided or is not valid")


def _service(fields: MultiDict) -> Service:
    code = fields.get("service_code", "").strip()
    if not code:
        raise bad("service_code was not provided")
    service = BY_CODE.get(code)
    if service is None:
        raise bad("service_code not found")
    return service


def _attributes(fields: MultiDict, service: Service) -> dict[str, str]:
    """attribute[code] values: only the service's, the required ones present, lists valid."""
    given = {}
    errors = []
    for name in fields:
        if name in KNOWN:
            continue
        match = _ATTRIBUTE.fullmatch(name)
        if match is None:
            errors.append(f"{name[:40]} is not an argument of POST requests")
        else:
            given[match.group(1)] = fields[name].strip()
    defined = {attribute.code: attribute for attribute in service.attributes}
    for code in given:
        if code not in defined:
            errors.append(f"attribute[{code}] is not an attribute of {service.code}")
    for code, attribute in defined.items():
        value = given.get(code, "")
        if attribute.required and not value:
            errors.append(f"attribute[{code}] is required for {service.code}")
        if value and attribute.values and value not in {key for key, _name in attribute.values}:
            keys = ", ".join(key for key, _name in attribute.values)
            errors.append(f"attribute[{code}] must be one of: {keys}")
    if errors:
        raise bad(*errors)
    return given


def _lengths(fields: MultiDict) -> None:
    limits = {
        "description": DESCRIPTION_MAX,
        "first_name": NAME_PART_MAX,
        "last_name": NAME_PART_MAX,
        "address_string": ADDRESS_STRING_MAX,
        "media_url": MEDIA_URL_MAX,
    }
    errors = [
        f"{name} is longer than {limit} characters"
        for name, limit in limits.items()
        if len(fields.get(name, "")) > limit
    ]
    errors += [
        f"{name} is longer than {OTHER_MAX} characters"
        for name in ("jurisdiction_id", "address_id", "device_id", "account_id")
        if len(fields.get(name, "")) > OTHER_MAX
    ]
    if errors:
        raise bad(*errors)


_DEGREES = re.compile(r"[+-]?[0-9]{1,3}(\.[0-9]{1,15})?")


def _coordinate(fields: MultiDict, name: str, bound: float) -> float | None:
    raw = fields.get(name, "").strip()
    if not raw:
        return None
    if not _DEGREES.fullmatch(raw):
        raise bad(f"{name} must be a decimal number of degrees")
    value = float(raw)
    if not -bound <= value <= bound:
        raise bad(f"{name} must be between -{bound:g} and {bound:g}")
    return value


def _place(fields: MultiDict) -> str:
    lat = _coordinate(fields, "lat", 90)
    long = _coordinate(fields, "long", 180)
    if (lat is None) != (long is None):
        raise bad("lat and long are given together")
    address = fields.get("address_string", "").strip()
    if lat is None:
        return address
    point = f"{lat:.6f}, {long:.6f}"
    return f"{address} ({point})" if address else point


def _media_url(fields: MultiDict) -> str:
    url = fields.get("media_url", "").strip()
    if url and not _URL.fullmatch(url):
        raise bad("media_url must be an http or https address")
    return url


# No decision of a Vietnamese authority predates the State (2 September 1945).
EARLIEST_DECISION = date(1945, 9, 2)


def _known_on(value: str) -> str:
    """attribute[decision_known_on] (a W3C date or date-time) as the form's YYYY-MM-DD."""
    if not value:
        return ""
    invalid = bad("attribute[decision_known_on] must be an ISO 8601 date")
    try:
        moment = datetime.fromisoformat(value)
        day = (moment.astimezone(VIETNAM) if moment.tzinfo else moment).date()
    except ValueError:
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise invalid from None
    except OverflowError:  # a time zone pushing year 1 or 9999 out of range
        raise invalid from None
    if not EARLIEST_DECISION <= day <= local_date(datetime.now(UTC)):
        raise bad(f"attribute[decision_known_on] must be from {EARLIEST_DECISION} to today")
    return day.isoformat()


def title_of(description: str) -> str:
    """The case's subject: the description's first line, cut at a word near 120 characters."""
    line = description.strip().splitlines()[0].strip() if description.strip() else ""
    if len(line) <= TITLE_WORDS_MAX:
        return line
    cut = line[:TITLE_WORDS_MAX].rsplit(" ", 1)[0] or line[:TITLE_WORDS_MAX]
    return cut + "…"


def _contact(given: dict[str, str], fields: MultiDict) -> tuple[str, str]:
    """(phone, email): the contact attribute, else the specification's phone and email."""
    contact = given.get("contact", "")
    phone, email = fields.get("phone", "").strip(), fields.get("email", "").strip()
    if contact and "@" in contact:
        email = email or contact
    elif contact:
        phone = phone or contact
    return phone, email


def case_form(fields: MultiDict, service: Service, given: dict[str, str]) -> CaseForm:
    """The web's case form filled from the POST, checked by its own rules."""
    description = fields.get("description", "").strip()
    name = given.get("full_name") or " ".join(
        part
        for part in (fields.get("first_name", "").strip(), fields.get("last_name", "").strip())
        if part
    )
    phone, email = _contact(given, fields)
    anonymous = not (name or phone or email or given.get("address"))
    data = MultiDict(
        {
            "kind": service.kind.value,
            "topic": service.topic.value,
            "title": title_of(description),
            "description": description,
            "place": _place(fields),
            "decision_concerned": given.get("decision_concerned", ""),
            "decision_known_on": _known_on(given.get("decision_known_on", "")),
            "name": name,
            "address": given.get("address", ""),
            "phone": phone,
            "email": email,
            "declaration": "y",  # the partner collected the submission, not our form
        }
    )
    if anonymous:
        data["anonymous"] = "y"
    if given.get("publish_consent") == YES:
        data["publish_consent"] = "y"
    if given.get("confidential") == YES:
        data["confidential"] = "y"
    return CaseForm(formdata=data, meta={"csrf": False})


def form_errors(form: CaseForm, service: Service) -> list[str]:
    found = []
    defined = {attribute.code for attribute in service.attributes}
    for field, messages in form.errors.items():
        argument = FIELD_ARGUMENT.get(field, field)
        if argument == "attribute[full_name]" and "full_name" not in defined:
            argument = "first_name, last_name"
        found.extend(f"{argument}: {message}" for message in messages)
    return found


def submit(fields: MultiDict, key: ApiKey) -> dict:
    """Validate the POST and record the case; the document POST answers with."""
    _lengths(fields)
    service = _service(fields)
    given = _attributes(fields, service)
    media_url = _media_url(fields)
    if not fields.get("description", "").strip():
        raise bad("description was not provided")
    form = case_form(fields, service, given)
    if not form.validate():
        raise bad(*form_errors(form, service))
    batch = service.kind in BATCH_KINDS
    token = new_token() if batch else None
    partner = key.partner
    now = datetime.now(UTC)

    def record_submission(case: Case) -> None:
        db.session.add(
            Open311Submission(
                case=case, partner_id=partner.id, key_id=key.id, token=token, media_url=media_url
            )
        )
        partners.mark_used(key, now=now)
        audit.record(
            "api.request_received",
            target_type="case",
            target_id=case.public_id,
            detail={"partner": partner.public_id, "key": key.public_id, "batch": batch},
        )

    # The partner collected the submission with its own words of declaration, not ours.
    submission = form.submission(declaration_text="", channel=Channel.API, source=partner.name)
    receipt = case_services.submit_case(submission, now=now, with_case=record_submission)
    notice = _notice(receipt, batch=batch)
    if batch:
        return {"token": token, "service_notice": notice, "account_id": None}
    return {"service_request_id": receipt.number, "service_notice": notice, "account_id": None}


def _notice(receipt, *, batch: bool) -> str:
    due = receipt.acceptance_due_on.strftime("%d/%m/%Y") if receipt.acceptance_due_on else ""
    if batch:
        text = _(
            "Received. The Inspectorate registers and classifies it; its number is given by "
            "tokens/{token} once that is done."
        )
    else:
        text = _("Received as case %(number)s.", number=receipt.number)
    if due:
        text += " " + _("It will be accepted or referred by %(date)s.", date=due)
    if receipt.emailed:
        text += " " + _("The receipt and the key to follow the case were sent by e-mail.")
    return text


def token_status(token: str) -> dict | None:
    """tokens/{token}: the request's number once staff registered the case, else only the token.

    A case keeps its status `received` until the Inspectorate classifies it; from then on its
    number is the service_request_id. An unknown or purged token is None (404).
    """
    row = db.session.execute(
        db.select(Case.number, Case.status)
        .join(Open311Submission, Open311Submission.case_id == Case.id)
        .where(Open311Submission.token == token)
    ).first()
    if row is None:
        return None
    registered = row.status != str(CaseStatus.RECEIVED)
    return {"service_request_id": row.number if registered else None, "token": token}


def submission_of(case: Case) -> Open311Submission | None:
    return db.session.scalar(
        db.select(Open311Submission).where(Open311Submission.case_id == case.id)
    )
