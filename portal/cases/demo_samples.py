"""The demo cases (demo.py plays them): about 35 fictitious cases of a provincial Department of
Finance, each with the steps it went through, counted in working days before today.

Names are marked "(mẫu)", addresses "(địa chỉ mẫu)", document numbers "(số hiệu mẫu)";
e-mails are at example.vn. Unit names are those of the contacts demo; a step that needs a
unit the database lacks is skipped.
"""

from dataclasses import dataclass, field

from portal.cases.identity import Identity
from portal.cases.models import Channel, Complexity

AUTHORITY = "Giám đốc Sở Tài chính"
U_BUDGET = "Phòng Quản lý ngân sách"
U_INVESTMENT = "Phòng Quản lý đầu tư"
U_PRICES = "Phòng Quản lý giá – Công sản"
U_REGISTRATION = "Phòng Đăng ký kinh doanh"
U_OFFICE = "Văn phòng Sở"


@dataclass(frozen=True)
class Step:
    action: str
    days: int  # working days before today
    options: dict = field(default_factory=dict)


def at(days: int, action: str, **options) -> Step:
    return Step(action, days, options)


@dataclass(frozen=True)
class Visit:
    """A reception logbook entry: the visit a case came from, or guidance only (`days`)."""

    visitors: str
    subject: str
    outcome: str
    people: int = 1
    days: int = 0


@dataclass(frozen=True)
class Sample:
    key: str
    kind: str
    topic: str
    title: str
    description: str
    received: int  # working days before today
    who: Identity | None  # None: anonymous
    steps: tuple[Step, ...] = ()
    channel: str = Channel.WEB
    place: str = ""
    decision: str = ""  # complaints: the decision or act complained about
    known_days: int = 20  # complaints: calendar days from learning of it to sending
    procedure: str = ""  # code of the procedure concerned
    concerned: str = ""  # name of the unit concerned
    letter: bool = False  # a post case: the scanned letter
    visit: Visit | None = None
    showcase: bool = False
    consent: bool = False  # the submitter consented to publishing the question and answer


def _person(name: str, email: str, place: str, phone: str) -> Identity:
    return Identity(
        name=f"{name} (mẫu)",
        address=f"{place}, tỉnh Lạng Sơn (địa chỉ mẫu)",
        phone=phone,
        email=f"{email}@example.vn",
    )


P_A = _person(
    "Nguyễn Văn A", "nguyenvana", "Số 12 đường Bà Triệu, phường Đông Kinh", "+84912000101"
)
P_B = _person("Trần Thị B", "tranthib", "Thôn Nà Cạn, xã Cao Lộc", "+84912000102")
P_C = _person("Lê Văn C", "levanc", "Số 5 đường Lê Lợi, phường Lương Văn Tri", "+84912000103")
P_D = _person("Phạm Thị D", "phamthid", "Thôn Khòn Pát, xã Chi Lăng", "+84912000104")
P_E = _person("Hoàng Văn E", "hoangvane", "Khu phố 3, xã Đồng Đăng", "+84912000105")
P_G = _person("Vũ Thị G", "vuthig", "Thôn Pác Cáp, xã Bắc Sơn", "+84912000106")
P_H = _person(
    "Đặng Văn H", "dangvanh", "Số 20 đường Trần Đăng Ninh, phường Tam Thanh", "+84912000107"
)
P_K = _person("Bùi Thị K", "buithik", "Thôn Bản Chành, xã Lộc Bình", "+84912000108")
P_L = _person("Đỗ Văn L", "dovanl", "Thôn Nà Lầu, xã Văn Quan", "+84912000109")
P_M = _person("Hồ Thị M", "hothim", "Số 8 đường Nguyễn Du, phường Kỳ Lừa", "+84912000110")
P_N = _person("Ngô Văn N", "ngovann", "Thôn Pò Mã, xã Tràng Định", "+84912000111")
P_P = _person("Dương Thị P", "duongthip", "Thôn Đồng Tân, xã Hữu Lũng", "+84912000112")
P_Q = _person("Lý Văn Q", "lyvanq", "Thôn Bình Độ, xã Đình Lập", "+84912000113")
P_S = _person("Nông Văn S", "nongvans", "Số 3 đường Hùng Vương, phường Đông Kinh", "+84912000114")
P_T = _person("Lục Thị T", "lucthit", "Thôn Nà Pàn, xã Chi Lăng", "+84912000115")
P_V = _person("Triệu Thị V", "trieuthiv", "Thôn Khuổi Khỉn, xã Bình Gia", "+84912000116")
P_X = _person("Mã Văn X", "mavanx", "Số 41 đường Bắc Sơn, phường Tam Thanh", "+84912000117")
P_Y = _person("Chu Thị Y", "chuthiy", "Thôn Nà Sla, xã Na Sầm", "+84912000118")
P_R = _person("Vi Văn R", "vivanr", "Thôn Bản Loóng, xã Lộc Bình", "+84912000119")
CO_EQUIPMENT = Identity(
    name="Công ty TNHH Thiết bị Giáo dục Mẫu (mẫu)",
    address="Số 90 đường Lê Đại Hành, phường Đông Kinh, tỉnh Lạng Sơn (địa chỉ mẫu)",
    phone="+842053999001",
    email="thietbimau@example.vn",
)
CO_BUILDING = Identity(
    name="Công ty cổ phần Xây dựng Mẫu Lạng Sơn (mẫu)",
    address="Số 15 đường Tam Thanh, phường Tam Thanh, tỉnh Lạng Sơn (địa chỉ mẫu)",
    phone="+842053999002",
    email="xaydungmau@example.vn",
)

