"""The staff's periodic report: who may read it, its figures against a hand count, the exports
(XLSX, CSV, the printable report) and their audit, the dashboard's reminder, and no identity.

The fixture is the second quarter of 2026 (compared with the first), counted on 15 July 2026.

| case | kind       | status        | received | accepted | resolution due | resolved | ended | due_on |
|------|------------|---------------|----------|----------|----------------|----------|-------|--------|
| A    | complaint  | responded     | 05/04    | 08/04    | 20/05          | 15/05    |       |        |
| B    | reflection | responded     | 10/04    | 12/04    | 30/04          | 10/05    |       |        |
| C    | petition   | transferred   | 02/05    |          |                |          | 05/05 |        |
| D    | reflection | not-accepted  | 01/06    |          |                |          | 03/06 |        |
| E    | complaint  | assigned      | 10/02    | 15/02    | 01/07          |          |       | 01/07  |
| F    | reflection | responded     | 01/03    | 02/03    | 20/03          | 18/03    |       |        |

B is rated 4 (solved) on 11/05; E's deadline was extended on 10/05; A carries a known name,
title and text that must never appear. Q2: received 4 (complaint 1, reflection 2, petition 1),
accepted 2, not accepted 1, transferred 1, resolved 2 (1 on time, 1 late: 50 %), 1 extension.
Q1: received 2 (complaint 1, reflection 1), accepted 2, resolved 1 on time (100 %).
Overdue on 15/07: E, 14 days. Disclosures: 2 in Q2 and 1 in Q1 in one category; another
category, due 30/06, has nothing and is overdue. Procedures: 1 fully online, 1 not online.
"""

import csv
import io
import re
from datetime import UTC, date, datetime
from types import SimpleNamespace

import openpyxl
import pytest
from flask_babel import force_locale
from flask_babel import gettext as _

from portal.core.audit import AuditEvent
from portal.extensions import db
from portal.reports import periodic
from portal.reports.periods import Period
from tests.auth import sign_in
from tests.cases.factories import create_case
from tests.contacts.factories import create_unit
from tests.disclosures.factories import create_category, create_disclosure
from tests.factories import create_user
from tests.procedures.factories import create_procedure

TODAY = date(2026, 7, 15)
SECRET = ("Nguyễn Văn Bímật", "Tiêu đề riêng tư XYZ", "Nội dung riêng tư QWE")


def _utc(y, m, d):
    return datetime(y, m, d, 3, tzinfo=UTC)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(periodic, "local_today", lambda: TODAY)
    return TODAY


@pytest.fixture
def people(app):
    with app.app_context():
        return SimpleNamespace(
            head=create_user(role="head"),
            leader=create_user(role="leader"),
        )


@pytest.fixture
def fixture(app, today):
    from portal.cases.models import CaseExtension

    with app.app_context():
        unit = create_unit(name="Phòng Thanh tra", handles_cases=True)
        create_case(
            kind="complaint",
            status="responded",
            received_at=_utc(2026, 4, 5),
            accepted_on=date(2026, 4, 8),
            resolution_due_on=date(2026, 5, 20),
            resolved_on=date(2026, 5, 15),
            handling_unit_id=unit.id,
            name=SECRET[0],
            email="bimat@example.vn",
            title=SECRET[1],
            description=SECRET[2],
        )
        create_case(
            kind="reflection",
            status="responded",
            received_at=_utc(2026, 4, 10),
            accepted_on=date(2026, 4, 12),
            resolution_due_on=date(2026, 4, 30),
            resolved_on=date(2026, 5, 10),
            rating=4,
            solved=True,
            rated_at=_utc(2026, 5, 11),
        )
        create_case(
            kind="petition",
            status="transferred",
            received_at=_utc(2026, 5, 2),
            ended_on=date(2026, 5, 5),
        )
        create_case(
            kind="reflection",
            status="not-accepted",
            topic="policy",
            received_at=_utc(2026, 6, 1),
            ended_on=date(2026, 6, 3),
        )
        overdue, _key = create_case(
            kind="complaint",
            status="assigned",
            received_at=_utc(2026, 2, 10),
            accepted_on=date(2026, 2, 15),
            resolution_due_on=date(2026, 7, 1),
            due_on=date(2026, 7, 1),
            handling_unit_id=unit.id,
        )
        create_case(
            kind="reflection",
            status="responded",
            received_at=_utc(2026, 3, 1),
            accepted_on=date(2026, 3, 2),
            resolution_due_on=date(2026, 3, 20),
            resolved_on=date(2026, 3, 18),
        )
        db.session.add(
            CaseExtension(
                case_id=overdue.id,
                ordinal=1,
                reason="Vụ việc phức tạp",
                decided_on=date(2026, 5, 10),
                due_on=date(2026, 7, 1),
            )
        )
        db.session.commit()
        plans = create_category(name="Kế hoạch công tác")
        for when in (_utc(2026, 5, 1), _utc(2026, 6, 30), _utc(2026, 2, 1)):
            create_disclosure(category=plans, publish_at=when)
        create_category(name="Báo cáo tài chính", due_on=date(2026, 6, 30))
        create_procedure(online_level="full", online_url="https://dichvucong.gov.vn/p/1")
        create_procedure(online_level="none")
        return SimpleNamespace(overdue_number=overdue.number, unit=unit.name)


