"""The public scorecard (/thong-ke) and its CSV downloads, checked against counts by hand.

The fixture, all in 2025 (dates local, Vietnam):

| cases | kind       | received | unit | resolution due | resolved  |
|-------|------------|----------|------|----------------|-----------|
| 5     | reflection | 01/04    | U1   | 30/04          | 20/04 (on time, 19 days) |
| 5     | reflection | 01/04    | U1   | 30/04          | 11/05 (late, 40 days)    |
| 2     | reflection | 01/04    | U1   |                |           |
| 3     | complaint  | 02/06    | U2   |                |           |

Year 2025: received 15, resolved 10, on time 5 of 10 (50%), median 29.5 days; by kind
reflection 12 received / 10 resolved, complaint 3 ("< 5") / 0, petition and denunciation 0;
by unit U1 12 / 10, U2 3 ("< 5") / 0. One complaint carries a known name, e-mail, title and
description, which must never reach the page or a CSV.
"""

import csv
import io
import re
from datetime import UTC, date, datetime
from urllib.parse import unquote

import pytest
from markupsafe import escape

from portal.core import cache
from portal.reports import scorecard
from tests.apps import other_app
from tests.cases.factories import create_case
from tests.cases.wording import say
from tests.contacts.factories import create_unit
from tests.pages import PageClient

SECRET = {
    "name": "Nguyễn Thị Bí Mật",
    "email": "bi.mat.9271@example.vn",
    "title": "Tiêu đề riêng tư Q7Z",
    "description": "Nội dung riêng tư không được công bố K3W",
}


def _utc(y, m, d):
    return datetime(y, m, d, 3, tzinfo=UTC)  # 10:00 in Vietnam, the same day


@pytest.fixture
def fixture(app_ctx):
    """Build the module's fifteen cases; return the numbers of the cases."""
    u1 = create_unit(name="Phòng Thanh tra", name_en="Inspectorate", handles_cases=True).id
    u2 = create_unit(name="Phòng Hành chính", name_en="Administration", handles_cases=True).id
    numbers = []
    for n in range(10):
        late = n >= 5
        case = create_case(
            kind="reflection", status="responded", received_at=_utc(2025, 4, 1),
            handling_unit_id=u1, accepted_on=date(2025, 4, 3),
            resolution_due_on=date(2025, 4, 30),
            resolved_on=date(2025, 5, 11) if late else date(2025, 4, 20),
        )[0]  # fmt: skip
        numbers.append(case.number)
    for _ in range(2):
        numbers.append(
            create_case(
                kind="reflection", status="received", received_at=_utc(2025, 4, 1),
                handling_unit_id=u1,
            )[0].number
        )  # fmt: skip
    numbers.append(
        create_case(
            kind="complaint", status="received", received_at=_utc(2025, 6, 2),
            handling_unit_id=u2, **SECRET,
        )[0].number
    )  # fmt: skip
    for _ in range(2):
        numbers.append(
            create_case(
                kind="complaint", status="received", received_at=_utc(2025, 6, 2),
                handling_unit_id=u2,
            )[0].number
        )  # fmt: skip
    return numbers


def html(text: str) -> str:
    return str(escape(text))


def figure(page: str, app, label: str) -> str:
    """The text shown for a headline figure."""
    found = re.search(
        rf"<dt>{re.escape(html(say(app, label)))}</dt>\s*<dd>([^<]*)", page, flags=re.S
    )
    assert found, f"no figure {label!r}"
    return found.group(1).strip()


def row(page: str, category: str) -> list[str]:
    """The cells of every table row headed `category`, in page order, flattened."""
    cells = []
    pattern = (
        rf'<th scope="row">{re.escape(html(category))}</th>((?:\s*<td class="num">[^<]*</td>)+)'
    )
    for found in re.finditer(pattern, page):
        cells.append(re.findall(r'<td class="num">([^<]*)</td>', found.group(1)))
    assert cells, f"no row {category!r}"
    return cells


def read_csv(response) -> list[list[str]]:
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf"), "a CSV for Excel starts with a UTF-8 BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# --- The page ---------------------------------------------------------------------------------


