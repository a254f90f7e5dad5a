"""Demo content for the procedures domain, loaded by `flask demo load` (idempotent by code).

SAMPLE DATA. The procedure names follow the kinds of procedure a provincial Department of
Finance handles, but the codes, decision numbers, times and fees are invented for the demo (in
the national format, 1.000948.H38) and must not be read as the official catalogue.
"""

import io
import zipfile

from werkzeug.datastructures import FileStorage

from portal.extensions import db
from portal.procedures import services
from portal.procedures.models import Procedure, ProcedureField

ONLINE_URL = "https://dichvucong.langson.example.vn/thu-tuc/{code}"
PROVINCE_BODY = "Sở Tài chính tỉnh Lạng Sơn"
BUSINESS_BODY = "Phòng Đăng ký kinh doanh, Sở Tài chính tỉnh Lạng Sơn"
COMMUNE_BODY = "Ủy ban nhân dân xã, phường nơi đặt địa điểm kinh doanh"
WITHIN = "kể từ ngày nhận đủ hồ sơ hợp lệ"

# key: name, English name, level, implementing body, who may apply, publishing decision,
# (in-person time, fee), online fee or None when not submitted online, by post?, conditions,
# legal basis (one item per line).
FIELDS = {
    "dn": (
        "Thành lập và hoạt động doanh nghiệp",
        "Establishment and operation of enterprises",
        "province",
        BUSINESS_BODY,
        "Tổ chức, cá nhân thành lập và quản lý doanh nghiệp",
        "1418/QĐ-UBND ngày 08/8/2025 của Chủ tịch UBND tỉnh Lạng Sơn",
        ("03 ngày làm việc " + WITHIN, "50.000 đồng/lần"),
        "Miễn lệ phí",
        True,
        "Ngành, nghề đăng ký kinh doanh không bị cấm đầu tư kinh doanh; tên doanh nghiệp đặt "
        "đúng quy định; hồ sơ đăng ký hợp lệ; nộp đủ lệ phí theo quy định.",
        "Luật Doanh nghiệp số 59/2020/QH14 ngày 17/6/2020\n"
        "Nghị định số 168/2025/NĐ-CP ngày 30/6/2025 của Chính phủ về đăng ký doanh nghiệp\n"
        "Thông tư số 47/2019/TT-BTC ngày 05/8/2019 của Bộ Tài chính về phí, lệ phí đăng ký "
        "doanh nghiệp",
    ),
    "hkd": (
        "Thành lập và hoạt động của hộ kinh doanh",
        "Household businesses",
        "commune",
        COMMUNE_BODY,
        "Cá nhân, thành viên hộ gia đình là công dân Việt Nam có năng lực hành vi dân sự đầy đủ",
        "1419/QĐ-UBND ngày 08/8/2025 của Chủ tịch UBND tỉnh Lạng Sơn",
        ("03 ngày làm việc " + WITHIN, "100.000 đồng/lần"),
        "50.000 đồng/lần",
        False,
        "",
        "Luật Doanh nghiệp số 59/2020/QH14 ngày 17/6/2020\n"
        "Nghị định số 168/2025/NĐ-CP ngày 30/6/2025 của Chính phủ về đăng ký doanh nghiệp\n"
        "Nghị quyết của Hội đồng nhân dân tỉnh Lạng Sơn quy định mức thu lệ phí đăng ký kinh "
        "doanh (mẫu)",
    ),
    "htx": (
        "Thành lập và hoạt động của hợp tác xã",
        "Cooperatives",
        "province",
        BUSINESS_BODY,
        "Hợp tác xã, liên hiệp hợp tác xã, sáng lập viên",
        "1420/QĐ-UBND ngày 08/8/2025 của Chủ tịch UBND tỉnh Lạng Sơn",
        ("03 ngày làm việc " + WITHIN, "100.000 đồng/lần"),
        None,
        True,
        "",
        "Luật Hợp tác xã số 17/2023/QH15 ngày 20/6/2023",
    ),
    "dt": (
        "Đầu tư tại Việt Nam",
        "Investment in Viet Nam",
        "province",
        PROVINCE_BODY,
        "Nhà đầu tư trong nước và nhà đầu tư nước ngoài",
        "1502/QĐ-UBND ngày 20/8/2025 của Chủ tịch UBND tỉnh Lạng Sơn",
        ("15 ngày làm việc " + WITHIN, "Không"),
        "Không",
        True,
        "Dự án phù hợp với quy hoạch được duyệt; nhà đầu tư có năng lực tài chính thực hiện dự án.",
        "Luật Đầu tư số 61/2020/QH14 ngày 17/6/2020\n"
        "Nghị định số 31/2021/NĐ-CP ngày 26/3/2021 của Chính phủ quy định chi tiết và hướng dẫn "
        "thi hành một số điều của Luật Đầu tư",
    ),
    "cs": (
        "Quản lý công sản",
        "Public asset management",
        "province",
        PROVINCE_BODY,
        "Cơ quan, tổ chức, đơn vị được giao quản lý, sử dụng tài sản công",
        "1533/QĐ-UBND ngày 27/8/2025 của Chủ tịch UBND tỉnh Lạng Sơn",
        ("30 ngày " + WITHIN, "Không"),
        "Không",
        False,
        "",
        "Luật Quản lý, sử dụng tài sản công số 15/2017/QH14 ngày 21/6/2017\n"
        "Nghị định số 151/2017/NĐ-CP ngày 26/12/2017 của Chính phủ quy định chi tiết một số "
        "điều của Luật Quản lý, sử dụng tài sản công",
    ),
    "gia": (
        "Quản lý giá",
        "Price management",
        "province",
        PROVINCE_BODY,
        "Tổ chức, cá nhân sản xuất, kinh doanh hàng hóa, dịch vụ",
        "1534/QĐ-UBND ngày 27/8/2025 của Chủ tịch UBND tỉnh Lạng Sơn",
        ("05 ngày làm việc " + WITHIN, "Không"),
        "Không",
        True,
        "",
        "Luật Giá số 16/2023/QH15 ngày 19/6/2023\n"
        "Nghị định số 85/2024/NĐ-CP ngày 10/7/2024 của Chính phủ quy định chi tiết một số điều "
        "của Luật Giá",
    ),
    "tk": (
        "Tin học – Thống kê",
        "Informatics and statistics",
        "province",
        PROVINCE_BODY,
        "Đơn vị dự toán, đơn vị sử dụng ngân sách nhà nước, chủ đầu tư dự án",
        "1535/QĐ-UBND ngày 27/8/2025 của Chủ tịch UBND tỉnh Lạng Sơn",
        ("02 ngày làm việc " + WITHIN, "Không"),
        "Không",
        False,
        "",
        "Thông tư số 185/2015/TT-BTC ngày 17/11/2015 của Bộ Tài chính hướng dẫn đăng ký, cấp "
        "và sử dụng mã số đơn vị có quan hệ với ngân sách",
    ),
}

