"""The plan's seven PAPI contents with the portal's evidence: every figure against a hand count,
who may see the page and the dashboard's block, both languages, and no identity.

The fixture is the first half of 2026 (the 6-month report), counted on 15 July 2026.

Disclosures (public unless said):
| d  | published | PAPI | category | note                                            |
|----|-----------|------|----------|-------------------------------------------------|
| d1 | 10/03     | 1, 2 | plans    |                                                 |
| d2 | 20/05     | 2    | zoning   |                                                 |
| d3 | 01/02     | 3, 4 | plans    | a draft open for comment from 01/02; 2 comments |
|    |           |      |          | in February, 1 in July                          |
| d4 | 05/07     | 1    | plans    | after the period                                |
| d5 | draft     | 5    | plans    | never public                                    |
"Financial reports", due 30/06 with nothing published, is overdue on 15/07.
Tagged in H1: 1 → 1, 2 → 2, 3 → 1, 4 → 1, 5, 6 and 8 → 0. Published 3 in 2 categories.

Cases:
| case | kind         | channel   | topic      | received   | due        | resolved | note         |
|------|--------------|-----------|------------|------------|------------|----------|--------------|
| A    | reflection   | web       | harassment | 05/03      | 25/03      | 20/03    | on time      |
| B    | denunciation | hotline   | harassment | 10/04      | 15/05      | 20/05    | late         |
| C    | petition     | web       | procedure  | 02/05      | acceptance |          | overdue now  |
| D    | complaint    | reception | other      | 10/02/2025 | 20/01      | 10/01    | on time      |
| E    | reflection   | web       | other      | 01/07      |            |          | after H1     |
C is about a procedure of the catalogue; A carries a name, title and text never shown.
H1: received 3 (web 2: 66.7 %), resolved 3 (2 on time, 1 late: 66.7 %), overdue now 1;
harassment received 2, resolved 2; denunciations 1; about a procedure 1.

Reception: sessions on 10/03 (held) and 10/04 (cancelled); logbook 10/03 (3 people) and
01/06 (1 person) in H1, 02/07 (5 people) after. Hotlines: the main line, and a harassment line
with a phone number but no e-mail address. Procedures published: 1 fully online, 1 partly,
1 not online (one more fully online is unpublished).
"""

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from sqlalchemy import event

from portal.cases.models import ReceptionEntry
from portal.core.sealing import seal_text
from portal.disclosures.models import DraftComment
from portal.extensions import db
from portal.reports import papi, papi_queries, periodic
from portal.reports.periods import Period
from tests.apps import other_app
from tests.auth import sign_in
from tests.cases.factories import create_case
from tests.cases.wording import say
from tests.contacts.factories import create_hotline, create_session
from tests.disclosures.factories import create_category, create_disclosure
from tests.factories import create_user
from tests.procedures.factories import create_procedure

TODAY = date(2026, 7, 15)
H1 = Period.half(2026, 1)
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
            handler=create_user(role="handler"),
            editor=create_user(role="editor"),
        )


def _disclosures():
    plans = create_category(name="Kế hoạch công tác")
    zoning = create_category(name="Quy hoạch")
    create_category(name="Báo cáo tài chính", due_on=date(2026, 6, 30))
    create_disclosure(category=plans, papi=(1, 2), publish_at=_utc(2026, 3, 10))
    create_disclosure(category=zoning, papi=(2,), publish_at=_utc(2026, 5, 20))
    draft = create_disclosure(
        category=plans,
        papi=(3, 4),
        publish_at=_utc(2026, 2, 1),
        is_consultation=True,
        comments_open_at=_utc(2026, 2, 1),
        comments_close_at=_utc(2026, 3, 1),
    )
    create_disclosure(category=plans, papi=(1,), publish_at=_utc(2026, 7, 5))
    create_disclosure(category=plans, papi=(5,), status="draft")
    for when in (_utc(2026, 2, 5), _utc(2026, 2, 6), _utc(2026, 7, 2)):
        db.session.add(
            DraftComment(
                disclosure_id=draft.id, author_name=SECRET[0], body=SECRET[2], created_at=when
            )
        )
    db.session.commit()


