"""Sustained case submissions against a running portal (``run.py --submissions``).

Each thread is a virtual citizen with its own cookie jar: it GETs ``/gop-y/moi`` (CSRF token
and submission token), POSTs an anonymous reflection as ``multipart/form-data`` with a small
PNG, and on acceptance (a redirect to the receipt) reads the case number from the receipt page.
Only the POST is timed. Afterwards the harness counts the cases in the database and reports
whether every accepted submission is there exactly once. Standard library only; it asserts
nothing.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import secrets
import struct
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from dataclasses import dataclass, field
from pathlib import Path

FORM_PATH = "/gop-y/moi"
RECEIPT_PATH = "/gop-y/bien-nhan"
NUMBER_RE = re.compile(r"\b([A-Z]{2}-\d{4}-\d{6})\b")
TIMEOUT = 30


def tiny_png() -> bytes:
    """A valid 1x1 RGB PNG (69 bytes), built by hand."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        body = tag + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xcc\x33\x33")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PNG = tiny_png()


class LoopbackCookiePolicy(http.cookiejar.DefaultCookiePolicy):
    """Production sets Secure cookies; the bench talks plain HTTP to 127.0.0.1 only."""

    def return_ok_secure(self, cookie, request):
        return True


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None  # the 303 comes back as an HTTPError we inspect


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, str, bytes]]):
    boundary = "----bench" + secrets.token_hex(12)
    parts = []
    for name, value in fields:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for name, filename, ctype, data in files:
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {ctype}\r\n\r\n'
            ).encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def hidden(html: str, name: str) -> str:
    m = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    if not m:
        return ""
    v = re.search(r'value="([^"]*)"', m.group(0))
    return v.group(1) if v else ""


@dataclass
class SubmitStats:
    accepted: int = 0
    refused: dict = field(default_factory=dict)  # status -> count
    errors: dict = field(default_factory=dict)  # exception class -> count
    latencies_ms: list = field(default_factory=list)  # accepted POSTs only
    numbers: list = field(default_factory=list)  # read from the receipts
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def bump(self, table: dict, key) -> None:
        with self.lock:
            table[key] = table.get(key, 0) + 1


def citizen(base: str, deadline: float, stats: SubmitStats, n: int) -> None:
    jar = http.cookiejar.CookieJar(policy=LoopbackCookiePolicy())
    cookies = urllib.request.HTTPCookieProcessor(jar)
    opener = urllib.request.build_opener(cookies, NoRedirect)
    seq = 0
    while time.monotonic() < deadline:
        seq += 1
        try:
            with opener.open(base + FORM_PATH, timeout=TIMEOUT) as resp:
                page = resp.read().decode("utf-8", "replace")
            fields = [
                ("csrf_token", hidden(page, "csrf_token")),
                ("submission_token", hidden(page, "submission_token")),
                ("website", ""),
                ("kind", "reflection"),
                ("topic", "other"),
                ("procedure", ""),
                ("concerned_unit", ""),
                ("place", "Phường Bến Nghé"),
                ("title", f"Đèn đường hỏng (bench {n}-{seq})"),
                ("description", "Đèn đường trước số 12 bị hỏng ba tuần nay, buổi tối rất tối."),
                ("anonymous", "y"),
                ("declaration", "y"),
            ]
            body, ctype = multipart(fields, [("files", "ảnh đèn.png", "image/png", PNG)])
            req = urllib.request.Request(
                base + FORM_PATH, data=body, headers={"Content-Type": ctype}, method="POST"
            )
            start = time.perf_counter()
            try:
                with opener.open(req, timeout=TIMEOUT) as resp:
                    status, location = resp.status, ""
                    resp.read()
            except urllib.error.HTTPError as exc:
                status, location = exc.code, exc.headers.get("Location", "")
                exc.read()
            elapsed = (time.perf_counter() - start) * 1000
            if status in (302, 303) and location.endswith(RECEIPT_PATH):
                with opener.open(base + RECEIPT_PATH, timeout=TIMEOUT) as resp:
                    receipt = resp.read().decode("utf-8", "replace")
                m = NUMBER_RE.search(receipt)
                with stats.lock:
                    stats.accepted += 1
                    stats.latencies_ms.append(elapsed)
                    if m:
                        stats.numbers.append(m.group(1))
            else:
                stats.bump(stats.refused, status)
        except (urllib.error.URLError, OSError) as exc:
            stats.bump(stats.errors, type(exc).__name__)


