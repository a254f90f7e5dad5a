"""Keyword-only factories for the contacts domain. Call them inside an app context."""

import io
import itertools
from datetime import date, time

from werkzeug.datastructures import FileStorage

from portal.contacts.demo import minimal_pdf
from portal.contacts.models import (
    Hotline,
    ReceptionDocument,
    ReceptionOffice,
    ReceptionRule,
    ReceptionSession,
    ShiftRule,
    Unit,
)
from portal.contacts.phones import normalise_phone
from portal.core.uploads import store_upload
from portal.core.workdays import CalendarException, forget_exceptions
from portal.extensions import db

_counter = itertools.count(1)


def _saved(obj):
    db.session.add(obj)
    db.session.commit()
    # Loaded and detached: tests can read it after the app context that made it is gone.
    db.session.refresh(obj)
    db.session.expunge(obj)
    return obj


def create_hotline(
    *,
    label: str | None = None,
    label_en: str = "",
    phone: str | None = "0205 3812 345",
    email: str | None = None,
    purpose: str = "",
    purpose_en: str = "",
    hours: str = "",
    hours_en: str = "",
    is_main: bool = False,
    is_harassment: bool = False,
    position: int = 0,
    published: bool = True,
) -> Hotline:
    return _saved(
        Hotline(
            label=label or f"Đường dây nóng {next(_counter)}",
            label_en=label_en,
            phone_e164=normalise_phone(phone) if phone else None,
            email=email,
            purpose=purpose,
            purpose_en=purpose_en,
            hours=hours,
            hours_en=hours_en,
            is_main=is_main,
            is_harassment=is_harassment,
            position=position,
            published=published,
        )
    )


def create_site_hotlines() -> tuple[Hotline, Hotline]:
    """The main hotline and the harassment line a configured site has."""
    main = create_hotline(
        label="Đường dây nóng của Sở",
        label_en="Department hotline",
        phone="0205 3812 345",
        is_main=True,
    )
    report = create_hotline(
        label="Đường dây nóng phản ánh nhũng nhiễu, tham nhũng",
        label_en="Hotline for reporting harassment and corruption",
        phone="0205 3812 888",
        email="phananh@stc.langson.example.vn",
        is_harassment=True,
    )
    return main, report


def create_unit(
    *,
    name: str | None = None,
    name_en: str = "",
    slug: str | None = None,
    functions_html: str = "",
    functions_en_html: str = "",
    head_name: str = "",
    head_title: str = "",
    head_title_en: str = "",
    phone: str | None = None,
    email: str | None = None,
    handles_cases: bool = False,
    position: int = 0,
    published: bool = True,
) -> Unit:
    n = next(_counter)
    return _saved(
        Unit(
            name=name or f"Phòng số {n}",
            name_en=name_en,
            slug=slug or f"phong-so-{n}",
            functions_html=functions_html,
            functions_en_html=functions_en_html,
            head_name=head_name,
            head_title=head_title,
            head_title_en=head_title_en,
            phone_e164=normalise_phone(phone) if phone else None,
            email=email,
            handles_cases=handles_cases,
            position=position,
            published=published,
        )
    )


def create_office(
    *,
    place: str = "Phòng tiếp công dân, tầng 1",
    place_en: str = "Citizen reception room, ground floor",
    afternoon: bool = True,
) -> ReceptionOffice:
    return _saved(
        ReceptionOffice(
            place=place,
            place_en=place_en,
            morning_starts_at=time(7, 30),
            morning_ends_at=time(11, 30),
            afternoon_starts_at=time(13, 30) if afternoon else None,
            afternoon_ends_at=time(16, 30) if afternoon else None,
        )
    )


def create_rule(
    *,
    day_of_month: int = 15,
    shift: str = ShiftRule.NEXT_WORKING_DAY,
    host: str = "Giám đốc Sở",
    host_en: str = "Director of the Department",
    place: str = "Phòng tiếp công dân",
    starts_at: time = time(7, 30),
    ends_at: time = time(11, 30),
    valid_from: date = date(2025, 1, 1),
    valid_until: date | None = None,
    active: bool = True,
) -> ReceptionRule:
    return _saved(
        ReceptionRule(
            day_of_month=day_of_month,
            shift=shift,
            host=host,
            host_en=host_en,
            place=place,
            starts_at=starts_at,
            ends_at=ends_at,
            valid_from=valid_from,
            valid_until=valid_until,
            active=active,
        )
    )


def create_session(
    *,
    day: date,
    starts_at: time = time(7, 30),
    ends_at: time = time(11, 30),
    host: str = "Phó Giám đốc Sở",
    host_en: str = "Deputy Director",
    place: str = "Phòng tiếp công dân",
    note: str = "",
    replaces_rule_day: date | None = None,
    cancelled: bool = False,
) -> ReceptionSession:
    return _saved(
        ReceptionSession(
            day=day,
            starts_at=starts_at,
            ends_at=ends_at,
            host=host,
            host_en=host_en,
            place=place,
            note=note,
            replaces_rule_day=replaces_rule_day,
            cancelled=cancelled,
        )
    )


def pdf_bytes(title: str = "Tài liệu mẫu") -> bytes:
    return minimal_pdf(title, ("Tai lieu mau",))


def create_document(
    *,
    kind: str = "rules",
    title: str = "Nội quy tiếp công dân",
    title_en: str = "Citizen reception rules",
    file_name: str = "Nội quy tiếp công dân.pdf",
    data: bytes | None = None,
    issued_on: date | None = date(2025, 7, 15),
) -> ReceptionDocument:
    stored = store_upload(FileStorage(stream=io.BytesIO(data or pdf_bytes()), filename=file_name))
    document = _saved(
        ReceptionDocument(
            kind=kind, title=title, title_en=title_en, stored_file=stored, issued_on=issued_on
        )
    )
    return document


def declare_day(day: date, kind: str, note: str = "") -> None:
    """An administrator's day off or make-up working day."""
    db.session.add(CalendarException(day=day, kind=kind, note=note))
    db.session.commit()
    forget_exceptions()