# Dossier components: "*" before a name means the demo generates a form file for it, "~" that
# a copy (not an original) is asked for.
_LEGAL_ID = "~Bản sao giấy tờ pháp lý của cá nhân đối với người đại diện theo pháp luật"
_DN_NEW = ("*Giấy đề nghị đăng ký doanh nghiệp", "Điều lệ công ty", _LEGAL_ID)
_HKD = ("*Giấy đề nghị đăng ký hộ kinh doanh", "~Bản sao giấy tờ pháp lý của chủ hộ kinh doanh")
_CS = (
    "*Văn bản đề nghị của cơ quan, đơn vị",
    "Danh mục tài sản đề nghị xử lý",
    "~Hồ sơ pháp lý của tài sản",
)

# field, code, name, online level (f: full, p: partial, -: none), result, components
# (None: the field's first procedure's), processing time if not the field's.
PROCEDURES = (
    ("dn", "1.000948.H38", "Đăng ký thành lập doanh nghiệp tư nhân", "f",
     "Giấy chứng nhận đăng ký doanh nghiệp",
     ("*Giấy đề nghị đăng ký doanh nghiệp tư nhân", _LEGAL_ID), None),
    ("dn", "1.000959.H38", "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên", "f",
     "Giấy chứng nhận đăng ký doanh nghiệp", _DN_NEW, None),
    ("dn", "1.000966.H38", "Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên",
     "f", "Giấy chứng nhận đăng ký doanh nghiệp",
     (*_DN_NEW, "*Danh sách thành viên công ty"), None),
    ("dn", "1.000977.H38", "Đăng ký thành lập công ty cổ phần", "f",
     "Giấy chứng nhận đăng ký doanh nghiệp", (*_DN_NEW, "*Danh sách cổ đông sáng lập"), None),
    ("dn", "2.001610.H38", "Đăng ký thay đổi địa chỉ trụ sở chính của doanh nghiệp", "f",
     "Giấy chứng nhận đăng ký doanh nghiệp (cấp mới theo địa chỉ mới)",
     ("*Thông báo thay đổi nội dung đăng ký doanh nghiệp",
      "Nghị quyết, quyết định của chủ sở hữu hoặc Hội đồng thành viên"), None),
    ("dn", "2.001612.H38",
     "Đăng ký thay đổi người đại diện theo pháp luật của công ty trách nhiệm hữu hạn, công ty cổ phần",
     "p", "Giấy chứng nhận đăng ký doanh nghiệp",
     ("*Thông báo thay đổi người đại diện theo pháp luật", _LEGAL_ID), None),
    ("dn", "1.001016.H38",
     "Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo",
     "f", "Giấy xác nhận về việc doanh nghiệp đăng ký tạm ngừng kinh doanh",
     ("*Thông báo tạm ngừng kinh doanh",), None),
    ("dn", "1.001022.H38", "Cấp lại Giấy chứng nhận đăng ký doanh nghiệp theo yêu cầu", "p",
     "Giấy chứng nhận đăng ký doanh nghiệp (cấp lại)",
     ("Giấy đề nghị cấp lại Giấy chứng nhận đăng ký doanh nghiệp",), None),
    ("dn", "2.001999.H38", "Giải thể doanh nghiệp", "p",
     "Tình trạng pháp lý của doanh nghiệp được cập nhật là đã giải thể",
     ("*Thông báo về giải thể doanh nghiệp", "Báo cáo thanh lý tài sản doanh nghiệp",
      "Danh sách chủ nợ và số nợ đã thanh toán"), "05 ngày làm việc " + WITHIN),
    ("dn", "1.001003.H38",
     "Đăng ký hoạt động chi nhánh, văn phòng đại diện, địa điểm kinh doanh", "f",
     "Giấy chứng nhận đăng ký hoạt động chi nhánh, văn phòng đại diện",
     ("*Thông báo về việc đăng ký hoạt động chi nhánh, văn phòng đại diện",
      "~Quyết định thành lập chi nhánh, văn phòng đại diện"), None),
    ("hkd", "2.000575.H38", "Đăng ký thành lập hộ kinh doanh", "p",
     "Giấy chứng nhận đăng ký hộ kinh doanh", _HKD, None),
    ("hkd", "2.000720.H38", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "p",
     "Giấy chứng nhận đăng ký hộ kinh doanh (cấp mới theo nội dung thay đổi)",
     ("*Thông báo thay đổi nội dung đăng ký hộ kinh doanh",
      "Bản gốc Giấy chứng nhận đăng ký hộ kinh doanh"), None),
    ("hkd", "2.000583.H38", "Tạm ngừng hoạt động hộ kinh doanh", "-",
     "Giấy xác nhận về việc hộ kinh doanh đăng ký tạm ngừng kinh doanh",
     ("Thông báo về việc tạm ngừng hoạt động hộ kinh doanh",), None),
    ("hkd", "2.000588.H38", "Chấm dứt hoạt động hộ kinh doanh", "-",
     "Thông báo về việc chấm dứt hoạt động hộ kinh doanh",
     ("Thông báo về việc chấm dứt hoạt động hộ kinh doanh",
      "Bản gốc Giấy chứng nhận đăng ký hộ kinh doanh"), None),
    ("hkd", "2.000593.H38", "Cấp lại Giấy chứng nhận đăng ký hộ kinh doanh", "-",
     "Giấy chứng nhận đăng ký hộ kinh doanh (cấp lại)",
     ("Giấy đề nghị cấp lại Giấy chứng nhận đăng ký hộ kinh doanh",), None),
    ("htx", "1.005010.H38", "Đăng ký thành lập hợp tác xã", "-",
     "Giấy chứng nhận đăng ký hợp tác xã",
     ("*Giấy đề nghị đăng ký hợp tác xã", "Điều lệ hợp tác xã", "Phương án sản xuất, kinh doanh",
      "Danh sách thành viên, hội đồng quản trị"), None),
    ("htx", "1.005011.H38", "Đăng ký thay đổi tên, địa chỉ trụ sở chính của hợp tác xã", "-",
     "Giấy chứng nhận đăng ký hợp tác xã", ("*Giấy đề nghị đăng ký thay đổi",
      "Nghị quyết của đại hội thành viên"), None),
    ("htx", "1.005012.H38", "Giải thể tự nguyện hợp tác xã", "-",
     "Tình trạng pháp lý của hợp tác xã được cập nhật là đã giải thể",
     ("Thông báo về việc giải thể hợp tác xã", "Nghị quyết giải thể của đại hội thành viên"),
     "05 ngày làm việc " + WITHIN),
    ("dt", "1.009645.H38", "Chấp thuận chủ trương đầu tư của Ủy ban nhân dân cấp tỉnh", "p",
     "Quyết định chấp thuận chủ trương đầu tư",
     ("*Văn bản đề nghị thực hiện dự án đầu tư", "Đề xuất dự án đầu tư",
      "~Tài liệu chứng minh năng lực tài chính của nhà đầu tư"),
     "35 ngày " + WITHIN),
    ("dt", "1.009646.H38",
     "Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án không thuộc diện chấp thuận chủ trương đầu tư",
     "p", "Giấy chứng nhận đăng ký đầu tư",
     ("*Văn bản đề nghị cấp Giấy chứng nhận đăng ký đầu tư", "Đề xuất dự án đầu tư",
      "~Bản sao giấy tờ pháp lý của nhà đầu tư"), None),
    ("dt", "1.009647.H38", "Điều chỉnh Giấy chứng nhận đăng ký đầu tư", "p",
     "Giấy chứng nhận đăng ký đầu tư (điều chỉnh)",
     ("*Văn bản đề nghị điều chỉnh dự án đầu tư", "Báo cáo tình hình thực hiện dự án đầu tư"),
     "10 ngày làm việc " + WITHIN),
    ("dt", "1.009648.H38", "Cấp lại Giấy chứng nhận đăng ký đầu tư", "-",
     "Giấy chứng nhận đăng ký đầu tư (cấp lại)",
     ("Văn bản đề nghị cấp lại Giấy chứng nhận đăng ký đầu tư",), "05 ngày làm việc " + WITHIN),
    ("dt", "1.009649.H38", "Chấm dứt hoạt động dự án đầu tư", "-",
     "Thông báo chấm dứt hoạt động dự án đầu tư",
     ("Quyết định chấm dứt hoạt động dự án đầu tư của nhà đầu tư",
      "~Giấy chứng nhận đăng ký đầu tư"), None),
    ("cs", "1.005427.H38", "Quyết định thu hồi tài sản công", "p",
     "Quyết định thu hồi tài sản công", _CS, None),
    ("cs", "1.005428.H38", "Quyết định điều chuyển tài sản công", "p",
     "Quyết định điều chuyển tài sản công", _CS, None),
    ("cs", "1.005429.H38", "Quyết định bán tài sản công", "-",
     "Quyết định bán tài sản công", _CS, None),
    ("cs", "1.005430.H38", "Quyết định thanh lý tài sản công", "-",
     "Quyết định thanh lý tài sản công", _CS, None),
    ("cs", "1.005431.H38", "Quyết định xử lý tài sản công trong trường hợp bị mất, bị hủy hoại",
     "-", "Quyết định xử lý tài sản công", (*_CS, "Biên bản xác định tài sản bị mất, bị hủy hoại"),
     None),
    ("gia", "1.010935.H38", "Đăng ký giá của các doanh nghiệp thuộc phạm vi cấp tỉnh", "f",
     "Văn bản tiếp nhận biểu mẫu đăng ký giá", ("*Biểu mẫu đăng ký giá",), None),
    ("gia", "1.010936.H38", "Kê khai giá của các doanh nghiệp thuộc phạm vi cấp tỉnh", "f",
     "Văn bản tiếp nhận biểu mẫu kê khai giá", ("*Biểu mẫu kê khai giá",), None),
    ("gia", "1.010937.H38", "Hiệp thương giá", "-", "Thông báo kết quả hiệp thương giá",
     ("Văn bản đề nghị hiệp thương giá", "Phương án giá"), "15 ngày làm việc " + WITHIN),
    ("tk", "1.009883.H38", "Đăng ký mã số đơn vị có quan hệ với ngân sách", "f",
     "Giấy chứng nhận mã số đơn vị có quan hệ với ngân sách",
     ("*Tờ khai đăng ký mã số đơn vị có quan hệ với ngân sách",
      "~Quyết định thành lập đơn vị"), None),
    ("tk", "1.009884.H38",
     "Đăng ký mã số đơn vị có quan hệ với ngân sách cho dự án đầu tư ở giai đoạn chuẩn bị đầu tư",
     "f", "Giấy chứng nhận mã số đơn vị có quan hệ với ngân sách",
     ("*Tờ khai đăng ký mã số dự án đầu tư", "~Văn bản giao nhiệm vụ chuẩn bị đầu tư"), None),
    ("tk", "1.009885.H38", "Thay đổi thông tin mã số đơn vị có quan hệ với ngân sách", "p",
     "Thông báo thay đổi thông tin mã số", ("*Tờ khai điều chỉnh thông tin đăng ký mã số",),
     None),
)  # fmt: skip

