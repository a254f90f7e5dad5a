"""The handling unit's inbox: filters, counts, search, keyset pages, deadlines and scope."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from portal.cases import queries
from portal.cases.models import CaseStatus
from portal.core.workdays import add_working_days, local_date
from tests.auth import sign_in
from tests.cases.factories import create_case
from tests.cases.wording import say
from tests.contacts.factories import create_unit
from tests.factories import create_user
from tests.pages import PageClient

ROW_LINK = re.compile(r'<td><a href="/staff/cases/([A-Z]{2}-\d{4}-\d{6})">')
NEXT_LINK = re.compile(r'<a href="([^"]+)" rel="next">')


def listed(html: str) -> list[str]:
    """The case numbers of the table's rows, in order."""
    return ROW_LINK.findall(html)


def row_of(html: str, number: str) -> str:
    start = html.index(f'<a href="/staff/cases/{number}">')
    return html[start : html.index("</tr>", start)]


def today():
    return local_date(datetime.now(UTC))


@pytest.fixture
def unit_staff(app):
    """A handling unit with its head and two handlers, another unit with its handler."""
    with app.app_context():
        unit = create_unit(handles_cases=True, name="Thanh tra Sở")
        other = create_unit(handles_cases=True, name="Phòng Pháp chế")
        return {
            "unit": unit,
            "other": other,
            "head": create_user(role="head", unit_id=unit.id, full_name="Trưởng Phòng A"),
            "handler": create_user(role="handler", unit_id=unit.id, full_name="Cán bộ Một"),
            "colleague": create_user(role="handler", unit_id=unit.id, full_name="Cán bộ Hai"),
            "outsider": create_user(role="handler", unit_id=other.id, full_name="Cán bộ Ba"),
            "leader": create_user(role="leader"),
        }


def new_case(unit, **fields):
    case, _ = create_case(handling_unit_id=unit.id, **fields)
    return case


def page(client, url="/staff/cases"):
    return client.get(url).get_data(as_text=True)


# --- Scope and defaults ----------------------------------------------------------------------


def test_a_handler_starts_on_the_cases_assigned_to_them(app, client, unit_staff):
    s = unit_staff
    with app.app_context():
        mine = new_case(s["unit"], assignee_id=s["handler"].id)
        theirs = new_case(s["unit"], assignee_id=s["colleague"].id)
        nobodys = new_case(s["unit"])
    sign_in(client, s["handler"])
    assert listed(page(client)) == [mine.number]
    everyone = listed(page(client, "/staff/cases?assignee=any"))
    assert sorted(everyone) == sorted([mine.number, theirs.number, nobodys.number])


def test_a_head_starts_on_every_open_case_of_the_unit(app, client, unit_staff):
    s = unit_staff
    with app.app_context():
        cases = [
            new_case(s["unit"], assignee_id=s["handler"].id),
            new_case(s["unit"]),
            new_case(s["unit"], status="classified"),
        ]
        new_case(s["unit"], status="closed")
        new_case(s["other"])
    sign_in(client, s["head"])
    assert sorted(listed(page(client))) == sorted(c.number for c in cases)


def test_staff_of_another_unit_see_nothing_of_this_unit(app, client, unit_staff):
    s = unit_staff
    with app.app_context():
        case = new_case(s["unit"], assignee_id=s["outsider"].id)
    sign_in(client, s["outsider"])
    for url in (
        "/staff/cases",
        "/staff/cases?assignee=any&status=all",
        f"/staff/cases?assignee=any&status=all&unit={s['unit'].id}",
    ):
        html = page(client, url)
        assert listed(html) == []
        assert case.number not in html
    # Searching for its number finds nothing either.
    html = page(client, f"/staff/cases?assignee=any&status=all&q={case.number}")
    assert listed(html) == []
    assert say(app, "No cases match these filters.") in html


