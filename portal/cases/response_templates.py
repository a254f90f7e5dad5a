"""Response templates: the starting text of a response per kind and outcome, and filling it.

Administrators edit the texts (`ResponseTemplate` rows; `responses.save_template`); a pair
without a row uses the built-in Vietnamese text below. Filling never raises: placeholders are
plain names mapped to plain strings, so a template cannot reach any object's attributes.
"""

import re
import string
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import current_app
from flask_babel import lazy_gettext as _l

from portal.cases.models import Case, Kind, Outcome, ResponseTemplate
from portal.core import site
from portal.core.i18n import in_locale
from portal.core.workdays import local_date
from portal.extensions import db

OUTCOME_LABELS = {
    Outcome.UPHELD: _l("Well-founded"),
    Outcome.PARTLY_UPHELD: _l("Partly well-founded"),
    Outcome.REJECTED: _l("Unfounded"),
    Outcome.ANSWERED: _l("Answered"),
}
_FOUND = (Outcome.UPHELD, Outcome.PARTLY_UPHELD, Outcome.REJECTED)
OUTCOMES = {
    Kind.REFLECTION: (Outcome.ANSWERED,),
    Kind.PETITION: (Outcome.ANSWERED,),
    Kind.COMPLAINT: _FOUND,
    Kind.DENUNCIATION: _FOUND,
}

PLACEHOLDERS = {
    "number": _l("the case number"),
    "kind": _l("the kind of case, in lower case"),
    "title": _l("the subject the citizen gave"),
    "received_on": _l("the date the case was received"),
    "accepted_on": _l("the date it was accepted"),
    "resolution_due_on": _l("the resolution deadline"),
    "agency": _l("the agency's name"),
    "today": _l("today's date"),
}

# The starting texts when an administrator has not written one. Official letters to citizens
# are in Vietnamese whatever language the staff page is shown in, so these are content, not
# interface strings. "[…]" marks what the handler writes.
_CLOSING_COMPLAINT = (
    "Nếu không đồng ý với kết quả giải quyết, Ông/Bà có quyền khiếu nại lần hai đến người có "
    "thẩm quyền hoặc khởi kiện vụ án hành chính tại Tòa án theo quy định của Luật Khiếu nại và "
    "Luật Tố tụng hành chính."
)
_CLOSING_DENUNCIATION = (
    "Nếu có căn cứ cho rằng việc giải quyết tố cáo không đúng pháp luật hoặc quá thời hạn mà "
    "tố cáo không được giải quyết, Ông/Bà có quyền tố cáo tiếp theo quy định của Luật Tố cáo."
)
_FINDINGS = {
    Outcome.UPHELD: "đúng",
    Outcome.PARTLY_UPHELD: "đúng một phần",
    Outcome.REJECTED: "sai (không có cơ sở)",
}


def _answer_template() -> str:
    return (
        "Kính gửi: Ông/Bà,\n\n"
        "Ngày {received_on}, {agency} nhận được {kind} của Ông/Bà (hồ sơ số {number}) về "
        "việc: {title}.\n\n"
        "Sau khi xem xét, {agency} trả lời như sau:\n\n"
        "[Nội dung trả lời, việc đã làm hoặc sẽ làm, thời gian thực hiện]\n\n"
        "Ông/Bà có thể xem văn bản này và bổ sung thông tin trên trang tra cứu hồ sơ bằng số "
        "hồ sơ và mã tra cứu.\n\n"
        "Trân trọng."
    )


def _complaint_template(outcome: Outcome) -> str:
    return (
        "Kính gửi: Ông/Bà,\n\n"
        "Ngày {received_on}, {agency} nhận được đơn khiếu nại của Ông/Bà (hồ sơ số {number}) "
        "về việc: {title}. Đơn được thụ lý giải quyết ngày {accepted_on}.\n\n"
        f"Kết quả xác minh: nội dung khiếu nại là {_FINDINGS[outcome]}.\n\n"
        "[Căn cứ pháp luật, kết quả xác minh và nội dung quyết định giải quyết khiếu nại]\n\n"
        "Quyết định giải quyết khiếu nại được gửi kèm theo văn bản này. "
        f"{_CLOSING_COMPLAINT}\n\n"
        "Trân trọng."
    )


def _denunciation_template(outcome: Outcome) -> str:
    return (
        "Kính gửi: Ông/Bà,\n\n"
        "Ngày {received_on}, {agency} nhận được đơn tố cáo của Ông/Bà (hồ sơ số {number}). "
        "Tố cáo được thụ lý giải quyết ngày {accepted_on}.\n\n"
        f"Kết luận nội dung tố cáo: tố cáo {_FINDINGS[outcome]}.\n\n"
        "[Kết quả xác minh và việc xử lý người bị tố cáo, nếu có]\n\n"
        f"{_CLOSING_DENUNCIATION}\n\n"
        "Thông tin về người tố cáo được giữ bí mật theo quy định của Luật Tố cáo.\n\n"
        "Trân trọng."
    )