def _vi(app, message, **values):
    with app.test_request_context(), force_locale("vi"):
        return _(message, **values)


def _audits(app):
    with app.app_context():
        return [
            (e.action, e.target_id, e.detail)
            for e in db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id))
            if e.action == "report.exported"
        ]


# --- Access ----------------------------------------------------------------------------------

URLS = (
    "/staff/reports",
    "/staff/reports?period=2026-Q2",
    "/staff/reports/print?period=2026-Q2",
    "/staff/reports/export.xlsx?period=2026-Q2",
    "/staff/reports/by-kind.csv?period=2026-Q2",
)


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("role", ["head", "leader"])
def test_heads_and_leaders_read_the_reports(app, client, today, role, url):
    with app.app_context():
        user = create_user(role=role)
    sign_in(client, user)
    client.get(url, expect=200)


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("role", ["handler", "editor", "admin"])
def test_other_roles_are_refused(app, client, role, url):
    with app.app_context():
        user = create_user(role=role)
    sign_in(client, user)
    client.get(url, expect=403)
    assert _audits(app) == []


@pytest.mark.parametrize("url", URLS)
def test_anonymous_readers_are_sent_to_sign_in(client, url):
    response = client.get(url, expect=302)
    assert "/staff/login" in response.headers["Location"]


# --- The page --------------------------------------------------------------------------------


def _table(html: str, key: str) -> str:
    start = html.index(f'id="t-{key}"')
    return html[start : html.index("</table>", start)]


def _cells(fragment: str) -> list[str]:
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", fragment, re.S)
    ]


def test_the_page_shows_the_hand_counted_figures_beside_the_previous_period(
    app, client, people, fixture
):
    sign_in(client, people.head)
    html = client.get("/staff/reports?period=2026-Q2").get_data(as_text=True)

    kinds = _cells(_table(html, "by-kind"))
    complaint, reflection, petition = (
        _vi(app, "Complaint"),
        _vi(app, "Reflection"),
        _vi(app, "Petition"),
    )
    # Rows: kind, this period, previous period, difference.
    assert kinds[kinds.index(reflection) : kinds.index(reflection) + 4] == [
        reflection,
        "2",
        "1",
        "1",
    ]
    assert kinds[kinds.index(complaint) : kinds.index(complaint) + 4] == [complaint, "1", "1", "0"]
    assert kinds[kinds.index(petition) : kinds.index(petition) + 4] == [petition, "1", "0", "1"]
    assert kinds[-4:] == [_vi(app, "Total"), "4", "2", "2"]

    handling = _cells(_table(html, "handling"))
    for label, row in (
        ("Accepted for handling", ["2", "2", "0"]),
        ("Not accepted", ["1", "0", "1"]),
        ("Transferred to another body", ["1", "0", "1"]),
        ("Deadline extensions decided", ["1", "0", "1"]),
    ):
        at = handling.index(_vi(app, label))
        assert handling[at + 1 : at + 4] == row, label

    resolution = _cells(_table(html, "resolution"))
    # This period: 2 resolved, 1 on time, 1 late, 0 without a deadline, 50 %; before: 100 %.
    assert resolution[7:12] == ["2", "1", "1", "0", "50%"]
    assert resolution[13:18] == ["1", "1", "0", "0", "100%"]
    assert resolution[-1] == "-50%"

    overdue = _cells(_table(html, "overdue"))
    assert overdue[5:] == [fixture.overdue_number, complaint, fixture.unit, "01/07/2026", "14"]

    disclosures = _cells(_table(html, "disclosures"))
    at = disclosures.index("Kế hoạch công tác")
    assert disclosures[at + 1 : at + 4] == ["2", "1", "1"]
    obligations = _cells(_table(html, "obligations"))
    assert "Báo cáo tài chính" in obligations and "30/06/2026" in obligations
    assert "Kế hoạch công tác" not in obligations

    procedures = _cells(_table(html, "procedures"))
    at = procedures.index(_vi(app, "Fully online"))
    assert procedures[at + 1] == "1"
    assert procedures[-2:] == [_vi(app, "Total"), "2"]

    for secret in SECRET:
        assert secret not in html


def test_a_wrong_period_is_refused_with_the_typed_value_kept(app, client, people, today):
    sign_in(client, people.leader)
    response = client.get("/staff/reports?period=2026-13", expect=400)
    html = response.get_data(as_text=True)
    assert _vi(app, "Choose a month from 1 to 12.") in html
    assert 'value="2026-13"' in html
    assert 'aria-invalid="true"' in html