def test_a_leader_sees_every_unit(app, client, unit_staff):
    s = unit_staff
    with app.app_context():
        here = new_case(s["unit"])
        there = new_case(s["other"])
    sign_in(client, s["leader"])
    html = page(client)
    assert sorted(listed(html)) == sorted([here.number, there.number])
    # Someone without a unit sees which unit handles each case.
    assert "Phòng Pháp chế" in row_of(html, there.number)
    assert listed(page(client, f"/staff/cases?unit={s['other'].id}")) == [there.number]


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_roles_that_read_no_cases_are_refused(app, client, role):
    with app.app_context():
        user = create_user(role=role)
    sign_in(client, user)
    client.get("/staff/cases", expect=403)


def test_the_inbox_needs_a_sign_in(client):
    response = client.get("/staff/cases", expect=302)
    assert response.headers["Location"].startswith("/staff/login")


def test_no_identity_data_appears_in_the_inbox(app, client, unit_staff):
    s = unit_staff
    identity = {
        "name": "Nguyễn Văn Danh Tính",
        "email": "danh.tinh@example.vn",
        "phone": "0912 777 888",
        "address": "Số 9 phố Riêng Tư",
    }
    with app.app_context():
        denunciation = new_case(s["unit"], kind="denunciation", **identity)
        complaint = new_case(s["unit"], kind="complaint", **identity)
    for who in ("head", "leader"):
        viewer = PageClient(app.test_client())
        sign_in(viewer, s[who])
        for url in ("/staff/cases", "/staff/cases?status=all&sort=newest"):
            html = page(viewer, url)
            for value in (*identity.values(), "0912777888", "Danh Tính", "danh.tinh"):
                assert value not in html
        assert {denunciation.number, complaint.number} <= set(listed(page(viewer)))
        # A search never reaches the identity: the cases are not found by who sent them.
        for typed in ("Danh+Tinh", "danh.tinh%40example.vn", "0912+777+888"):
            assert listed(page(viewer, f"/staff/cases?status=all&q={typed}")) == []


# --- Filters ---------------------------------------------------------------------------------


def _filter_cases(s):
    """One case per filter value: (query string, the case it must list, cases it must not)."""
    unit, handler = s["unit"], s["handler"]
    day = today()
    base = {"due_on": day + timedelta(days=30)}
    made = {
        "received": new_case(unit, **base),
        "classified": new_case(unit, status="classified", **base),
        "complaint": new_case(unit, kind="complaint", **base),
        "harassment": new_case(unit, topic="harassment", **base),
        "mine": new_case(unit, assignee_id=handler.id, status="assigned", **base),
        "overdue": new_case(unit, due_on=day - timedelta(days=1)),
        "soon": new_case(unit, due_on=add_working_days(day, 1)),
        "hotline": new_case(unit, channel="hotline", **base),
        "formal": new_case(unit, name="Người Gửi", email="gui@example.vn", **base),
        "closed": new_case(unit, status="closed"),
        "other_unit": new_case(s["other"], **base),
    }
    return made


FILTERS = [
    ("status=classified", "classified"),
    ("status=closed", "closed"),
    ("kind=complaint", "complaint"),
    ("topic=harassment", "harassment"),
    ("assignee={handler}", "mine"),
    ("deadline=overdue", "overdue"),
    ("deadline=soon", "soon"),
    ("within={soon_days}", "soon"),
    ("channel=hotline", "hotline"),
    ("track=formal", "formal"),
    ("unit={other}", "other_unit"),
]


@pytest.mark.parametrize("query, expected", FILTERS)
def test_each_filter_lists_only_the_cases_it_names(app, client, unit_staff, query, expected):
    s = unit_staff
    with app.app_context():
        made = _filter_cases(s)
    sign_in(client, s["leader"])
    soon_days = (made["soon"].due_on - today()).days
    query = query.format(handler=s["handler"].id, other=s["other"].id, soon_days=soon_days)
    assert listed(page(client, f"/staff/cases?{query}")) == [made[expected].number]