def test_page_renders_for_an_empty_database(app, client):
    page = client.get("/thong-ke").get_data(as_text=True)
    assert html(say(app, "How we answer citizens")) in page
    this_year = scorecard.today().year
    assert f'name="year" type="text" inputmode="numeric" size="6" value="{this_year}"' in page
    assert figure(page, app, "Cases received") == "0"
    assert figure(page, app, "Resolved on time") == say(app, "Not shown")
    for name in scorecard.TABLES:
        assert f"/thong-ke/{name}.csv?period={this_year}" in page


def test_figures_match_the_hand_counted_fixture(app, client, fixture):
    page = client.get("/thong-ke?kind=year&year=2025").get_data(as_text=True)
    assert figure(page, app, "Cases received") == "15"
    assert figure(page, app, "Cases accepted for handling") == "10"
    assert figure(page, app, "Cases resolved") == "10"
    assert figure(page, app, "Cases transferred to the competent body") == "0"
    assert figure(page, app, "Resolved on time") == "50%"
    assert figure(page, app, "Median days to respond") == "29,5"
    # Nobody rated an answer: no average to show.
    assert figure(page, app, "Average rating (1 to 5)") == say(app, "Not shown")


def test_tables_by_kind_and_unit_hide_small_counts(app, client, fixture):
    page = client.get("/thong-ke?period=2025").get_data(as_text=True)
    assert row(page, say(app, "Reflection")) == [["12", "10"]]
    assert row(page, say(app, "Complaint")) == [["&lt; 5", "0"]]
    assert row(page, say(app, "Petition")) == [["0", "0"]]
    assert row(page, "Phòng Thanh tra") == [["12", "10"]]
    assert row(page, "Phòng Hành chính") == [["&lt; 5", "0"]]
    assert row(page, "04/2025") == [["12", "5"]]
    assert row(page, "05/2025") == [["0", "5"]]
    assert row(page, "06/2025") == [["&lt; 5", "0"]]
    # No bar is drawn to the length of a suppressed count: the bar charts say "< 5" as well,
    # and the month chart above its hatched gap.
    assert page.count(">&lt; 5</text>") == 3


def test_unit_names_follow_the_readers_language(app, client, fixture):
    client.set_cookie(app.config["LANGUAGE_COOKIE_NAME"], "en")
    page = client.get("/thong-ke?period=2025").get_data(as_text=True)
    assert row(page, "Inspectorate") == [["12", "10"]]
    assert row(page, "Complaint") == [["&lt; 5", "0"]]


def test_a_period_chosen_by_quarter_counts_only_its_cases(app, client, fixture):
    page = client.get("/thong-ke?kind=quarter&year=2025&number=2").get_data(as_text=True)
    assert html(say(app, "Quarter %(quarter)d/%(year)d", quarter=2, year=2025)) in page
    assert figure(page, app, "Cases received") == "15"
    page = client.get("/thong-ke?kind=month&year=2025&number=6").get_data(as_text=True)
    assert figure(page, app, "Cases received") == "&lt; 5"
    assert figure(page, app, "Cases resolved") == "0"
    assert 'value="6"' in page


@pytest.mark.parametrize(
    ("query", "message", "kept"),
    [
        ("kind=quarter&year=2025&number=7", "Choose a quarter from 1 to 4.", 'value="7"'),
        ("kind=month&year=20x5&number=3", "Enter a year from %(first)d to %(last)d.", "20x5"),
        (
            "kind=month&year=2025&number=",
            "Enter the number of the month, quarter or half year.",
            'value="2025"',
        ),
        ("period=2025-Q9", "Choose a quarter from 1 to 4.", ""),
        ("kind=decade&year=2025", "Choose a kind of period from the list.", 'value="2025"'),
    ],
)
def test_a_bad_period_says_what_is_wrong_and_keeps_the_input(app, client, query, message, kept):
    page = client.get(f"/thong-ke?{query}", expect=400).get_data(as_text=True)
    assert html(say(app, message, first=2000, last=2100)) in page
    assert html(say(app, "There is a problem")) in page
    assert kept in page
    assert "<svg" not in page


# --- CSV --------------------------------------------------------------------------------------


