"""The public scorecard, the register of concluded denunciations and the staff report in
Chromium: the figures, charts and tables read without JavaScript, axe-core finds nothing, a CSV
and the XLSX download."""

import csv
import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from portal.cases.models import CaseResponse, CaseStatus
from portal.extensions import db
from tests.cases.factories import create_case
from tests.contacts.factories import create_unit
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


@pytest.fixture
def denunciations(app):
    """Six denunciations concluded in 2025: five well-founded, one not accepted."""
    with app.app_context():
        unit = create_unit(name="Phòng Thanh tra", name_en="Inspectorate").id
        for n in range(5):
            case = create_case(
                kind="denunciation", status=CaseStatus.CLOSED, topic="harassment",
                received_at=datetime(YEAR, 3, 2 + n, 3, 0, tzinfo=UTC), handling_unit_id=unit,
                accepted_on=date(YEAR, 3, 10 + n), resolved_on=date(YEAR, 4, 10 + n),
                ended_on=date(YEAR, 4, 20),
            )[0]  # fmt: skip
            db.session.add(
                CaseResponse(
                    case_id=case.id, outcome="upheld", status="published", body="Kết luận",
                    published_at=datetime(YEAR, 4, 10 + n, 3, 0, tzinfo=UTC),
                )
            )  # fmt: skip
        db.session.commit()
        create_case(
            kind="denunciation", status=CaseStatus.NOT_ACCEPTED, handling_unit_id=unit,
            received_at=datetime(YEAR, 5, 2, 3, 0, tzinfo=UTC), refusal_reason="not-competent",
            ended_on=date(YEAR, 5, 9),
        )  # fmt: skip


@pytest.mark.usefixtures("site_settings")
@pytest.mark.parametrize("locale", ["vi", "en"])
def test_the_denunciation_register_passes_axe(page, app, denunciations, axe_check, locale):
    if locale != "vi":
        page.goto(f"/ngon-ngu/{locale}")
    page.goto("/thong-ke")
    page.get_by_role(
        "link", name=translate(app, "What came of the denunciations we concluded", locale)
    ).click()

    expect(page.locator("h1")).to_have_text(translate(app, "Outcomes of denunciations", locale))
    register = page.get_by_role(
        "table", name=translate(app, "Concluded denunciations, newest first", locale)
    )
    expect(register.locator("tbody tr")).to_have_count(6)
    page.get_by_label(translate(app, "Outcome", locale), exact=True).select_option("upheld")
    page.get_by_role("button", name=translate(app, "Show", locale)).click()
    expect(register.locator("tbody tr")).to_have_count(5)
    axe_check(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name=translate(app, "Download the register (CSV)", locale)).click()
    text = download_info.value.path().read_bytes().decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == 1 + 5


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
