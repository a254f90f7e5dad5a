"""Demo content for the disclosures domain, loaded by `flask demo load` (idempotent by slug).

The obligations of the Law on Access to Information (2016) and Decree 42/2022/ND-CP for the
Lạng Sơn Department of Finance, and a year of believable disclosures in each of them. Numbers,
names and figures are samples. Publication dates are spread over the past months: the services
publish "now", so the loader moves the dates back afterwards (demo history only).
"""

import io
from datetime import UTC, date, datetime, timedelta

from werkzeug.datastructures import FileStorage

from portal.contacts.models import Unit
from portal.core.search import SearchEntry
from portal.core.text import fold, slugify
from portal.core.workdays import local_date
from portal.disclosures import categories as category_services
from portal.disclosures import services
from portal.disclosures.models import (
    Category,
    CommentStatus,
    Disclosure,
    DraftComment,
)
from portal.extensions import db

AGENCY = "Sở Tài chính tỉnh Lạng Sơn"
PORTAL = "Đăng trên Cổng thông tin điện tử của Sở"
PORTAL_EN = "Published on the Department's information portal"
HQ = "Cổng thông tin điện tử; trụ sở Sở Tài chính, số 2 đường Hoàng Văn Thụ (địa chỉ mẫu)"

# slug, name, name_en, description, legal basis, form, place, time, duration
CATEGORIES = (
    (
        "van-ban-phap-luat",
        "Văn bản quy phạm pháp luật, văn bản hành chính",
        "Legal and administrative documents",
        "Văn bản do Sở ban hành hoặc tham mưu ban hành, có loại văn bản, số ký hiệu, ngày "
        "ban hành, ngày hiệu lực, trích yếu và tệp tải về.",
        "Điều 17 khoản 1 điểm a, b Luật Tiếp cận thông tin 2016",
        PORTAL,
        "Cổng thông tin điện tử của Sở",
        "Chậm nhất 5 ngày làm việc kể từ ngày ký ban hành",
        "Trong thời gian văn bản còn hiệu lực",
    ),
    (
        "du-thao-lay-y-kien",
        "Dự thảo văn bản lấy ý kiến",
        "Drafts open for comment",
        "Dự thảo chính sách, văn bản được đăng từ giai đoạn soạn thảo để người dân góp ý, "
        "kèm báo cáo tiếp thu, giải trình sau khi hết hạn góp ý.",
        "Điều 17 khoản 1 điểm c Luật Tiếp cận thông tin 2016; Luật Ban hành văn bản QPPL",
        "Đăng toàn văn dự thảo, nhận góp ý trực tuyến",
        "Cổng thông tin điện tử của Sở",
        "Khi bắt đầu lấy ý kiến, ít nhất 30 ngày trước khi hết hạn góp ý",
        "Đến khi văn bản được ban hành; báo cáo tiếp thu giữ ít nhất 1 năm",
    ),
    (
        "ngan-sach",
        "Dự toán, tình hình thực hiện và quyết toán ngân sách",
        "Budget estimates, execution and final accounts",
        "Dự toán ngân sách được giao, tình hình thực hiện hằng quý, 6 tháng, năm và quyết toán "
        "ngân sách của Sở và các đơn vị trực thuộc.",
        "Luật Ngân sách nhà nước 2015; Thông tư 343/2016/TT-BTC",
        "Đăng trên Cổng thông tin điện tử; niêm yết tại trụ sở",
        HQ,
        "Dự toán: 15 ngày kể từ ngày được giao; thực hiện: 15 ngày sau kỳ báo cáo; quyết "
        "toán: 15 ngày kể từ ngày được phê duyệt",
        "Ít nhất 1 năm",
    ),
    (
        "bien-che-tuyen-dung",
        "Biên chế, tuyển dụng công chức, viên chức",
        "Staffing and recruitment",
        "Chỉ tiêu biên chế được giao, kế hoạch và thông báo tuyển dụng, kết quả tuyển dụng.",
        "Luật Cán bộ, công chức; Nghị định 138/2020/NĐ-CP",
        "Đăng trên Cổng thông tin điện tử; niêm yết tại trụ sở",
        HQ,
        "Thông báo tuyển dụng: ít nhất 30 ngày trước ngày hết hạn nhận hồ sơ",
        "Đến khi có kết quả tuyển dụng",
    ),
    (
        "dau-tu-cong-mua-sam",
        "Đầu tư công, mua sắm công",
        "Public investment and procurement",
        "Kế hoạch đầu tư công, danh mục dự án, kế hoạch lựa chọn nhà thầu và kết quả mua sắm.",
        "Luật Đầu tư công 2024; Luật Đấu thầu 2023",
        PORTAL,
        "Cổng thông tin điện tử của Sở",
        "Chậm nhất 7 ngày làm việc kể từ ngày phê duyệt",
        "Ít nhất 1 năm",
    ),
    (
        "phi-le-phi",
        "Phí, lệ phí",
        "Fees and charges",
        "Mức thu, đối tượng nộp, miễn giảm phí và lệ phí thuộc lĩnh vực quản lý của Sở.",
        "Luật Phí và lệ phí 2015",
        "Đăng trên Cổng thông tin điện tử; niêm yết tại Bộ phận Một cửa",
        "Cổng thông tin điện tử; Bộ phận Một cửa của Sở",
        "Ngay khi văn bản quy định mức thu có hiệu lực",
        "Trong thời gian mức thu còn áp dụng",
    ),
    (
        "chuong-trinh-ke-hoach",
        "Chiến lược, chương trình, kế hoạch",
        "Plans and programmes",
        "Kế hoạch công tác năm, chương trình cải cách hành chính, kế hoạch chuyển đổi số.",
        "Điều 17 khoản 1 điểm d Luật Tiếp cận thông tin 2016",
        PORTAL,
        "Cổng thông tin điện tử của Sở",
        "Chậm nhất 5 ngày làm việc kể từ ngày được phê duyệt",
        "Trong thời gian thực hiện kế hoạch",
    ),
    (
        "ket-luan-thanh-tra",
        "Kết luận thanh tra, kiểm tra",
        "Inspection conclusions",
        "Kết luận thanh tra, kiểm tra thuộc phạm vi quản lý của Sở.",
        "Luật Thanh tra 2022; Nghị định 43/2023/NĐ-CP",
        PORTAL,
        "Cổng thông tin điện tử của Sở",
        "Chậm nhất 15 ngày kể từ ngày ký kết luận",
        "Ít nhất 15 ngày liên tục",
    ),
    (
        "giai-quyet-khieu-nai",
        "Quyết định giải quyết khiếu nại",
        "Complaint decisions",
        "Quyết định giải quyết khiếu nại đã có hiệu lực, đã lược bỏ thông tin cá nhân theo quy "
        "định.",
        "Luật Khiếu nại 2011; Nghị định 124/2020/NĐ-CP",
        "Đăng trên Cổng thông tin điện tử; niêm yết tại trụ sở",
        HQ,
        "Trong 15 ngày kể từ ngày ban hành quyết định",
        "Ít nhất 15 ngày liên tục",
    ),
    (
        "bao-cao-dinh-ky",
        "Báo cáo định kỳ",
        "Periodic reports",
        "Báo cáo 6 tháng (trước ngày 10/7) và báo cáo năm (trước ngày 10/01) về công tác tiếp "
        "công dân, giải quyết khiếu nại, tố cáo, phản ánh, kiến nghị và cải cách hành chính.",
        "Nghị định 42/2022/NĐ-CP; Kế hoạch nâng cao Chỉ số PAPI",
        PORTAL,
        "Cổng thông tin điện tử của Sở",
        "Cùng ngày gửi báo cáo lên UBND tỉnh",
        "Ít nhất 1 năm",
    ),
    (
        "co-cau-to-chuc",
        "Cơ cấu tổ chức, chức năng, nhiệm vụ",
        "Organisation and functions",
        "Quyết định quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở, sơ đồ tổ "
        "chức, địa chỉ, điện thoại, thư điện tử.",
        "Điều 17 khoản 1 điểm đ Luật Tiếp cận thông tin 2016",
        PORTAL,
        "Cổng thông tin điện tử của Sở (có bản tiếng Anh)",
        "Chậm nhất 5 ngày làm việc kể từ khi có thay đổi",
        "Thường xuyên, cập nhật khi có thay đổi",
    ),
)