def test_csv_is_the_suppressed_table_of_the_page(app, client, fixture):
    response = client.get("/thong-ke/kind.csv?period=2025")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="thong-ke-kind-2025.csv"; ')
    utf8_name = unquote(disposition.split("filename*=UTF-8''")[1])
    assert utf8_name == f"{say(app, 'Cases by kind')} 2025.csv"
    rows = read_csv(response)
    assert rows[0] == [say(app, "Kind"), say(app, "Received"), say(app, "Resolved")]
    assert rows[1:] == [
        [say(app, "Reflection"), "12", "10"],
        [say(app, "Petition"), "0", "0"],
        [say(app, "Complaint"), "< 5", "0"],
        [say(app, "Denunciation"), "0", "0"],
    ]


def test_csv_by_unit_and_month(app, client, fixture):
    units = read_csv(client.get("/thong-ke/unit.csv?period=2025"))
    # Units in the organisation's order (position, then name).
    assert units[1:] == [["Phòng Hành chính", "< 5", "0"], ["Phòng Thanh tra", "12", "10"]]
    months = read_csv(client.get("/thong-ke/month.csv?period=2025-Q2"))
    assert months[1:] == [["04/2025", "12", "5"], ["05/2025", "0", "5"], ["06/2025", "< 5", "0"]]


def test_csv_of_an_unknown_table_or_period_is_refused(client):
    client.get("/thong-ke/people.csv?period=2025", expect=404)
    client.get("/thong-ke/kind.csv?period=2025-Q9", expect=400)


# --- Privacy ----------------------------------------------------------------------------------


def test_no_citizen_text_or_identity_reaches_the_page_or_a_csv(app, client, fixture):
    bodies = [
        client.get(f"/thong-ke?{query}").get_data(as_text=True)
        for query in ("period=2025", "period=2025-06", "period=2025-Q2")
    ]
    bodies += [
        client.get(f"/thong-ke/{name}.csv?period={period}").get_data().decode("utf-8-sig")
        for name in scorecard.TABLES
        for period in ("2025", "2025-06")
    ]
    for body in bodies:
        for secret in (*SECRET.values(), *fixture):
            assert secret not in body
            assert html(secret) not in body


def test_a_rate_over_four_cases_is_hidden(app, client, app_ctx):
    for _ in range(4):
        create_case(
            kind="petition", status="responded", received_at=_utc(2024, 3, 1),
            resolution_due_on=date(2024, 3, 30), resolved_on=date(2024, 3, 10),
            rating=5, solved=True, rated_at=_utc(2024, 3, 12),
        )  # fmt: skip
    page = client.get("/thong-ke?period=2024").get_data(as_text=True)
    assert figure(page, app, "Cases resolved") == "&lt; 5"
    for label in (
        "Resolved on time",
        "Median days to respond",
        "Average rating (1 to 5)",
        "Said their problem was solved",
    ):
        assert figure(page, app, label) == say(app, "Not shown")
    assert "100%" not in page


# --- Caching ----------------------------------------------------------------------------------


def test_each_period_is_cached_on_its_own_for_anonymous_readers(app, fixture):
    settings = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "PUBLIC_PAGE_CACHE_SECONDS": 60,
    }
    with other_app(app, "testing", settings) as application:
        cache.clear()
        try:
            client = PageClient(application.test_client())
            year = client.get("/thong-ke?period=2025")
            assert year.headers["Cache-Control"] == "public, max-age=60"
            june = client.get("/thong-ke?period=2025-06").get_data()
            assert june != year.get_data()
            assert client.get("/thong-ke?period=2025").get_data() == year.get_data()
        finally:
            cache.clear()


def test_a_new_case_shows_at_once_although_the_page_is_cached(app, fixture):
    settings = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "PUBLIC_PAGE_CACHE_SECONDS": 3600,
    }
    with other_app(app, "testing", settings) as application:
        cache.clear()
        try:
            client = PageClient(application.test_client())
            before = client.get("/thong-ke?period=2025").get_data(as_text=True)
            assert figure(before, app, "Cases received") == "15"
            assert client.get("/thong-ke?period=2025").get_data(as_text=True) == before
            with application.app_context():
                create_case(kind="petition", received_at=_utc(2025, 8, 1))  # a new event

            after = client.get("/thong-ke?period=2025").get_data(as_text=True)
            assert figure(after, app, "Cases received") == "16"
        finally:
            cache.clear()
