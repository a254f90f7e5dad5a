"""The public register of concluded denunciations (/thong-ke/to-cao) and its CSV.

The fixture (dates local, Vietnam); every case is a denunciation unless said otherwise:

| case | status        | outcome             | unit | topic          | received   | accepted   | concluded  | days |
|------|---------------|---------------------|------|----------------|------------|------------|------------|------|
| T6   | transferred   | transferred         | U1   | other          | 03/08/2025 |            | 10/08/2025 |      |
| T5   | not accepted  | not accepted, other | U2   | procedure      | 02/07/2025 |            | 09/07/2025 |      |
| T4   | not accepted  | not accepted, "not within the competence" | U2 | procedure | 01/07/2025 | | 08/07/2025 | |
| T2   | responded     | partly well-founded | U1   | staff-conduct  | 10/05/2025 | 15/05/2025 | 20/06/2025 | 36   |
| T1   | closed        | well-founded        | U1   | harassment     | 02/03/2025 | 05/03/2025 | 04/04/2025 | 30   |
| T7   | withdrawn     | withdrawn           | none | policy         | 01/02/2025 | 05/02/2025 | 20/02/2025 | 15   |
| T3   | closed        | unfounded (latest published response; a later draft says otherwise) | U2 | public-finance | 01/09/2024 | 03/09/2024 | 02/10/2024 | 29 |
| B×5  | closed        | unfounded           | U1   | harassment     | 01/03/2023 | 02/03/2023 | 01/04/2023 | 30   |

T1 is "concluded" on the day its conclusion was published (resolved_on 04/04), not the day it
was closed (10/04). Left out: a merged denunciation, one still being verified, and a closed
reflection. U2's name starts with "=", a formula to a spreadsheet. T1 is confidential and
carries a name, e-mail, phone, title and description; T6 was transferred to a body typed as
free text; T7's withdrawal reason and every response body are text: none may reach the page
or the CSV, in either language.

Outcomes, all years: well-founded 1, partly 1, unfounded 6, not accepted 2, transferred 1,
withdrawn 1, so everything but "unfounded" shows as "< 5".
"""

import csv
import io
import re
from datetime import UTC, date, datetime
from types import SimpleNamespace
from urllib.parse import unquote

import pytest
from flask_babel import force_locale
from markupsafe import escape

from portal.cases.forms import TOPIC_LABELS
from portal.cases.models import CaseResponse, Topic
from portal.core import cache
from portal.extensions import db
from portal.reports import denunciations
from tests.apps import other_app
from tests.cases.factories import create_case
from tests.cases.wording import say
from tests.contacts.factories import create_unit
from tests.pages import PageClient

SECRET = {
    "name": "Trần Văn Tố Giác",
    "email": "to.giac.5521@example.vn",
    "phone": "0912345678",
    "title": "Tiêu đề bí mật TCX9",
    "description": "Nội dung tố cáo bí mật không được công bố P4R",
}
TEXTS = {
    "transferred_to": "Công an huyện Bí Ẩn QZ1",
    "withdrawal_reason": "Lý do rút đơn riêng tư WD7",
    "response": "Văn bản kết luận riêng tư RB2",
    "reflection": "Phản ánh không thuộc sổ RF3",
}
EVIL_UNIT = "=1+1 Phòng Kiểm tra"


def _utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 3, tzinfo=UTC)  # 10:00 in Vietnam


def _respond(case_id: int, outcome: str, *, status: str = "published", day: date) -> None:
    db.session.add(
        CaseResponse(
            case_id=case_id,
            outcome=outcome,
            status=status,
            body=TEXTS["response"],
            published_at=_utc(day) if status == "published" else None,
        )
    )
    db.session.commit()


def _denunciation(received: date, **fields):
    return create_case(kind="denunciation", received_at=_utc(received), **fields)[0]


