"""Reads for the contacts domain."""

import holidays
from flask import g

from portal.contacts.models import (
    Hotline,
    ReceptionDocument,
    ReceptionOffice,
    ReceptionRule,
    ReceptionSession,
    Unit,
)
from portal.core import workdays
from portal.core.workdays import CalendarException
from portal.extensions import db

# The harassment/corruption report line first, then the main line, then the editors' order.
_HOTLINE_ORDER = (
    Hotline.is_harassment.desc(),
    Hotline.is_main.desc(),
    Hotline.position,
    Hotline.label,
    Hotline.id,
)


def published_hotlines() -> list[Hotline]:
    """Return the published hotlines in display order, read once per request."""
    if "published_hotlines" not in g:
        g.published_hotlines = list(
            db.session.scalars(
                db.select(Hotline).where(Hotline.published.is_(True)).order_by(*_HOTLINE_ORDER)
            )
        )
    return g.published_hotlines


def forget_hotlines() -> None:
    """Drop the per-request copy after an editor changed the hotlines."""
    g.pop("published_hotlines", None)


def all_hotlines() -> list[Hotline]:
    """Return every hotline, unpublished ones included, in display order (staff list)."""
    return list(db.session.scalars(db.select(Hotline).order_by(*_HOTLINE_ORDER)))


def hotline_by_public_id(public_id: str) -> Hotline | None:
    return db.session.scalar(db.select(Hotline).where(Hotline.public_id == public_id))


def published_units() -> list[Unit]:
    """Return the published units in the editors' order."""
    return list(
        db.session.scalars(
            db.select(Unit).where(Unit.published.is_(True)).order_by(Unit.position, Unit.name)
        )
    )


def all_units() -> list[Unit]:
    return list(db.session.scalars(db.select(Unit).order_by(Unit.position, Unit.name)))


def unit_by_public_id(public_id: str) -> Unit | None:
    return db.session.scalar(db.select(Unit).where(Unit.public_id == public_id))


def slug_taken(slug: str) -> bool:
    return db.session.scalar(db.select(Unit.id).where(Unit.slug == slug)) is not None


def reception_office() -> ReceptionOffice | None:
    """Return the regular reception place and hours, or None before anyone entered them."""
    return db.session.scalar(db.select(ReceptionOffice).order_by(ReceptionOffice.id).limit(1))


def reception_rules() -> list[ReceptionRule]:
    return list(
        db.session.scalars(
            db.select(ReceptionRule).order_by(ReceptionRule.active.desc(), ReceptionRule.id)
        )
    )


def active_rules() -> list[ReceptionRule]:
    return list(
        db.session.scalars(
            db.select(ReceptionRule)
            .where(ReceptionRule.active.is_(True))
            .order_by(ReceptionRule.id)
        )
    )


def rule_by_public_id(public_id: str) -> ReceptionRule | None:
    return db.session.scalar(db.select(ReceptionRule).where(ReceptionRule.public_id == public_id))


def session_by_public_id(public_id: str) -> ReceptionSession | None:
    return db.session.scalar(
        db.select(ReceptionSession).where(ReceptionSession.public_id == public_id)
    )


def session_rows_from(day) -> list[ReceptionSession]:
    """Return the one-off and replacing sessions dated from `day` on (staff list)."""
    return list(
        db.session.scalars(
            db.select(ReceptionSession)
            .where(db.or_(ReceptionSession.day >= day, ReceptionSession.replaces_rule_day >= day))
            .order_by(ReceptionSession.day, ReceptionSession.starts_at)
        )
    )


def reception_documents() -> list[ReceptionDocument]:
    """Return the reception rules and regulations with their files, in the editors' order."""
    return list(
        db.session.scalars(
            db.select(ReceptionDocument)
            .options(db.joinedload(ReceptionDocument.stored_file))
            .order_by(ReceptionDocument.position, ReceptionDocument.id)
        )
    )


def document_by_public_id(public_id: str) -> ReceptionDocument | None:
    return db.session.scalar(
        db.select(ReceptionDocument)
        .options(db.joinedload(ReceptionDocument.stored_file))
        .where(ReceptionDocument.public_id == public_id)
    )


def calendar_exceptions(*, since=None) -> list[CalendarException]:
    """Return the administrator's days off and make-up working days, by date."""
    query = db.select(CalendarException).order_by(CalendarException.day)
    if since is not None:
        query = query.where(CalendarException.day >= since)
    return list(db.session.scalars(query))


def calendar_exception(day) -> CalendarException | None:
    return db.session.get(CalendarException, day)


def make_up_days(year: int) -> list:
    """The Saturdays worked in exchange for a bridge day off, this year and next."""
    return workdays.make_up_days(year) + workdays.make_up_days(year + 1)


def public_holidays(year: int, locale: str) -> list[tuple]:
    """Return (date, name) of Viet Nam's public holidays this year and next, for the calendar."""
    language = "vi" if locale == "vi" else "en_US"
    days = holidays.country_holidays("VN", years=(year, year + 1), language=language)
    return sorted(days.items())