# Units by the slug the contacts demo gives them (slugify of the name); missing ones are skipped.
U_OFFICE = "van-phong-so"
U_LEGAL = "phong-phap-che-tiep-cong-dan"
U_PLAN = "phong-ke-hoach-tong-hop"
U_BUDGET = "phong-quan-ly-ngan-sach"
U_INVEST = "phong-quan-ly-dau-tu"
U_PRICE = "phong-quan-ly-gia-cong-san"
U_BUSINESS = "phong-dang-ky-kinh-doanh"

# category, title, document type, number/symbol, published (days ago), unit, PAPI, summary
# fmt: off
DISCLOSURES = (
    ("van-ban-phap-luat", "Quyết định ban hành Quy chế làm việc của Sở Tài chính", "Quyết định", "15/QĐ-STC", 300, U_OFFICE, (2,), "Quy chế làm việc quy định nguyên tắc, chế độ trách nhiệm, quan hệ công tác và trình tự giải quyết công việc của Sở sau hợp nhất."),
    ("van-ban-phap-luat", "Quyết định ban hành Quy chế văn hóa công sở", "Quyết định", "42/QĐ-STC", 260, U_OFFICE, (2, 4), "Quy định trang phục, giao tiếp, ứng xử của công chức khi tiếp xúc với người dân và doanh nghiệp."),
    ("van-ban-phap-luat", "Quyết định phân công nhiệm vụ Giám đốc và các Phó Giám đốc Sở", "Quyết định", "88/QĐ-STC", 210, U_OFFICE, (2,), "Phân công lĩnh vực phụ trách, đơn vị theo dõi của từng lãnh đạo Sở."),
    ("van-ban-phap-luat", "Quy chế tiếp nhận, xử lý phản ánh, kiến nghị của người dân và doanh nghiệp", "Quyết định", "131/QĐ-STC", 150, U_LEGAL, (3, 5), "Quy định cách tiếp nhận, phân loại, xử lý và trả lời phản ánh, kiến nghị gửi qua cổng thông tin, đường dây nóng và trực tiếp."),
    ("van-ban-phap-luat", "Chỉ thị về tăng cường kỷ luật, kỷ cương hành chính", "Chỉ thị", "02/CT-STC", 95, U_OFFICE, (4,), "Yêu cầu chấn chỉnh tình trạng nhũng nhiễu, gây phiền hà trong giải quyết thủ tục hành chính."),
    ("du-thao-lay-y-kien", "Dự thảo Quyết định ban hành Quy chế tiếp công dân của Sở Tài chính", "Dự thảo quyết định", "", 5, U_LEGAL, (1, 2, 3), "Dự thảo quy định địa điểm, thời gian, trách nhiệm tiếp công dân thường xuyên và định kỳ của Giám đốc Sở; đề nghị người dân góp ý."),
    ("du-thao-lay-y-kien", "Dự thảo Kế hoạch cải cách hành chính năm 2027", "Dự thảo kế hoạch", "", 75, U_OFFICE, (1, 2, 5), "Dự thảo các nhiệm vụ cải cách thể chế, thủ tục hành chính, tổ chức bộ máy và chuyển đổi số năm 2027."),
    ("du-thao-lay-y-kien", "Dự thảo quy định mức hỗ trợ doanh nghiệp nhỏ và vừa khởi nghiệp", "Dự thảo nghị quyết", "", 120, U_BUSINESS, (1, 2), "Dự thảo nghị quyết của HĐND tỉnh về mức hỗ trợ tư vấn, đào tạo cho doanh nghiệp nhỏ và vừa."),
    ("ngan-sach", "Công khai dự toán ngân sách năm 2026 của Sở Tài chính", "Quyết định", "05/QĐ-STC", 320, U_BUDGET, (2,), "Dự toán thu, chi ngân sách nhà nước năm 2026 được UBND tỉnh giao cho Sở và các đơn vị trực thuộc."),
    ("ngan-sach", "Công khai tình hình thực hiện dự toán ngân sách quý I năm 2026", "Báo cáo", "96/BC-STC", 220, U_BUDGET, (2,), "Số liệu thu, chi ngân sách quý I năm 2026 so với dự toán được giao."),
    ("ngan-sach", "Công khai tình hình thực hiện dự toán ngân sách 6 tháng đầu năm 2026", "Báo cáo", "201/BC-STC", 130, U_BUDGET, (2,), "Tình hình thực hiện thu, chi ngân sách 6 tháng đầu năm 2026 và nhiệm vụ 6 tháng cuối năm."),
    ("ngan-sach", "Công khai quyết toán ngân sách năm 2025", "Quyết định", "178/QĐ-STC", 160, U_BUDGET, (2,), "Quyết toán thu, chi ngân sách năm 2025 của Sở đã được phê duyệt."),
    ("ngan-sach", "Công khai tình hình thực hiện dự toán ngân sách quý III năm 2026", "Báo cáo", "287/BC-STC", 40, U_BUDGET, (2,), "Số liệu thu, chi ngân sách 9 tháng năm 2026."),
    ("bien-che-tuyen-dung", "Thông báo tuyển dụng công chức năm 2026 (đợt 1)", "Thông báo", "35/TB-STC", 240, U_OFFICE, (2, 4), "Chỉ tiêu, điều kiện, hồ sơ và thời gian nhận hồ sơ dự tuyển công chức năm 2026."),
    ("bien-che-tuyen-dung", "Thông báo tuyển dụng công chức năm 2026 (điều chỉnh)", "Thông báo", "41/TB-STC", 225, U_OFFICE, (2, 4), "Thông báo thay thế Thông báo số 35/TB-STC, điều chỉnh chỉ tiêu tuyển dụng theo vị trí việc làm."),
    ("bien-che-tuyen-dung", "Kết quả tuyển dụng công chức năm 2026", "Thông báo", "119/TB-STC", 110, U_OFFICE, (2,), "Danh sách thí sinh trúng tuyển và thời gian nhận quyết định tuyển dụng."),
    ("bien-che-tuyen-dung", "Chỉ tiêu biên chế công chức năm 2026 được giao", "Quyết định", "22/QĐ-STC", 290, U_OFFICE, (2,), "Số lượng biên chế công chức, số lượng người làm việc được UBND tỉnh giao năm 2026."),
    ("dau-tu-cong-mua-sam", "Kế hoạch đầu tư công trung hạn giai đoạn 2026–2030", "Quyết định", "60/QĐ-UBND", 200, U_INVEST, (1, 2), "Danh mục dự án và mức vốn đầu tư công trung hạn giai đoạn 2026–2030 của tỉnh."),
    ("dau-tu-cong-mua-sam", "Kế hoạch lựa chọn nhà thầu mua sắm thiết bị tin học năm 2026", "Quyết định", "140/QĐ-STC", 145, U_PRICE, (2, 4), "Gói thầu, giá gói thầu, hình thức lựa chọn nhà thầu mua sắm máy tính, máy in năm 2026."),
    ("dau-tu-cong-mua-sam", "Kết quả lựa chọn nhà thầu gói thầu mua sắm thiết bị tin học", "Thông báo", "76/TB-STC", 100, U_PRICE, (2, 4), "Tên nhà thầu trúng thầu, giá trúng thầu và thời gian thực hiện hợp đồng."),
    ("dau-tu-cong-mua-sam", "Danh mục dự án kêu gọi đầu tư năm 2026", "Quyết định", "95/QĐ-UBND", 60, U_INVEST, (2,), "Danh mục dự án kêu gọi đầu tư trên địa bàn tỉnh năm 2026."),
    ("phi-le-phi", "Mức thu lệ phí đăng ký doanh nghiệp", "Thông báo", "12/TB-STC", 280, U_BUSINESS, (2, 5), "Mức lệ phí đăng ký doanh nghiệp, phí cung cấp thông tin doanh nghiệp và các trường hợp miễn."),
    ("phi-le-phi", "Miễn lệ phí đăng ký doanh nghiệp khi nộp hồ sơ trực tuyến", "Thông báo", "58/TB-STC", 170, U_BUSINESS, (5, 6), "Hồ sơ đăng ký thành lập doanh nghiệp nộp qua mạng điện tử được miễn lệ phí."),
    ("phi-le-phi", "Mức thu phí thẩm định giá tài sản", "Thông báo", "83/TB-STC", 90, U_PRICE, (2, 5), "Mức thu phí thẩm định giá tài sản công áp dụng từ ngày 01/10/2026."),
    ("chuong-trinh-ke-hoach", "Kế hoạch công tác năm 2026 của Sở Tài chính", "Kế hoạch", "03/KH-STC", 330, U_PLAN, (2,), "Các nhiệm vụ trọng tâm năm 2026 và phân công đơn vị chủ trì."),
    ("chuong-trinh-ke-hoach", "Kế hoạch nâng cao Chỉ số PAPI năm 2026", "Kế hoạch", "18/KH-STC", 270, U_PLAN, (1, 2, 3, 4, 5, 6, 8), "Giải pháp nâng cao Chỉ số Hiệu quả quản trị và hành chính công cấp tỉnh (PAPI) thuộc phạm vi của Sở."),
    ("chuong-trinh-ke-hoach", "Kế hoạch chuyển đổi số năm 2026", "Kế hoạch", "27/KH-STC", 250, U_OFFICE, (6, 8), "Mục tiêu cung cấp dịch vụ công trực tuyến toàn trình và số hóa hồ sơ."),
    ("chuong-trinh-ke-hoach", "Kế hoạch kiểm soát thủ tục hành chính năm 2026", "Kế hoạch", "30/KH-STC", 245, U_OFFICE, (5,), "Rà soát, đơn giản hóa thủ tục hành chính và công khai thủ tục trên cổng thông tin."),
    ("chuong-trinh-ke-hoach", "Chương trình phòng, chống tham nhũng, tiêu cực năm 2026", "Chương trình", "09/CTr-STC", 310, U_LEGAL, (4,), "Các biện pháp phòng ngừa, phát hiện và xử lý tham nhũng, tiêu cực trong hoạt động của Sở."),
    ("ket-luan-thanh-tra", "Kết luận kiểm tra việc quản lý, sử dụng tài sản công tại Trung tâm Dịch vụ tài chính", "Kết luận", "07/KL-STC", 180, U_PRICE, (2, 4), "Kết quả kiểm tra việc mua sắm, sử dụng, thanh lý tài sản công năm 2025 và kiến nghị xử lý."),
    ("ket-luan-thanh-tra", "Kết luận kiểm tra công tác quyết toán dự án hoàn thành", "Kết luận", "11/KL-STC", 115, U_INVEST, (2, 4), "Kết quả kiểm tra hồ sơ quyết toán dự án hoàn thành sử dụng vốn ngân sách tỉnh."),
    ("ket-luan-thanh-tra", "Kết luận kiểm tra việc thực hiện quy định về công khai ngân sách", "Kết luận", "16/KL-STC", 50, U_BUDGET, (2,), "Kết quả kiểm tra việc công khai dự toán, quyết toán tại các đơn vị dự toán."),
    ("giai-quyet-khieu-nai", "Quyết định giải quyết khiếu nại lần đầu (hồ sơ số 01/2026)", "Quyết định", "58/QĐ-STC", 190, U_LEGAL, (3,), "Quyết định giải quyết khiếu nại về việc từ chối đăng ký thay đổi nội dung đăng ký doanh nghiệp; thông tin cá nhân đã được lược bỏ."),
    ("giai-quyet-khieu-nai", "Quyết định giải quyết khiếu nại lần đầu (hồ sơ số 04/2026)", "Quyết định", "152/QĐ-STC", 70, U_LEGAL, (3,), "Quyết định giải quyết khiếu nại về kết quả thẩm định giá tài sản; thông tin cá nhân đã được lược bỏ."),
    ("giai-quyet-khieu-nai", "Quyết định giải quyết khiếu nại lần hai (hồ sơ số 02/2026)", "Quyết định", "166/QĐ-STC", 25, U_LEGAL, (3,), "Quyết định giải quyết khiếu nại lần hai về việc thu hồi giấy chứng nhận đăng ký hộ kinh doanh."),
    ("bao-cao-dinh-ky", "Báo cáo công tác tiếp công dân, giải quyết khiếu nại, tố cáo năm 2025", "Báo cáo", "04/BC-STC", 325, U_LEGAL, (3, 4), "Kết quả tiếp công dân, tiếp nhận và giải quyết khiếu nại, tố cáo, phản ánh, kiến nghị năm 2025."),
    ("bao-cao-dinh-ky", "Báo cáo công tác tiếp công dân, giải quyết khiếu nại, tố cáo 6 tháng đầu năm 2026", "Báo cáo", "185/BC-STC", 140, U_LEGAL, (3, 4), "Số lượt tiếp công dân, số đơn thư tiếp nhận, đã giải quyết đúng hạn và quá hạn 6 tháng đầu năm 2026."),
    ("bao-cao-dinh-ky", "Báo cáo kết quả cải cách hành chính 9 tháng năm 2026", "Báo cáo", "276/BC-STC", 55, U_OFFICE, (5, 6), "Kết quả cải cách hành chính, tỷ lệ hồ sơ trực tuyến và giải quyết đúng hạn 9 tháng năm 2026."),
    ("bao-cao-dinh-ky", "Báo cáo kết quả thực hiện Kế hoạch nâng cao Chỉ số PAPI 6 tháng đầu năm 2026", "Báo cáo", "190/BC-STC", 138, U_PLAN, (1, 2, 3, 4, 5, 6, 8), "Kết quả thực hiện các nhiệm vụ nâng cao Chỉ số PAPI trong 6 tháng đầu năm 2026."),
    ("co-cau-to-chuc", "Quyết định quy định chức năng, nhiệm vụ, quyền hạn và cơ cấu tổ chức của Sở Tài chính", "Quyết định", "1120/QĐ-UBND", 335, U_OFFICE, (2,), "Chức năng, nhiệm vụ của Sở Tài chính sau khi hợp nhất với Sở Kế hoạch và Đầu tư từ ngày 01/7/2025."),
    ("co-cau-to-chuc", "Sơ đồ tổ chức và danh bạ các phòng của Sở", "Thông báo", "", 300, U_OFFICE, (2, 8), "Sơ đồ tổ chức, địa chỉ, điện thoại, thư điện tử của lãnh đạo Sở và các phòng chuyên môn."),
    ("co-cau-to-chuc", "Danh sách công chức làm công tác tiếp công dân", "Thông báo", "", 120, U_LEGAL, (3,), "Họ tên, chức vụ, điện thoại của công chức được phân công tiếp công dân thường xuyên."),
)
# fmt: on

