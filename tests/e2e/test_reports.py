"""The public scorecard and the staff report in Chromium: the figures and charts read without
JavaScript, axe-core finds nothing, a CSV and the XLSX download."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from portal.cases.models import CaseStatus
from tests.cases.factories import create_case
from tests.e2e.browser import sign_in, translate
from tests.factories import create_user

YEAR = 2025


@pytest.fixture
def cases(app):
    """Seven petitions received in March 2025 and answered in April, on time."""
    with app.app_context():
        for n in range(7):
            create_case(
                kind="petition",
                status=CaseStatus.CLOSED,
                received_at=datetime(YEAR, 3, 2 + n, 3, 0, tzinfo=UTC),
                accepted_on=date(YEAR, 3, 10 + n),
                resolution_due_on=date(YEAR, 4, 30),
                resolved_on=date(YEAR, 4, 10),
                ended_on=date(YEAR, 4, 12),
            )


@pytest.mark.usefixtures("site_settings")
@pytest.mark.parametrize("locale", ["vi", "en"])
def test_the_scorecard_reads_without_scripts_and_passes_axe(page, app, cases, axe_check, locale):
    if locale != "vi":
        page.goto(f"/ngon-ngu/{locale}")
    page.goto(f"/thong-ke?period={YEAR}")

    expect(page.locator("h1")).to_be_visible()
    kinds = page.locator("figure").filter(has_text=translate(app, "Petition", locale))
    expect(kinds.first).to_be_visible()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    axe_check(page)

    with page.expect_download() as download_info:
        page.get_by_role(
            "link", name=translate(app, "Download the figures (CSV)", locale)
        ).first.click()
    text = download_info.value.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) > 1


@pytest.mark.usefixtures("site_settings")
def test_the_head_downloads_the_annual_report_as_xlsx(page, app, cases, axe_check):
    with app.app_context():
        head = create_user(role="head")
    sign_in(page, app, head)
    page.goto(f"/staff/reports?period={YEAR}")
    expect(page.locator("h1")).to_be_visible()
    axe_check(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=translate(app, "Download the report (XLSX)")).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(download.path().read_bytes()))
    values = [
        cell for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True)
        for cell in row
    ]  # fmt: skip
    assert 7 in values  # the seven petitions, as a number
