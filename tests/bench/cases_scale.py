"""Fill a PostgreSQL database with a million cases for the inbox benchmark: run.py --cases.

    PORTAL_DATABASE_URL=postgresql+psycopg://… .venv/bin/python tests/bench/cases_scale.py \
        [--cases N]

The cases go in with one INSERT … SELECT over generate_series (PostgreSQL only): four handling
units, a head and eight handlers each, and a leader; three years of cases in arrival order
(ids follow receipt times) with a realistic mix: reflections 45 %, petitions 20 %, complaints
25 %, denunciations 10 %; most cases ended (closed, refused, transferred, merged, withdrawn),
about one in a hundred open (nearly all of the last days' cases, a few older ones stuck, some
overdue); channels, topics, anonymous information and assignees spread the same way. Titles
and texts come from a small Vietnamese vocabulary and `search_text` holds them folded, as
indexing.refresh_search would. Each case has its "submitted" event and, once it moved, the
event of its last move. The secondary indexes of citizen_case are dropped during the load and
built again after it (the way bulk loads are done), then VACUUM ANALYZE.

A database that already holds the generated cases is left as it is; only the sessions (the
cookie) and the identity of the case page's case are made again, because run.py gives every
run new keys. The last line printed is JSON for run.py: the staff cookie and the paths to
measure. Never point it at a database you care about.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pyotp
from sqlalchemy import text

from portal import create_app
from portal.accounts import services as accounts
from portal.accounts.login import SESSION_TOKEN_KEY
from portal.accounts.models import User
from portal.cases.identity import Identity, seal
from portal.cases.models import (
    Actor,
    Case,
    CaseIdentity,
    CaseMessage,
)
from portal.contacts.models import Unit
from portal.core.text import fold
from portal.core.workdays import local_date
from portal.extensions import db, login_manager

TOKEN_PREFIX = "bench-"  # submission_token of every generated case
UNITS = [
    ("bench-thanh-tra", "Thanh tra Sở"),
    ("bench-phap-che", "Phòng Pháp chế"),
    ("bench-van-phong", "Văn phòng Sở"),
    ("bench-ke-hoach", "Phòng Kế hoạch – Tài chính"),
]
HANDLERS_PER_UNIT = 8
# wrk sends no User-Agent: the session is minted for that, so Flask-Login's check matches.
USER_AGENT = ""

TITLES = [
    "Chậm trả kết quả thủ tục đăng ký kinh doanh",
    "Thủ tục cấp giấy phép xây dựng kéo dài",
    "Đề nghị công khai dự toán ngân sách xã",
    "Khiếu nại quyết định thu hồi đất",
    "Tố cáo cán bộ đòi tiền khi giải quyết hồ sơ",
    "Phản ánh thái độ của công chức tiếp nhận hồ sơ",
    "Kiến nghị rút ngắn thời hạn giải quyết thủ tục",
    "Khiếu nại về việc thu phí, lệ phí không đúng quy định",
    "Phản ánh đường dây nóng không ai nghe máy",
    "Đề nghị hướng dẫn thủ tục hoàn thuế",
    "Tố cáo sai phạm trong lựa chọn nhà thầu",
    "Phản ánh việc niêm yết thủ tục hành chính không đầy đủ",
    "Kiến nghị bổ sung hình thức nộp hồ sơ trực tuyến",
    "Khiếu nại kết quả thẩm định giá đất",
    "Phản ánh nhũng nhiễu khi nhận kết quả tại bộ phận một cửa",
    "Đề nghị giải thích chính sách hỗ trợ doanh nghiệp nhỏ",
]
SENTENCES = [
    "Tôi đã nộp hồ sơ đầy đủ nhưng quá hạn vẫn chưa nhận được kết quả.",
    "Cán bộ yêu cầu bổ sung giấy tờ không có trong danh mục thủ tục đã công bố.",
    "Đề nghị Sở xem xét, giải quyết dứt điểm và trả lời bằng văn bản.",
    "Việc này đã được phản ánh nhiều lần nhưng chưa được khắc phục.",
    "Tôi không đồng ý với quyết định và đề nghị xem xét lại.",
    "Có dấu hiệu lợi dụng chức vụ để gây khó khăn cho người dân.",
    "Thời gian chờ tại bộ phận tiếp nhận và trả kết quả quá lâu.",
    "Thông tin trên cổng thông tin điện tử chưa được cập nhật.",
    "Mức thu phí cao hơn so với quy định của Hội đồng nhân dân tỉnh.",
    "Đề nghị công khai kết quả xử lý để người dân được biết.",
    "Hộ gia đình tôi bị ảnh hưởng trực tiếp bởi quyết định này.",
    "Tài liệu kèm theo gồm biên nhận hồ sơ và giấy hẹn trả kết quả.",
    "Đường dây nóng của Sở không trả lời trong giờ hành chính.",
    "Đề nghị đơn giản hóa thủ tục và cho phép nộp hồ sơ qua mạng.",
    "Nhà thầu được chọn không đáp ứng yêu cầu của hồ sơ mời thầu.",
    "Tôi xin cam đoan nội dung phản ánh là đúng sự thật.",
]
PLACES = [
    "Thành phố Lạng Sơn",
    "Huyện Cao Lộc",
    "Huyện Chi Lăng",
    "Huyện Hữu Lũng",
    "Huyện Lộc Bình",
    "Huyện Tràng Định",
    "Huyện Văn Quan",
    "Huyện Bắc Sơn",
]

# One row per generated case; every random() is drawn once (the CTE is materialised because
# random() is volatile), so the columns derived from one draw agree with each other.
GENERATE = """
CREATE TEMP TABLE bench_draw AS
SELECT g,
       timestamptz '{start}' + ((g - 1)::float8 / {n}) * {span} * interval '1 second'
             + random() * interval '40 minutes' AS received_at,
       random() AS r_kind, random() AS r_open, random() AS r_status, random() AS r_unit,
       random() AS r_handler, random() AS r_channel, random() AS r_track, random() AS r_topic,
       random() AS r_title, random() AS r_d1, random() AS r_d2, random() AS r_place,
       random() AS r_accept, random() AS r_resolve, random() AS r_late, random() AS r_end,
       random() AS r_rate, random() AS r_score, random() AS r_solved, random() AS r_ext