_ONLINE = {"f": "full", "p": "partial", "-": "none"}


def _steps(level: str, body: str) -> str:
    where = (
        "Bộ phận một cửa của Ủy ban nhân dân xã, phường"
        if level == "commune"
        else "Trung tâm Phục vụ hành chính công tỉnh"
    )
    steps = (
        f"Tổ chức, cá nhân chuẩn bị hồ sơ và nộp tại {where}, qua dịch vụ bưu chính hoặc trên "
        "Cổng Dịch vụ công (với thủ tục có dịch vụ công trực tuyến).",
        "Cán bộ tiếp nhận kiểm tra hồ sơ; hồ sơ chưa đầy đủ thì hướng dẫn bổ sung một lần, "
        "bằng văn bản.",
        f"{body} xem xét, giải quyết hồ sơ.",
        "Trả kết quả tại nơi nộp hồ sơ, qua dịch vụ bưu chính hoặc trực tuyến.",
    )
    return "<ol>" + "".join(f"<li>{step}</li>" for step in steps) + "</ol>"


def _docx(title: str) -> bytes:
    """Return a minimal, valid Word document with the form's title and blank lines to fill in."""
    lines = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập – Tự do – Hạnh phúc",
        title.upper(),
        "(Mẫu dùng cho dữ liệu trình diễn)",
        "Kính gửi: ........................................",
        "Họ và tên: ........................................",
        "Địa chỉ: ........................................",
        "Số điện thoại: ........................................",
    ]
    body = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in lines)
    word = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    package = "http://schemas.openxmlformats.org/package/2006"
    files = {
        "[Content_Types].xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{package}/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            "</Relationships>"
        ),
        "word/document.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{word}">'
            f"<w:body>{body}</w:body></w:document>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(zipfile.ZipInfo(name, (2025, 8, 8, 0, 0, 0)), content)
    return out.getvalue()