def _cases(procedure_id: int) -> None:
    create_case(
        kind="reflection",
        status="responded",
        topic="harassment",
        received_at=_utc(2026, 3, 5),
        accepted_on=date(2026, 3, 6),
        resolution_due_on=date(2026, 3, 25),
        resolved_on=date(2026, 3, 20),
        name=SECRET[0],
        email="bimat@example.vn",
        title=SECRET[1],
        description=SECRET[2],
    )
    create_case(
        kind="denunciation",
        status="responded",
        topic="harassment",
        channel="hotline",
        received_at=_utc(2026, 4, 10),
        accepted_on=date(2026, 4, 12),
        resolution_due_on=date(2026, 5, 15),
        resolved_on=date(2026, 5, 20),
    )
    create_case(
        kind="petition",
        status="received",
        topic="procedure",
        procedure_id=procedure_id,
        received_at=_utc(2026, 5, 2),
    )
    create_case(
        kind="complaint",
        status="responded",
        topic="other",
        channel="reception",
        received_at=_utc(2025, 2, 10),
        accepted_on=date(2025, 2, 12),
        resolution_due_on=date(2026, 1, 20),
        resolved_on=date(2026, 1, 10),
    )
    create_case(kind="reflection", status="assigned", topic="other", received_at=_utc(2026, 7, 1))


def _reception() -> None:
    create_session(day=date(2026, 3, 10))
    create_session(day=date(2026, 4, 10), cancelled=True)
    for day, people in ((date(2026, 3, 10), 3), (date(2026, 6, 1), 1), (date(2026, 7, 2), 5)):
        db.session.add(
            ReceptionEntry(
                received_on=day,
                received_by="Cán bộ tiếp dân",
                visitors_sealed=seal_text(SECRET[0]),
                people_count=people,
                subject=SECRET[2],
            )
        )
    db.session.commit()


@pytest.fixture
def fixture(app, today):
    with app.app_context():
        _disclosures()
        create_procedure(online_level="full", online_url="https://dichvucong.gov.vn/p/1")
        create_procedure(online_level="partial", online_url="https://dichvucong.gov.vn/p/2")
        create_procedure(online_level="full", online_url="https://x.vn/p/3", published=False)
        catalogued = create_procedure(online_level="none")
        _cases(catalogued.id)
        _reception()
        create_hotline(label="Đường dây nóng của Sở", is_main=True)
        create_hotline(label="Phản ánh nhũng nhiễu", phone="0205 3812 888", is_harassment=True)


def _build(app, period=H1, *, locale="en"):
    with app.test_request_context(), force_locale(locale):
        return papi.build(period, today=TODAY)


def _figures(overview, number: int) -> dict:
    """The evidence of one dimension by its English label."""
    dimension = next(d for d in overview.dimensions if d.number == number)
    return {e.label: e.value for e in dimension.evidence}


def _statuses(overview, number: int) -> list[tuple[str, str]]:
    dimension = next(d for d in overview.dimensions if d.number == number)
    return [(s.kind, s.text) for s in dimension.statuses]


TAGGED = "Disclosures tagged with this dimension published in the period"


# --- The figures ---------------------------------------------------------------------------


def test_the_seven_contents_are_dimensions_1_to_6_and_8(app, today):
    overview = _build(app)
    assert [d.number for d in overview.dimensions] == [1, 2, 3, 4, 5, 6, 8]
    assert overview.dimensions[0].name == "1. Participation at local levels"
    assert overview.dimensions[0].name_vi == say(
        app, "1. Participation at local levels", locale="vi"
    )


def test_each_figure_matches_the_hand_count(app, fixture):
    o = _build(app)
    assert _figures(o, 1) == {
        TAGGED: 1,
        "Drafts opened for comment in the period": 1,
        "Comments received on drafts in the period": 2,
        "Case statistics published for the public": True,
    }
    assert _figures(o, 2) == {
        TAGGED: 2,
        "Disclosures published in the period": 3,
        "Categories with a disclosure published in the period": 2,
        "Publication obligations overdue today": 1,
        "Procedures published in the catalogue": 3,
    }
    three = _figures(o, 3)
    assert three.pop("Resolved on time (of those with a deadline)") == pytest.approx(2 / 3)
    assert three == {
        TAGGED: 1,
        "Cases received": 3,
        "Cases resolved": 3,
        "Cases overdue today": 1,
        "Citizen reception sessions held": 1,
        "Citizen reception sessions still scheduled in the period": 0,
        "Reception logbook entries": 2,
        "People received (logbook)": 4,
    }
    assert _figures(o, 4) == {
        TAGGED: 1,
        "Reports of harassment or corruption received": 2,
        "Reports of harassment or corruption resolved": 2,
        "Denunciations received": 1,
        "Hotlines for reporting harassment or corruption published": 1,
    }
    assert _figures(o, 5) == {
        TAGGED: 0,
        "Procedures published in the catalogue": 3,
        "Harassment report phone number on every page": True,
        "Harassment report e-mail address on every page": False,
        "Cases received about a procedure of the catalogue": 1,
    }
    six = _figures(o, 6)
    assert six.pop("Share of the catalogue available online") == pytest.approx(2 / 3)
    assert six == {
        TAGGED: 0,
        "Procedures fully online": 1,
        "Procedures partly online": 1,
        "Procedures not available online": 1,
    }
    eight = _figures(o, 8)
    assert eight.pop("Share of cases received through the portal") == pytest.approx(2 / 3)
    assert eight == {
        TAGGED: 0,
        "Cases received through the portal": 2,
        "Cases received through other channels": 1,
        "Pages built for mobile phones first": True,
    }