WITHDRAWN = (
    "Thông báo tuyển dụng công chức năm 2026 (đợt 1)",
    "Thông báo được thay thế bởi Thông báo số 41/TB-STC do điều chỉnh chỉ tiêu tuyển dụng theo "
    "vị trí việc làm được phê duyệt.",
)
REVISED = (
    "Công khai dự toán ngân sách năm 2026 của Sở Tài chính",
    "Bổ sung biểu chi tiết dự toán chi thường xuyên của các đơn vị trực thuộc (Biểu số 3).",
)
SCHEDULED = (
    "ngan-sach",
    "Công khai dự toán ngân sách năm 2027 được giao",
    "Quyết định",
    "Dự toán thu, chi ngân sách năm 2027 được UBND tỉnh giao cho Sở (công bố theo lịch).",
)
WITH_PDF = {
    "Công khai dự toán ngân sách năm 2026 của Sở Tài chính": "Du toan ngan sach nam 2026",
    "Công khai quyết toán ngân sách năm 2025": "Quyet toan ngan sach nam 2025",
    "Kết luận kiểm tra việc quản lý, sử dụng tài sản công tại Trung tâm Dịch vụ tài chính": (
        "Ket luan kiem tra 07/KL-STC"
    ),
    "Dự thảo Quyết định ban hành Quy chế tiếp công dân của Sở Tài chính": (
        "Du thao Quy che tiep cong dan"
    ),
}
# The consultation open now, and one closed with its report.
OPEN_CONSULTATION = "Dự thảo Quyết định ban hành Quy chế tiếp công dân của Sở Tài chính"
CLOSED_CONSULTATIONS = (
    "Dự thảo Kế hoạch cải cách hành chính năm 2027",
    "Dự thảo quy định mức hỗ trợ doanh nghiệp nhỏ và vừa khởi nghiệp",
)
REPORTED = "Dự thảo quy định mức hỗ trợ doanh nghiệp nhỏ và vừa khởi nghiệp"
COMMENTS = (
    (
        "Nguyễn Văn Hùng",
        "Đề nghị bổ sung lịch tiếp công dân định kỳ của Giám đốc Sở vào ngày 15 hằng tháng, nếu "
        "trùng ngày nghỉ thì chuyển sang ngày làm việc tiếp theo, để người dân dễ nhớ.",
    ),
    (
        "",
        "Nên cho phép người dân đăng ký trước thời gian tiếp qua cổng thông tin hoặc điện thoại "
        "để không phải chờ lâu tại phòng tiếp công dân.",
    ),
)


