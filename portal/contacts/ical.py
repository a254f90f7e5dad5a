"""The reception schedule as an iCalendar feed (RFC 5545), written by hand: a calendar of a
few dozen events does not need a dependency.

What the RFC asks and calendar apps enforce: CRLF line ends; lines folded at 75 octets (not
characters: Vietnamese letters take two or three octets in UTF-8) with a space starting each
continuation; commas, semicolons, backslashes and line breaks escaped in text; a UID that stays
the same when the feed is read again, so an app updates an event instead of adding a copy; and
local times tied to a VTIMEZONE the feed defines.
"""

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time

from portal.contacts.schedule import Session

TZID = "Asia/Ho_Chi_Minh"
# Viet Nam has kept UTC+7 without daylight saving since 1975: one STANDARD block says it all.
VTIMEZONE = (
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    "BEGIN:STANDARD",
    "DTSTART:19750613T000000",
    "TZOFFSETFROM:+0700",
    "TZOFFSETTO:+0700",
    "TZNAME:ICT",
    "END:STANDARD",
    "END:VTIMEZONE",
)
MAX_OCTETS = 75


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11): backslash first, then ; , and line breaks."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never splitting a character or
    an escape sequence such as backslash-comma (allowed, but some readers trip over it)."""
    if len(line.encode("utf-8")) <= MAX_OCTETS:
        return line
    units = re.findall(r"\\.|.", line, flags=re.DOTALL)
    pieces: list[str] = []
    current = ""
    size = 0
    limit = MAX_OCTETS
    for unit in units:
        width = len(unit.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            # Continuation lines start with one space, which counts towards their 75 octets.
            current, size, limit = "", 0, MAX_OCTETS - 1
        current += unit
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def _local(day: date, at: time) -> str:
    return f"{day:%Y%m%d}T{at:%H%M%S}"


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_text(
    sessions: Iterable[Session],
    *,
    name: str,
    domain: str,
    summary_for,
    url: str,
    stamp: datetime | None = None,
) -> str:
    """Return the whole VCALENDAR. summary_for(session) gives each event's title."""
    stamp = stamp or datetime.now(UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{escape_text(domain)}//Reception schedule//VI",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{TZID}",
        *VTIMEZONE,
    ]
    for session in sessions:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{session.uid}@{domain}",
            f"DTSTAMP:{_utc(stamp)}",
            f"DTSTART;TZID={TZID}:{_local(session.day, session.starts_at)}",
            f"DTEND;TZID={TZID}:{_local(session.day, session.ends_at)}",
            f"SUMMARY:{escape_text(summary_for(session))}",
            f"LOCATION:{escape_text(session.place)}",
        ]
        if session.note:
            lines.append(f"DESCRIPTION:{escape_text(session.note)}")
        lines += [
            f"URL:{url}",
            # A moved or cancelled session is a new version of the same event.
            f"SEQUENCE:{1 if session.session_public_id and session.rule_day else 0}",
            f"STATUS:{'CANCELLED' if session.cancelled else 'CONFIRMED'}",
            "TRANSP:OPAQUE",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