def test_the_case_figures_agree_with_the_periodic_report(app, fixture):
    with app.test_request_context():
        report = periodic.build(H1, today=TODAY)
    resolution = report.tables["resolution"].rows[0]
    three = _figures(_build(app), 3)
    assert (three["Cases resolved"], three["Resolved on time (of those with a deadline)"]) == (
        resolution[1],
        resolution[5],
    )


def test_the_statuses_say_what_is_missing_in_words(app, fixture):
    o = _build(app)
    no_tag = (
        "no-evidence",
        "No disclosure tagged with this dimension was published in the period.",
    )
    assert _statuses(o, 1) == [("ok", "")]
    assert _statuses(o, 2) == [("attention", "1 publication obligation is overdue.")]
    assert _statuses(o, 3) == [("attention", "1 case is overdue.")]
    assert _statuses(o, 4) == [("ok", "")]
    assert _statuses(o, 5) == [
        no_tag,
        (
            "attention",
            "Publish both a phone number and an e-mail address for reporting harassment.",
        ),
    ]
    assert _statuses(o, 6) == [no_tag]
    assert _statuses(o, 8) == [no_tag]


def test_an_empty_portal_has_no_evidence_and_no_rates(app, today):
    o = _build(app)
    for d in o.dimensions:
        assert d.statuses[0].kind == "no-evidence", d.number
    assert ("attention", "No hotline for reporting harassment or corruption is published.") in (
        _statuses(o, 4)
    )
    assert ("attention", "No published procedure is available online.") in _statuses(o, 6)
    assert _figures(o, 3)["Resolved on time (of those with a deadline)"] is None
    assert _figures(o, 8)["Share of cases received through the portal"] is None


def test_sessions_still_to_come_count_as_scheduled(app, today):
    with app.app_context():
        create_session(day=date(2026, 7, 10))
        create_session(day=date(2026, 8, 5))
        create_session(day=date(2026, 9, 5), cancelled=True)
    three = _figures(_build(app, Period.quarter(2026, 3)), 3)
    assert three["Citizen reception sessions held"] == 1
    assert three["Citizen reception sessions still scheduled in the period"] == 1


def test_the_dashboard_block_costs_a_handful_of_queries(app, fixture):
    statements = []

    def count(*args):
        statements.append(args[2])

    with app.test_request_context():
        engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            papi.overview()
            first = len(statements)
            papi.overview()  # the same request reads its own copy
        finally:
            event.remove(engine, "before_cursor_execute", count)
    # Aggregates only (SQLite's median takes two); none per case, disclosure or procedure.
    assert first <= 16, statements
    assert len(statements) == first


# --- The page --------------------------------------------------------------------------------

URL = "/staff/reports/papi?period=2026-H1"


@pytest.mark.parametrize("role", ["head", "leader"])
def test_heads_and_leaders_read_the_page(app, client, people, today, role):
    sign_in(client, getattr(people, role))
    client.get(URL, expect=200)
    client.get("/staff/reports/papi", expect=200)


@pytest.mark.parametrize("role", ["handler", "editor", "admin"])
def test_other_roles_are_refused(app, client, today, role):
    with app.app_context():
        user = create_user(role=role)
    sign_in(client, user)
    client.get(URL, expect=403)


def test_anonymous_readers_are_sent_to_sign_in(client):
    response = client.get(URL, expect=302)
    assert "/staff/login" in response.headers["Location"]