def _pdf(text: str) -> bytes:
    """A one-page PDF with a line of ASCII text and a correct cross-reference table."""
    stream = f"BT /F1 14 Tf 40 160 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 200] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _body(issuer: str, number: str) -> str:
    reference = f" số {number}" if number else ""
    return (
        f"<p>{issuer} công khai văn bản{reference} theo quy định của Luật Tiếp cận thông tin "
        "năm 2016 và Nghị định số 42/2022/NĐ-CP.</p>"
        "<h2>Nội dung chính</h2>"
        "<ul><li>Phạm vi, đối tượng áp dụng.</li><li>Trách nhiệm của các cơ quan, đơn vị.</li>"
        "<li>Tổ chức thực hiện.</li></ul>"
        "<p>Mọi ý kiến, thắc mắc xin liên hệ Văn phòng Sở qua đường dây nóng hoặc thư điện tử "
        "ghi ở cuối trang.</p>"
    )


def _backdate(d: Disclosure, when: datetime) -> None:
    # Demo history only: the services publish "now"; move the record back consistently.
    d.publish_at = when
    d.revisions[-1].published_at = when
    for entry in db.session.scalars(db.select(SearchEntry).where(SearchEntry.ref_id == d.id)):
        entry.published_at = when


def _slug(title: str) -> str:
    return slugify(title, max_length=services.SLUG_MAX)


