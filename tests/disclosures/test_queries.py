"""Reads: the public listing and its filters, years, and the list of obligations."""

from datetime import UTC, datetime, timedelta

import pytest

from portal.core.workdays import local_date
from portal.disclosures import categories as category_services
from portal.disclosures import queries, services
from portal.extensions import db
from tests.disclosures.factories import (
    backdate,
    create_category,
    create_disclosure,
    create_unit,
)

pytestmark = pytest.mark.usefixtures("app_ctx")


def _titles(page):
    return [d.title for d in page.items]


def _at(year, month, day, hour=12):
    return datetime(year, month, day, hour, tzinfo=UTC)


def test_listing_is_newest_first_and_public_only():
    create_disclosure(title="Cũ", publish_at=_at(2025, 3, 1))
    create_disclosure(title="Mới", publish_at=_at(2026, 3, 1))
    create_disclosure(title="Nháp", status="draft")
    create_disclosure(title="Hẹn giờ", status="scheduled")
    create_disclosure(title="Thu hồi", status="withdrawn", publish_at=_at(2025, 6, 1))
    assert _titles(queries.listing(queries.Filters())) == ["Mới", "Thu hồi", "Cũ"]


def test_filter_by_category():
    budget = create_category(name="Ngân sách")
    create_disclosure(title="Dự toán", category=budget)
    create_disclosure(title="Tuyển dụng")
    assert _titles(queries.listing(queries.Filters(category=budget))) == ["Dự toán"]


def test_filter_by_year_uses_vietnam_time():
    # 31/12/2025 20:00 UTC is already 1 January 2026 in Vietnam.
    create_disclosure(title="Đầu năm", publish_at=datetime(2025, 12, 31, 20, tzinfo=UTC))
    create_disclosure(title="Cuối năm", publish_at=datetime(2025, 12, 31, 10, tzinfo=UTC))
    assert _titles(queries.listing(queries.Filters(year=2026))) == ["Đầu năm"]
    assert _titles(queries.listing(queries.Filters(year=2025))) == ["Cuối năm"]
    assert queries.public_years() == [2026, 2025]


def test_filter_by_unit_and_papi():
    unit = create_unit(slug="van-phong", name="Văn phòng Sở")
    create_disclosure(title="Của văn phòng", unit=unit, papi=(2, 5))
    create_disclosure(title="Không đơn vị", papi=(1,))
    assert _titles(queries.listing(queries.Filters(unit=unit))) == ["Của văn phòng"]
    assert _titles(queries.listing(queries.Filters(papi=5))) == ["Của văn phòng"]
    assert _titles(queries.listing(queries.Filters(papi=1))) == ["Không đơn vị"]
    assert _titles(queries.listing(queries.Filters(papi=8))) == []


def test_pagination_is_twenty_a_page():
    category = create_category()
    for n in range(23):
        create_disclosure(category=category, title=f"Mục {n}", publish_at=_at(2026, 1, 1 + n))
    first = queries.listing(queries.Filters(), page=1)
    second = queries.listing(queries.Filters(), page=2)
    assert (first.total, first.pages, len(first.items), len(second.items)) == (23, 2, 20, 3)
    assert first.items[0].title == "Mục 22"
    assert second.items[-1].title == "Mục 0"


def test_public_years_is_empty_without_public_items():
    create_disclosure(status="draft")
    assert queries.public_years() == []


# --- Obligations and the overdue rule ---------------------------------------------------------


def _today():
    return local_date(datetime.now(UTC))


def _obligation(category):
    return next(o for o in queries.obligations() if o.category.id == category.id)


def test_no_due_date_is_never_overdue():
    category = create_category()
    assert not _obligation(category).overdue


def test_due_date_today_or_later_is_not_overdue():
    assert not _obligation(create_category(due_on=_today())).overdue
    assert not _obligation(create_category(due_on=_today() + timedelta(days=1))).overdue


def test_due_date_passed_with_nothing_published_is_overdue():
    category = create_category(due_on=_today() - timedelta(days=1))
    assert _obligation(category).overdue
    assert [o.category for o in queries.overdue_obligations()] == [category]


def test_a_disclosure_from_before_the_due_date_does_not_meet_it():
    category = create_category()
    create_disclosure(category=category, publish_at=datetime.now(UTC) - timedelta(days=60))
    category_services.update_category(
        category, {"due_on": _today() - timedelta(days=10)}, actor=None
    )
    obligation = _obligation(category)
    assert obligation.overdue
    assert obligation.count == 1 and obligation.latest is not None


def test_a_late_disclosure_ends_the_overdue_flag_once_public():
    category = create_category(due_on=_today() - timedelta(days=10))
    late = create_disclosure(category=category, status="scheduled")
    assert _obligation(category).overdue  # scheduled: not public yet
    services.unschedule_disclosure(late, actor=None)
    services.publish_disclosure(late, actor=None)
    assert category.due_on is not None  # late: the date stays, for the record
    assert not _obligation(category).overdue


def test_a_disclosure_published_on_time_clears_the_due_date():
    category = create_category(due_on=_today() + timedelta(days=3))
    create_disclosure(category=category)
    db.session.refresh(category)
    assert category.due_on is None
    assert not _obligation(category).overdue


def test_a_scheduled_disclosure_due_in_time_clears_the_due_date_too():
    category = create_category(due_on=_today() + timedelta(days=10))
    create_disclosure(category=category, status="scheduled")
    assert category.due_on is None


def test_withdrawn_and_draft_items_count_only_when_public():
    category = create_category()
    create_disclosure(category=category, status="draft")
    withdrawn = create_disclosure(category=category, status="withdrawn")
    obligation = _obligation(category)
    assert obligation.count == 1
    assert obligation.latest == withdrawn.publish_at


def test_inactive_categories_are_not_listed():
    hidden = create_category(active=False)
    assert hidden not in [o.category for o in queries.obligations()]


def test_latest_is_the_newest_public_publication():
    category = create_category()
    newest = create_disclosure(category=category)
    older = create_disclosure(category=category)
    backdate(older, datetime.now(UTC) - timedelta(days=400))
    assert _obligation(category).latest == newest.publish_at