def test_without_a_period_the_page_opens_on_the_next_report_due(client, people, today):
    sign_in(client, people.head)
    html = client.get("/staff/reports").get_data(as_text=True)
    # On 15 July 2026 the next report is the annual report of 2026.
    assert 'value="2026"' in html
    assert 'href="/staff/reports?period=2026-H1"' in html


# --- Exports ---------------------------------------------------------------------------------


def test_the_xlsx_holds_every_table_with_the_same_figures(app, client, people, fixture):
    sign_in(client, people.head)
    response = client.get("/staff/reports/export.xlsx?period=2026-Q2")

    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment;" in response.headers["Content-Disposition"]
    assert "filename*=UTF-8''bao-cao-2026-Q2.xlsx" in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert len(book.sheetnames) == len(periodic.TABLES)
    values = [list(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    assert [_vi(app, "Total"), 4, 2, 2] in [row[:4] for row in values]
    assert [fixture.overdue_number, _vi(app, "Complaint"), fixture.unit] in [
        row[:3] for row in values
    ]
    assert ["Kế hoạch công tác", 2, 1, 1] in [row[:4] for row in values]
    flat = repr(values)
    for secret in SECRET:
        assert secret not in flat
    with app.test_request_context(), force_locale("vi"):
        expected_title = periodic.Report(Period.quarter(2026, 2), None, TODAY, {}).title
    assert book.properties.title == expected_title
    assert _audits(app) == [("report.exported", "2026-Q2", {"format": "xlsx"})]


def test_the_csv_holds_one_table(app, client, people, fixture):
    sign_in(client, people.leader)
    response = client.get("/staff/reports/overdue.csv?period=2026-Q2")

    assert response.mimetype == "text/csv"
    assert "bao-cao-2026-Q2-overdue.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == [
        _vi(app, "Case number"),
        _vi(app, "Kind"),
        _vi(app, "Handling unit"),
        _vi(app, "Due on"),
        _vi(app, "Days overdue"),
    ]
    assert rows[1:] == [
        [fixture.overdue_number, _vi(app, "Complaint"), fixture.unit, "01/07/2026", "14"]
    ]
    assert _audits(app) == [("report.exported", "2026-Q2", {"format": "csv:overdue"})]

    kinds = client.get("/staff/reports/by-kind.csv?period=2026-Q2").data.decode("utf-8-sig")
    assert f"{_vi(app, 'Total')},4,2,2" in kinds
    for secret in SECRET:
        assert secret not in kinds


def test_an_unknown_table_or_a_missing_period_is_refused(client, people, today):
    sign_in(client, people.head)
    client.get("/staff/reports/citizens.csv?period=2026-Q2", expect=404)
    client.get("/staff/reports/by-kind.csv", expect=400)
    client.get("/staff/reports/export.xlsx?period=2026-13", expect=400)


def test_the_printable_report_is_an_official_report(app, client, people, fixture):
    with app.app_context():
        from portal.core import site

        site.save({"agency_name": "Sở Nội vụ tỉnh Thử", "parent_body": "UBND tỉnh Thử"})
        db.session.commit()
    sign_in(client, people.head)
    html = client.get("/staff/reports/print?period=2026-H1").get_data(as_text=True)

    assert "UBND TỈNH THỬ" in html and "SỞ NỘI VỤ TỈNH THỬ" in html
    assert 'border="1"' not in html and "report-table--ruled" in html
    assert _vi(app, "SOCIALIST REPUBLIC OF VIETNAM") in html
    assert _vi(app, "Independence – Freedom – Happiness") in html
    assert _vi(app, "HEAD OF THE AGENCY") in html
    assert "<script" not in html
    assert fixture.overdue_number in html
    for secret in SECRET:
        assert secret not in html
    assert _audits(app) == [("report.exported", "2026-H1", {"format": "print"})]


# --- The dashboard -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "shown"),
    [
        (date(2027, 6, 10), True),  # 30 days before 10 July
        (date(2027, 6, 28), True),
        (date(2027, 6, 9), False),  # 31 days before
        (date(2027, 7, 11), False),  # the annual report is months away
    ],
)
def test_the_dashboard_reminds_of_the_report_due_within_30_days(
    app, client, people, monkeypatch, day, shown
):
    monkeypatch.setattr(periodic, "local_today", lambda: day)
    sign_in(client, people.head)
    html = client.get("/staff/").get_data(as_text=True)

    assert 'href="/staff/reports"' in html
    assert ("10/07/2027" in html) is shown
    assert ('href="/staff/reports?period=2027-H1"' in html) is shown


def test_the_reminder_says_which_report_and_how_many_days_are_left(app):
    due = periodic.reminder(date(2027, 6, 28))
    assert due.kind == "six-month" and due.due_on == date(2027, 7, 10) and due.days_left == 12
    assert periodic.reminder(date(2027, 12, 20)).period.param == "2027"
    assert periodic.reminder(date(2027, 11, 30)) is None


def test_a_handler_has_no_reports_card(client, app):
    with app.app_context():
        user = create_user(role="handler")
    sign_in(client, user)
    assert "/staff/reports" not in client.get("/staff/").get_data(as_text=True)