def _next_on(today: date, month: int, day: int) -> date:
    this_year = date(today.year, month, day)
    return this_year if this_year >= today else date(today.year + 1, month, day)


def _load_categories() -> tuple[dict[str, Category], set[str]]:
    existing = {c.slug: c for c in db.session.scalars(db.select(Category))}
    added = set()
    for position, row in enumerate(CATEGORIES):
        slug, name, name_en, description, basis, form, place, time_, duration = row
        if slug in existing:
            continue
        existing[slug] = category_services.create_category(
            {
                "slug": slug,
                "name": name,
                "name_en": name_en,
                "description": description,
                "legal_basis": basis,
                "disclosure_form": form,
                "disclosure_place": place,
                "disclosure_time": time_,
                "disclosure_duration": duration,
                "position": position * 10,
                "active": True,
            },
            actor=None,
        )
        added.add(slug)
    return existing, added


def _attach_pdf(d: Disclosure, text: str, change_note: str = "") -> None:
    name = fold(d.title)[:60].replace(" ", "-") + ".pdf"
    storage = FileStorage(stream=io.BytesIO(_pdf(text)), filename=name)
    services.add_attachments(d, [storage], actor=None, title="Toàn văn", change_note=change_note)


def _create(category: Category, row, units: dict[str, Unit], now: datetime) -> Disclosure:
    _, title, doc_type, number, days_ago, unit_slug, papi, summary = row
    published = now - timedelta(days=days_ago, hours=days_ago % 7)
    issued = local_date(published) - timedelta(days=2 + days_ago % 3)
    values = {
        "category": category,
        "title": title,
        "summary": summary,
        "body_html": _body(AGENCY, number),
        "document_type": doc_type,
        "issuer": "UBND tỉnh Lạng Sơn" if number.endswith("UBND") else AGENCY,
        "number_symbol": number,
        "issued_on": issued,
        "effective_on": issued if doc_type in ("Quyết định", "Chỉ thị") else None,
        "visible_until": local_date(published) + timedelta(days=365)
        if category.slug in ("ngan-sach", "ket-luan-thanh-tra", "giai-quyet-khieu-nai")
        else None,
        "unit": units.get(unit_slug),
        "papi": list(papi),
    }
    if title == OPEN_CONSULTATION:
        values.update(
            is_consultation=True,
            comments_open_at=published,
            comments_close_at=now + timedelta(days=25),
        )
    elif title in CLOSED_CONSULTATIONS:
        values.update(
            is_consultation=True,
            comments_open_at=published,
            comments_close_at=published + timedelta(days=30),
        )
    d = services.create_disclosure(values, actor=None)
    if title in WITH_PDF and title != REVISED[0]:
        _attach_pdf(d, WITH_PDF[title])
    services.publish_disclosure(d, actor=None)
    _backdate(d, published)
    db.session.commit()
    return d


