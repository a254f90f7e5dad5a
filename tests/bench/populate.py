"""Fill the benchmark's scratch database with many published items: `run.py --scale` runs it.

    PORTAL_DATABASE_URL=… .venv/bin/python tests/bench/populate.py [--disclosures N] [--procedures N]

Rows go in through the ORM in batches (executemany, not one INSERT per object); each item is
added to the search index with core.search.index_entry, as the domain services do. The text is
generated Vietnamese from a fixed seed, so every run builds the same data. The last line printed
is JSON for run.py: a disclosure slug and a procedure slug to request, and how many entries the
benchmark's search matches. A database already filled by an earlier run is left as it is.
Never point it at a database you care about.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from portal import create_app
from portal.core.sanitize import clean_html, clean_text
from portal.core.search import index_entry, search
from portal.core.text import slugify
from portal.disclosures.models import Category, Disclosure, DisclosureRevision
from portal.extensions import db
from portal.procedures.models import (
    DossierComponent,
    Procedure,
    ProcedureChannel,
    ProcedureField,
)

BATCH = 1000
SEARCH_QUERY = "thu tuc dang ky"

DOCUMENT_TYPES = ["Quyết định", "Kế hoạch", "Báo cáo", "Thông báo", "Công văn", "Chỉ thị"]
SUBJECTS = [
    "công khai dự toán ngân sách",
    "công khai quyết toán ngân sách",
    "thực hiện dự toán ngân sách quý",
    "tuyển dụng công chức",
    "kế hoạch đầu tư công trung hạn",
    "kết quả lựa chọn nhà thầu",
    "thu phí, lệ phí",
    "kết luận thanh tra",
    "giải quyết khiếu nại",
    "cải cách hành chính",
    "công bố thủ tục hành chính",
    "đăng ký kinh doanh hộ cá thể",
    "chuyển đổi số",
    "phòng, chống tham nhũng, tiêu cực",
    "tiếp công dân định kỳ",
    "sắp xếp tổ chức bộ máy",
]
SENTENCES = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015.",
    "Căn cứ Luật Ngân sách nhà nước số 83/2015/QH13.",
    "Theo đề nghị của Trưởng phòng Kế hoạch – Tài chính.",
    "Các cơ quan, đơn vị có trách nhiệm tổ chức thực hiện nghiêm túc.",
    "Thủ tục được thực hiện tại Bộ phận tiếp nhận và trả kết quả.",
    "Tổ chức, cá nhân đăng ký trực tuyến trên Cổng dịch vụ công quốc gia.",
    "Hồ sơ đăng ký gồm đơn đề nghị và bản sao giấy tờ tùy thân.",
    "Thời hạn giải quyết là 15 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.",
    "Lệ phí được nộp khi nhận kết quả, theo quy định của Hội đồng nhân dân tỉnh.",
    "Số liệu chi tiết tại các biểu kèm theo.",
    "Quyết định này có hiệu lực kể từ ngày ký.",
    "Trong quá trình thực hiện, nếu có vướng mắc, đề nghị phản ánh về Văn phòng Sở.",
    "Đẩy mạnh cải cách thủ tục hành chính, nâng cao chỉ số hài lòng của người dân.",
    "Công khai trên Cổng thông tin điện tử và niêm yết tại trụ sở cơ quan.",
    "Thời gian công khai ít nhất 90 ngày.",
    "Báo cáo tình hình thực hiện trước ngày 15 của tháng cuối quý.",
    "Ủy ban nhân dân các huyện, thành phố phối hợp thực hiện.",
    "Người dân có thể tra cứu tình trạng hồ sơ bằng mã số được cấp.",
    "Tổng dự toán chi thường xuyên năm là 12.345 triệu đồng.",
    "Việc đăng ký thay đổi nội dung được thực hiện theo mẫu ban hành kèm theo.",
    "Giao Phòng Tổ chức – Hành chính theo dõi, tổng hợp kết quả.",
    "Kinh phí thực hiện từ nguồn ngân sách tỉnh đã giao trong dự toán.",
    "Chánh Văn phòng, Trưởng các phòng và Thủ trưởng đơn vị liên quan chịu trách nhiệm thi hành.",
    "Kết quả thẩm định được gửi đến chủ đầu tư trong thời hạn quy định.",
    "Tỷ lệ giải ngân vốn đầu tư công đạt 68% kế hoạch vốn được giao.",
    "Nội dung kết luận được công khai theo quy định của Luật Thanh tra.",
    "Đơn khiếu nại được thụ lý và giải quyết đúng thời hạn.",
    "Cán bộ, công chức thực hiện nghiêm quy tắc ứng xử nơi công sở.",
    "Ý kiến góp ý gửi về địa chỉ thư điện tử của Sở trước thời hạn nêu trên.",
    "Số biên chế công chức được giao là 85 người, hợp đồng lao động 12 người.",
    "Tiêu chuẩn, điều kiện dự tuyển theo quy định tại Nghị định số 138/2020/NĐ-CP.",
    "Danh sách thí sinh đủ điều kiện được niêm yết tại trụ sở cơ quan.",
    "Gói thầu được tổ chức lựa chọn nhà thầu qua mạng.",
    "Mức thu phí thẩm định được giữ nguyên so với năm trước.",
    "Kế hoạch được triển khai đến toàn thể cán bộ, công chức, người lao động.",
    "Báo cáo số liệu thu, chi ngân sách địa phương sáu tháng đầu năm.",
    "Tăng cường kiểm tra, giám sát việc sử dụng tài sản công.",
    "Ứng dụng công nghệ thông tin trong quản lý, điều hành.",
    "Đánh giá, xếp loại chất lượng cán bộ, công chức cuối năm.",
    "Rà soát, sắp xếp lại nhà, đất thuộc sở hữu nhà nước.",
    "Thực hành tiết kiệm, chống lãng phí trong chi tiêu công.",
    "Hội nghị được tổ chức theo hình thức trực tiếp kết hợp trực tuyến.",
    "Thông tin chi tiết liên hệ Văn phòng Sở theo số điện thoại đường dây nóng.",
    "Tổng hợp ý kiến của các sở, ban, ngành và địa phương.",
    "Nâng cao hiệu quả công tác tiếp công dân và xử lý đơn thư.",
    "Giá trị quyết toán được phê duyệt là 4.560 triệu đồng.",
    "Phân bổ chi tiết dự toán cho các đơn vị trực thuộc.",
    "Chế độ báo cáo định kỳ được thực hiện qua hệ thống quản lý văn bản.",
    "Các nội dung khác giữ nguyên theo văn bản đã ban hành.",
]
PROCEDURE_ACTIONS = ["Đăng ký", "Cấp", "Cấp lại", "Điều chỉnh", "Gia hạn", "Thu hồi", "Xác nhận"]
PROCEDURE_OBJECTS = [
    "thành lập hộ kinh doanh",
    "giấy phép xây dựng",
    "giấy chứng nhận đủ điều kiện",
    "thay đổi nội dung đăng ký kinh doanh",
    "chứng chỉ hành nghề",
    "giấy phép hoạt động",
    "dự án đầu tư",
    "mã số đơn vị có quan hệ với ngân sách",
]
FIELDS = [
    ("Tài chính doanh nghiệp", "tai-chinh-doanh-nghiep"),
    ("Quản lý công sản", "quan-ly-cong-san"),
    ("Đăng ký kinh doanh", "dang-ky-kinh-doanh"),
    ("Đầu tư", "dau-tu"),
    ("Tin học – Thống kê", "tin-hoc-thong-ke"),
]


def number_symbol(n: int) -> str:
    return f"{n + 1}/QĐ-STC"


def procedure_code(n: int) -> str:
    return f"9.{n + 1:06d}.BENCH"


def body_paragraphs(rng: random.Random) -> list[str]:
    return [
        " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(2, 4)))
        for _ in range(rng.randint(2, 4))
    ]


def html(paragraphs: list[str]) -> str:
    return clean_html("".join(f"<p>{p}</p>" for p in paragraphs))


def get_or_create(model, slug: str, **values):
    found = db.session.scalar(db.select(model).where(model.slug == slug))
    if found is None:
        found = model(slug=slug, **values)
        db.session.add(found)
        db.session.flush()
    return found


def insert_many(model, rows: list[dict]) -> list[int]:
    """INSERT the rows in one executemany and return their ids in order."""
    result = db.session.execute(
        db.insert(model).returning(model.id, sort_by_parameter_order=True), rows
    )
    return list(result.scalars())


def populate_disclosures(count: int, rng: random.Random, now: datetime) -> str:
    categories = [
        get_or_create(Category, "thu-tai-" + slugify(name), name=name.capitalize())
        for name in SUBJECTS[:8]
    ]
    first_slug = ""
    for start in range(0, count, BATCH):
        rows, entries = [], []
        for n in range(start, min(count, start + BATCH)):
            kind = rng.choice(DOCUMENT_TYPES)
            title = f"{kind} về {rng.choice(SUBJECTS)} năm {rng.randint(2019, 2026)} (số {n + 1})"
            paragraphs = body_paragraphs(rng)
            slug = f"{slugify(title, max_length=140)}-{n + 1}"
            first_slug = first_slug or slug
            rows.append(
                {
                    "slug": slug,
                    "category_id": rng.choice(categories).id,
                    "status": "published",
                    "title": title,
                    "summary": paragraphs[0][:300],
                    "body_html": html(paragraphs),
                    "document_type": kind,
                    "issuer": "Sở Tài chính",
                    "number_symbol": number_symbol(n),
                    "publish_at": now - timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60)),
                    "revision_count": 1,
                }
            )
        ids = insert_many(Disclosure, rows)
        db.session.execute(
            db.insert(DisclosureRevision),
            [
                {
                    "disclosure_id": id_,
                    "number": 1,
                    "published_at": row["publish_at"],
                    "title": row["title"],
                    "summary": row["summary"],
                    "body_html": row["body_html"],
                    "snapshot": {"title": row["title"], "summary": row["summary"]},
                    "changed_fields": [],
                }
                for id_, row in zip(ids, rows, strict=True)
            ],
        )
        for id_, row in zip(ids, rows, strict=True):
            entries.append(
                {
                    "kind": "disclosure",
                    "ref_id": id_,
                    "slug": row["slug"],
                    "title": row["title"],
                    "body": "\n".join([row["summary"], clean_text(row["body_html"])]),
                    "published_at": row["publish_at"],
                }
            )
        index_all(entries)
        db.session.commit()
    return first_slug


def populate_procedures(count: int, rng: random.Random, now: datetime) -> str:
    fields = [get_or_create(ProcedureField, slug, name=name) for name, slug in FIELDS]
    first_slug = ""
    for start in range(0, count, BATCH):
        rows = []
        for n in range(start, min(count, start + BATCH)):
            code = procedure_code(n)
            name = f"{rng.choice(PROCEDURE_ACTIONS)} {rng.choice(PROCEDURE_OBJECTS)} ({code})"
            slug = f"{slugify(name, max_length=140)}-{n + 1}"
            first_slug = first_slug or slug
            rows.append(
                {
                    "code": code,
                    "slug": slug,
                    "name": name,
                    "decision_number": f"{rng.randint(100, 999)}/QĐ-UBND",
                    "level": rng.choice(["province", "commune"]),
                    "field_id": rng.choice(fields).id,
                    "steps_html": html(body_paragraphs(rng)),
                    "applicants": "Tổ chức, cá nhân",
                    "implementing_body": "Sở Tài chính",
                    "result": "Giấy chứng nhận",
                    "online_level": rng.choice(["none", "partial", "full"]),
                    "published": True,
                }
            )
        ids = insert_many(Procedure, rows)
        db.session.execute(
            db.insert(ProcedureChannel),
            [
                {
                    "procedure_id": id_,
                    "channel": channel,
                    "processing_time": "15 ngày làm việc",
                    "fee": "100.000 đồng",
                    "position": position,
                }
                for id_ in ids
                for position, channel in enumerate(["in-person", "online"])
            ],
        )
        db.session.execute(
            db.insert(DossierComponent),
            [
                {"procedure_id": id_, "name": name, "originals": 1, "copies": 0, "position": p}
                for id_ in ids
                for p, name in enumerate(["Đơn đề nghị theo mẫu", "Bản sao giấy tờ tùy thân"])
            ],
        )
        index_all(
            {
                "kind": "procedure",
                "ref_id": id_,
                "slug": row["slug"],
                "title": row["name"],
                "body": clean_text(row["steps_html"]),
                "published_at": now - timedelta(days=30),
            }
            for id_, row in zip(ids, rows, strict=True)
        )
        db.session.commit()
    return first_slug


def index_all(entries) -> None:
    # index_entry looks the entry up first; these are all new, so nothing needs flushing.
    with db.session.no_autoflush:
        for entry in entries:
            index_entry(**entry)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--disclosures", type=int, default=10_000)
    p.add_argument("--procedures", type=int, default=2_000)
    p.add_argument("--seed", type=int, default=20261127)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    rng = random.Random(args.seed)
    app = create_app()
    started = time.monotonic()
    with app.app_context():
        now = datetime.now(UTC)
        procedure = db.session.scalar(
            db.select(Procedure.slug).where(Procedure.code == procedure_code(0))
        )
        if procedure:  # a database filled by an earlier run: measure it as it is
            disclosure = db.session.scalar(
                db.select(Disclosure.slug).where(Disclosure.number_symbol == number_symbol(0))
            )
        else:
            disclosure = populate_disclosures(args.disclosures, rng, now)
            procedure = populate_procedures(args.procedures, rng, now)
        # Leave the database as a live one would be after its maintenance ran: FTS5 segments
        # merged, PostgreSQL's GIN pending list flushed (autovacuum's job), statistics fresh.
        if db.engine.dialect.name == "sqlite":
            db.session.execute(db.text("INSERT INTO search_fts (search_fts) VALUES ('optimize')"))
            db.session.execute(db.text("ANALYZE"))
            db.session.commit()
        else:
            db.session.commit()
            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(
                    db.text("VACUUM ANALYZE")
                )
        matches = search(SEARCH_QUERY, per_page=1).total
    print(
        json.dumps(
            {
                "disclosure_slug": disclosure,
                "procedure_slug": procedure,
                "search_query": SEARCH_QUERY,
                "search_matches": matches,
                "seconds": round(time.monotonic() - started, 1),
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