@pytest.fixture
def fixture(app_ctx):
    """Build the module's cases; return the units and every case number."""
    u1 = create_unit(name="Phòng Thanh tra", name_en="Inspectorate", position=1).id
    u2 = create_unit(name=EVIL_UNIT, name_en="=1+1 Inspection", position=2).id
    numbers = []

    t1 = _denunciation(
        date(2025, 3, 2), status="closed", topic="harassment", handling_unit_id=u1,
        accepted_on=date(2025, 3, 5), resolved_on=date(2025, 4, 4), ended_on=date(2025, 4, 10),
        **SECRET,
    )  # fmt: skip
    _respond(t1.id, "upheld", day=date(2025, 4, 4))
    t2 = _denunciation(
        date(2025, 5, 10), status="responded", topic="staff-conduct", handling_unit_id=u1,
        accepted_on=date(2025, 5, 15), resolved_on=date(2025, 6, 20),
    )  # fmt: skip
    _respond(t2.id, "partly-upheld", day=date(2025, 6, 20))
    t3 = _denunciation(
        date(2024, 9, 1), status="closed", topic="public-finance", handling_unit_id=u2,
        accepted_on=date(2024, 9, 3), resolved_on=date(2024, 10, 2), ended_on=date(2024, 10, 5),
    )  # fmt: skip
    _respond(t3.id, "upheld", day=date(2024, 9, 20))
    _respond(t3.id, "rejected", day=date(2024, 10, 2))
    _respond(t3.id, "partly-upheld", status="draft", day=date(2024, 10, 3))
    t4 = _denunciation(
        date(2025, 7, 1), status="not-accepted", topic="procedure", handling_unit_id=u2,
        refusal_reason="not-competent", ended_on=date(2025, 7, 8),
    )  # fmt: skip
    t5 = _denunciation(
        date(2025, 7, 2), status="not-accepted", topic="procedure", handling_unit_id=u2,
        refusal_reason="other", ended_on=date(2025, 7, 9),
    )  # fmt: skip
    t6 = _denunciation(
        date(2025, 8, 3), status="transferred", topic="other", handling_unit_id=u1,
        transferred_to=TEXTS["transferred_to"], ended_on=date(2025, 8, 10),
    )  # fmt: skip
    t7 = _denunciation(
        date(2025, 2, 1), status="withdrawn", topic="policy", accepted_on=date(2025, 2, 5),
        withdrawal_reason=TEXTS["withdrawal_reason"], ended_on=date(2025, 2, 20),
    )  # fmt: skip
    numbers += [t.number for t in (t1, t2, t3, t4, t5, t6, t7)]
    for _ in range(5):
        bulk = _denunciation(
            date(2023, 3, 1), status="closed", topic="harassment", handling_unit_id=u1,
            accepted_on=date(2023, 3, 2), resolved_on=date(2023, 4, 1), ended_on=date(2023, 4, 1),
        )  # fmt: skip
        _respond(bulk.id, "rejected", day=date(2023, 4, 1))
        numbers.append(bulk.number)

    # Not in the register.
    left_out = [
        _denunciation(
            date(2025, 1, 5), status="merged", handling_unit_id=u1, ended_on=date(2025, 1, 9)
        ),
        _denunciation(
            date(2025, 6, 1), status="verifying", handling_unit_id=u1, accepted_on=date(2025, 6, 3)
        ),
        create_case(
            kind="reflection", status="closed", received_at=_utc(date(2025, 3, 1)),
            handling_unit_id=u1, accepted_on=date(2025, 3, 2), resolved_on=date(2025, 3, 9),
            ended_on=date(2025, 3, 9), description=TEXTS["reflection"],
        )[0],
    ]  # fmt: skip
    _respond(left_out[2].id, "answered", day=date(2025, 3, 9))
    numbers += [case.number for case in left_out]
    return SimpleNamespace(u1=u1, u2=u2, numbers=numbers)


# --- Reading the page ------------------------------------------------------------------------


def html(text: str) -> str:
    return str(escape(text))


def _text(cell: str) -> str:
    cell = cell.replace('<span class="register-reason">', " / ")
    return " ".join(re.sub(r"<[^>]+>", " ", cell).split())