def test_the_open_default_leaves_out_ended_cases_and_all_statuses_shows_them(
    app, client, unit_staff
):
    s = unit_staff
    with app.app_context():
        made = _filter_cases(s)
    sign_in(client, s["leader"])
    default = listed(page(client))
    assert made["closed"].number not in default
    assert len(default) == len(made) - 1
    everything = listed(page(client, "/staff/cases?status=all"))
    assert sorted(everything) == sorted(c.number for c in made.values())
    # Ended cases have no deadline: last in the deadline order.
    assert everything[-1] == made["closed"].number


def test_anonymous_information_and_unassigned_filters(app, client, unit_staff):
    s = unit_staff
    with app.app_context():
        anonymous = new_case(s["unit"])
        named = new_case(s["unit"], name="Lê Thị Tên", assignee_id=s["handler"].id)
    sign_in(client, s["head"])
    assert listed(page(client, "/staff/cases?track=anonymous-information")) == [anonymous.number]
    assert listed(page(client, "/staff/cases?assignee=unassigned")) == [anonymous.number]
    assert listed(page(client, "/staff/cases?assignee=me")) == []
    assert listed(page(client, f"/staff/cases?assignee={s['handler'].id}")) == [named.number]


def test_filters_combine(app, client, unit_staff):
    s = unit_staff
    day = today()
    with app.app_context():
        wanted = new_case(
            s["unit"], kind="complaint", topic="policy", due_on=day - timedelta(days=2)
        )
        new_case(s["unit"], kind="complaint", topic="policy", due_on=day + timedelta(days=40))
        new_case(s["unit"], kind="complaint", topic="other", due_on=day - timedelta(days=2))
        new_case(s["unit"], kind="petition", topic="policy", due_on=day - timedelta(days=2))
    sign_in(client, s["head"])
    html = page(client, "/staff/cases?kind=complaint&topic=policy&deadline=overdue")
    assert listed(html) == [wanted.number]
    # The form shows the filters it was given, so the reader sees why the list is short.
    assert '<option value="complaint" selected>' in html
    assert '<option value="policy" selected>' in html
    assert '<option value="overdue" selected>' in html


def test_unknown_filter_values_fall_back_to_the_defaults(app, client, unit_staff):
    s = unit_staff
    with app.app_context():
        case = new_case(s["unit"])
    sign_in(client, s["head"])
    html = page(client, "/staff/cases?status=bogus&kind=x&within=-4&unit=abc&after=zz.1&sort=up")
    assert listed(html) == [case.number]
    html = page(client, "/staff/cases?assignee=-1&within=99999&unit=99999999999&after=-.x")
    assert listed(html) == [case.number]
    assert listed(page(client, "/staff/cases?assignee=99999999999999999999")) == [case.number]


# --- Search ----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["thu tuc", "THỦ TỤC", "thủ tục", "tuc  thu", "Thu Tục"])
def test_search_ignores_case_and_diacritics(app, client, unit_staff, typed):
    s = unit_staff
    with app.app_context():
        found = new_case(s["unit"], title="Thủ tục cấp phép chậm")
        new_case(s["unit"], title="Đường hỏng", description="Mặt đường xuống cấp.")
    sign_in(client, s["head"])
    html = page(client, "/staff/cases?" + f"q={typed}".replace(" ", "+"))
    assert listed(html) == [found.number]
    assert f'value="{" ".join(typed.split())}"' in html


