"""Benchmark harness: portal pages vs a bare Flask "hello" baseline.

Run with ``make bench`` or ``.venv/bin/python tests/bench/run.py [--duration N] [--scale]``.
It reports numbers; it asserts nothing. See tests/bench/README.md for how to read them.
Standard library only (``--scale`` runs tests/bench/populate.py and ``--cases`` runs
tests/bench/cases_scale.py with the portal's Python).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
PERCENTILES_LUA = Path(__file__).resolve().parent / "percentiles.lua"
POPULATE = Path(__file__).resolve().parent / "populate.py"
CASES_SCALE = Path(__file__).resolve().parent / "cases_scale.py"
HOST = "127.0.0.1"
PYTHON = sys.executable
GUNICORN = Path(sys.executable).parent / "gunicorn"

STARTUP_TIMEOUT = 20.0  # seconds to wait for a server to answer 200
SETUP_TIMEOUT = 300  # seconds for each flask CLI setup command
WARMUP_SECONDS = 2


@dataclass
class Probe:
    """One URL measured on a running server."""

    label: str
    path: str
    connections: int | None = None  # None: --connections
    threads: int | None = None  # None: --threads
    headers: dict[str, str] = field(default_factory=dict)  # e.g. a staff session's Cookie
    # Timed instead of wrk: this many GETs one after the other, each timed to its last byte
    # (for pages that take seconds, where wrk's few samples say little). With `bust`, each
    # GET adds `&bench=<n>` to the query string, so the page cache never has it: every one is
    # a first request.
    repeat: int | None = None
    bust: bool = False
    # GETs before the warm-up, so both workers have the page cached before wrk's first one.
    prime: int = 0


@dataclass
class Target:
    name: str
    app: str  # gunicorn WSGI entry point
    path: str  # URL path to load (and to wait for at start-up)
    probes: list[Probe] = field(default_factory=list)  # default: the path, labelled name

    def probe_list(self) -> list[Probe]:
        return self.probes or [Probe(self.name, self.path)]


@dataclass
class Result:
    target: str
    path: str = ""
    rps: float | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    non_2xx: int = 0
    socket_errors: str | None = None
    raw: str = ""
    skipped: str | None = None  # why the path was not measured (it did not answer 200)
    connections: int | None = None
    notes: list[str] = field(default_factory=list)


BASELINE_C1 = Probe("baseline-c1", "/", 1, 1)

TARGETS = {
    "baseline": Target("baseline", "tests.bench.hello_app:app", "/"),
    "portal": Target("portal", "portal.wsgi:app", "/"),
}


def scale_probes(populated: dict) -> list[Probe]:
    """The portal pages measured with --scale, on the generated data."""
    search = "/tim-kiem?q=" + "+".join(populated["search_query"].split())
    return [
        Probe("home", "/"),
        Probe("disclosure", f"/cong-khai/van-ban/{populated['disclosure_slug']}"),
        Probe("procedures", "/thu-tuc-hanh-chinh"),
        Probe("search", search),
        # The same search alone: its latency without 31 other requests queued in front of it.
        Probe("search-c1", search, connections=1, threads=1),
    ]


def cases_probes(populated: dict) -> list[Probe]:
    """The staff pages measured with --cases, each alone (one connection): their latency."""
    head = {"Cookie": populated["cookie"]}
    leader = {"Cookie": populated["leader_cookie"]}
    deep = "/staff/cases?status=closed&kind=complaint&sort=newest&after=" + populated["deep_cursor"]
    return [
        Probe("inbox-first", "/staff/cases", 1, 1, head),
        Probe("inbox-deep", deep, 1, 1, head),
        Probe("inbox-search", "/staff/cases?q=thu+tuc", 1, 1, head),
        Probe("inbox-leader", "/staff/cases", 1, 1, leader),
        Probe("case-page", f"/staff/cases/{populated['case_number']}", 1, 1, head),
        # The first page again under the usual load: throughput, and latency with queueing.
        Probe("inbox-load", "/staff/cases", None, None, head),
    ]


def reports_probes(populated: dict, repeat: int) -> list[Probe]:
    """The report pages measured with --reports: the public scorecard of the last full year
    (every request a first one, then from the page cache), the staff annual report and its
    XLSX (the head), each timed alone."""
    head = {"Cookie": populated["cookie"]}
    year = populated["report_year"]
    scorecard = f"/thong-ke?period={year}"
    return [
        Probe("card-first", scorecard, 1, 1, repeat=repeat, bust=True),
        Probe("card-cached", scorecard, 1, 1, prime=6),
        Probe("report", f"/staff/reports?period={year}", 1, 1, head, repeat=repeat),
        Probe("report-xlsx", f"/staff/reports/export.xlsx?period={year}", 1, 1, head, repeat),
    ]


class BenchError(Exception):
    """A fatal problem (server did not start, wrk missing): exit non-zero."""


def log(msg: str) -> None:
    print(f"[bench] {msg}", flush=True)


def warn(msg: str) -> None:
    bar = "!" * 72
    print(f"\n{bar}\n[bench] WARNING: {msg}\n{bar}\n", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- wrk


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        log("wrk not found; running `apt-get install -y wrk` (as root)")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        with contextlib.suppress(subprocess.TimeoutExpired):
            subprocess.run(["apt-get", "install", "-y", "wrk"], env=env, timeout=300, check=False)
        wrk = shutil.which("wrk")
        if wrk:
            return wrk
    raise BenchError(
        "wrk is not installed. Install it with `sudo apt-get install -y wrk` "
        "(Debian/Ubuntu) and re-run `make bench`."
    )


_UNIT_TO_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def to_ms(value: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", value.strip())
    if not m:
        raise ValueError(f"unparseable wrk duration: {value!r}")
    return float(m.group(1)) * _UNIT_TO_MS[m.group(2)]


def parse_wrk(output: str, result: Result) -> None:
    result.raw = output
    m = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    if m:
        result.rps = float(m.group(1))
    for pct, attr in (("50", "p50_ms"), ("95", "p95_ms"), ("99", "p99_ms")):
        # Lines printed by percentiles.lua (microseconds), else wrk's --latency table.
        m = re.search(rf"^percentile {pct} (\d+)$", output, re.MULTILINE)
        if m:
            setattr(result, attr, int(m.group(1)) / 1000)
            continue
        m = re.search(rf"^\s+{pct}(?:\.0+)?%\s+(\S+)", output, re.MULTILINE)
        if m:
            setattr(result, attr, to_ms(m.group(1)))
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if m:
        result.non_2xx = int(m.group(1))
    m = re.search(r"Socket errors:\s*(.+)", output)
    if m:
        result.socket_errors = m.group(1).strip()


def run_wrk(
    wrk: str,
    url: str,
    duration: int,
    threads: int,
    connections: int,
    latency: bool = True,
    headers: dict[str, str] | None = None,
) -> str:
    cmd = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s"]
    for name, value in (headers or {}).items():
        cmd += ["-H", f"{name}: {value}"]
    if latency:
        cmd += ["--latency", "-s", str(PERCENTILES_LUA)]
    cmd.append(url)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60, check=False)
    if proc.returncode != 0:
        raise BenchError(f"wrk failed ({proc.returncode}): {proc.stderr.strip()}")
    return proc.stdout


# ---------------------------------------------------------------------- gunicorn


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def gunicorn_supports(flag: str) -> bool:
    try:
        proc = subprocess.run(
            [str(GUNICORN), "--help"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return flag in proc.stdout


def probe_status(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    """One GET: the HTTP status and the Cache-Control header (to tell cached pages apart)."""
    # A redirect (to the sign-in page, say) is an answer to report, not to follow.
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers or {}), timeout=120) as resp:
            return resp.status, resp.headers.get("Cache-Control", "")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, OSError):
        return 0, ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_ready(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"gunicorn exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
                last = f"HTTP {resp.status}"
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
        except (urllib.error.URLError, OSError) as exc:
            last = str(exc)
        time.sleep(0.2)
    raise BenchError(f"{url} did not answer HTTP 200 within {timeout:.0f}s (last: {last})")


def stop(proc: subprocess.Popen, pidfile: Path) -> None:
    """SIGTERM the gunicorn master we started (by its own PID), SIGKILL as fallback."""
    if proc.poll() is not None:
        return
    # The Popen PID *is* gunicorn (no shell); cross-check with --pid file for the log.
    try:
        recorded = int(pidfile.read_text().strip())
        if recorded != proc.pid:
            log(f"note: pid file says {recorded}, Popen says {proc.pid}; stopping {proc.pid}")
    except (OSError, ValueError):
        pass
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        log(f"gunicorn {proc.pid} ignored SIGTERM; sending SIGKILL")
        proc.kill()
        proc.wait(timeout=10)


def tail_log(path: Path, lines: int = 30) -> str:
    """Last lines of a gunicorn log (the scratch dir is deleted at exit, so print it)."""
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@contextlib.contextmanager
def serve(target: Target, env: dict, scratch: Path, extra: list, ready_path: str | None = None):
    """Run gunicorn for a target until the block ends; yield its base URL."""
    port = free_port()
    pidfile = scratch / f"gunicorn-{target.name}.pid"
    errlog = scratch / f"gunicorn-{target.name}.log"
    cmd = [
        str(GUNICORN),
        "-w",
        "2",
        "-k",
        "sync",
        *extra,
        "--chdir",
        str(REPO_ROOT),
        "--bind",
        f"{HOST}:{port}",
        "--pid",
        str(pidfile),
        "--log-level",
        "warning",
        "--error-logfile",
        str(errlog),
        # no --access-logfile: gunicorn's access log stays off
        target.app,
    ]
    base = f"http://{HOST}:{port}"
    log(f"{target.name}: starting gunicorn {target.app} on {HOST}:{port}")
    with open(errlog, "ab") as errfh:
        proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env, stdout=errfh, stderr=subprocess.STDOUT)
    try:
        try:
            wait_ready(base + (ready_path or target.path), proc, STARTUP_TIMEOUT)
        except BenchError as exc:
            raise BenchError(
                f"{target.name}: {exc}\n--- gunicorn log (tail) ---\n{tail_log(errlog)}"
            ) from None
        yield base, errlog
    finally:
        stop(proc, pidfile)


def bench_target(
    target: Target,
    args: argparse.Namespace,
    env: dict,
    scratch: Path,
    wrk: str,
    extra: list,
) -> list[Result]:
    with serve(target, env, scratch, extra) as (base, errlog):
        return [measure(probe, base, args, wrk, errlog) for probe in target.probe_list()]


def bench_submissions(args: argparse.Namespace, env: dict, scratch: Path, extra: list) -> None:
    """--submissions: sustained case intake (tests/bench/submit.py), then count the cases."""
    import submit  # tests/bench/submit.py, next to this file

    env = dict(env, PORTAL_MAIL_TRANSPORT="file")  # acknowledgements become .eml files
    db_label = env["PORTAL_DATABASE_URL"].split(":", 1)[0]
    setup_portal(env)
    before = submit.count_cases(PYTHON, env, REPO_ROOT)
    with serve(TARGETS["portal"], env, scratch, extra, submit.FORM_PATH) as (base, errlog):
        log(f"submissions: warm-up {WARMUP_SECONDS}s")
        submit.drive(base, WARMUP_SECONDS, args.citizens)
        warm = submit.count_cases(PYTHON, env, REPO_ROOT)
        log(f"submissions: measuring {args.duration}s ({args.citizens} citizen threads)")
        stats = submit.drive(base, args.duration, args.citizens)
        if stats.refused or stats.errors:
            warn(
                f"submissions: refused {stats.refused}, errors {stats.errors}\n"
                f"--- gunicorn log (tail) ---\n{tail_log(errlog)}"
            )
    after = submit.count_cases(PYTHON, env, REPO_ROOT)
    log(f"cases before the warm-up: {len(before)}")
    submit.report(stats, args.citizens, db_label, submit.integrity(stats, warm, after))


def timed_get(url: str, headers: dict[str, str]) -> tuple[int, float, int]:
    """One GET read to its last byte: the status, the seconds it took and the body's size."""
    opener = urllib.request.build_opener(_NoRedirect)
    started = time.perf_counter()
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=300) as resp:
            size = len(resp.read())
            status = resp.status
    except urllib.error.HTTPError as exc:
        status, size = exc.code, 0
    return status, time.perf_counter() - started, size