def register_rows(page: str) -> list[list[str]]:
    """The register's rows as the cells' texts (a refusal reason after " / ")."""
    found = re.search(r'<table class="register-table">.*?<tbody>(.*?)</tbody>', page, re.S)
    if not found:
        return []
    return [
        [_text(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", found.group(1), re.S)
    ]


def summary_rows(page: str) -> dict[str, str]:
    found = re.search(r'<table class="register-summary">.*?<tbody>(.*?)</tbody>', page, re.S)
    assert found, "no summary table"
    pairs = re.findall(r'<th scope="row">([^<]*)</th>\s*<td class="num">([^<]*)</td>', found[1])
    return dict(pairs)


def read_csv(response) -> list[list[str]]:
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf"), "a CSV for Excel starts with a UTF-8 BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _label(app, lazy) -> str:
    with app.test_request_context(), force_locale(app.config["BABEL_DEFAULT_LOCALE"]):
        return str(lazy)


def topic(app, code: str) -> str:
    return _label(app, TOPIC_LABELS[Topic(code)])


def outcome(app, key: str) -> str:
    return _label(app, denunciations.OUTCOMES[key])


def concluded(rows) -> list[str]:
    return [row[0] for row in rows]


# --- The register ----------------------------------------------------------------------------


def test_page_renders_for_an_empty_register(app, client):
    page = client.get("/thong-ke/to-cao").get_data(as_text=True)
    assert html(say(app, "Outcomes of denunciations")) in page
    assert html(say(app, "No concluded denunciation matches these choices.")) in page
    assert register_rows(page) == []
    assert set(summary_rows(page).values()) == {"0"}


def test_the_register_lists_concluded_denunciations_newest_first(app, client, fixture):
    page = client.get("/thong-ke/to-cao").get_data(as_text=True)
    rows = register_rows(page)
    reason = say(app, "Not within the competence of the agency")
    expected = [
        ["10/08/2025", topic(app, "other"), "Phòng Thanh tra", outcome(app, "transferred"),
         "08/2025", "–", "–"],
        ["09/07/2025", topic(app, "procedure"), html(EVIL_UNIT), outcome(app, "not-accepted"),
         "07/2025", "–", "–"],
        ["08/07/2025", topic(app, "procedure"), html(EVIL_UNIT),
         f"{outcome(app, 'not-accepted')} / {reason}", "07/2025", "–", "–"],
        ["20/06/2025", topic(app, "staff-conduct"), "Phòng Thanh tra",
         outcome(app, "partly-upheld"), "05/2025", "15/05/2025", "36"],
        ["04/04/2025", topic(app, "harassment"), "Phòng Thanh tra", outcome(app, "upheld"),
         "03/2025", "05/03/2025", "30"],
        ["20/02/2025", topic(app, "policy"), say(app, "No handling unit"),
         outcome(app, "withdrawn"), "02/2025", "05/02/2025", "15"],
        ["02/10/2024", topic(app, "public-finance"), html(EVIL_UNIT), outcome(app, "rejected"),
         "09/2024", "03/09/2024", "29"],
    ]  # fmt: skip
    assert rows[:7] == expected
    assert rows[7:] == [
        ["01/04/2023", topic(app, "harassment"), "Phòng Thanh tra", outcome(app, "rejected"),
         "03/2023", "02/03/2023", "30"]
    ] * 5  # fmt: skip
    assert html(say(app, "%(num)d denunciation", "%(num)d denunciations", 12)) in page


def test_open_merged_and_other_kinds_of_case_stay_out(app, client, fixture):
    page = client.get("/thong-ke/to-cao?year=2025").get_data(as_text=True)
    # The merged one ended on 09/01, the reflection on 09/03: neither is listed.
    assert concluded(register_rows(page)) == [
        "10/08/2025", "09/07/2025", "08/07/2025", "20/06/2025", "04/04/2025", "20/02/2025",
    ]  # fmt: skip


def test_a_reopened_denunciation_leaves_the_register(app, client, app_ctx):
    _denunciation(
        date(2025, 3, 2), status="reopened", accepted_on=date(2025, 3, 5), topic="harassment"
    )
    page = client.get("/thong-ke/to-cao").get_data(as_text=True)
    assert register_rows(page) == []


@pytest.mark.parametrize(
    ("query", "dates"),
    [
        ("year=2024", ["02/10/2024"]),
        ("topic=harassment&year=2025", ["04/04/2025"]),
        ("outcome=not-accepted", ["09/07/2025", "08/07/2025"]),
        ("outcome=rejected&year=2023", ["01/04/2023"] * 5),
        ("outcome=upheld", ["04/04/2025"]),
        ("outcome=withdrawn&topic=policy", ["20/02/2025"]),
        ("year=2022", []),
    ],
)
def test_filters_by_year_topic_and_outcome(client, fixture, query, dates):
    page = client.get(f"/thong-ke/to-cao?{query}").get_data(as_text=True)
    assert concluded(register_rows(page)) == dates


def test_filter_by_unit_and_the_choices_offered(app, client, fixture):
    page = client.get(f"/thong-ke/to-cao?unit={fixture.u2}").get_data(as_text=True)
    assert concluded(register_rows(page)) == ["09/07/2025", "08/07/2025", "02/10/2024"]
    assert f'<option value="{fixture.u2}" selected>{html(EVIL_UNIT)}</option>' in page
    # The years the register holds, newest first; every outcome the filter can choose.
    years = re.findall(r'<option value="(\d{4})"', page)
    assert years == ["2025", "2024", "2023"]
    for key in denunciations.OUTCOMES:
        assert f'<option value="{key}"' in page


@pytest.mark.parametrize(
    "query", ["year=abc", "year=1999", "topic=nothing", "unit=x", "outcome=maybe", "page=zero"]
)
def test_a_value_the_filters_do_not_offer_is_ignored(client, fixture, query):
    page = client.get(f"/thong-ke/to-cao?{query}").get_data(as_text=True)
    assert len(register_rows(page)) == 12


# --- Counts per outcome ----------------------------------------------------------------------


def test_the_summary_counts_each_outcome_and_hides_small_counts(app, client, fixture):
    page = client.get("/thong-ke/to-cao").get_data(as_text=True)
    assert summary_rows(page) == {
        outcome(app, "upheld"): "&lt; 5",
        outcome(app, "partly-upheld"): "&lt; 5",
        outcome(app, "rejected"): "6",
        outcome(app, "concluded"): "0",
        outcome(app, "not-accepted"): "&lt; 5",
        outcome(app, "transferred"): "&lt; 5",
        outcome(app, "withdrawn"): "&lt; 5",
    }
    assert html(say(app, "Concluded denunciations by outcome")) in page


def test_the_summary_follows_the_filters_but_shows_every_outcome(app, client, fixture):
    page = client.get("/thong-ke/to-cao?year=2023&outcome=upheld").get_data(as_text=True)
    counts = summary_rows(page)
    assert counts[outcome(app, "rejected")] == "5"
    assert counts[outcome(app, "upheld")] == "0"
    assert register_rows(page) == []  # the list is narrowed by the outcome; the summary not


# --- Pages -----------------------------------------------------------------------------------


def test_fifty_rows_a_page_with_plain_links_that_keep_the_filters(app, client, app_ctx):
    for n in range(55):
        day = date(2025, 1, 1 + n % 28) if n < 28 else date(2025, 2, 1 + n - 28)
        _denunciation(date(2024, 12, 1), status="withdrawn", topic="policy", ended_on=day)
    _denunciation(date(2024, 12, 1), status="withdrawn", topic="other", ended_on=date(2025, 3, 1))

    first = client.get("/thong-ke/to-cao?topic=policy").get_data(as_text=True)
    rows = register_rows(first)
    assert len(rows) == 50
    assert rows[0][0] == "27/02/2025"  # newest first
    assert 'href="/thong-ke/to-cao?topic=policy&amp;page=2" rel="next"' in first
    assert 'rel="prev"' not in first
    assert html(say(app, "Page %(page)d of %(pages)d", page=1, pages=2)) in first

    second = client.get("/thong-ke/to-cao?topic=policy&page=2").get_data(as_text=True)
    assert len(register_rows(second)) == 5
    assert register_rows(second)[-1][0] == "01/01/2025"
    assert 'href="/thong-ke/to-cao?topic=policy" rel="prev"' in second
    assert 'rel="next"' not in second
    client.get("/thong-ke/to-cao?topic=policy&page=3", expect=404)
    # The CSV holds every page.
    assert len(read_csv(client.get("/thong-ke/to-cao.csv?topic=policy"))) == 1 + 55


# --- CSV -------------------------------------------------------------------------------------


def test_csv_is_the_register_for_the_same_filters(app, client, fixture):
    page = client.get("/thong-ke/to-cao?year=2025&unit=" + str(fixture.u2))
    assert f'href="/thong-ke/to-cao.csv?year=2025&amp;unit={fixture.u2}"' in page.get_data(
        as_text=True
    )
    response = client.get(f"/thong-ke/to-cao.csv?year=2025&unit={fixture.u2}")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="to-cao-2025.csv"; ')
    name = unquote(disposition.split("filename*=UTF-8''")[1])
    assert name == f"{say(app, 'Outcomes of concluded denunciations')} 2025.csv"
    rows = read_csv(response)
    assert rows[0] == [
        say(app, "Concluded on"), say(app, "Topic"), say(app, "Handling unit"),
        say(app, "Outcome"), say(app, "Reason not accepted"), say(app, "Received (month)"),
        say(app, "Accepted on"), say(app, "Days from acceptance to conclusion"),
    ]  # fmt: skip
    # The unit's "=" is neutralised: a spreadsheet shows the name, it never runs it.
    assert rows[1:] == [
        ["09/07/2025", topic(app, "procedure"), f"'{EVIL_UNIT}", outcome(app, "not-accepted"),
         "", "07/2025", "", ""],
        ["08/07/2025", topic(app, "procedure"), f"'{EVIL_UNIT}", outcome(app, "not-accepted"),
         say(app, "Not within the competence of the agency"), "07/2025", "", ""],
    ]  # fmt: skip
    everything = read_csv(client.get("/thong-ke/to-cao.csv"))
    assert len(everything) == 1 + 12
    assert everything[4][0] == "20/06/2025" and everything[4][-1] == "36"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in everything for cell in row)


# --- Languages -------------------------------------------------------------------------------


def test_the_register_and_its_csv_follow_the_readers_language(app, client, fixture):
    client.set_cookie(app.config["LANGUAGE_COOKIE_NAME"], "en")
    page = client.get("/thong-ke/to-cao?year=2025").get_data(as_text=True)
    assert '<html lang="en"' in page
    assert "<h1>Outcomes of denunciations</h1>" in page
    rows = register_rows(page)
    assert rows[0][1:4] == [
        "Something else",
        "Inspectorate",
        "Transferred to the competent authority",
    ]
    assert rows[4][3] == "Well-founded"
    assert rows[2][3] == "Not accepted / Not within the competence of the agency"
    assert summary_rows(page)["Partly well-founded"] == "&lt; 5"
    csv_rows = read_csv(client.get("/thong-ke/to-cao.csv?year=2025"))
    assert csv_rows[0][0] == "Concluded on"
    assert csv_rows[2][2] == "'=1+1 Inspection"


def test_the_scorecard_links_to_the_register(app, client):
    page = client.get("/thong-ke").get_data(as_text=True)
    assert 'href="/thong-ke/to-cao"' in page


# --- Privacy ---------------------------------------------------------------------------------


def test_no_identity_case_text_or_number_reaches_the_page_or_the_csv(app, client, fixture):
    queries = ["", "year=2025", "year=2024", "outcome=transferred", "outcome=withdrawn",
               "topic=harassment", f"unit={fixture.u1}"]  # fmt: skip
    bodies = []
    for locale in ("vi", "en"):
        client.set_cookie(app.config["LANGUAGE_COOKIE_NAME"], locale)
        for query in queries:
            bodies.append(client.get(f"/thong-ke/to-cao?{query}").get_data(as_text=True))
            csv_body = client.get(f"/thong-ke/to-cao.csv?{query}").get_data()
            bodies.append(csv_body.decode("utf-8-sig"))
    for body in bodies:
        for secret in (*SECRET.values(), *TEXTS.values(), *fixture.numbers):
            assert secret not in body
            assert html(secret) not in body
    # The day a denunciation was received is never shown, only its month.
    assert not any("02/03/2025" in body for body in bodies)


# --- Caching ---------------------------------------------------------------------------------


def test_the_cached_register_shows_a_new_conclusion_at_once(app, fixture):
    settings = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "PUBLIC_PAGE_CACHE_SECONDS": 3600,
    }
    with other_app(app, "testing", settings) as application:
        cache.clear()
        try:
            client = PageClient(application.test_client())
            before = client.get("/thong-ke/to-cao")
            assert before.headers["Cache-Control"] == "public, max-age=3600"
            assert len(register_rows(before.get_data(as_text=True))) == 12
            with application.app_context():
                _denunciation(
                    date(2025, 9, 1), status="withdrawn", topic="policy",
                    ended_on=date(2025, 9, 5),
                )  # fmt: skip
            after = client.get("/thong-ke/to-cao").get_data(as_text=True)
            assert register_rows(after)[0][0] == "05/09/2025"
        finally:
            cache.clear()
