"""The reception page and the home page advertise the iCalendar feed of the head's reception
days (a <link rel="alternate"> in the head and a link in the body) when they list sessions,
and the feed carries the sessions they list: same dates and times, same hosts, cancelled ones
marked cancelled, plus the recent past ones a calendar app keeps."""

from datetime import date, datetime, timedelta

import html5lib
import pytest

from portal.contacts import schedule
from tests.contacts.factories import create_office, create_rule, create_session
from tests.contacts.test_ical import parse, unescape
from tests.disclosures.wording import say

CALENDAR_TYPE = "text/calendar"
FEED = "/tiep-cong-dan/lich.ics"
LOCALES = ["vi", "en"]


@pytest.fixture
def changed_schedule(app):
    """A monthly rule running for years, with one session cancelled, one moved, one extra."""
    with app.app_context():
        create_office()
        create_rule(
            day_of_month=15, host="Giám đốc Sở", host_en="Director", valid_from=date(2020, 1, 1)
        )
        today = schedule.today_in_vietnam()
        first, second, third, *_ = schedule.upcoming_sessions(today)
        create_session(
            day=first.day, replaces_rule_day=first.day, cancelled=True, note="Đi công tác"
        )
        create_session(
            day=second.day + timedelta(days=1), replaces_rule_day=second.day, host="Giám đốc Sở"
        )
        create_session(day=third.day - timedelta(days=3), host="Phó Giám đốc Sở")
    return today


def _in(client, locale):
    if locale == "en":
        client.get("/ngon-ngu/en?next=/", expect=302)
    return client


def _html(client, url):
    text = client.get(url).get_data(as_text=True)
    return html5lib.parse(text, namespaceHTMLElements=False)


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _calendar_links(document):
    """The head's calendar alternates and the body's links to the feed."""
    head = [
        link
        for link in document.findall("./head/link")
        if link.get("rel") == "alternate" and link.get("type") == CALENDAR_TYPE
    ]
    body = [a for a in document.find("./body").iter("a") if a.get("href") == FEED]
    return head, body


def _feed(client, href):
    response = client.get(href)
    assert response.mimetype == CALENDAR_TYPE
    return parse(response.get_data(as_text=True))


def _advertised_feed(client, url):
    """Check the page's links to the feed; return the page and the parsed feed."""
    document = _html(client, url)
    [head_link], [body_link] = _calendar_links(document)
    assert head_link.get("href") == FEED
    calendar = _feed(client, head_link.get("href"))
    assert head_link.get("title") == unescape(calendar["calendar"]["X-WR-CALNAME"][1])
    return document, body_link, calendar


def _event(event) -> tuple[date, str, str, bool]:
    starts = datetime.strptime(event["DTSTART"][1], "%Y%m%dT%H%M%S")
    ends = datetime.strptime(event["DTEND"][1], "%Y%m%dT%H%M%S")
    hours = f"{starts.hour}:{starts.minute:02d}–{ends.hour}:{ends.minute:02d}"
    return starts.date(), hours, unescape(event["SUMMARY"][1]), event["STATUS"][1] == "CANCELLED"


def _summary(app, locale, host, cancelled):
    if cancelled:
        return say(app, "Cancelled: citizen reception by %(host)s", host=host, locale=locale)
    return say(app, "Citizen reception by %(host)s", host=host, locale=locale)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_feed_carries_the_sessions_the_reception_page_lists(
    app, client, changed_schedule, locale
):
    today = changed_schedule
    document, body_link, calendar = _advertised_feed(_in(client, locale), "/tiep-cong-dan")
    assert body_link.text == say(
        app, "Add these dates to your calendar (iCalendar feed)", locale=locale
    )

    listed, notes = [], []
    for row in document.findall(".//table/tbody/tr"):
        cells = [_text(td) for td in row.findall("td")]
        day = date.fromisoformat(row.find("./td/time").get("datetime"))
        hours = cells[0].rsplit(", ", 1)[1]
        cancelled = row.get("class") == "cancelled"
        listed.append((day, hours, _summary(app, locale, cells[1], cancelled), cancelled))
        notes.append(cells[-1])
    assert len(listed) == 12
    assert listed[0][3] is True  # the cancelled session is on the page, marked

    events = [e for e in calendar["events"] if _event(e)[0] >= today][: len(listed)]
    assert [_event(e) for e in events] == listed
    for event, note in zip(events, notes, strict=True):
        if "DESCRIPTION" in event:
            assert unescape(event["DESCRIPTION"][1]) in note
    assert unescape(events[0]["DESCRIPTION"][1]) == "Đi công tác"
    # The feed keeps the recent past sessions too, which the page no longer lists.
    past = [_event(e) for e in calendar["events"] if _event(e)[0] < today]
    assert past and all(e[0] >= today - timedelta(days=schedule.FEED_PAST_DAYS) for e in past)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_home_page_links_the_feed_of_the_sessions_it_lists(
    app, client, changed_schedule, locale
):
    today = changed_schedule
    document, body_link, calendar = _advertised_feed(_in(client, locale), "/")
    assert body_link.text == say(
        app, "Add the reception days to your calendar (iCalendar feed)", locale=locale
    )

    listed = [
        date.fromisoformat(li.find("./time").get("datetime"))
        for li in document.findall(".//ul[@class='sessions']/li")
    ]
    assert len(listed) == 3
    # The home page leaves cancelled sessions out; the feed has them, marked cancelled.
    events = [_event(e) for e in calendar["events"] if _event(e)[0] >= today]
    assert [e[0] for e in events if not e[3]][:3] == listed
    assert any(e[3] for e in events)


@pytest.mark.parametrize("url", ["/tiep-cong-dan", "/"])
def test_no_sessions_no_calendar_advertised(client, url):
    with client.application.app_context():
        create_office()
    head, body = _calendar_links(_html(client, url))
    assert head == [] and body == []
    assert _feed(client, FEED)["events"] == []


def test_other_pages_do_not_advertise_the_calendar(app, client, changed_schedule):
    for url in ("/duong-day-nong", "/co-cau-to-chuc", "/cong-khai"):
        head, body = _calendar_links(_html(client, url))
        assert head == [] and body == []
