"""The reception schedule as iCalendar: parsed back by a small RFC 5545 reader written here."""

import re
from datetime import date, datetime, time

import pytest

from portal.contacts import ical
from portal.contacts.schedule import Session
from tests.contacts.factories import create_rule, create_session
from tests.e2e.browser import translate


def unfold(text: str) -> list[str]:
    """Split into content lines (CRLF only) and join folded continuations."""
    assert "\n" not in text.replace("\r\n", ""), "bare LF line ending"
    assert text.endswith("\r\n")
    lines: list[str] = []
    for raw in text.split("\r\n")[:-1]:
        assert len(raw.encode("utf-8")) <= 75, f"line longer than 75 octets: {raw!r}"
        if raw.startswith(" "):
            lines[-1] += raw[1:]
        else:
            lines.append(raw)
    return lines


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def parse(text: str) -> dict:
    """Return {"calendar": {...}, "timezones": [...], "events": [{name: (params, value)}]}."""
    result: dict = {"calendar": {}, "timezones": [], "events": []}
    stack: list[tuple[str, dict]] = []
    for line in unfold(text):
        name_params, _, value = line.partition(":")
        name, *params = name_params.split(";")
        if name == "BEGIN":
            stack.append((value, {}))
            continue
        if name == "END":
            kind, props = stack.pop()
            assert kind == value, f"END:{value} closes {kind}"
            if kind == "VEVENT":
                result["events"].append(props)
            elif kind == "VTIMEZONE":
                result["timezones"].append(props)
            elif kind == "VCALENDAR":
                result["calendar"] = props
            continue
        stack[-1][1][name] = (dict(p.split("=", 1) for p in params), value)
    assert not stack
    return result


def session(**overrides) -> Session:
    values = {
        "uid": "rule-abc-20270115",
        "day": date(2027, 1, 15),
        "starts_at": time(7, 30),
        "ends_at": time(11, 30),
        "host": "Giám đốc Sở",
        "host_en": "Director",
        "place": "Phòng tiếp công dân, tầng 1; số 2 đường Hoàng Văn Thụ, phường Lương Văn Tri, tỉnh Lạng Sơn",
        "note": "Mang theo giấy tờ\\tùy thân,\nvà đơn",
        **overrides,
    }
    return Session(**values)


def calendar(*sessions, **kwargs) -> str:
    return ical.calendar_text(
        sessions,
        name="Lịch tiếp công dân",
        domain="stc.example.vn",
        summary_for=lambda s: f"Tiếp công dân: {s.host}",
        url="https://stc.example.vn/tiep-cong-dan",
        stamp=datetime(2026, 11, 27, 3, 0, tzinfo=ical.UTC),
        **kwargs,
    )


def test_text_survives_escaping_and_folding():
    parsed = parse(calendar(session()))

    [event] = parsed["events"]
    assert unescape(event["LOCATION"][1]) == session().place
    assert unescape(event["DESCRIPTION"][1]) == "Mang theo giấy tờ\\tùy thân,\nvà đơn"
    assert unescape(event["SUMMARY"][1]) == "Tiếp công dân: Giám đốc Sở"


def test_times_are_local_to_viet_nam_with_a_timezone_definition():
    parsed = parse(calendar(session()))

    [event] = parsed["events"]
    assert event["DTSTART"] == ({"TZID": "Asia/Ho_Chi_Minh"}, "20270115T073000")
    assert event["DTEND"] == ({"TZID": "Asia/Ho_Chi_Minh"}, "20270115T113000")
    [timezone] = parsed["timezones"]
    assert timezone["TZID"][1] == "Asia/Ho_Chi_Minh"
    assert event["DTSTAMP"][1] == "20261127T030000Z"


def test_every_event_has_what_rfc_5545_requires():
    parsed = parse(calendar(session(), session(uid="session-x", cancelled=True)))

    assert parsed["calendar"]["VERSION"][1] == "2.0"
    assert parsed["calendar"]["PRODID"][1]
    for event in parsed["events"]:
        assert {"UID", "DTSTAMP", "DTSTART"} <= set(event)
    assert [e["UID"][1] for e in parsed["events"]] == [
        "rule-abc-20270115@stc.example.vn",
        "session-x@stc.example.vn",
    ]
    assert [e["STATUS"][1] for e in parsed["events"]] == ["CONFIRMED", "CANCELLED"]


@pytest.mark.parametrize("width", [1, 2, 3, 4])
def test_folding_never_splits_a_character(width):
    char = {1: "a", 2: "đ", 3: "ế", 4: "𝔸"}[width]
    line = "X:" + char * 100
    folded = ical.fold(line)

    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == line


def test_folding_keeps_escape_sequences_whole():
    line = "LOCATION:" + "a" * 65 + "\\,b"
    folded = ical.fold(line)

    assert "\\\r\n" not in folded
    assert folded.replace("\r\n ", "") == line


def test_the_feed_lists_the_schedule_with_stable_uids(app, client):
    with app.app_context():
        create_rule(day_of_month=15, valid_from=date(2020, 1, 1))

    response = client.get("/tiep-cong-dan/lich.ics")
    assert response.mimetype == "text/calendar"
    assert response.mimetype_params["charset"] == "utf-8"
    first = parse(response.get_data(as_text=True))
    second = parse(client.get("/tiep-cong-dan/lich.ics").get_data(as_text=True))

    uids = [e["UID"][1] for e in first["events"]]
    assert len(uids) == len(set(uids)) >= 12
    assert uids == [e["UID"][1] for e in second["events"]]
    assert all(e["URL"][1].endswith("/tiep-cong-dan") for e in first["events"])
    summary = translate(app, "Citizen reception by %(host)s", host="Giám đốc Sở")
    assert "Giám đốc Sở" in summary
    assert all(unescape(e["SUMMARY"][1]) == summary for e in first["events"])


def test_a_cancelled_session_keeps_the_uid_of_the_session_it_cancels(app, client):
    with app.app_context():
        create_rule(day_of_month=15, valid_from=date(2020, 1, 1))
    before = parse(client.get("/tiep-cong-dan/lich.ics").get_data(as_text=True))["events"]
    target = before[-1]
    day = datetime.strptime(target["DTSTART"][1], "%Y%m%dT%H%M%S").date()
    with app.app_context():
        create_session(day=day, replaces_rule_day=day, cancelled=True)

    after = parse(client.get("/tiep-cong-dan/lich.ics").get_data(as_text=True))["events"]

    [cancelled] = [e for e in after if e["STATUS"][1] == "CANCELLED"]
    assert cancelled["UID"] == target["UID"]
    assert len(after) == len(before)
