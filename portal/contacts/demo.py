"""Demo content for the contacts domain, loaded by `flask demo load` (idempotent).

The agency is the Lạng Sơn Department of Finance after the 1 July 2025 merger with the
Department of Planning and Investment; department inspectorates were abolished, so citizen
reception and cases sit with a legal-affairs unit. Numbers, addresses and names are samples.
"""

import io
from datetime import date, time

from werkzeug.datastructures import FileStorage

from portal.contacts.models import (
    Hotline,
    ReceptionDocument,
    ReceptionOffice,
    ReceptionRule,
    ShiftRule,
    Unit,
)
from portal.contacts.phones import normalise_phone
from portal.core.sanitize import clean_html
from portal.core.text import slugify
from portal.core.uploads import store_upload
from portal.extensions import db

MAIL = "stc.langson.example.vn"
PLACE = "Phòng tiếp công dân, tầng 1, trụ sở Sở Tài chính, số 2 đường Hoàng Văn Thụ, phường Lương Văn Tri, tỉnh Lạng Sơn (địa chỉ mẫu)"
PLACE_EN = "Citizen reception room, ground floor, Department of Finance, 2 Hoang Van Thu Street, Luong Van Tri Ward, Lang Son (sample address)"


def _list(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


UNITS = (
    {
        "name": "Văn phòng Sở",
        "name_en": "Office of the Department",
        "functions_html": _list(
            "Tham mưu tổng hợp, điều phối hoạt động chung của Sở; hành chính, văn thư, lưu trữ.",
            "Tổ chức bộ máy, cán bộ, thi đua, khen thưởng; quản trị, tài chính, kế toán của Sở.",
            "Đầu mối cải cách hành chính, kiểm soát thủ tục hành chính và Bộ phận Một cửa.",
            "Quản lý Cổng thông tin điện tử của Sở.",
        ),
        "functions_en_html": _list(
            "Coordinates the Department's work; administration, records and archives.",
            "Organisation, personnel, awards; the Department's own finance and accounting.",
            "Administrative reform, control of administrative procedures and the one-stop shop.",
            "Runs the Department's information portal.",
        ),
        "head_name": "Hoàng Thị Thu Hà",
        "head_title": "Chánh Văn phòng",
        "head_title_en": "Chief of Office",
        "phone": "0205 3812 301",
        "email": f"vanphong@{MAIL}",
    },
    {
        "name": "Phòng Pháp chế – Tiếp công dân",
        "name_en": "Legal Affairs and Citizen Reception Division",
        "functions_html": _list(
            "Tiếp công dân thường xuyên; tiếp nhận, phân loại và xử lý đơn phản ánh, kiến nghị, "
            "khiếu nại, tố cáo gửi đến Sở.",
            "Tham mưu Giám đốc Sở giải quyết khiếu nại, tố cáo và theo dõi việc thực hiện.",
            "Công tác pháp chế: góp ý, thẩm định dự thảo văn bản; kiểm tra, rà soát văn bản.",
            "Phòng, chống tham nhũng, tiêu cực trong cơ quan.",
        ),
        "functions_en_html": _list(
            "Receives citizens every working day; registers, classifies and handles "
            "reflections, petitions, complaints and denunciations sent to the Department.",
            "Advises the Director on resolving complaints and denunciations and follows up.",
            "Legal affairs: comments on and reviews draft documents; checks issued documents.",
            "Prevention of corruption and misconduct in the Department.",
        ),
        "head_name": "Lương Văn Bình",
        "head_title": "Trưởng phòng",
        "head_title_en": "Head of Division",
        "phone": "0205 3812 302",
        "email": f"tiepcongdan@{MAIL}",
        "handles_cases": True,
    },
    {
        "name": "Phòng Kế hoạch – Tổng hợp",
        "name_en": "Planning and General Affairs Division",
        "functions_html": _list(
            "Tham mưu kế hoạch phát triển kinh tế – xã hội 5 năm và hằng năm của tỉnh.",
            "Tổng hợp, theo dõi, đánh giá tình hình thực hiện kế hoạch; báo cáo định kỳ.",
        ),
        "functions_en_html": _list(
            "Prepares the province's five-year and annual socio-economic development plans.",
            "Monitors and evaluates plan implementation; periodic reports.",
        ),
        "head_name": "Nông Thị Lan",
        "head_title": "Trưởng phòng",
        "head_title_en": "Head of Division",
        "phone": "0205 3812 303",
        "email": f"kehoach@{MAIL}",
    },
    {
        "name": "Phòng Quản lý ngân sách",
        "name_en": "Budget Management Division",
        "functions_html": _list(
            "Lập dự toán, phân bổ và điều hành ngân sách địa phương.",
            "Thẩm định, tổng hợp quyết toán ngân sách; công khai ngân sách theo quy định.",
            "Hướng dẫn, kiểm tra công tác tài chính – ngân sách của các xã, phường.",
        ),
        "functions_en_html": _list(
            "Prepares, allocates and manages the provincial budget.",
            "Reviews and consolidates final budget accounts; publishes budget information.",
            "Guides and checks the finances of communes and wards.",
        ),
        "head_name": "Vi Văn Thắng",
        "head_title": "Trưởng phòng",
        "head_title_en": "Head of Division",
        "phone": "0205 3812 304",
        "email": f"ngansach@{MAIL}",
    },
    {
        "name": "Phòng Quản lý đầu tư",
        "name_en": "Investment Management Division",
        "functions_html": _list(
            "Tham mưu kế hoạch đầu tư công trung hạn và hằng năm.",
            "Thẩm định dự án, kế hoạch lựa chọn nhà thầu; theo dõi đấu thầu.",
            "Xúc tiến đầu tư, thu hút vốn ODA và vốn vay ưu đãi.",
        ),
        "functions_en_html": _list(
            "Prepares the medium-term and annual public investment plans.",
            "Appraises projects and procurement plans; monitors tendering.",
            "Investment promotion; ODA and concessional loans.",
        ),
        "head_name": "Đinh Quang Huy",
        "head_title": "Trưởng phòng",
        "head_title_en": "Head of Division",
        "phone": "0205 3812 305",
        "email": f"dautu@{MAIL}",
    },
    {
        "name": "Phòng Quản lý giá – Công sản",
        "name_en": "Prices and Public Assets Division",
        "functions_html": _list(
            "Quản lý nhà nước về giá, thẩm định giá; tham mưu bảng giá đất.",
            "Quản lý, sử dụng tài sản công của các cơ quan, đơn vị thuộc tỉnh.",
        ),
        "functions_en_html": _list(
            "Price management and valuation; advises on the land price list.",
            "Management and use of public assets of provincial bodies.",
        ),
        "head_name": "Hà Thị Ngọc",
        "head_title": "Trưởng phòng",
        "head_title_en": "Head of Division",
        "phone": "0205 3812 306",
        "email": f"giacongsan@{MAIL}",
    },
    {
        "name": "Phòng Tài chính doanh nghiệp",
        "name_en": "Enterprise Finance Division",
        "functions_html": _list(
            "Quản lý tài chính doanh nghiệp nhà nước do tỉnh quản lý; sắp xếp, đổi mới doanh nghiệp.",
            "Tài chính hợp tác xã, kinh tế tập thể.",
        ),
        "functions_en_html": _list(
            "Finances of provincial state-owned enterprises; their restructuring.",
            "Finances of cooperatives and the collective economy.",
        ),
        "head_name": "Chu Văn Lợi",
        "head_title": "Trưởng phòng",
        "head_title_en": "Head of Division",
        "phone": "0205 3812 307",
        "email": f"taichinhdn@{MAIL}",
    },
    {
        "name": "Phòng Đăng ký kinh doanh",
        "name_en": "Business Registration Division",
        "functions_html": _list(
            "Đăng ký doanh nghiệp, đăng ký hợp tác xã; cấp, thay đổi, thu hồi giấy chứng nhận.",
            "Hướng dẫn đăng ký hộ kinh doanh; hỗ trợ doanh nghiệp nhỏ và vừa.",
        ),
        "functions_en_html": _list(
            "Registers enterprises and cooperatives; issues, amends and revokes certificates.",
            "Guidance on household business registration; support for small businesses.",
        ),
        "head_name": "Lộc Thị Hương",
        "head_title": "Trưởng phòng",
        "head_title_en": "Head of Division",
        "phone": "0205 3812 308",
        "email": f"dkkd@{MAIL}",
    },
)

HOTLINES = (
    {
        "label": "Đường dây nóng phản ánh nhũng nhiễu, tiêu cực, tham nhũng (số mẫu)",
        "label_en": "Hotline for reporting harassment, misconduct and corruption (sample number)",
        "purpose": "Phản ánh việc cán bộ, công chức của Sở gây phiền hà, sách nhiễu, đòi tiền "
        "hoặc lợi ích khi giải quyết công việc; tố giác hành vi tham nhũng, tiêu cực. "
        "Danh tính người phản ánh được giữ bí mật.",
        "purpose_en": "Report officials of the Department who cause trouble, harass, or ask for "
        "money or favours; report corruption and misconduct. Your identity is kept "
        "confidential.",
        "phone": "0205 3812 888",
        "email": f"phananh@{MAIL}",
        "hours": "Điện thoại: giờ hành chính các ngày làm việc; thư điện tử: mọi lúc",
        "hours_en": "Phone: office hours on working days; e-mail: any time",
        "is_harassment": True,
        "position": 0,
    },
    {
        "label": "Đường dây nóng của Sở (số mẫu)",
        "label_en": "Department hotline (sample number)",
        "purpose": "Hỏi đáp, hướng dẫn về thủ tục hành chính, thông tin công khai và lịch tiếp "
        "công dân của Sở.",
        "purpose_en": "Questions and guidance on administrative procedures, published "
        "information and the citizen reception schedule.",
        "phone": "0205 3812 345",
        "email": f"lienhe@{MAIL}",
        "hours": "Thứ Hai – Thứ Sáu: 7:30–11:30, 13:30–16:30",
        "hours_en": "Monday to Friday: 7:30–11:30, 13:30–16:30",
        "is_main": True,
        "position": 10,
    },
    {
        "label": "Hỗ trợ đăng ký doanh nghiệp (số mẫu)",
        "label_en": "Business registration helpline (sample number)",
        "purpose": "Hướng dẫn hồ sơ, thủ tục đăng ký doanh nghiệp, hợp tác xã.",
        "purpose_en": "Help with the papers and steps to register an enterprise or cooperative.",
        "phone": "0205 3812 567",
        "email": f"dkkd@{MAIL}",
        "hours": "Giờ hành chính các ngày làm việc",
        "hours_en": "Office hours on working days",
        "position": 20,
    },
)

DOCUMENTS = (
    {
        "kind": "rules",
        "title": "Nội quy tiếp công dân của Sở Tài chính tỉnh Lạng Sơn",
        "title_en": "Citizen reception rules of the Lang Son Department of Finance",
        "summary_html": "<p>Quyền và nghĩa vụ của người đến khiếu nại, tố cáo, kiến nghị, phản "
        "ánh; trách nhiệm của người tiếp công dân (văn bản mẫu).</p>",
        "issued_on": date(2025, 7, 15),
        "position": 0,
        "file_name": "Nội quy tiếp công dân.pdf",
        "pdf_title": "Nội quy tiếp công dân – Sở Tài chính tỉnh Lạng Sơn (văn bản mẫu)",
        "pdf_lines": (
            "NOI QUY TIEP CONG DAN",
            "So Tai chinh tinh Lang Son - van ban mau (sample document)",
            "",
            "1. Cong dan den tiep xuat trinh giay to tuy than.",
            "2. Trinh bay trung thuc su viec, cung cap tai lieu lien quan.",
            "3. Giu trat tu, ton trong nguoi tiep cong dan.",
            "4. Nhieu nguoi cung noi dung thi cu dai dien de trinh bay.",
        ),
    },
    {
        "kind": "regulations",
        "title": "Quy chế tiếp công dân của Sở Tài chính tỉnh Lạng Sơn",
        "title_en": "Regulations on citizen reception of the Lang Son Department of Finance",
        "summary_html": "<p>Địa điểm, thời gian tiếp công dân thường xuyên, lịch tiếp công dân "
        "định kỳ của Giám đốc Sở và trình tự xử lý đơn (văn bản mẫu).</p>",
        "issued_on": date(2025, 7, 15),
        "position": 10,
        "file_name": "Quy chế tiếp công dân.pdf",
        "pdf_title": "Quy chế tiếp công dân – Sở Tài chính tỉnh Lạng Sơn (văn bản mẫu)",
        "pdf_lines": (
            "QUY CHE TIEP CONG DAN",
            "So Tai chinh tinh Lang Son - van ban mau (sample document)",
            "",
            "Dieu 1. Tiep cong dan thuong xuyen vao cac ngay lam viec:",
            "        sang 7:30-11:30, chieu 13:30-16:30.",
            "Dieu 2. Giam doc So tiep cong dan dinh ky ngay 15 hang thang;",
            "        trung ngay nghi thi chuyen sang ngay lam viec tiep theo.",
        ),
    },
)


def _pdf_string(text: str) -> str:
    return "(" + text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def minimal_pdf(title: str, lines: tuple[str, ...]) -> bytes:
    """A small valid PDF 1.4: one A4 page of ASCII text in Helvetica, the title in Unicode.

    The standard fonts cannot show Vietnamese letters without embedding a font, so the page
    text is unaccented; the document's title (shown by readers) keeps its diacritics.
    """
    stream = "BT /F1 12 Tf 16 TL 72 770 Td " + " ".join(
        f"{_pdf_string(line)} Tj T*" for line in lines
    )
    stream += " ET"
    title_hex = ("\ufeff" + title).encode("utf-16-be").hex().upper()
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        "/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        f"<< /Title <{title_hex}> /Producer (portal demo) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Info 6 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def _load_units() -> int:
    added = 0
    existing = set(db.session.scalars(db.select(Unit.slug)))
    for position, spec in enumerate(UNITS):
        slug = slugify(spec["name"], max_length=100)
        if slug in existing:
            continue
        values = {
            k: v
            for k, v in spec.items()
            if k not in ("phone", "functions_html", "functions_en_html")
        }
        db.session.add(
            Unit(
                slug=slug,
                phone_e164=normalise_phone(spec["phone"]),
                functions_html=clean_html(spec["functions_html"]),
                functions_en_html=clean_html(spec["functions_en_html"]),
                position=position * 10,
                **values,
            )
        )
        added += 1
    return added


def _load_hotlines() -> int:
    added = 0
    phones = set(db.session.scalars(db.select(Hotline.phone_e164)))
    for spec in HOTLINES:
        phone = normalise_phone(spec["phone"])
        if phone in phones:
            continue
        values = {k: v for k, v in spec.items() if k != "phone"}
        db.session.add(Hotline(phone_e164=phone, **values))
        added += 1
    return added


def _load_reception() -> tuple[int, int, int]:
    offices = 0
    if db.session.scalar(db.select(ReceptionOffice.id).limit(1)) is None:
        offices = 1
        db.session.add(
            ReceptionOffice(
                place=PLACE,
                place_en=PLACE_EN,
                morning_starts_at=time(7, 30),
                morning_ends_at=time(11, 30),
                afternoon_starts_at=time(13, 30),
                afternoon_ends_at=time(16, 30),
                note="Ngoài giờ tiếp công dân, có thể gửi đơn qua đường bưu điện đến địa chỉ "
                "của Sở.",
                note_en="Outside these hours, letters can be sent by post to the Department.",
            )
        )
    rules = 0
    if db.session.scalar(db.select(ReceptionRule.id).limit(1)) is None:
        db.session.add(
            ReceptionRule(
                day_of_month=15,
                shift=ShiftRule.NEXT_WORKING_DAY,
                host="Giám đốc Sở",
                host_en="Director of the Department",
                place=PLACE,
                starts_at=time(7, 30),
                ends_at=time(11, 30),
                valid_from=date(2025, 7, 1),
                valid_until=None,
                active=True,
            )
        )
        rules = 1
    documents = 0
    known = set(db.session.execute(db.select(ReceptionDocument.kind, ReceptionDocument.title)))
    for spec in DOCUMENTS:
        if (spec["kind"], spec["title"]) in known:
            continue
        data = minimal_pdf(spec["pdf_title"], spec["pdf_lines"])
        stored = store_upload(FileStorage(stream=io.BytesIO(data), filename=spec["file_name"]))
        db.session.add(
            ReceptionDocument(
                stored_file=stored,
                kind=spec["kind"],
                title=spec["title"],
                title_en=spec["title_en"],
                summary_html=clean_html(spec["summary_html"]),
                issued_on=spec["issued_on"],
                position=spec["position"],
            )
        )
        documents += 1
    return offices, rules, documents


def load() -> str:
    """Add what is missing; return a one-line summary of what was added."""
    units = _load_units()
    hotlines = _load_hotlines()
    offices, rules, documents = _load_reception()
    db.session.commit()
    if not (units or hotlines or offices or rules or documents):
        return ""
    return (
        f"Contacts: {units} units, {hotlines} hotlines, {offices} reception place, "
        f"{rules} reception rule and {documents} reception documents added."
    )
