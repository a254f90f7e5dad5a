"""Demo published answers: written and published, as staff would, from the demo cases whose
submitters consented (cases/demo_samples.py marks them)."""

from portal.accounts.models import User
from portal.accounts.permissions import Role
from portal.answers import services
from portal.cases import demo as cases_demo
from portal.extensions import db

# Sample key → (title, question, answer), rewritten without anything that identifies anyone.
ANSWERS = {
    "tham-tra-quyet-toan": (
        "Thời gian thẩm tra quyết toán dự án hoàn thành được công khai ở đâu?",
        "Doanh nghiệp nộp hồ sơ quyết toán dự án hoàn thành sử dụng vốn nhà nước muốn biết thời "
        "gian thẩm tra đối với từng nhóm dự án và cách theo dõi tiến độ hồ sơ.",
        "Thời gian thẩm tra quyết toán của từng nhóm dự án được công khai tại mục Thủ tục hành "
        "chính trên Cổng thông tin của Sở. Doanh nghiệp theo dõi tiến độ hồ sơ bằng mã hồ sơ "
        "được cấp khi nộp, hoặc gọi đường dây nóng của Sở.",
    ),
    "loi-tra-cuu": (
        "Trang tra cứu hồ sơ báo lỗi thì làm thế nào?",
        "Khi tra cứu tình trạng hồ sơ đăng ký doanh nghiệp, trang tra cứu nhiều lần báo lỗi, phải "
        "thử lại mới xem được.",
        "Lỗi do đường truyền của nhà cung cấp dịch vụ và đã được khắc phục; Sở theo dõi hoạt "
        "động của trang tra cứu hằng ngày. Nếu trang vẫn báo lỗi, hãy phản ánh qua Cổng thông "
        "tin hoặc đường dây nóng để được hỗ trợ.",
    ),
    "le-phi-bieu-mau": (
        "Lệ phí đăng ký thành lập doanh nghiệp tư nhân là bao nhiêu?",
        "Trang hướng dẫn thủ tục đăng ký thành lập doanh nghiệp tư nhân ghi một mức lệ phí, còn "
        "tại Bộ phận Một cửa lại được thông báo mức khác. Mức nào đúng?",
        "Mức lệ phí đúng là mức ghi trong biểu phí hiện hành, đã được cập nhật trên trang hướng "
        "dẫn của thủ tục. Bộ phận Một cửa đã được nhắc thông báo đúng mức lệ phí cho người nộp "
        "hồ sơ.",
    ),
    "may-lay-so": (
        "Bộ phận Một cửa có máy lấy số thứ tự không?",
        "Người dân đến nộp hồ sơ vào buổi sáng đầu tuần phải đứng chờ lâu vì thiếu ghế và không "
        "có số thứ tự.",
        "Sở đã lắp đặt máy lấy số thứ tự và bổ sung ghế chờ tại Bộ phận Một cửa. Người dân lấy "
        "số khi đến và được gọi theo thứ tự.",
    ),
}


def load() -> str | None:
    """Write and publish the demo answers not yet there; return a summary, or None."""
    added = 0
    for key, (title, question, answer) in ANSWERS.items():
        case = cases_demo.by_key(key)
        if case is None or not services.eligible(case) or services.answer_of(case) is not None:
            continue
        head = db.session.scalar(
            db.select(User)
            .where(
                User.role == str(Role.HEAD),
                User.unit_id == case.handling_unit_id,
                User.active.is_(True),
            )
            .order_by(User.id)
            .limit(1)
        )
        if head is None:
            continue
        row = services.save_answer(case, title=title, question=question, answer=answer, actor=head)
        services.publish_answer(row, actor=head, version=row.version)
        added += 1
    return f"Published answers: {added} added." if added else None