def test_search_folds_d_with_stroke_and_finds_numbers(app, client, unit_staff):
    s = unit_staff
    with app.app_context():
        road = new_case(s["unit"], title="Đường hỏng", description="Mặt đường xuống cấp.")
        other = new_case(s["unit"], title="Thủ tục", description="Hồ sơ chậm.")
    sign_in(client, s["head"])
    assert listed(page(client, "/staff/cases?q=duong")) == [road.number]
    # A whole number, however typed, finds its case; part of one searches the text.
    assert listed(page(client, f"/staff/cases?q={other.number.lower()}")) == [other.number]
    assert listed(page(client, f"/staff/cases?q=+{other.number}+")) == [other.number]
    assert listed(page(client, f"/staff/cases?q={other.number[-6:]}")) == [other.number]
    # LIKE wildcards typed by the reader are literal characters.
    assert listed(page(client, "/staff/cases?q=%25")) == []
    assert listed(page(client, "/staff/cases?q=_")) == []


# --- Keyset pages ----------------------------------------------------------------------------


def _walk(client, url):
    """Follow the "next page" links from url; return every page's numbers."""
    pages = []
    while url:
        html = page(client, url)
        pages.append(listed(html))
        found = NEXT_LINK.search(html)
        url = found.group(1).replace("&amp;", "&") if found else None
        assert len(pages) < 50
    return pages


@pytest.fixture
def small_pages(app, monkeypatch):
    monkeypatch.setitem(app.config, "CASE_INBOX_PAGE_SIZE", 3)


def test_deadline_pages_neither_repeat_nor_skip_cases_with_equal_dates(
    app, client, unit_staff, small_pages
):
    s = unit_staff
    day = today()
    with app.app_context():
        cases = [new_case(s["unit"], due_on=day + timedelta(days=5)) for _ in range(7)]
        cases += [new_case(s["unit"], due_on=day + timedelta(days=1)) for _ in range(2)]
        cases += [new_case(s["unit"], status="closed") for _ in range(4)]  # no due date
    expected = sorted(
        cases, key=lambda c: (c.due_on is None, c.due_on or day, c.id)
    )  # dated first, then by id
    sign_in(client, s["head"])
    pages = _walk(client, "/staff/cases?status=all")
    assert [len(p) for p in pages] == [3, 3, 3, 3, 1]
    assert [n for p in pages for n in p] == [c.number for c in expected]


def test_newest_first_pages_are_stable_with_equal_receipt_times(
    app, client, unit_staff, small_pages
):
    s = unit_staff
    moment = datetime(2026, 3, 2, 8, 0, 0, 123456, tzinfo=UTC)
    with app.app_context():
        cases = [new_case(s["unit"], received_at=moment) for _ in range(5)]
        cases += [new_case(s["unit"], received_at=moment + timedelta(hours=1)) for _ in range(2)]
        cases += [new_case(s["unit"], received_at=moment - timedelta(days=3)) for _ in range(2)]
    expected = sorted(cases, key=lambda c: (c.received_at, c.id), reverse=True)
    sign_in(client, s["head"])
    pages = _walk(client, "/staff/cases?sort=newest")
    assert [len(p) for p in pages] == [3, 3, 3]
    assert [n for p in pages for n in p] == [c.number for c in expected]


def test_the_next_page_link_keeps_the_filters_and_carries_a_keyset(
    app, client, unit_staff, small_pages
):
    s = unit_staff
    with app.app_context():
        for _ in range(4):
            new_case(s["unit"], kind="complaint")
        new_case(s["unit"], kind="petition")
    sign_in(client, s["head"])
    html = page(client, "/staff/cases?kind=complaint")
    link = NEXT_LINK.search(html).group(1)
    assert "kind=complaint" in link
    assert "page=" not in link and "offset" not in link
    assert re.search(r"after=\d{4}-\d\d-\d\d\.\d+", link)
    second = page(client, link.replace("&amp;", "&"))
    assert len(listed(second)) == 1
    assert say(app, "First page") in second