def percentile(samples: list[float], pct: float) -> float:
    """Nearest rank: the smallest sample with at least pct % of the samples at or below it."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * pct // 100))  # ceil
    return ordered[int(rank) - 1]


def measure_timed(probe: Probe, base: str, args: argparse.Namespace, errlog: Path) -> Result:
    """probe.repeat GETs one after the other (the first of them is not a warm-up: with `bust`
    the cache is empty for every one, and a staff page is never cached)."""
    result = Result(probe.label, probe.path, connections=1)
    samples, sizes, started = [], [], time.perf_counter()
    for n in range(probe.repeat or 1):
        path = probe.path
        if probe.bust:
            path += ("&" if "?" in path else "?") + f"bench={n}-{secrets.token_hex(4)}"
        status, seconds, size = timed_get(base + path, probe.headers)
        if status != 200:
            result.non_2xx += 1
            if not samples:
                result.skipped = f"HTTP {status or 'no answer'}"
                warn(f"{probe.label}: {probe.path} answered {result.skipped}; not measured")
                return result
            continue
        samples.append(seconds * 1000)
        sizes.append(size)
        if args.verbose:
            log(f"{probe.label}: {seconds * 1000:.0f} ms, {size} bytes")
    elapsed = time.perf_counter() - started
    result.rps = len(samples) / elapsed
    result.p50_ms = percentile(samples, 50)
    result.p95_ms = percentile(samples, 95)
    result.p99_ms = max(samples)
    result.notes.append(
        f"{len(samples)} timed GETs, min {min(samples):.0f} ms, {max(sizes) // 1024} KiB"
        + (", page cache bypassed" if probe.bust else "")
    )
    if result.non_2xx:
        warn(f"{probe.label}: {result.non_2xx} non-200 answers\n{tail_log(errlog)}")
    return result


def measure(probe: Probe, base: str, args: argparse.Namespace, wrk: str, errlog: Path) -> Result:
    url = base + probe.path
    threads = probe.threads or args.threads
    connections = probe.connections or args.connections
    result = Result(probe.label, probe.path, connections=connections)
    status, cache_control = probe_status(url, probe.headers)
    if status != 200:
        # A page another part of the portal has not built yet: say so, measure the rest.
        result.skipped = f"HTTP {status or 'no answer'}"
        warn(f"{probe.label}: {probe.path} answered {result.skipped}; not measured")
        return result
    if probe.repeat:
        return measure_timed(probe, base, args, errlog)
    for _ in range(probe.prime):
        probe_status(url, probe.headers)
    if "public" in cache_control:
        result.notes.append("page cache")
    log(f"{probe.label}: warm-up {WARMUP_SECONDS}s")
    run_wrk(wrk, url, WARMUP_SECONDS, threads, connections, latency=False, headers=probe.headers)
    log(f"{probe.label}: measuring {args.duration}s ({url}, {connections} connections)")
    out = run_wrk(wrk, url, args.duration, threads, connections, headers=probe.headers)
    parse_wrk(out, result)
    if args.verbose:
        print(out, flush=True)
    if result.rps is None:
        warn(f"{probe.label}: could not parse wrk output:\n{out}")
    if result.non_2xx:
        warn(
            f"{probe.label}: {result.non_2xx} non-2xx/3xx responses during the run — "
            f"the numbers measure error pages, not {probe.path}!\n"
            f"--- gunicorn log (tail) ---\n{tail_log(errlog)}"
        )
    if result.socket_errors:
        warn(f"{probe.label}: wrk socket errors: {result.socket_errors}")
    return result


# ------------------------------------------------------------------------ setup


def portal_env(scratch: Path) -> dict:
    env = dict(os.environ)
    env.update(
        PORTAL_ENV="production",
        PORTAL_SECRET_KEY=secrets.token_hex(32),
        # A Fernet key: 32 random bytes, url-safe base64.
        PORTAL_CASE_IDENTITY_KEY=base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        PORTAL_DATABASE_URL=os.environ.get("BENCH_DATABASE_URL")
        or f"sqlite:///{scratch / 'bench.db'}",
        PORTAL_PUBLIC_URL="http://127.0.0.1",
        PORTAL_RATELIMIT_ENABLED="false",
        PORTAL_INSTANCE_PATH=str(scratch),
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def populate(env: dict, args: argparse.Namespace) -> dict:
    """Generate the --scale data in the scratch database; return what populate.py reports."""
    cmd = [
        PYTHON,
        str(POPULATE),
        f"--disclosures={args.disclosures}",
        f"--procedures={args.procedures}",
    ]
    log(f"running: populate.py ({args.disclosures} disclosures, {args.procedures} procedures)")
    try:
        proc = subprocess.run(
            cmd,
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=SETUP_TIMEOUT * 4,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise BenchError(f"populate.py timed out after {SETUP_TIMEOUT * 4}s") from None
    if proc.returncode != 0:
        raise BenchError(
            f"populate.py failed ({proc.returncode}):\n{proc.stdout[-2000:]}{proc.stderr[-3000:]}"
        )
    populated = json.loads(proc.stdout.strip().splitlines()[-1])
    log(
        f"populated in {populated['seconds']}s; the search for {populated['search_query']!r}"
        f" matches {populated['search_matches']} entries"
    )
    return populated


def populate_cases(env: dict, args: argparse.Namespace) -> dict:
    """Generate --cases cases (tests/bench/cases_scale.py); return what it reports."""
    if not env["PORTAL_DATABASE_URL"].startswith("postgresql"):
        raise BenchError("--cases needs PostgreSQL: set BENCH_DATABASE_URL=postgresql+psycopg://…")
    cmd = [PYTHON, str(CASES_SCALE), f"--cases={args.cases}"] + (
        ["--explain"] if args.verbose and not args.reports else []
    )
    log(f"running: cases_scale.py ({args.cases} cases; a first run takes minutes)")
    try:
        proc = subprocess.run(
            cmd,
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=SETUP_TIMEOUT * 12,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise BenchError(f"cases_scale.py timed out after {SETUP_TIMEOUT * 12}s") from None
    if proc.returncode != 0:
        raise BenchError(
            f"cases_scale.py failed ({proc.returncode}):\n{proc.stdout[-2000:]}{proc.stderr[-3000:]}"
        )
    if args.verbose:
        print(proc.stderr, flush=True)  # progress, and the inbox's query plans
    populated = json.loads(proc.stdout.strip().splitlines()[-1])
    log(
        f"cases ready in {populated['seconds']}s: {populated['cases']} generated,"
        f" {populated['open']} open; the deep page starts {populated['depth']} rows in"
    )
    return populated


def setup_portal(env: dict) -> None:
    # `demo load` refuses PORTAL_ENV=production by design. It only seeds the throw-away scratch
    # database (same PORTAL_DATABASE_URL / PORTAL_INSTANCE_PATH), so that single step runs with
    # PORTAL_ENV=development; migrations and the served app stay on the production config.
    demo_env = dict(env, PORTAL_ENV="development")
    for sub, step_env in ((["db", "upgrade"], env), (["demo", "load"], demo_env)):
        cmd = [PYTHON, "-m", "flask", "--app", "portal", *sub]
        log(f"running: flask --app portal {' '.join(sub)} (PORTAL_ENV={step_env['PORTAL_ENV']})")
        try:
            proc = subprocess.run(
                cmd,
                cwd=REPO_ROOT,
                env=step_env,
                capture_output=True,
                text=True,
                timeout=SETUP_TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise BenchError(f"`flask {' '.join(sub)}` timed out after {SETUP_TIMEOUT}s") from None
        if proc.returncode != 0:
            raise BenchError(
                f"`flask {' '.join(sub)}` failed ({proc.returncode}):\n"
                f"{proc.stdout[-2000:]}{proc.stderr[-3000:]}"
            )


# ----------------------------------------------------------------------- report


def fmt(value: float | None, spec: str) -> str:
    return "n/a" if value is None else format(value, spec)


def ratio(num: float | None, den: float | None) -> str:
    if num is None or not den:
        return "n/a"
    value = num / den
    # A page that takes seconds serves a tiny fraction of the baseline's rate: keep its digits.
    return f"{value:.2f}" if value >= 0.01 or value == 0 else f"{value:.5f}"


def x_base(r: Result, base: Result | None, base_c1: Result | None) -> str:
    reference = base_c1 if (r.connections == 1 and base_c1) else base
    return ratio(r.rps, reference.rps) if reference else "n/a"


def report(results: list[Result], args: argparse.Namespace, db_label: str) -> None:
    print()
    print(
        f"gunicorn -w 2 sync | wrk -t{args.threads} -c{args.connections} -d{args.duration}s"
        f" | {HOST} | db: {db_label}"
    )
    by_name = {r.target: r for r in results}
    base = by_name.get("baseline")
    # Rows measured on one connection compare with the baseline measured the same way.
    base_c1 = by_name.get("baseline-c1")
    header = (
        f"{'target':<11} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        f" {'non-2xx':>8} {'x base':>7}  notes"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        notes = list(r.notes)
        if r.connections and r.connections != args.connections:
            notes.append(f"{r.connections} connection(s)")
        if r.target != "baseline" and r.path:
            notes.append(r.path if len(r.path) <= 60 else r.path[:57] + "...")
        if (
            r.connections == 1
            and base_c1
            and base_c1.p50_ms
            and r.p50_ms
            and r.target != "baseline-c1"
        ):
            notes.append(f"p50 {r.p50_ms / base_c1.p50_ms:,.0f}x baseline-c1")
        if r.skipped:
            print(f"{r.target:<11} {'not measured: ' + r.skipped:>43}          {' '.join(notes)}")
            continue
        print(
            f"{r.target:<11} {fmt(r.rps, '.0f'):>8} {fmt(r.p50_ms, '.2f'):>8}"
            f" {fmt(r.p95_ms, '.2f'):>8} {fmt(r.p99_ms, '.2f'):>8} {r.non_2xx:>8}"
            f" {x_base(r, base, base_c1):>7}  {' '.join(notes)}"
        )
    portal = by_name.get("portal")
    if base and portal:
        print()
        print(f"ratio portal/baseline (home page) req/s: {ratio(portal.rps, base.rps)}")
        print(f"ratio portal/baseline (home page) p50:   {ratio(portal.p50_ms, base.p50_ms)}")
        print("(compare only ratios from one run; absolute numbers vary — see README)")
    if any(r.non_2xx for r in results):
        warn("some responses were not 2xx/3xx — see warnings above; numbers are suspect")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--duration",
        type=int,
        default=int(os.environ.get("BENCH_DURATION", "10")),
        help="seconds of measured load per target (default 10, env BENCH_DURATION)",
    )
    p.add_argument("--connections", type=int, default=32, help="wrk -c (default 32)")
    p.add_argument("--threads", type=int, default=2, help="wrk -t (default 2)")
    p.add_argument(
        "--only",
        choices=sorted(TARGETS),
        action="append",
        help="bench only this target (repeatable); default: baseline and portal",
    )
    p.add_argument(
        "--scale",
        action="store_true",
        help="generate --disclosures and --procedures first (tests/bench/populate.py), then"
        " measure the home, a disclosure, the procedure list and a search",
    )
    p.add_argument(
        "--cases",
        type=int,
        default=0,
        metavar="N",
        help="generate N cases on PostgreSQL first (tests/bench/cases_scale.py; 1000000 for the"
        " issue's figure), then measure the staff inbox and a case page",
    )
    p.add_argument(
        "--reports",
        action="store_true",
        help="with --cases: measure the public scorecard and the staff annual report (page and"
        " XLSX) of the last full year instead of the inbox",
    )
    p.add_argument(
        "--repeat", type=int, default=5, help="with --reports: timed GETs per page (default 5)"
    )
    p.add_argument("--disclosures", type=int, default=10_000, help="with --scale (10000)")
    p.add_argument("--procedures", type=int, default=2_000, help="with --scale (2000)")
    p.add_argument(
        "--no-cache",
        action="store_true",
        help="turn the public page cache off (PUBLIC_PAGE_CACHE_SECONDS=0): every request renders",
    )
    p.add_argument(
        "--submissions",
        action="store_true",
        help="instead of page loads: sustained case submissions (multipart POST to /gop-y/moi"
        " with a small PNG) from --citizens threads, then count the cases (tests/bench/submit.py)",
    )
    p.add_argument("--citizens", type=int, default=4, help="with --submissions (default 4)")
    p.add_argument("-v", "--verbose", action="store_true", help="print raw wrk output")
    args = p.parse_args(argv)
    if args.duration < 1 or args.connections < 1 or args.threads < 1:
        p.error("--duration, --connections and --threads must be >= 1")
    if args.connections < args.threads:
        p.error("--connections must be >= --threads (wrk requirement)")
    if args.reports and not args.cases:
        p.error("--reports needs --cases N (e.g. --cases 1000000)")
    if args.repeat < 1:
        p.error("--repeat must be >= 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    names = args.only or ["baseline", "portal"]
    targets = [TARGETS[n] for n in ("baseline", "portal") if n in names]
    try:
        if args.submissions:
            if not GUNICORN.exists():
                raise BenchError(f"gunicorn not found at {GUNICORN} (install it in the venv)")
            extra = ["--no-control-socket"] if gunicorn_supports("--no-control-socket") else []
            with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
                bench_submissions(args, portal_env(Path(tmp)), Path(tmp), extra)
            return 0
        wrk = ensure_wrk()
        if not GUNICORN.exists():
            raise BenchError(f"gunicorn not found at {GUNICORN} (install it in the venv)")
        extra = ["--no-control-socket"] if gunicorn_supports("--no-control-socket") else []
        results: list[Result] = []
        with tempfile.TemporaryDirectory(prefix="portal-bench-") as tmp:
            scratch = Path(tmp)
            env = portal_env(scratch)
            if args.no_cache:
                env["PORTAL_PUBLIC_PAGE_CACHE_SECONDS"] = "0"
            db_label = env["PORTAL_DATABASE_URL"].split(":", 1)[0]  # scheme only, no secrets
            if any(t.name == "portal" for t in targets):
                setup_portal(env)
                if args.scale:
                    probes = scale_probes(populate(env, args))
                    targets = [
                        Target(t.name, t.app, t.path, probes) if t.name == "portal" else t
                        for t in targets
                    ]
                if args.cases:
                    populated = populate_cases(env, args)
                    probes = (
                        reports_probes(populated, args.repeat)
                        if args.reports
                        else cases_probes(populated)
                    )
                    targets = [
                        Target(t.name, t.app, t.path, probes) if t.name == "portal" else t
                        for t in targets
                    ]
            if args.cases:
                targets = [
                    Target(t.name, t.app, t.path, [Probe(t.name, t.path), BASELINE_C1])
                    if t.name == "baseline"
                    else t
                    for t in targets
                ]
            for target in targets:
                results.extend(bench_target(target, args, env, scratch, wrk, extra))
        report(results, args, db_label)
    except BenchError as exc:
        print(f"[bench] ERROR: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("[bench] interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