def _field(key: str) -> str:
    name, name_en = FIELDS[key][:2]
    if db.session.scalar(db.select(ProcedureField.id).where(ProcedureField.name == name)) is None:
        services.create_field(
            name=name, name_en=name_en, position=list(FIELDS).index(key) * 10, actor=None
        )
    return name


def load() -> str:
    """Add the sample procedures (and their fields) whose codes are missing; summarise."""
    known = set(db.session.scalars(db.select(Procedure.code)))
    added = 0
    for key, code, name, online, result, components, time in PROCEDURES:
        if code in known:
            continue
        (_, _, level, body, applicants, decision, (in_person, fee), online_fee, post,
         conditions, legal) = FIELDS[key]  # fmt: skip
        data = services.ProcedureData(
            code=code,
            name=name,
            level=level,
            field=_field(key),
            decision_number="Quyết định số " + decision,
            steps=_steps(level, body),
            applicants=applicants,
            implementing_body=body,
            result=result,
            conditions=conditions,
            legal_basis="<ul>" + "".join(f"<li>{x}</li>" for x in legal.splitlines()) + "</ul>",
            online_level=_ONLINE[online],
            online_url=ONLINE_URL.format(code=code) if online != "-" else "",
            published=True,
        )
        data.channels.append(services.ChannelData("in-person", time or in_person, fee))
        if online != "-" and online_fee is not None:
            data.channels.append(services.ChannelData("online", time or in_person, online_fee))
        if post:
            data.channels.append(services.ChannelData("post", time or in_person, fee))
        files = services.FileChanges()
        for index, entry in enumerate(components):
            title = entry.lstrip("*~")
            copy = entry.startswith("~")
            data.components.append(services.ComponentData(title, int(not copy), int(copy)))
            if entry.startswith("*"):
                files.uploads[index] = FileStorage(
                    io.BytesIO(_docx(title)), filename=f"Mẫu – {title}.docx"
                )
        services.create_procedure(data, actor=None, files=files)
        added += 1
    return f"Procedures: {added} added." if added else ""