def test_cursor_tokens_read_back_as_written():
    moment = datetime(2026, 11, 27, 1, 2, 3, 456789, tzinfo=UTC)
    for sort, cursor in (
        ("newest", queries.Cursor(id=42, received_at=moment)),
        ("deadline", queries.Cursor(id=7, due_on=moment.date())),
        ("deadline", queries.Cursor(id=9)),
    ):
        assert queries.parse_cursor(cursor.token(sort), sort) == cursor
    for junk in ("", "x", "1.2.3", "2026-13-01.4", "9" * 40 + ".1"):
        assert queries.parse_cursor(junk, "deadline") is None
        assert queries.parse_cursor(junk, "newest") is None


# --- Deadlines and counts --------------------------------------------------------------------


def test_overdue_and_due_soon_show_with_a_label_and_days_left(app, client, unit_staff):
    s = unit_staff
    day = today()
    with app.app_context():
        late = new_case(s["unit"], due_on=day - timedelta(days=2))
        soon = new_case(s["unit"], due_on=add_working_days(day, 2))
        later = new_case(s["unit"], due_on=day + timedelta(days=40))
    sign_in(client, s["head"])
    html = page(client)
    assert listed(html) == [late.number, soon.number, later.number]
    overdue, due_soon = say(app, "Overdue"), say(app, "Due soon")
    row = row_of(html, late.number)
    assert overdue in row and "<td>-2</td>" in row
    row = row_of(html, soon.number)
    assert due_soon in row and overdue not in row
    assert f"<td>{(soon.due_on - day).days}</td>" in row
    row = row_of(html, later.number)
    assert overdue not in row and due_soon not in row and "<td>40</td>" in row


def test_counts_are_of_open_cases_under_the_other_filters(app, client, unit_staff):
    s = unit_staff
    day = today()
    with app.app_context():
        for _ in range(2):
            new_case(s["unit"], kind="complaint", due_on=day - timedelta(days=1))
        new_case(s["unit"], kind="petition", due_on=day - timedelta(days=3))
        new_case(s["unit"], kind="complaint", status="classified", due_on=day)
        new_case(s["unit"], kind="complaint", assignee_id=s["head"].id, status="assigned")
        new_case(s["unit"], kind="complaint", status="closed")
        new_case(s["other"], kind="complaint", due_on=day - timedelta(days=1))
    sign_in(client, s["head"])
    html = page(client)
    assert say(app, "Overdue: %(count)s", count="3") in html
    assert say(app, "Assigned to me: %(count)s", count="1") in html
    assert say(app, "Unassigned: %(count)s", count="4") in html
    assert say(app, "%(label)s (%(count)s open)", label=say(app, "Complaint"), count="4") in html
    # With a kind chosen, the other counts narrow to it; the kind counts do not.
    html = page(client, "/staff/cases?kind=petition")
    assert say(app, "Overdue: %(count)s", count="1") in html
    assert say(app, "%(label)s (%(count)s open)", label=say(app, "Complaint"), count="4") in html
    received = say(app, "%(label)s (%(count)s)", label=say(app, "Received"), count="1")
    assert received in html
    assert say(app, "%(num)d case matches.", "%(num)d cases match.", 1) in html
    html = page(client, "/staff/cases?deadline=overdue")
    assert say(app, "%(num)d case matches.", "%(num)d cases match.", 3) in html


def test_a_list_of_ended_cases_longer_than_a_page_is_not_counted(
    app, client, unit_staff, small_pages
):
    s = unit_staff
    with app.app_context():
        for _ in range(4):
            new_case(s["unit"], status="closed")
    sign_in(client, s["head"])
    html = page(client, "/staff/cases?status=closed")
    assert len(listed(html)) == 3
    shown = say(app, "%(num)d case on this page.", "%(num)d cases on this page.", 3)
    assert shown in html and say(app, "More on the next page.") in html
    # One page of them is counted exactly.
    html = page(client, "/staff/cases?status=closed&kind=petition")
    assert say(app, "%(num)d case matches.", "%(num)d cases match.", 0) in html


