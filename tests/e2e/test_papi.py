"""The PAPI evidence page in Chromium: a head opens it from the dashboard, it reads without
JavaScript in both languages, and axe-core finds nothing."""

from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect

from portal.cases.models import CaseStatus
from tests.cases.factories import create_case
from tests.disclosures.factories import create_disclosure
from tests.e2e.browser import sign_in, translate
from tests.factories import create_user

YEAR = 2025


@pytest.fixture
def evidence(app):
    """Three petitions answered on time and two disclosures tagged with PAPI dimensions."""
    with app.app_context():
        for n in range(3):
            create_case(
                kind="petition",
                status=CaseStatus.CLOSED,
                received_at=datetime(YEAR, 3, 2 + n, 3, 0, tzinfo=UTC),
                accepted_on=date(YEAR, 3, 10 + n),
                resolution_due_on=date(YEAR, 4, 30),
                resolved_on=date(YEAR, 4, 10),
                ended_on=date(YEAR, 4, 12),
            )
        create_disclosure(papi=(1, 2), publish_at=datetime(YEAR, 5, 1, 3, tzinfo=UTC))
        create_disclosure(papi=(3,), publish_at=datetime(YEAR, 6, 1, 3, tzinfo=UTC))


@pytest.mark.usefixtures("site_settings")
@pytest.mark.parametrize("locale", ["vi", "en"])
def test_the_head_reads_the_papi_evidence_and_it_passes_axe(page, app, evidence, axe_check, locale):
    with app.app_context():
        head = create_user(role="head")
    sign_in(page, app, head)
    axe_check(page)  # the dashboard, with its PAPI block
    if locale != "vi":
        page.goto(f"/ngon-ngu/{locale}")
    page.goto(f"/staff/reports/papi?period={YEAR}")

    expect(page.locator("h1")).to_have_text(
        translate(app, "PAPI plan: the portal's evidence", locale)
    )
    name = translate(app, "3. Vertical accountability", locale)
    table = page.get_by_role(
        "table", name=translate(app, "Evidence: %(dimension)s", locale, dimension=name)
    )
    expect(table).to_be_visible()
    expect(table.get_by_text("100%")).to_be_visible()  # the three petitions, on time
    axe_check(page)