# The usual course of a case, as steps (working days before today).


def _triage(classified: int, accepted: int) -> tuple[Step, ...]:
    return (at(classified, "classify"), at(accepted, "accept"))


def _assigned(classified: int, accepted: int, assigned: int, **to) -> tuple[Step, ...]:
    return (*_triage(classified, accepted), at(assigned, "assign", **to))


ANSWER = "answered"

SAMPLES: tuple[Sample, ...] = (
    # --- Ended: closed, responded ------------------------------------------------------------
    Sample(
        "tham-tra-quyet-toan",
        "petition",
        "procedure",
        "Kiến nghị rút ngắn thời gian thẩm tra quyết toán dự án hoàn thành",
        "Doanh nghiệp chúng tôi nộp hồ sơ quyết toán dự án đường giao thông nông thôn thôn "
        "Nà Cạn đã hơn hai tháng nhưng chưa nhận được kết quả thẩm tra. Đề nghị Sở công bố rõ "
        "thời gian thẩm tra đối với từng nhóm dự án và cho biết tiến độ hồ sơ của doanh nghiệp.",
        80,
        CO_BUILDING,
        (
            *_assigned(78, 75, 74),
            at(70, "verify"),
            at(
                62,
                "draft",
                outcome=ANSWER,
                text="Hồ sơ quyết toán của Công ty đã được thẩm "
                "tra xong; thời gian thẩm tra từng nhóm dự án được công khai tại mục Thủ tục "
                "hành chính trên Cổng thông tin của Sở.",
            ),
            at(61, "approve"),
            at(60, "publish"),
            at(55, "close"),
        ),
        concerned=U_INVESTMENT,
        consent=True,
    ),
    Sample(
        "xe-cong",
        "denunciation",
        "staff-conduct",
        "Tố cáo việc sử dụng xe ô tô công vào việc riêng",
        "Nhiều lần vào ngày nghỉ cuối tuần, tôi thấy xe ô tô biển số 12A-000.00 (biển số mẫu) "
        "của một đơn vị thuộc Sở đỗ tại khu du lịch Mẫu Sơn, chở người nhà của cán bộ. Đề nghị "
        "Sở xác minh và xử lý theo quy định về quản lý, sử dụng tài sản công.",
        60,
        P_D,
        (
            *_assigned(58, 56, 55),
            at(50, "verify"),
            at(
                40,
                "draft",
                outcome="rejected",
                text="Qua xác minh nhật trình và lệnh điều xe, "
                "các chuyến đi nêu trong đơn là chuyến công tác có lệnh điều xe hợp lệ.",
            ),
            at(39, "approve"),
            at(38, "publish"),
            at(35, "close"),
        ),
        place="Khu du lịch Mẫu Sơn",
        concerned=U_OFFICE,
    ),
    Sample(
        "hoan-tra-ky-quy",
        "complaint",
        "public-finance",
        "Khiếu nại việc chậm hoàn trả tiền ký quỹ bảo đảm thực hiện dự án đầu tư",
        "Công ty đã hoàn thành đầu tư xây dựng nhà xưởng đúng tiến độ cam kết nhưng đến nay "
        "vẫn chưa được hoàn trả tiền ký quỹ. Công ty đề nghị Sở xem xét, hoàn trả tiền ký quỹ "
        "và tiền lãi phát sinh theo quy định.",
        70,
        CO_BUILDING,
        (
            *_assigned(68, 65, 64),
            at(60, "verify"),
            at(
                58,
                "message",
                body="Đề nghị Công ty bổ sung bản sao biên bản nghiệm thu hoàn "
                "thành công trình để Sở có căn cứ xem xét việc hoàn trả tiền ký quỹ.",
            ),
            at(55, "reply", body="Công ty đã gửi bản sao biên bản nghiệm thu qua bưu điện."),
            at(
                40,
                "draft",
                outcome="partly-upheld",
                text="Sở hoàn trả tiền ký quỹ; không "
                "có căn cứ chi trả tiền lãi vì thỏa thuận ký quỹ không quy định.",
            ),
            at(38, "approve"),
            at(37, "publish"),
            at(35, "rate", rating=4, solved=True, comment="Đã được hoàn trả tiền ký quỹ."),
            at(33, "close"),
        ),
        channel=Channel.POST,
        decision="Công văn số 123/STC-QLĐT (số hiệu mẫu) về việc chưa hoàn trả tiền ký quỹ",
        concerned=U_INVESTMENT,
        letter=True,
    ),
    Sample(
        "loi-tra-cuu",
        "reflection",
        "procedure",
        "Phản ánh trang tra cứu hồ sơ trên Cổng thông tin thường xuyên báo lỗi",
        "Trong tuần qua tôi nhiều lần tra cứu tình trạng hồ sơ đăng ký doanh nghiệp nhưng trang "
        "tra cứu báo lỗi, phải thử lại nhiều lần mới xem được.",
        45,
        P_E,
        (
            *_assigned(44, 42, 42),
            at(40, "verify"),
            at(
                32,
                "draft",
                outcome=ANSWER,
                text="Lỗi do đường truyền của nhà cung cấp dịch "
                "vụ; Sở đã khắc phục và theo dõi hoạt động của trang tra cứu.",
            ),
            at(31, "approve"),
            at(30, "publish"),
            at(28, "close"),
        ),
        consent=True,
    ),
    Sample(
        "le-phi-bieu-mau",
        "reflection",
        "procedure",
        "Phản ánh biểu mẫu hướng dẫn ghi sai mức lệ phí đăng ký doanh nghiệp",
        "Trang hướng dẫn thủ tục đăng ký thành lập doanh nghiệp tư nhân ghi mức lệ phí "
        "100.000 đồng, trong khi tại Bộ phận Một cửa tôi được thông báo mức khác. Đề nghị Sở "
        "kiểm tra và cập nhật thông tin cho thống nhất.",
        25,
        P_A,
        (
            *_assigned(24, 22, 21),
            at(20, "verify"),
            at(
                12,
                "draft",
                outcome=ANSWER,
                document=True,
                text="Mức lệ phí trên trang hướng "
                "dẫn đã được cập nhật theo biểu phí hiện hành; Bộ phận Một cửa đã được nhắc "
                "thông báo đúng mức lệ phí cho người nộp hồ sơ.",
            ),
            at(11, "approve"),
            at(10, "publish"),
        ),
        procedure="1.000948.H38",
        concerned=U_REGISTRATION,
        showcase=True,
        consent=True,
    ),
    Sample(
        "may-lay-so",
        "petition",
        "procedure",
        "Kiến nghị bố trí thêm ghế chờ và máy lấy số thứ tự tại Bộ phận Một cửa",
        "Vào các buổi sáng đầu tuần, người dân đến nộp hồ sơ phải đứng chờ lâu vì thiếu ghế và "
        "không có số thứ tự. Kiến nghị Sở bố trí thêm ghế chờ và máy lấy số.",
        28,
        P_B,
        (
            *_assigned(27, 25, 24),
            at(
                14,
                "draft",
                outcome=ANSWER,
                text="Sở đã lắp đặt máy lấy số thứ tự và bổ sung "
                "10 ghế chờ tại Bộ phận Một cửa từ tuần này.",
            ),
            at(13, "approve"),
            at(12, "publish"),
            at(10, "rate", rating=5, solved=True, comment="Sở trả lời rõ ràng, đã có máy lấy số."),
        ),
        concerned=U_OFFICE,
        consent=True,
    ),
    Sample(
        "gia-khoi-diem",
        "complaint",
        "public-finance",
        "Khiếu nại việc xác định giá khởi điểm đấu giá quyền sử dụng đất",
        "Giá khởi điểm của các thửa đất giáp đường chính tại khu dân cư Phai Luông được xác "
        "định thấp hơn nhiều so với giá thị trường, làm ảnh hưởng đến quyền lợi của các hộ đã "
        "góp đất làm đường. Đề nghị Sở xem xét lại.",
        33,
        P_C,
        (
            *_assigned(32, 28, 27),
            at(25, "verify"),
            at(
                4,
                "draft",
                outcome="partly-upheld",
                text="Giá khởi điểm của 03 thửa đất giáp "
                "đường chính được xác định lại theo chứng thư thẩm định giá bổ sung; các nội "
                "dung khác giữ nguyên.",
            ),
            at(2, "approve"),
            at(
                0,
                "publish",
                decision=(
                    "QUYẾT ĐỊNH về việc giải quyết khiếu nại (lần đầu)\n\n"
                    "Giám đốc Sở Tài chính giải quyết khiếu nại đối với Quyết định số 45/QĐ-STC "
                    "(số hiệu mẫu) phê duyệt giá khởi điểm đấu giá quyền sử dụng đất tại khu dân "
                    "cư Phai Luông.\n\n"
                    "Kết luận: nội dung khiếu nại đúng một phần. Giá khởi điểm của 03 thửa đất giáp "
                    "đường chính được xác định lại theo chứng thư thẩm định giá bổ sung; các nội "
                    "dung khác giữ nguyên.\n\n"
                    "Quyết định có hiệu lực kể từ ngày ký. (Văn bản mẫu: thông tin cá nhân đã được "
                    "lược bỏ.)"
                ),
            ),
        ),
        place="Khu dân cư Phai Luông, phường Đông Kinh",
        decision="Quyết định số 45/QĐ-STC (số hiệu mẫu) phê duyệt giá khởi điểm đấu giá "
        "quyền sử dụng đất tại khu dân cư Phai Luông",
        concerned=U_PRICES,
    ),
    # --- Awaiting publication or approval ----------------------------------------------------
    Sample(
        "thanh-toan-nha-van-hoa",
        "reflection",
        "public-finance",
        "Phản ánh việc chậm thanh toán khối lượng hoàn thành công trình nhà văn hóa thôn",
        "Công trình nhà văn hóa thôn Pác Cáp đã nghiệm thu từ quý trước nhưng nhà thầu chưa "
        "được thanh toán phần khối lượng hoàn thành, công nhân chưa được trả lương.",
        18,
        P_G,
        (
            *_assigned(17, 14, 14),
            at(12, "verify"),
            at(
                5,
                "draft",
                outcome=ANSWER,
                text="Hồ sơ đề nghị thanh toán đã được Kho bạc "
                "kiểm soát; Sở đã đề nghị chủ đầu tư hoàn tất thủ tục thanh toán trong tháng.",
            ),
            at(2, "approve"),
        ),
        channel=Channel.EMAIL,
        place="Thôn Pác Cáp, xã Bắc Sơn",
        concerned=U_BUDGET,
    ),
    Sample(
        "cong-khai-gia-dat",
        "petition",
        "policy",
        "Kiến nghị công khai kết quả thẩm định giá đất cụ thể",
        "Đề nghị Sở công khai trên Cổng thông tin kết quả thẩm định giá đất cụ thể của các dự "
        "án thu hồi đất để người dân theo dõi, so sánh.",
        20,
        P_H,
        (
            *_assigned(19, 15, 14),
            at(12, "verify"),
            at(
                6,
                "draft",
                outcome=ANSWER,
                text="Kết quả thẩm định giá đất cụ thể được công "
                "khai cùng quyết định phê duyệt giá đất tại mục Ngân sách – Giá.",
            ),
            at(5, "return", note="Bổ sung căn cứ pháp lý về việc công khai giá đất."),
            at(
                2,
                "redraft",
                text="Theo quy định của pháp luật về đất đai, quyết định phê duyệt "
                "giá đất cụ thể được công khai; Sở sẽ đăng kết quả thẩm định cùng quyết định.",
            ),
        ),
        concerned=U_PRICES,
    ),
    Sample(
        "chi-phi-tu-van",
        "complaint",
        "public-finance",
        "Khiếu nại việc không chấp nhận chi phí tư vấn lập báo cáo kinh tế – kỹ thuật",
        "Trong thông báo kết quả thẩm tra quyết toán, Sở loại bỏ toàn bộ chi phí tư vấn lập "
        "báo cáo kinh tế – kỹ thuật với lý do vượt định mức, trong khi hợp đồng đã được chủ "
        "đầu tư phê duyệt. Công ty đề nghị Sở xem xét lại.",
        30,
        CO_BUILDING,
        (
            *_assigned(29, 27, 26),
            at(24, "verify"),
            at(
                3,
                "draft",
                outcome="rejected",
                text="Chi phí tư vấn vượt định mức được xác "
                "định theo quy định hiện hành; đề nghị Công ty làm việc với chủ đầu tư.",
            ),
        ),
        decision="Thông báo kết quả thẩm tra quyết toán số 78/TB-STC (số hiệu mẫu)",
        concerned=U_INVESTMENT,
    ),
    # --- Verifying ---------------------------------------------------------------------------
    Sample(
        "ho-tro-lai-suat",
        "complaint",
        "public-finance",
        "Khiếu nại việc thu hồi khoản hỗ trợ lãi suất vay vốn sản xuất kinh doanh",
        "Tôi được hỗ trợ lãi suất vay vốn phát triển chăn nuôi năm 2025 nhưng nay bị yêu cầu "
        "nộp trả toàn bộ với lý do hồ sơ không đủ điều kiện. Tôi đã trả nợ đúng hạn và không "
        "được giải thích cụ thể điều kiện nào chưa đáp ứng.",
        36,
        P_K,
        (
            *_assigned(35, 32, 31),
            at(28, "verify"),
            at(
                20,
                "message",
                body="Để giải quyết khiếu nại, đề nghị Ông/Bà cung cấp bản sao "
                "hợp đồng vay vốn và chứng từ trả lãi năm 2025. Ông/Bà có thể trả lời ngay trên "
                "trang tra cứu hồ sơ.",
            ),
            at(18, "reply", body="Tôi đã gửi bản sao hợp đồng vay vốn qua bưu điện hôm nay."),
            at(
                17,
                "note",
                note="Đã nhận bản sao hợp đồng qua bưu điện; đối chiếu với danh "
                "sách hỗ trợ của Phòng Quản lý ngân sách.",
            ),
        ),
        place="Thôn Bản Chành, xã Lộc Bình",
        decision="Quyết định số 210/QĐ-STC (số hiệu mẫu) về việc thu hồi kinh phí hỗ trợ lãi suất",
        concerned=U_BUDGET,
        showcase=True,
    ),
    Sample(
        "tham-dinh-gia-vu-loi",
        "denunciation",
        "harassment",
        "Tố cáo cán bộ thẩm định giá có dấu hiệu vụ lợi khi thẩm định giá thiết bị mua sắm",
        "Tôi tố cáo một cán bộ thẩm định giá đã gợi ý doanh nghiệp nâng giá thiết bị trong hồ "
        "sơ thẩm định để hưởng chênh lệch. Tôi có ghi âm cuộc trao đổi và ảnh chụp tin nhắn, "
        "sẵn sàng cung cấp khi được yêu cầu.",
        30,
        P_S,
        (
            *_assigned(29, 25, 24),
            at(20, "verify"),
            at(12, "complexity", level=Complexity.COMPLEX),
            at(
                11,
                "note",
                note="Cần xác minh tại 02 doanh nghiệp cung cấp thiết bị và trưng "
                "cầu giám định giá độc lập.",
            ),
            at(
                8,
                "extend",
                reason="Vụ việc phức tạp: phải xác minh tại nhiều doanh nghiệp và "
                "chờ kết quả giám định giá độc lập.",
            ),
        ),
        concerned=U_PRICES,
        showcase=True,
    ),
    Sample(
        "phi-trong-giu-xe",
        "reflection",
        "public-finance",
        "Phản ánh việc thu tiền trông giữ xe cao hơn mức giá quy định tại bệnh viện",
        "Bãi trông giữ xe của bệnh viện đa khoa tỉnh thu 10.000 đồng mỗi lượt xe máy ban ngày, "
        "cao hơn mức giá do tỉnh quy định, và không niêm yết giá tại cổng.",
        15,
        P_L,
        (*_assigned(14, 12, 11, to="head"), at(10, "verify")),
        place="Bệnh viện đa khoa tỉnh, phường Tam Thanh",
        concerned=U_PRICES,
    ),
    Sample(
        "mot-cua-an-danh",
        "reflection",
        "harassment",
        "Phản ánh cán bộ Bộ phận Một cửa yêu cầu giấy tờ ngoài quy định (thông tin ẩn danh)",
        "Người gọi không cho biết họ tên. Khi nộp hồ sơ đăng ký doanh nghiệp, cán bộ tiếp nhận "
        "yêu cầu nộp thêm bản sao có chứng thực giấy tờ không có trong thành phần hồ sơ và gợi "
        "ý nộp thêm phí dịch vụ để làm nhanh. Sự việc xảy ra khoảng 9 giờ sáng thứ Ba tuần "
        "trước.",
        9,
        None,
        (*_assigned(8, 6, 6), at(5, "verify")),
        channel=Channel.HOTLINE,
        concerned=U_REGISTRATION,
    ),
    # --- Assigned ----------------------------------------------------------------------------
    Sample(
        "tien-cham-nop",
        "complaint",
        "public-finance",
        "Khiếu nại việc tính tiền chậm nộp tiền sử dụng đất",
        "Thông báo nộp tiền sử dụng đất tính tiền chậm nộp từ ngày tôi nộp hồ sơ, trong khi "
        "việc xác định giá đất bị chậm là do cơ quan nhà nước. Đề nghị Sở xem xét lại khoản "
        "tiền chậm nộp.",
        45,
        P_M,
        _assigned(43, 38, 37),
        decision="Thông báo nộp tiền sử dụng đất số 56/TB (số hiệu mẫu) có khoản tiền chậm nộp",
        concerned=U_PRICES,
    ),
    Sample(
        "giai-ngan-ho-tro",
        "reflection",
        "public-finance",
        "Phản ánh việc chậm giải ngân kinh phí hỗ trợ phát triển sản xuất nông nghiệp",
        "Hợp tác xã đã được phê duyệt hỗ trợ kinh phí mua giống cây ăn quả từ đầu năm nhưng đến "
        "nay chưa được giải ngân, làm lỡ mùa vụ của các hộ thành viên.",
        22,
        P_N,
        _assigned(20, 17, 16),
        place="Thôn Pò Mã, xã Tràng Định",
        concerned=U_BUDGET,
    ),
    Sample(
        "giai-ngan-ho-tro-lan-2",
        "reflection",
        "public-finance",
        "Phản ánh việc chậm giải ngân kinh phí hỗ trợ sản xuất (gửi lại)",
        "Tôi gửi lại phản ánh: hợp tác xã đã được phê duyệt hỗ trợ kinh phí mua giống cây ăn "
        "quả từ đầu năm nhưng đến nay chưa được giải ngân.",
        17,
        P_N,
        (at(15, "merge", into="giai-ngan-ho-tro", note="Cùng người gửi, cùng nội dung."),),
        place="Thôn Pò Mã, xã Tràng Định",
    ),
    Sample(
        "tham-dinh-gia-thanh-ly",
        "reflection",
        "procedure",
        "Phản ánh thời gian chờ thẩm định giá tài sản thanh lý kéo dài",
        "Trường tiểu học đã gửi hồ sơ đề nghị thẩm định giá tài sản thanh lý hơn một tháng "
        "nhưng chưa có kết quả, làm chậm việc thanh lý và giải phóng mặt bằng xây phòng học.",
        18,
        P_P,
        _assigned(16, 13, 12),
        concerned=U_PRICES,
    ),
    Sample(
        "tam-ngung-ho-kinh-doanh",
        "petition",
        "procedure",
        "Kiến nghị hướng dẫn rõ thủ tục tạm ngừng hoạt động hộ kinh doanh",
        "Người gọi kiến nghị hướng dẫn rõ nơi nộp hồ sơ tạm ngừng hoạt động hộ kinh doanh sau "
        "khi sắp xếp đơn vị hành chính, vì trang thủ tục và Bộ phận Một cửa hướng dẫn khác nhau.",
        16,
        P_Q,
        _assigned(15, 12, 12),
        channel=Channel.HOTLINE,
        procedure="2.000583.H38",
        concerned=U_REGISTRATION,
    ),
    Sample(
        "goi-thau-thiet-bi",
        "complaint",
        "public-finance",
        "Khiếu nại kết quả lựa chọn nhà thầu gói thầu mua sắm tập trung thiết bị dạy học",
        "Hồ sơ dự thầu của Công ty bị đánh giá không đạt tiêu chí kỹ thuật số 3 dù thiết bị "
        "chào thầu có thông số cao hơn yêu cầu. Công ty đề nghị xem xét lại kết quả đánh giá.",
        12,
        CO_EQUIPMENT,
        (
            *_assigned(10, 8, 7),
            at(
                3,
                "consult",
                unit=U_INVESTMENT,
                question="Đề nghị Phòng "
                "cho ý kiến về việc đánh giá tiêu chí kỹ thuật số 3 của hồ sơ dự thầu.",
            ),
        ),
        decision="Quyết định số 89/QĐ-STC (số hiệu mẫu) phê duyệt kết quả lựa chọn nhà thầu",
        known_days=5,
        concerned=U_INVESTMENT,
    ),
    # --- Accepted, not yet assigned ----------------------------------------------------------
    Sample(
        "xu-phat-niem-yet-gia",
        "complaint",
        "public-finance",
        "Khiếu nại quyết định xử phạt vi phạm hành chính về không niêm yết giá",
        "Cửa hàng của tôi có niêm yết giá nhưng bảng giá bị che khuất trong lúc sắp xếp hàng. "
        "Tôi đề nghị xem xét giảm mức phạt vì đây là lần đầu và đã khắc phục ngay.",
        12,
        P_R,
        _triage(10, 4),
        decision="Quyết định xử phạt vi phạm hành chính số 17/QĐ-XPHC (số hiệu mẫu)",
        concerned=U_PRICES,
    ),
    Sample(
        "don-gia-cay-trong",
        "petition",
        "policy",
        "Kiến nghị điều chỉnh đơn giá bồi thường cây trồng khi Nhà nước thu hồi đất",
        "Đơn giá bồi thường cây hồi, cây quế hiện hành thấp hơn nhiều so với giá trị thực tế. "
        "Kiến nghị Sở tham mưu điều chỉnh đơn giá cho phù hợp.",
        10,
        P_V,
        _triage(8, 3),
        channel=Channel.EMAIL,
        concerned=U_PRICES,
    ),
    # --- Classified --------------------------------------------------------------------------
    Sample(
        "mau-bieu-quyet-toan-xa",
        "petition",
        "policy",
        "Kiến nghị ban hành mẫu biểu quyết toán vốn đầu tư công dùng cho cấp xã",
        "Sau khi sắp xếp đơn vị hành chính, cán bộ kế toán xã lúng túng khi lập hồ sơ quyết "
        "toán. Kiến nghị Sở ban hành mẫu biểu và hướng dẫn thống nhất.",
        6,
        P_T,
        (at(4, "classify"),),
        concerned=U_INVESTMENT,
    ),
    Sample(
        "thu-hoi-dang-ky-doanh-nghiep",
        "complaint",
        "procedure",
        "Khiếu nại quyết định thu hồi Giấy chứng nhận đăng ký doanh nghiệp",
        "Công ty bị thu hồi Giấy chứng nhận đăng ký doanh nghiệp với lý do không hoạt động tại "
        "địa chỉ đăng ký, trong khi Công ty đã thông báo thay đổi địa chỉ trụ sở.",
        9,
        P_X,
        (at(7, "classify"),),
        channel=Channel.RECEPTION,
        decision="Quyết định số 15/QĐ-ĐKKD (số hiệu mẫu) thu hồi Giấy chứng nhận đăng ký "
        "doanh nghiệp",
        known_days=12,
        concerned=U_REGISTRATION,
        visit=Visit(
            visitors="Mã Văn X (mẫu), giám đốc công ty (mẫu)",
            subject="Khiếu nại quyết định thu hồi Giấy chứng nhận đăng ký doanh nghiệp.",
            outcome="Tiếp nhận đơn khiếu nại, vào sổ; hướng dẫn bổ sung bản sao quyết định bị "
            "khiếu nại và thông báo thay đổi địa chỉ trụ sở.",
        ),
    ),
    Sample(
        "thu-phi-hai-lan",
        "complaint",
        "procedure",
        "Cổng thanh toán trực tuyến thu phí hai lần cho một hồ sơ",
        "Khi nộp phí cung cấp thông tin doanh nghiệp trực tuyến, tài khoản của tôi bị trừ tiền "
        "hai lần cho cùng một hồ sơ. Đề nghị hoàn lại khoản thu thừa.",
        3,
        P_Y,
        (
            at(
                2,
                "classify",
                kind="reflection",
                note="Không phải khiếu nại quyết định hành chính: xử lý như phản ánh.",
            ),
        ),
        decision="Việc thu phí hai lần qua cổng thanh toán trực tuyến",
        known_days=2,
        concerned=U_REGISTRATION,
    ),
    # --- Received ----------------------------------------------------------------------------
    Sample(
        "thay-doi-dia-chi",
        "reflection",
        "procedure",
        "Phản ánh chậm trả kết quả đăng ký thay đổi địa chỉ trụ sở chính",
        "Tôi nộp hồ sơ đăng ký thay đổi địa chỉ trụ sở chính của doanh nghiệp trực tuyến, "
        "giấy biên nhận hẹn trả kết quả sau 3 ngày làm việc nhưng đã hơn hai tuần chưa có kết "
        "quả.",
        14,
        P_A,
        procedure="2.001610.H38",
        concerned=U_REGISTRATION,
    ),
    Sample(
        "du-toan-ngan-sach-xa",
        "petition",
        "public-finance",
        "Kiến nghị công khai chi tiết dự toán ngân sách xã trên Cổng thông tin",
        "Đề nghị Sở hướng dẫn các xã công khai chi tiết dự toán và quyết toán ngân sách hằng "
        "năm trên Cổng thông tin của tỉnh để người dân dễ theo dõi.",
        8,
        P_B,
        concerned=U_BUDGET,
    ),
    Sample(
        "tien-su-dung-dat",
        "complaint",
        "public-finance",
        "Khiếu nại thông báo nộp tiền sử dụng đất khi chuyển mục đích sử dụng đất",
        "Tôi được phép chuyển mục đích 100 m² đất vườn sang đất ở nhưng số tiền sử dụng đất "
        "phải nộp được tính theo giá đất của vị trí mặt đường, trong khi thửa đất nằm trong "
        "ngõ.",
        2,
        P_E,
        channel=Channel.POST,
        decision="Thông báo nộp tiền sử dụng đất số 88/TB (số hiệu mẫu)",
        known_days=15,
        concerned=U_PRICES,
        letter=True,
    ),
    Sample(
        "dim-gia-dau-gia",
        "denunciation",
        "harassment",
        "Tố cáo việc thông đồng, dìm giá khi đấu giá xe ô tô công thanh lý",
        "Tại cuộc đấu giá xe ô tô thanh lý tháng trước, các người tham gia đấu giá đều là người "
        "quen của nhau và trả giá bằng giá khởi điểm. Tôi đề nghị kiểm tra lại cuộc đấu giá.",
        5,
        P_G,
        concerned=U_PRICES,
    ),
    Sample(
        "phu-cap-thon",
        "reflection",
        "public-finance",
        "Phản ánh việc chậm chi trả phụ cấp cho người hoạt động không chuyên trách ở thôn",
        "Người gọi phản ánh: phụ cấp của trưởng thôn và công an viên ở thôn chưa được chi trả "
        "hai tháng nay.",
        1,
        P_D,
        channel=Channel.HOTLINE,
        place="Thôn Khòn Pát, xã Chi Lăng",
        concerned=U_BUDGET,
    ),
    Sample(
        "tai-bieu-mau",
        "reflection",
        "procedure",
        "Không tải được biểu mẫu tờ khai trên trang thủ tục hành chính",
        "Nút tải biểu mẫu giấy đề nghị đăng ký doanh nghiệp không hoạt động trên điện thoại.",
        0,
        P_H,
        procedure="1.000948.H38",
    ),
    # --- Not accepted, transferred, withdrawn --------------------------------------------------
    Sample(
        "boi-thuong-2019",
        "complaint",
        "public-finance",
        "Khiếu nại phương án bồi thường, hỗ trợ khi thu hồi đất năm 2019",
        "Tôi không đồng ý với mức bồi thường đất nông nghiệp trong phương án được phê duyệt năm "
        "2019 và đề nghị được tính lại theo giá đất hiện nay.",
        15,
        P_K,
        (
            at(13, "classify", processable=False),
            at(
                10,
                "not-accept",
                reason="not-within-time-limit",
                note="Ông/Bà biết quyết định từ năm 2019; đơn gửi sau thời hiệu 90 ngày.",
            ),
        ),
        decision="Quyết định phê duyệt phương án bồi thường, hỗ trợ năm 2019 (số hiệu mẫu)",
        known_days=2400,
    ),
    Sample(
        "to-cao-chung-chung",
        "denunciation",
        "staff-conduct",
        "Tố cáo cán bộ của Sở có biểu hiện tiêu cực",
        "Tôi nghe nói có cán bộ của Sở nhận quà của doanh nghiệp. Đề nghị Sở kiểm tra.",
        12,
        P_M,
        (
            at(11, "classify", processable=False),
            at(
                9,
                "not-accept",
                reason="not-enough-information",
                note="Đơn không nêu người bị "
                "tố cáo, hành vi và thời gian cụ thể; Ông/Bà có thể gửi lại đơn với thông tin "
                "cụ thể.",
            ),
        ),
    ),
    Sample(
        "xu-phat-thue",
        "complaint",
        "public-finance",
        "Khiếu nại quyết định xử phạt vi phạm hành chính về thuế đối với hộ kinh doanh",
        "Hộ kinh doanh của tôi bị xử phạt vì chậm nộp tờ khai thuế quý, trong khi tờ khai đã "
        "được gửi qua mạng đúng hạn.",
        10,
        P_T,
        (
            at(8, "classify", competent=False, authority="Trưởng Thuế tỉnh Lạng Sơn"),
            at(
                6,
                "transfer",
                to="Thuế tỉnh Lạng Sơn",
                note="Chuyển đơn đến cơ quan có thẩm quyền giải quyết.",
            ),
        ),
        decision="Quyết định xử phạt vi phạm hành chính về thuế (số hiệu mẫu)",
        known_days=10,
    ),
    Sample(
        "cap-lai-dang-ky",
        "complaint",
        "procedure",
        "Khiếu nại việc từ chối cấp lại Giấy chứng nhận đăng ký doanh nghiệp",
        "Hồ sơ đề nghị cấp lại Giấy chứng nhận đăng ký doanh nghiệp bị từ chối mà không nêu rõ "
        "lý do.",
        20,
        P_P,
        (
            *_assigned(18, 15, 14),
            at(
                10,
                "withdraw",
                reason="Công ty đã được hướng dẫn và nộp lại hồ sơ, không còn yêu cầu giải quyết.",
            ),
        ),
        decision="Thông báo từ chối cấp lại Giấy chứng nhận đăng ký doanh nghiệp (số hiệu mẫu)",
        procedure="1.001022.H38",
        concerned=U_REGISTRATION,
    ),
)

# A visit that gave guidance only: no case came of it.
GUIDANCE = Visit(
    visitors="Đại diện 6 hộ dân thôn Khòn Pát, xã Chi Lăng (mẫu)",
    subject="Hỏi tiến độ chi trả tiền bồi thường, hỗ trợ khi thu hồi đất làm đường tránh.",
    outcome="Giải thích việc chi trả thuộc thẩm quyền của Ủy ban nhân dân xã và ban quản lý "
    "dự án; hướng dẫn gửi đơn đến Ủy ban nhân dân xã Chi Lăng. Không phát sinh đơn tại Sở.",
    people=6,
    days=4,
)