def test_an_empty_list_says_so_and_offers_the_whole_unit(app, client, unit_staff):
    s = unit_staff
    with app.app_context():
        new_case(s["unit"], assignee_id=s["colleague"].id)
    sign_in(client, s["handler"])
    html = page(client)
    assert listed(html) == []
    assert say(app, "No cases match these filters.") in html
    assert say(app, "Show the cases of the whole unit") in html
    assert "<table" not in html


# --- Bulk assignment -------------------------------------------------------------------------


def test_a_head_gets_checkboxes_and_the_units_staff_to_assign_to(app, client, unit_staff):
    s = unit_staff
    with app.app_context():
        case = new_case(s["unit"])
    sign_in(client, s["head"])
    html = page(client)
    assert f'name="numbers" value="{case.number}"' in html
    assert 'method="post"' in html.split("<main")[-1]
    bulk = html[html.index('id="bulk-assignee"') :]
    bulk = bulk[: bulk.index("</select>")]
    assert f'value="{s["handler"].id}"' in bulk and f'value="{s["colleague"].id}"' in bulk
    assert f'value="{s["outsider"].id}"' not in bulk


def test_ticked_cases_go_to_the_chosen_handler_and_back_to_the_same_list(app, client, unit_staff):
    s = unit_staff
    with app.app_context():
        picked = [new_case(s["unit"], status="accepted", kind="complaint") for _ in range(2)]
        left = new_case(s["unit"], status="accepted", kind="complaint")
    sign_in(client, s["head"])
    html = page(client, "/staff/cases?kind=complaint")
    assert 'name="next" value="/staff/cases?kind=complaint"' in html
    response = client.submit(
        "/staff/cases/assign",
        {
            "numbers": [c.number for c in picked],
            "assignee": str(s["handler"].id),
            "next": "/staff/cases?kind=complaint",
        },
        token_from="/staff/cases",
        expect=302,
    )
    assert response.headers["Location"] == "/staff/cases?kind=complaint"
    handler = PageClient(app.test_client())
    sign_in(handler, s["handler"])
    assert sorted(listed(page(handler))) == sorted(c.number for c in picked)
    assert left.number not in listed(page(handler))


@pytest.mark.parametrize("who", ["handler", "leader"])
def test_who_cannot_assign_gets_no_bulk_form(app, client, unit_staff, who):
    s = unit_staff
    with app.app_context():
        new_case(s["unit"], assignee_id=s["handler"].id)
    sign_in(client, s[who])
    html = page(client)
    assert len(listed(html)) == 1
    assert 'name="numbers"' not in html and 'method="post"' not in html.split("<main")[-1]


def test_statuses_are_listed_with_their_labels(app, client, unit_staff):
    s = unit_staff
    with app.app_context():
        case = new_case(s["unit"], status=CaseStatus.VERIFYING, assignee_id=s["handler"].id)
    sign_in(client, s["handler"])
    assert say(app, "Verifying") in row_of(page(client), case.number)


def test_the_inbox_index_holds_exactly_the_open_statuses():
    from portal.cases.models import OPEN_STATUSES, OPEN_STATUSES_SQL, Case
    from portal.cases.workflow import OPEN

    assert set(OPEN_STATUSES) == {s.value for s in OPEN}
    # Alembic compares neither index conditions nor included columns: the migration must
    # say the same as the model.
    versions = Path(__file__).resolve().parents[2] / "migrations" / "versions"
    migration = {}
    exec(next(versions.glob("*_inbox_indexes.py")).read_text(), migration)  # noqa: S102
    statuses = re.findall(r"'([a-z-]+)'", migration["OPEN"])
    assert statuses == list(OPEN_STATUSES) == re.findall(r"'([a-z-]+)'", OPEN_STATUSES_SQL)
    index = next(i for i in Case.__table__.indexes if i.name == "ix_citizen_case_open_due")
    assert index.dialect_options["postgresql"]["include"] == migration["INCLUDED"]