def drive(base: str, duration: int, workers: int) -> SubmitStats:
    stats = SubmitStats()
    start = time.monotonic()
    deadline = start + duration
    threads = [
        threading.Thread(target=citizen, args=(base, deadline, stats, i), daemon=True)
        for i in range(workers)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration + TIMEOUT * 3)
    stats.seconds = time.monotonic() - start
    return stats


# Run with the portal's Python against the same database: every case's number, kind, year and
# sequence, as JSON on the last line.
COUNT_SCRIPT = """
import json
from portal import create_app
from portal.extensions import db
from portal.cases.models import Case
app = create_app()
with app.app_context():
    rows = db.session.execute(db.select(Case.number, Case.kind, Case.year, Case.sequence)).all()
    print(json.dumps([list(r) for r in rows]))
"""


def count_cases(python: str, env: dict, cwd: Path) -> list[list]:
    proc = subprocess.run(
        [python, "-c", COUNT_SCRIPT],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"counting cases failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def percentile(values: list[float], pct: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def integrity(stats: SubmitStats, before: list[list], after: list[list]) -> list[str]:
    """Plain-language findings: is every accepted submission there exactly once?"""
    lines = []
    old = {row[0] for row in before}
    new_rows = [row for row in after if row[0] not in old]
    lines.append(f"cases in the database: {len(before)} before, {len(after)} after")
    verdict = "yes" if len(new_rows) == stats.accepted else "NO"
    lines.append(
        f"new cases == accepted submissions ({len(new_rows)} == {stats.accepted}): {verdict}"
    )
    numbers = [row[0] for row in after]
    dupes = len(numbers) - len(set(numbers))
    lines.append(f"case numbers distinct: {'yes' if not dupes else f'NO ({dupes} repeated)'}")
    gaps = []
    series: dict[tuple, list[int]] = {}
    for _number, kind, year, sequence in after:
        series.setdefault((kind, year), []).append(sequence)
    for (kind, year), seqs in sorted(series.items()):
        if sorted(seqs) != list(range(1, len(seqs) + 1)):
            gaps.append(f"{kind} {year}")
    lines.append(
        f"numbers gapless per kind and year: {'yes' if not gaps else 'NO: ' + ', '.join(gaps)}"
    )
    seen = {row[0] for row in new_rows}
    receipts = stats.numbers
    missing = [n for n in receipts if n not in seen]
    twice = len(receipts) - len(set(receipts))
    ok = not missing and not twice and len(receipts) == stats.accepted
    lines.append(
        f"every receipt's number is in the database exactly once: {'yes' if ok else 'NO'}"
        f" ({len(receipts)} receipts read, {len(missing)} missing, {twice} repeated)"
    )
    return lines


def report(stats: SubmitStats, workers: int, db_label: str, findings: list[str]) -> None:
    print()
    print(f"gunicorn -w 2 sync | {workers} citizen threads | {stats.seconds:.1f}s | db: {db_label}")
    rate = stats.accepted / stats.seconds if stats.seconds else 0.0
    p50, p95 = percentile(stats.latencies_ms, 50), percentile(stats.latencies_ms, 95)
    fmt = lambda v: "n/a" if v is None else f"{v:.1f}"  # noqa: E731
    print(f"accepted submissions: {stats.accepted}  ({rate:.1f} submissions/s)")
    print(f"POST latency (accepted): p50 {fmt(p50)} ms, p95 {fmt(p95)} ms")
    if stats.refused:
        print(f"refused (HTTP status: count): {stats.refused}")
    if stats.errors:
        print(f"transport errors: {stats.errors}")
    for line in findings:
        print(line)
    print("(no bare-Flask ratio: the baseline has no form POST to compare with)")