DEFAULT_TEMPLATES: dict[tuple[str, str], str] = {
    (Kind.REFLECTION, Outcome.ANSWERED): _answer_template(),
    (Kind.PETITION, Outcome.ANSWERED): _answer_template(),
    **{(Kind.COMPLAINT, o): _complaint_template(o) for o in _FOUND},
    **{(Kind.DENUNCIATION, o): _denunciation_template(o) for o in _FOUND},
}


def outcomes_for(kind: str) -> tuple[Outcome, ...]:
    """The outcomes a response to this kind of case may have."""
    return OUTCOMES[Kind(kind)]


def outcome_label(outcome: str):
    return OUTCOME_LABELS.get(outcome, outcome)


def template_text(kind: str, outcome: str) -> str:
    """The administrator's template for (kind, outcome), or the default."""
    row = db.session.scalar(
        db.select(ResponseTemplate).where(
            ResponseTemplate.kind == kind, ResponseTemplate.outcome == outcome
        )
    )
    return row.body if row is not None else DEFAULT_TEMPLATES[(Kind(kind), Outcome(outcome))]


@dataclass(frozen=True)
class TemplateRow:
    kind: Kind
    outcome: Outcome
    body: str
    customised: bool
    updated_at: datetime | None


def template_rows() -> list[TemplateRow]:
    """Every (kind, outcome) pair with its current text, in the kinds' order."""
    rows = {(r.kind, r.outcome): r for r in db.session.scalars(db.select(ResponseTemplate))}
    result = []
    for kind, outcomes in OUTCOMES.items():
        for outcome in outcomes:
            row = rows.get((str(kind), str(outcome)))
            result.append(
                TemplateRow(
                    kind=kind,
                    outcome=outcome,
                    body=row.body if row else DEFAULT_TEMPLATES[(kind, outcome)],
                    customised=row is not None,
                    updated_at=row.updated_at if row else None,
                )
            )
    return result


def is_template_pair(kind: str, outcome: str) -> bool:
    try:
        return Outcome(outcome) in OUTCOMES[Kind(kind)]
    except ValueError:
        return False


class _Blank(dict):
    """A mapping where an unknown placeholder stays as it was typed."""

    def __missing__(self, key):
        return "{" + key + "}"


_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_NAME = re.compile(r"[A-Za-z_]\w*")


def _day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else "…"


def placeholder_values(case: Case) -> dict[str, str]:
    """Plain strings only: format_map then cannot reach any object's attributes."""
    with in_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        kind = str(Kind(case.kind).label).lower()
    return {
        "number": case.number,
        "kind": kind,
        "title": case.title,
        "received_on": _day(case.received_on),
        "accepted_on": _day(case.accepted_on),
        "resolution_due_on": _day(case.resolution_due_on),
        "agency": site.load().agency_name or "…",
        "today": _day(local_date(datetime.now(UTC))),
    }


def _plain_fields(text: str) -> bool:
    """Every {field} is a bare name: no attribute, index, or positional field."""
    try:
        fields = [f for _, f, _, _ in string.Formatter().parse(text) if f is not None]
    except ValueError:
        return False
    return all(_NAME.fullmatch(f) for f in fields)


def fill(text: str, values: dict[str, str]) -> str:
    """Put the values in the text's {placeholders}; never raises.

    An unknown placeholder stays as typed; a malformed one ("{", "{0}", "{a.b}") makes the
    whole text fall back to replacing the known {names} only.
    """
    if _plain_fields(text):
        try:
            return text.format_map(_Blank(values))
        except (ValueError, IndexError, KeyError, AttributeError, TypeError):
            pass
    return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def prefilled_body(case: Case, outcome: str) -> str:
    """The template of the case's kind and this outcome, filled with the case's data."""
    return fill(template_text(case.kind, outcome), placeholder_values(case))


def placeholder_problem(text: str):
    """Why a template's placeholders would not fill as meant, or None."""
    sample = {name: name for name in PLACEHOLDERS}
    try:
        if not _plain_fields(text):
            raise ValueError(text)
        text.format_map(_Blank(sample))
    except (ValueError, IndexError, KeyError, AttributeError, TypeError):
        return _l(
            "A placeholder is not written correctly. Write placeholders like {number}, and "
            "double a brace that is meant as text: {{ or }}."
        )
    unknown = sorted({m for m in _PLACEHOLDER.findall(text) if m not in PLACEHOLDERS})
    if unknown:
        return _l(
            "Unknown placeholder: %(names)s. Use only the placeholders listed.",
            names=", ".join("{" + name + "}" for name in unknown),
        )
    return None