def _finish_specials(d: Disclosure, now: datetime) -> None:
    if d.title == WITHDRAWN[0]:
        services.withdraw_disclosure(d, reason=WITHDRAWN[1], actor=None)
        d.withdrawn_at = d.publish_at + timedelta(days=15)
        db.session.commit()
    elif d.title == REVISED[0]:
        _attach_pdf(d, WITH_PDF[d.title], change_note=REVISED[1])
        d.revisions[0].published_at = d.publish_at + timedelta(days=12)
        db.session.commit()
    elif d.title == OPEN_CONSULTATION:
        for n, (name, body) in enumerate(COMMENTS):
            db.session.add(
                DraftComment(
                    disclosure_id=d.id,
                    author_name=name,
                    body=body,
                    status=CommentStatus.APPROVED,
                    created_at=now - timedelta(days=3 - n, hours=5),
                    moderated_at=now - timedelta(days=2 - n),
                )
            )
        db.session.commit()
    elif d.title == REPORTED:
        services.publish_consultation_report(
            d,
            report_html=(
                "<p>Sau 30 ngày lấy ý kiến, Sở nhận được 14 ý kiến góp ý của doanh nghiệp và "
                "người dân.</p><ul><li>Tiếp thu 9 ý kiến về mức hỗ trợ tư vấn và thủ tục đề "
                "nghị hỗ trợ.</li><li>Giải trình 5 ý kiến đề nghị mở rộng đối tượng hỗ trợ "
                "vượt quá phạm vi của nghị quyết.</li></ul>"
            ),
            actor=None,
        )
        d.consultation_report_at = d.comments_close_at + timedelta(days=10)
        db.session.commit()