FROM generate_series(1, {n}) AS g
"""

SHAPE = """
CREATE TEMP TABLE bench_case AS
WITH d AS (
    SELECT *,
           (received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS received_on,
           extract(epoch FROM (timestamptz '{now}' - received_at)) / 86400 AS age,
           CASE WHEN r_kind < 0.45 THEN 'reflection' WHEN r_kind < 0.65 THEN 'petition'
                WHEN r_kind < 0.90 THEN 'complaint' ELSE 'denunciation' END AS kind,
           CASE WHEN r_unit < 0.55 THEN 0 WHEN r_unit < 0.75 THEN 1
                WHEN r_unit < 0.90 THEN 2 ELSE 3 END AS unit_idx
    FROM bench_draw
), s AS (
    SELECT *,
           r_open < CASE WHEN age < 5 THEN 0.95 WHEN age < 30 THEN 0.15
                         WHEN age < 90 THEN 0.03 ELSE 0.001 END AS is_open
    FROM d
), st AS (
    SELECT *,
           CASE
             WHEN is_open AND age < 5 THEN
               CASE WHEN r_status < 0.7 THEN 'received' ELSE 'classified' END
             WHEN is_open THEN
               CASE WHEN r_status < 0.05 THEN 'received' WHEN r_status < 0.10 THEN 'classified'
                    WHEN r_status < 0.18 THEN 'accepted' WHEN r_status < 0.48 THEN 'assigned'
                    WHEN r_status < 0.78 THEN 'verifying' WHEN r_status < 0.93 THEN 'drafted'
                    WHEN r_status < 0.98 THEN 'approved' ELSE 'reopened' END
             ELSE
               CASE WHEN r_status < 0.85 THEN 'closed' WHEN r_status < 0.91 THEN 'not-accepted'
                    WHEN r_status < 0.95 THEN 'transferred' WHEN r_status < 0.96 THEN 'merged'
                    WHEN r_status < 0.98 THEN 'withdrawn' ELSE 'responded' END
           END AS status
    FROM s
)
, acc AS (
    SELECT *,
           CASE WHEN status IN ('accepted', 'assigned', 'verifying', 'drafted', 'approved',
                                'responded', 'closed')
                THEN received_on + 5 + floor(r_accept * 7)::int END AS accepted_on,
           CASE kind WHEN 'complaint' THEN 30 WHEN 'denunciation' THEN 30 ELSE 15 END
             + floor(r_resolve * 10)::int AS resolve_days
    FROM st
), ext AS (
    -- One complaint or denunciation in sixteen gets its resolution period extended by 30
    -- days, decided three days before the first deadline (when that day has come).
    SELECT *,
           kind IN ('complaint', 'denunciation') AND r_ext < 0.06
             AND accepted_on + resolve_days - 3 <= date '{today}' AS extended
    FROM acc
), res AS (
    SELECT *,
           accepted_on + resolve_days + CASE WHEN extended THEN 30 ELSE 0 END
             AS resolution_due_on,
           -- The response: 0.3 to 1.15 of the period after acceptance (about one in six
           -- late), never after today.
           CASE WHEN status IN ('responded', 'closed')
                THEN least(accepted_on + floor(resolve_days * (0.3 + r_late * 0.85))::int
                             + CASE WHEN extended THEN floor(r_late * 30)::int ELSE 0 END,
                           date '{today}') END AS resolved_on
    FROM ext
)
SELECT g, received_at, received_on, kind, status, unit_idx,
       extract(year FROM received_on)::int AS year,
       received_on + 14 AS acceptance_due_on,
       accepted_on, resolve_days, extended, resolution_due_on, resolved_on,
       -- The day it reached its final status.
       CASE WHEN status IN ('closed', 'not-accepted', 'transferred', 'merged', 'withdrawn')
       THEN least(CASE status
               WHEN 'closed' THEN resolved_on + 3 + floor(r_end * 10)::int
               WHEN 'not-accepted' THEN received_on + 3 + floor(r_end * 10)::int
               WHEN 'transferred' THEN received_on + 1 + floor(r_end * 5)::int
               WHEN 'merged' THEN received_on + 2 + floor(r_end * 8)::int
               WHEN 'withdrawn' THEN received_on + 1 + floor(r_end * 20)::int
             END, date '{today}') END AS ended_on,
       -- A third of the responses are rated (mostly 4 and 5); most raters say whether the
       -- problem was solved, about three in four of them yes.
       CASE WHEN resolved_on IS NOT NULL AND r_rate < 0.35 THEN
         CASE WHEN r_score < 0.08 THEN 1 WHEN r_score < 0.18 THEN 2 WHEN r_score < 0.38 THEN 3
              WHEN r_score < 0.70 THEN 4 ELSE 5 END END AS rating,
       CASE WHEN resolved_on IS NOT NULL AND r_rate < 0.35 AND r_solved >= 0.15
            THEN r_solved < 0.15 + 0.85 * (0.4 + 0.5 * r_score) END AS solved,
       CASE WHEN resolved_on IS NOT NULL AND r_rate < 0.35
            THEN least(((resolved_on + 1 + floor(r_rate * 60)::int) + time '09:30')
                         AT TIME ZONE 'Asia/Ho_Chi_Minh', timestamptz '{now}') END AS rated_at,
       CASE WHEN status IN ('assigned', 'verifying', 'drafted', 'approved', 'responded',
                            'closed')
            THEN ('{handlers}'::int[])[unit_idx * 8 + 1 + floor(r_handler * 8)::int] END AS assignee_id,
       CASE WHEN r_channel < 0.55 THEN 'web' WHEN r_channel < 0.75 THEN 'post'
            WHEN r_channel < 0.85 THEN 'hotline' WHEN r_channel < 0.93 THEN 'email'
            WHEN r_channel < 0.98 THEN 'reception' ELSE 'api' END AS channel,
       CASE WHEN kind <> 'complaint' AND r_track < 0.15 THEN 'anonymous-information'
            ELSE 'formal' END AS track,
       (ARRAY['procedure', 'harassment', 'public-finance', 'staff-conduct', 'policy',
              'other'])[1 + floor(r_topic * 6)::int] AS topic,
       1 + floor(r_title * {n_titles})::int AS ti,
       1 + floor(r_d1 * {n_sentences})::int AS d1,
       1 + floor(r_d2 * {n_sentences})::int AS d2,
       1 + floor(r_place * {n_places})::int AS pi
FROM res
"""

# Numbers go on from the counters (demo cases may hold the first ones), and past any number
# or sequence already taken: a demo case classified as another kind keeps its first number.
NUMBER = """
CREATE TEMP TABLE bench_numbered AS
WITH p AS (
    SELECT b.*, CASE b.kind WHEN 'reflection' THEN 'PA' WHEN 'petition' THEN 'KN'
                            WHEN 'complaint' THEN 'KH' ELSE 'TC' END AS prefix
    FROM bench_case b
), taken AS (
    SELECT kind, year, max(sequence) AS last FROM citizen_case GROUP BY kind, year
), numbered AS (
    SELECT split_part(number, '-', 1) AS prefix, split_part(number, '-', 2)::int AS year,
           max(split_part(number, '-', 3)::int) AS last
    FROM citizen_case GROUP BY 1, 2
)
SELECT x.*, x.prefix || '-' || x.year || '-' || lpad(x.sequence::text, 6, '0') AS number
FROM (
    SELECT p.*, greatest(k.last, t.last, n.last, 0)
             + row_number() OVER (PARTITION BY p.kind, p.year ORDER BY p.g) AS sequence
    FROM p
    LEFT JOIN case_counter k ON k.kind = p.kind AND k.year = p.year
    LEFT JOIN taken t ON t.kind = p.kind AND t.year = p.year
    LEFT JOIN numbered n ON n.prefix = p.prefix AND n.year = p.year
) AS x
"""

INSERT = """
INSERT INTO citizen_case (
    public_id, number, kind, year, sequence, track, status, topic, handling_unit_id, title,
    description, place, decision_concerned, anonymous, confidential, declaration_text,
    publish_consent, received_at, received_on, acceptance_due_on, access_key_hash,
    submission_token, withdrawal_reason, closed_at, rating_comment, created_at, updated_at,
    channel, submitted_kind, many_people, resolving_authority, complexity, remote_area,
    second_time, several_places, accepted_on, resolution_due_on, due_on, assignee_id,
    assigned_at, refusal_reason, transferred_to, search_text, version, resolved_on, ended_on,
    rating, solved, rated_at, withdrawn_at
)
SELECT 'bench' || to_hex(c.g),
       c.number, c.kind, c.year, c.sequence, c.track, c.status, c.topic,
       (CAST(:units AS int[]))[c.unit_idx + 1],
       (CAST(:titles AS text[]))[c.ti],
       (CAST(:sentences AS text[]))[c.d1] || ' ' || (CAST(:sentences AS text[]))[c.d2],
       (CAST(:places AS text[]))[c.pi], '', c.track = 'anonymous-information', c.kind = 'denunciation', '',
       false, c.received_at, c.received_on, c.acceptance_due_on, :key_hash,
       'bench-' || c.g, '',
       CASE WHEN c.status = 'closed'
            THEN (c.ended_on + time '16:00') AT TIME ZONE 'Asia/Ho_Chi_Minh' END,
       '', c.received_at, c.received_at,
       c.channel, c.kind, false, '', 0, false, false, false,
       c.accepted_on, c.resolution_due_on,
       CASE WHEN c.status IN ('received', 'classified', 'reopened') THEN c.acceptance_due_on
            WHEN c.status IN ('accepted', 'assigned', 'verifying', 'drafted', 'approved')
            THEN c.resolution_due_on END,
       c.assignee_id,
       CASE WHEN c.assignee_id IS NOT NULL THEN c.received_at + interval '6 days' END,
       CASE WHEN c.status = 'not-accepted' THEN 'not-competent' ELSE '' END,
       CASE WHEN c.status = 'transferred' THEN 'Ủy ban nhân dân huyện' ELSE '' END,
       lower(c.number) || ' ' || (CAST(:titles_folded AS text[]))[c.ti] || ' ' || (CAST(:places_folded AS text[]))[c.pi]
         || ' ' || (CAST(:sentences_folded AS text[]))[c.d1] || ' ' || (CAST(:sentences_folded AS text[]))[c.d2],
       1, c.resolved_on, c.ended_on, c.rating, c.solved, c.rated_at,
       CASE WHEN c.status = 'withdrawn'
            THEN (c.ended_on + time '10:00') AT TIME ZONE 'Asia/Ho_Chi_Minh' END
FROM bench_numbered AS c
ORDER BY c.g
"""

EVENTS = """
INSERT INTO case_event (case_id, occurred_at, actor, action, from_status, to_status, public,
                        note)
SELECT id, received_at, 'citizen', 'submitted', NULL, 'received', true, ''
FROM citizen_case WHERE submission_token LIKE 'bench-%'
UNION ALL
SELECT id, received_at + interval '3 days', 'staff', 'status:' || status, 'received', status,
       true, ''
FROM citizen_case WHERE submission_token LIKE 'bench-%' AND status <> 'received'
"""

# The extension decisions behind the extended resolution deadlines.
EXTENSIONS = """
INSERT INTO case_extension (case_id, ordinal, reason, decided_on, due_on, created_at)
SELECT c.id, 1, 'Vụ việc phức tạp, cần thêm thời gian xác minh.',
       b.accepted_on + b.resolve_days - 3, b.resolution_due_on, c.received_at
FROM bench_numbered b JOIN citizen_case c ON c.submission_token = 'bench-' || b.g
WHERE b.extended
"""


def log(message: str) -> None:
    print(f"[cases] {message}", file=sys.stderr, flush=True)


def bench_count() -> int:
    return db.session.scalar(
        text("SELECT count(*) FROM citizen_case WHERE submission_token LIKE 'bench-%'")
    )


def ensure_staff() -> dict:
    """The generated units and their staff (created once); return their ids."""
    units, handlers, heads = [], [], []
    for n, (slug, name) in enumerate(UNITS):
        unit = db.session.scalar(db.select(Unit).where(Unit.slug == slug))
        if unit is None:
            unit = Unit(slug=slug, name=name, handles_cases=True, position=100 + n)
            db.session.add(unit)
            db.session.flush()
        units.append(unit.id)
        heads.append(_user(f"bench-head-{n + 1}@example.vn", f"Trưởng phòng {n + 1}", "head", unit))
        for h in range(HANDLERS_PER_UNIT):
            handlers.append(
                _user(
                    f"bench-handler-{n + 1}-{h + 1}@example.vn",
                    f"Cán bộ xử lý {n + 1}.{h + 1}",
                    "handler",
                    unit,
                ).id
            )
    leader = _user("bench-leader@example.vn", "Lãnh đạo Sở", "leader", None)
    db.session.commit()
    return {"units": units, "handlers": handlers, "head": heads[0], "leader": leader}


def _user(email: str, name: str, role: str, unit: Unit | None) -> User:
    user = db.session.scalar(db.select(User).where(User.email == email))
    if user is None:
        # No password anyone could type: the benchmark signs in by minting a session.
        user = User(email=email, full_name=name, role=role, password_hash="!bench")
        user.unit_id = unit.id if unit else None
        if role == "head":
            user.totp_secret = pyotp.random_base32()
        db.session.add(user)
        db.session.flush()
    return user


def secondary_indexes() -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of citizen_case's indexes that back no constraint."""
    rows = db.session.execute(
        text(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = 'citizen_case' AND NOT EXISTS (
                SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """
        )
    )
    return list(rows)


def generate(count: int, staff: dict) -> None:
    now = datetime.now(UTC)
    span = 3 * 365 * 86400
    start = datetime.fromtimestamp(now.timestamp() - span, UTC)
    params = {
        "units": staff["units"],
        "titles": TITLES,
        "titles_folded": [fold(t) for t in TITLES],
        "sentences": SENTENCES,
        "sentences_folded": [fold(s) for s in SENTENCES],
        "places": PLACES,
        "places_folded": [fold(p) for p in PLACES],
        # Nobody looks these cases up with a key: any well-formed hash does.
        "key_hash": "pbkdf2:sha256:1000$bench$" + "0" * 64,
    }
    session = db.session
    session.execute(text("SET LOCAL synchronous_commit = off"))
    session.execute(text("SET LOCAL maintenance_work_mem = '512MB'"))
    session.execute(text("SET LOCAL work_mem = '256MB'"))
    session.execute(text("SELECT setseed(0.42)"))
    started = time.monotonic()
    # Utility statements (CREATE TABLE AS) take no bind parameters: these values are ours.
    literals = {
        "n": int(count),
        "span": int(span),
        "start": start.isoformat(),
        "now": now.isoformat(),
        "today": local_date(now).isoformat(),
        "handlers": "{" + ",".join(str(int(i)) for i in staff["handlers"]) + "}",
        "n_titles": len(TITLES),
        "n_sentences": len(SENTENCES),
        "n_places": len(PLACES),
    }
    session.execute(text(GENERATE.format(**literals)))
    session.execute(text(SHAPE.format(**literals)))
    session.execute(text(NUMBER))
    log(f"drawn {count} cases in {time.monotonic() - started:.0f}s")
    indexes = secondary_indexes()
    for name, _ in indexes:
        session.execute(text(f'DROP INDEX "{name}"'))
    started = time.monotonic()
    session.execute(text(INSERT), params)
    log(f"inserted in {time.monotonic() - started:.0f}s")
    # New submissions go on numbering after the generated cases.
    session.execute(
        text(
            """
            INSERT INTO case_counter (kind, year, last)
            SELECT kind, year, max(sequence) FROM citizen_case GROUP BY kind, year
            ON CONFLICT (kind, year) DO UPDATE SET last = excluded.last
            """
        )
    )
    started = time.monotonic()
    session.execute(text(EVENTS))
    log(f"events in {time.monotonic() - started:.0f}s")
    session.execute(text(EXTENSIONS))
    started = time.monotonic()
    for _, statement in indexes:
        session.execute(text(statement))
    log(f"{len(indexes)} indexes rebuilt in {time.monotonic() - started:.0f}s")
    session.commit()


def vacuum_analyze() -> None:
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        for table in ("citizen_case", "case_event", "case_extension", "staff_user", "unit"):
            connection.execute(text(f"VACUUM ANALYZE {table}"))


def case_page_case(staff: dict) -> Case:
    """An assigned case of the first unit, with an identity and two messages (made once)."""
    case = db.session.scalar(
        db.select(Case)
        .where(
            Case.handling_unit_id == staff["units"][0],
            Case.status == "verifying",
            Case.submission_token.like(TOKEN_PREFIX + "%"),
        )
        .order_by(Case.id.desc())
        .limit(1)
    )
    if not case.messages:
        db.session.add_all(
            [
                CaseMessage(
                    case=case,
                    author=Actor.STAFF,
                    staff_user_id=case.assignee_id,
                    body="Đề nghị ông/bà bổ sung bản sao biên nhận hồ sơ.",
                ),
                CaseMessage(
                    case=case,
                    author=Actor.CITIZEN,
                    body="Tôi gửi bổ sung biên nhận hồ sơ ngày 12/3.",
                ),
            ]
        )
    # Sealed with this run's key (run.py makes a new one every run).
    identity = Identity(
        name="Nguyễn Văn Bench",
        address="Số 1 Lê Lợi",
        phone="+84912000000",
        email="bench@example.vn",
    )
    if case.identity is None:
        case.identity = CaseIdentity(sealed=seal(identity))
    else:
        case.identity.sealed = seal(identity)
    db.session.commit()
    return case


def deep_cursor(staff: dict, depth: int) -> tuple[str, int]:
    """The keyset of the row `depth` rows into the head's closed complaints, newest first."""
    total = db.session.scalar(
        text(
            "SELECT count(*) FROM citizen_case WHERE handling_unit_id = :u"
            " AND status = 'closed' AND kind = 'complaint'"
        ),
        {"u": staff["units"][0]},
    )
    depth = min(depth, max(total - 100, 0))
    row = db.session.execute(
        text(
            "SELECT received_at, id FROM citizen_case WHERE handling_unit_id = :u"
            " AND status = 'closed' AND kind = 'complaint'"
            " ORDER BY received_at DESC, id DESC OFFSET :d LIMIT 1"
        ),
        {"u": staff["units"][0], "d": depth},
    ).one()
    from portal.cases.queries import Cursor

    return Cursor(id=row.id, received_at=row.received_at).token("newest"), depth


def cookie_for(app, user_id: int) -> str:
    """A signed-in staff session for the user, as the login form would leave it."""
    with app.test_request_context(
        "/", headers={"User-Agent": USER_AGENT}, environ_base={"REMOTE_ADDR": "127.0.0.1"}
    ):
        user = db.session.get(User, user_id)
        token = accounts.start_session(user)
        data = {
            SESSION_TOKEN_KEY: token,
            "_user_id": user.public_id,
            "_fresh": True,
            "_id": login_manager._session_identifier_generator(),
        }
        value = app.session_interface.get_signing_serializer(app).dumps(data)
    return f"{app.config['SESSION_COOKIE_NAME']}={value}"


def explain(app, user_id: int, query_string: str) -> None:
    """Print the plans of the inbox's reads for one URL (stderr): which indexes they use."""
    from sqlalchemy import event
    from werkzeug.datastructures import MultiDict

    from portal.cases import queries

    statements = []

    def grab(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().startswith("SELECT") and "citizen_case" in statement:
            statements.append((statement, parameters))

    with app.test_request_context(f"/staff/cases?{query_string}"):
        from flask import request

        user = db.session.get(User, user_id)
        filters = queries.filters_from(MultiDict(request.args), user)
        event.listen(db.engine, "before_cursor_execute", grab)
        try:
            queries.inbox(user, filters, after=request.args.get("after"))
        finally:
            event.remove(db.engine, "before_cursor_execute", grab)
        cursor = db.session.connection().connection.driver_connection.cursor()
        log(f"EXPLAIN /staff/cases?{query_string}")
        for statement, parameters in statements:
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + statement, parameters)
            for (line,) in cursor.fetchall():
                log("  " + line)
            log("")
        db.session.rollback()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--depth", type=int, default=100_000, help="rows into the deep page")
    parser.add_argument(
        "--explain", action="store_true", help="print the inbox's query plans (stderr)"
    )
    args = parser.parse_args(argv)
    app = create_app()
    started = time.monotonic()
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            log("the case generator needs PostgreSQL (set BENCH_DATABASE_URL)")
            return 2
        staff = ensure_staff()
        existing = bench_count()
        if existing == 0:
            generate(args.cases, staff)
            vacuum_analyze()
        elif existing != args.cases:
            log(f"the database holds {existing} generated cases, not {args.cases}: measuring those")
        if existing and not db.session.scalar(
            text("SELECT count(*) FROM citizen_case WHERE resolved_on IS NOT NULL")
        ):
            log("these cases were generated without report dates: use a new database for --reports")
        case = case_page_case(staff)
        cursor, depth = deep_cursor(staff, args.depth)
        open_cases = db.session.scalar(
            text("SELECT count(*) FROM citizen_case WHERE due_on IS NOT NULL")
        )
        if args.explain:
            head = staff["head"].id
            explain(app, head, "")
            explain(app, head, f"status=closed&kind=complaint&sort=newest&after={cursor}")
        result = {
            "seconds": round(time.monotonic() - started, 1),
            "cases": bench_count(),
            "open": open_cases,
            "depth": depth,
            "cookie": cookie_for(app, staff["head"].id),
            "leader_cookie": cookie_for(app, staff["leader"].id),
            "case_number": case.number,
            "deep_cursor": cursor,
            # The reports' year: the last full one (run.py --reports).
            "report_year": local_date(datetime.now(UTC)).year - 1,
        }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
