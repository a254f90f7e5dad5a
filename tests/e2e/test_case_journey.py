"""The journey issue 4's "Done means" names, in Chromium: one case of each kind (the reflection
anonymous, the complaint with a photo, the denunciation with name, address and e-mail), every
receipt's number and key kept; then back at /tra-cuu with one of them: the timeline read, a
message added and seen; and the acknowledgement mail found in the SMTP sink."""

import email
import email.policy
import re
import struct
import zlib

import pytest
from playwright.sync_api import expect

from portal.cases.models import Case, CaseAttachment
from portal.extensions import db
from tests.e2e.browser import translate

KEY = re.compile(r"^[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}-[2-9A-HJKMNP-Z]$")
DENOUNCER_EMAIL = "vi.thi.to@example.vn"


def tiny_png() -> bytes:
    """A valid 1×1 grey PNG, made here so the test needs no file of its own."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def uploads(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))


def _start(page, app, kind_label: str, *, topic: str, title: str, description: str) -> None:
    page.goto("/gop-y/moi")
    page.get_by_role("radio", name=translate(app, kind_label), exact=True).check()
    page.get_by_label(translate(app, "Topic")).select_option(topic)
    page.get_by_label(translate(app, "Subject")).fill(title)
    page.get_by_label(translate(app, "What happened and what you ask for")).fill(description)


def _send(page, app) -> tuple[str, str]:
    page.locator("#declaration").check()
    page.get_by_role("button", name=translate(app, "Send"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/gop-y/bien-nhan$"))
    number = page.locator(".case-number").inner_text().strip()
    key = page.locator(".case-key__value").get_attribute("aria-label")
    assert KEY.match(key), key
    return number, key


def _fill_identity(page, *, name, address, phone="", email_address=""):
    page.locator("#name").fill(name)
    page.locator("#address").fill(address)
    if phone:
        page.locator("#phone").fill(phone)
    if email_address:
        page.locator("#email").fill(email_address)


def test_four_kinds_submitted_then_one_followed_with_a_message_and_its_mail(
    page, app, site_settings, smtp, uploads, tmp_path
):
    receipts = {}

    _start(
        page,
        app,
        "Reflection",
        topic="other",
        title="Đèn đường thôn Nà Cạn hỏng",
        description="Đèn đường hỏng đã hai tuần, buổi tối rất tối.",
    )
    page.get_by_label(translate(app, "Send without my name")).check()
    receipts["reflection"] = _send(page, app)

    _start(
        page,
        app,
        "Petition",
        topic="procedure",
        title="Đề nghị mở cửa bộ phận một cửa sáng thứ Bảy",
        description="Người lao động khó đến nộp hồ sơ trong giờ hành chính.",
    )
    _fill_identity(page, name="Hoàng Văn Bình", address="Phường Đông Kinh", phone="0912 345 678")
    receipts["petition"] = _send(page, app)

    photo = tmp_path / "ảnh-hiện-trường.png"
    photo.write_bytes(tiny_png())
    _start(
        page,
        app,
        "Complaint",
        topic="procedure",
        title="Khiếu nại quyết định từ chối cấp phép",
        description="Đề nghị xem xét lại quyết định từ chối.",
    )
    page.locator("#decision_concerned").fill("Quyết định số 12/QĐ-UBND")
    page.locator("#decision_known_on").fill("2026-03-05")
    _fill_identity(
        page, name="Nguyễn Văn An", address="Thôn Nà Cạn, xã Hoàng Văn Thụ", phone="0987654321"
    )
    page.locator("#files").set_input_files(str(photo))
    receipts["complaint"] = _send(page, app)

    _start(
        page,
        app,
        "Denunciation",
        topic="staff-conduct",
        title="Tố cáo cán bộ gây khó khăn khi nhận hồ sơ",
        description="Cán bộ yêu cầu nộp thêm giấy tờ không có trong quy định.",
    )
    _fill_identity(page, name="Vi Thị Tô", address="Xã Mai Pha", email_address=DENOUNCER_EMAIL)
    receipts["denunciation"] = _send(page, app)

    prefixes = {kind: number.split("-")[0] for kind, (number, _key) in receipts.items()}
    assert prefixes == {
        "reflection": "PA",
        "petition": "KN",
        "complaint": "KH",
        "denunciation": "TC",
    }
    assert len({key for _number, key in receipts.values()}) == 4

    with app.app_context():
        cases = {
            case.number: case
            for case in db.session.scalars(db.select(Case).options(db.selectinload(Case.identity)))
        }
        assert set(cases) == {number for number, _key in receipts.values()}
        assert cases[receipts["reflection"][0]].anonymous
        assert cases[receipts["reflection"][0]].identity is None
        assert cases[receipts["denunciation"][0]].identity is not None
        complaint = cases[receipts["complaint"][0]]
        attachment = db.session.scalar(
            db.select(CaseAttachment).where(CaseAttachment.case_id == complaint.id)
        )
        assert attachment.stored_file.original_name == "ảnh-hiện-trường.png"
        assert attachment.stored_file.kind == "png"

    # Back later, with the denunciation's number and key.
    number, key = receipts["denunciation"]
    page.goto("/tra-cuu")
    page.get_by_label(translate(app, "Case number"), exact=True).fill(number)
    page.get_by_label(translate(app, "Access key"), exact=True).fill(key)
    page.get_by_role("button", name=translate(app, "Open the case"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/tra-cuu/ho-so/[^/]+$"))
    assert key not in page.url
    expect(page.locator("h1")).to_contain_text(number)
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text(translate(app, "Case received"))

    page.get_by_label(translate(app, "Information to add or your answer")).fill(
        "Bổ sung: sự việc xảy ra sáng thứ Hai, có người làm chứng."
    )
    page.get_by_role("button", name=translate(app, "Send"), exact=True).click()
    expect(page.locator(".flash")).to_contain_text(
        translate(app, "Your information was added to the case.")
    )
    expect(timeline).to_contain_text(translate(app, "You added information"))
    expect(page.locator(".messages")).to_contain_text("có người làm chứng")

    # The acknowledgement went out through SMTP (sent after the submission's commit), once.
    mails = [
        email.message_from_bytes(envelope.content, policy=email.policy.default)
        for envelope in smtp.messages
        if DENOUNCER_EMAIL in envelope.rcpt_tos
    ]
    acknowledgements = [m for m in mails if number in m["Subject"]]
    assert len(acknowledgements) == 1, [m["Subject"] for m in mails]
    body = acknowledgements[0].get_body(preferencelist=("plain",)).get_content()
    assert number in body