def load() -> str:
    """Add what is missing; return a one-line summary of what was added."""
    now = datetime.now(UTC)
    today = local_date(now)
    categories, new_categories = _load_categories()
    units = {u.slug: u for u in db.session.scalars(db.select(Unit))}
    existing = set(db.session.scalars(db.select(Disclosure.slug)))
    added = 0
    for row in DISCLOSURES:
        if _slug(row[1]) in existing:
            continue
        d = _create(categories[row[0]], row, units, now)
        _finish_specials(d, now)
        added += 1
    slug, title, doc_type, summary = SCHEDULED
    if _slug(title) not in existing:
        d = services.create_disclosure(
            {
                "category": categories[slug],
                "title": title,
                "summary": summary,
                "body_html": _body(AGENCY, ""),
                "document_type": doc_type,
                "issuer": AGENCY,
                "unit": units.get(U_BUDGET),
                "papi": [2],
            },
            actor=None,
        )
        services.publish_disclosure(d, actor=None, publish_at=now + timedelta(days=3))
        added += 1
    # Due dates last: a disclosure published by its due date meets (and clears) it.
    due = {
        "bao-cao-dinh-ky": _next_on(today, 1, 10) if today.month >= 7 else _next_on(today, 7, 10),
        "phi-le-phi": today + timedelta(days=45),
        # Overdue: nothing published in this category for 60 days.
        "dau-tu-cong-mua-sam": today - timedelta(days=12),
    }
    for slug, due_on in due.items():
        if slug in new_categories:
            category_services.update_category(categories[slug], {"due_on": due_on}, actor=None)
    if not (new_categories or added):
        return ""
    return f"Disclosures: {len(new_categories)} categories and {added} disclosures added."