def test_the_page_shows_every_dimension_with_its_figures_and_links(app, client, people, fixture):
    sign_in(client, people.head)
    html = client.get(URL).get_data(as_text=True)

    for number in (1, 2, 3, 4, 5, 6, 8):
        assert f'id="papi-{number}"' in html
    assert 'id="papi-7"' not in html
    assert say(app, "3. Vertical accountability") in html
    assert say(app, "Needs attention") in html and say(app, "No evidence yet") in html
    assert "66,7%" in html  # on time, share online, catalogue online (Vietnamese decimals)
    # Public pages and the staff pages a head may open are linked; the editors' are not.
    assert 'href="/cong-khai?papi=2&amp;nam=2026"' in html
    assert 'href="/staff/cases?status=all&amp;topic=harassment"' in html
    assert 'href="/staff/reports?period=2026-H1#t-resolution"' in html
    assert 'href="/thong-ke?period=2026-H1"' in html
    assert 'href="/staff/disclosures"' not in html
    assert say(app, "Drafts opened for comment in the period") in html
    for secret in SECRET:
        assert secret not in html


def test_an_editor_link_shows_for_a_member_who_may_follow_it(app, client, fixture):
    # No role both reads reports and publishes information today: a head sees the label only.
    with app.test_request_context(), force_locale("en"):
        evidence = {e.label: e for d in papi.build(H1, today=TODAY).dimensions for e in d.evidence}
    drafts = evidence["Drafts opened for comment in the period"]
    assert drafts.url == "/staff/disclosures" and drafts.permission == "publish-information"


def test_the_page_reads_in_english_with_the_vietnamese_names(app, client, people, fixture):
    sign_in(client, people.leader)
    client.get("/ngon-ngu/en", expect=302)
    html = client.get(URL).get_data(as_text=True)
    assert "5. Administrative procedures" in html
    vi = say(app, "5. Administrative procedures", locale="vi")
    assert f'<span lang="vi">({vi})</span>' in html
    assert "Publish both a phone number and an e-mail address for reporting harassment." in html
    assert "66.7%" in html


def test_a_wrong_period_is_refused_with_the_typed_value_kept(app, client, people, today):
    sign_in(client, people.head)
    html = client.get("/staff/reports/papi?period=2026-H3", expect=400).get_data(as_text=True)
    assert say(app, "Choose H1 (January to June) or H2 (July to December).") in html
    assert 'value="2026-H3"' in html and 'aria-invalid="true"' in html


def test_without_a_period_the_page_opens_on_the_next_report_due(client, people, today):
    sign_in(client, people.head)
    html = client.get("/staff/reports/papi").get_data(as_text=True)
    assert 'value="2026"' in html  # on 15 July 2026 the annual report of 2026 is next


# --- The dashboard -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["head", "leader"])
def test_the_dashboard_shows_the_seven_contents(app, client, people, fixture, role):
    sign_in(client, getattr(people, role))
    html = client.get("/staff/").get_data(as_text=True)
    assert 'href="/staff/reports/papi?period=2026"' in html
    for number in (1, 2, 3, 4, 5, 6, 8):
        assert f'href="/staff/reports/papi?period=2026#papi-{number}"' in html
    assert say(app, "Resolved on time (of those with a deadline)") in html
    assert say(app, "%(num)d case is overdue.", "%(num)d cases are overdue.", 1) in html
    for secret in SECRET:
        assert secret not in html


@pytest.mark.parametrize("role", ["handler", "editor"])
def test_members_without_reports_have_no_block(app, client, people, fixture, role):
    sign_in(client, getattr(people, role))
    html = client.get("/staff/").get_data(as_text=True)
    assert "/staff/reports/papi" not in html
    assert 'id="d-papi"' not in html


def test_the_counts_are_kept_until_a_case_changes_state(app):
    settings = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "PAPI_CACHE_SECONDS": 300,
    }
    period, today = Period.parse("2026-H1"), date(2026, 7, 1)
    with other_app(app, "testing", settings) as application, application.app_context():
        papi_queries.clear_cache()
        try:
            first = papi_queries.counts(period, today)
            assert papi_queries.counts(period, today) is first  # kept
            create_case(kind="petition", received_at=datetime(2026, 3, 2, 3, 0, tzinfo=UTC))
            second = papi_queries.counts(period, today)
            assert second is not first
            assert second.summary.received == first.summary.received + 1
        finally:
            papi_queries.clear_cache()
