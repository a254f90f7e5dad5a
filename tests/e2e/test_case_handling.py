"""The handling unit at work, in Chromium (issue 5's "Done means"): a complaint from the
citizen's form to a published, rated response, every step by the person whose job it is; a
denunciation with an extension, whose denouncer stays masked everywhere until an audited
reveal; and axe-core on the staff pages of cases.

The citizen and each staff member have their own browser context (their own cookies), as
they would have their own computers.
"""

import email
import email.policy
import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from portal.cases.models import Case
from portal.core.audit import AuditEvent
from portal.core.workdays import local_date
from portal.extensions import db
from tests.contacts.factories import create_unit
from tests.e2e.browser import sign_in, translate
from tests.factories import create_user

DECLARATION = (
    "I declare that what I have written is true and that I am responsible for it before the law."
)
KEY = re.compile(r"^[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){3}-[2-9A-HJKMNP-Z]$")


# --- People and places -----------------------------------------------------------------------


@pytest.fixture
def unit_staff(app):
    """The Inspectorate (the unit that handles cases), its head and a handler, and a leader."""
    with app.app_context():
        unit = create_unit(name="Thanh tra Sở", handles_cases=True)
        return {
            "unit": unit,
            "head": create_user(role="head", unit_id=unit.id, full_name="Hà Thị Trưởng"),
            "handler": create_user(role="handler", unit_id=unit.id, full_name="Lường Văn Xử"),
            "leader": create_user(role="leader", full_name="Đinh Công Lãnh"),
        }


@pytest.fixture
def new_context(browser, base_url):
    """Open a browser context of one's own (cookies included); all are closed at the end."""
    opened = []

    def open_one():
        context = browser.new_context(
            base_url=base_url, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
        )
        opened.append(context)
        return context.new_page()

    yield open_one
    for context in opened:
        context.close()


def staff_page(new_context, app, user):
    page = new_context()
    sign_in(page, app, user)
    return page


def today():
    return local_date(datetime.now(UTC))


def ddmmyyyy(day) -> str:
    return day.strftime("%d/%m/%Y")


# --- The citizen -----------------------------------------------------------------------------


def submit_case(
    page, app, *, kind, topic, title, description, name, address, email_address, decision=None
):
    """Fill the public form by its labels, send it, and keep the receipt's number and key."""
    t = lambda msgid: translate(app, msgid)  # noqa: E731
    page.goto("/gop-y/moi")
    page.get_by_role("radio", name=t(kind), exact=True).check()
    page.get_by_label(t("Topic")).select_option(topic)
    page.get_by_label(t("Subject")).fill(title)
    page.get_by_label(t("What happened and what you ask for")).fill(description)
    if decision:
        page.get_by_label(t("The decision or act you complain about")).fill(decision)
        page.get_by_label(t("When you learnt of it")).fill(
            (today() - timedelta(days=10)).isoformat()
        )
    page.get_by_label(t("Full name"), exact=True).fill(name)
    page.get_by_label(t("Address"), exact=True).fill(address)
    page.get_by_label(t("E-mail address"), exact=True).fill(email_address)
    page.get_by_label(t(DECLARATION)).check()
    page.get_by_role("button", name=t("Send"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/gop-y/bien-nhan$"))
    number = page.locator(".case-number").inner_text().strip()
    key = page.locator(".case-key__value").get_attribute("aria-label")
    assert KEY.match(key), key
    return number, key


def open_as_citizen(page, app, number, key):
    page.goto("/tra-cuu")
    page.get_by_label(translate(app, "Case number"), exact=True).fill(number)
    page.get_by_label(translate(app, "Access key"), exact=True).fill(key)
    page.get_by_role("button", name=translate(app, "Open the case"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/tra-cuu/ho-so/[^/]+$"))
    expect(page.locator("h1")).to_contain_text(number)


# --- Staff -----------------------------------------------------------------------------------


def go_to_inbox(page, app):
    menu = page.get_by_role("navigation", name=translate(app, "Staff menu"))
    menu.get_by_role("link", name=translate(app, "Case register"), exact=True).click()
    expect(page.locator("h1")).to_have_text(translate(app, "Case register"))


def open_from_inbox(page, app, number):
    go_to_inbox(page, app)
    page.get_by_role("link", name=number, exact=True).click()
    expect(page.locator("h1")).to_have_text(translate(app, "Case %(number)s", number=number))


def case_status(page):
    """The status in "Where the case stands" on the staff case page."""
    return page.locator("section[aria-labelledby='summary-title'] dd").first


def expect_status(page, app, label):
    expect(case_status(page)).to_have_text(translate(app, label))


def expect_response_status(page, app, label):
    """The status in the facts at the top of the response page."""
    expect(page.locator("dl.facts dd").first).to_have_text(translate(app, label))


def expect_inbox_row(page, app, number, status_label):
    """The inbox lists the case, with its status, without opening it."""
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=number, exact=True))
    expect(row).to_have_count(1)
    headers = [h.strip() for h in page.get_by_role("columnheader").all_inner_texts()]
    column = headers.index(translate(app, "Status"))
    expect(row.locator("td").nth(column)).to_have_text(translate(app, status_label))


def expect_flash(page, app, message, **variables):
    expect(page.locator(".flash")).to_contain_text(translate(app, message, **variables))


def action(page, app, title):
    """Open one of the case page's action panels (a <details>) by its title; return it."""
    text = translate(app, title)
    panel = page.locator("details.case-action").filter(
        has=page.locator("summary", has_text=re.compile(rf"^\s*{re.escape(text)}\s*$"))
    )
    expect(panel).to_have_count(1)
    panel.locator("summary").click()
    return panel


def choose(scope, app, question, answer):
    group = scope.get_by_role("group", name=translate(app, question))
    group.get_by_label(translate(app, answer), exact=True).check()


def classify_and_accept(page, app, kind_label):
    panel = action(page, app, "Classify the case")
    expect(panel.get_by_label(translate(app, "Kind of case"))).to_have_value(re.compile(".+"))
    panel.get_by_label(translate(app, "Kind of case")).select_option(
        label=translate(app, kind_label)
    )
    choose(panel, app, "Can the case be processed?", "Yes")
    choose(panel, app, "Is it within the agency's competence?", "Yes")
    panel.get_by_role("button", name=translate(app, "Save the classification"), exact=True).click()
    expect_flash(page, app, "The classification was saved.")
    expect_status(page, app, "Classified")

    panel = action(page, app, "Accept the case")
    panel.get_by_role("button", name=translate(app, "Accept the case"), exact=True).click()
    expect_flash(page, app, "The case was accepted. The citizen is told.")
    expect_status(page, app, "Accepted")


def assign_to(page, app, handler):
    panel = action(page, app, "Assign the case")
    panel.get_by_label(translate(app, "Handler"), exact=True).select_option(label=handler.full_name)
    panel.get_by_role("button", name=translate(app, "Assign"), exact=True).click()
    expect_flash(page, app, "The case was assigned. The handler is told.")
    expect_status(page, app, "Assigned")


def open_all_panels(page):
    """Unfold every action panel, so axe-core checks the forms inside them too."""
    page.locator("details").evaluate_all("all => all.forEach(d => { d.open = true; })")


# --- Mail ------------------------------------------------------------------------------------


def received_mail(smtp):
    """(recipients, parsed message) for every message the SMTP sink received."""
    return [
        (envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=email.policy.default))
        for envelope in smtp.messages
    ]


def mail_text(message) -> str:
    """The subject and every text part, decoded (quoted-printable and base64 undone)."""
    parts = [str(message["Subject"])]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            parts.append(part.get_content())
    return "\n".join(parts)


def subjects_to(smtp, address) -> list[str]:
    return [str(m["Subject"]) for rcpt, m in received_mail(smtp) if address in rcpt]


# --- 1. A complaint, end to end --------------------------------------------------------------

COMPLAINANT = {
    "name": "Nông Văn Khiếu",
    "address": "Bản Nà Pàn, xã Cao Lộc",
    "email_address": "nong.van.khieu@example.vn",
}
INTERNAL_NOTE = "Ghi chú nội bộ: đã gọi điện cho phòng cấp phép, chờ hồ sơ gốc."
STAFF_MESSAGE = "Đề nghị Ông gửi bản sao quyết định số 12/QĐ-UBND để xác minh."
CITIZEN_ANSWER = "Tôi đã gửi bản sao quyết định qua bưu điện ngày hôm qua."
FINDINGS = "Việc từ chối cấp phép thiếu căn cứ ở điểm 2; Sở yêu cầu xem xét lại hồ sơ."


def test_complaint_from_the_citizen_to_a_rated_response(
    app, new_context, unit_staff, site_settings, smtp, axe_check
):
    head, handler = unit_staff["head"], unit_staff["handler"]
    t = lambda msgid, **v: translate(app, msgid, **v)  # noqa: E731
    citizen_mail = COMPLAINANT["email_address"]

    # The citizen sends a complaint with name, address and e-mail.
    citizen = new_context()
    number, key = submit_case(
        citizen,
        app,
        kind="Complaint",
        topic="procedure",
        title="Khiếu nại quyết định từ chối cấp giấy phép kinh doanh",
        description="Tôi đề nghị xem xét lại quyết định từ chối vì hồ sơ đã đủ giấy tờ.",
        decision="Quyết định số 12/QĐ-UBND",
        **COMPLAINANT,
    )
    assert number.startswith("KH-")

    # The head finds it in the inbox, classifies it, accepts it and assigns it.
    boss = staff_page(new_context, app, head)
    go_to_inbox(boss, app)
    expect_inbox_row(boss, app, number, "Received")
    axe_check(boss)
    boss.get_by_role("link", name=number, exact=True).click()
    expect_status(boss, app, "Received")
    open_all_panels(boss)
    axe_check(boss)
    boss.reload()
    classify_and_accept(boss, app, "Complaint")
    assert t("Case %(number)s was accepted", number=number) in subjects_to(smtp, citizen_mail)
    assign_to(boss, app, handler)
    assert t("Case %(number)s was assigned to you", number=number) in subjects_to(
        smtp, handler.email
    )

    # The handler sees it in their own inbox, notes something internal, writes to the citizen.
    worker = staff_page(new_context, app, handler)
    go_to_inbox(worker, app)
    expect_inbox_row(worker, app, number, "Assigned")
    worker.get_by_role("link", name=number, exact=True).click()
    expect_status(worker, app, "Assigned")
    worker.get_by_role("textbox", name=t("Internal note"), exact=True).fill(INTERNAL_NOTE)
    worker.get_by_role("button", name=t("Add the note"), exact=True).click()
    expect_flash(worker, app, "The note was added.")
    expect(worker.locator("section[aria-labelledby='notes-title']")).to_contain_text(INTERNAL_NOTE)
    worker.get_by_label(t("Message to the citizen"), exact=True).fill(STAFF_MESSAGE)
    worker.get_by_role("button", name=t("Send to the citizen"), exact=True).click()
    expect_flash(worker, app, "The message was sent to the citizen.")
    axe_check(worker)
    assert t("New message in case %(number)s", number=number) in subjects_to(smtp, citizen_mail)

    # The citizen opens the case, reads the message and answers.
    open_as_citizen(citizen, app, number, key)
    expect(citizen.locator(".messages")).to_contain_text(STAFF_MESSAGE)
    expect(citizen.locator(".timeline")).to_contain_text(t("Case accepted for handling"))
    citizen.get_by_label(t("Information to add or your answer")).fill(CITIZEN_ANSWER)
    citizen.get_by_role("button", name=t("Send"), exact=True).click()
    expect(citizen.locator(".flash")).to_contain_text(t("Your information was added to the case."))
    expect(citizen.locator(".messages")).to_contain_text(CITIZEN_ANSWER)

    # The handler reads the answer and drafts the response from the outcome's template.
    worker.reload()
    expect(worker.locator("section[aria-labelledby='messages-title']")).to_contain_text(
        CITIZEN_ANSWER
    )
    worker.get_by_role("link", name=t("Draft the response"), exact=True).click()
    expect(worker.locator("h1")).to_have_text(
        t("Draft the response to case %(number)s", number=number)
    )
    worker.get_by_label(t("Template to start from")).select_option(label=t("Partly well-founded"))
    worker.get_by_role("button", name=t("Start from this template"), exact=True).click()
    body = worker.get_by_label(t("Text of the response"), exact=True)
    expect(body).to_have_value(re.compile(r"đúng một phần"))
    expect(body).to_have_value(re.compile(re.escape(number)))
    expect(worker.get_by_label(t("Outcome"), exact=True)).to_have_value("partly-upheld")
    axe_check(worker)
    drafted = re.sub(r"\[Căn cứ pháp luật[^\]]*\]", FINDINGS, body.input_value())
    assert FINDINGS in drafted
    body.fill(drafted)
    worker.get_by_role("button", name=t("Save the draft"), exact=True).click()
    expect_flash(worker, app, "The draft response was saved.")
    expect(worker.locator("h1")).to_have_text(t("Response to case %(number)s", number=number))
    expect_response_status(worker, app, "Draft")
    response_url = worker.url
    worker.get_by_role("link", name=t("Back to case %(number)s", number=number)).click()
    expect_status(worker, app, "Response drafted")

    # The head approves it.
    boss.goto(response_url)
    expect(boss.locator("h1")).to_have_text(t("Response to case %(number)s", number=number))
    expect(boss.get_by_label(t("Text of the response"), exact=True)).to_have_value(
        re.compile(re.escape(FINDINGS))
    )
    axe_check(boss)
    boss.get_by_role("button", name=t("Approve the response"), exact=True).click()
    expect_flash(boss, app, "The response was approved. It can now be published.")
    expect_response_status(boss, app, "Approved")
    boss.get_by_role("link", name=t("Back to case %(number)s", number=number)).click()
    expect_status(boss, app, "Response approved")

    # The handler publishes it.
    worker.goto(response_url)
    expect_response_status(worker, app, "Approved")
    axe_check(worker)
    worker.get_by_role("button", name=t("Publish to the citizen"), exact=True).click()
    expect_flash(worker, app, "The response was published to the citizen.")
    expect_response_status(worker, app, "Published")
    worker.get_by_role("link", name=t("Back to case %(number)s", number=number)).click()
    expect_status(worker, app, "Responded")
    assert t("The response to case %(number)s is published", number=number) in subjects_to(
        smtp, citizen_mail
    )
    # The acceptance and the response went to the citizen's own address, once each.
    to_citizen = subjects_to(smtp, citizen_mail)
    for subject in (
        t("Case %(number)s was accepted", number=number),
        t("The response to case %(number)s is published", number=number),
    ):
        assert to_citizen.count(subject) == 1, to_citizen

    # The citizen reads the response and rates the handling.
    citizen.reload()
    expect(citizen.locator(".case-status__text")).to_have_text(
        t("Answered. The response is below. You can rate how your case was handled.")
    )
    response = citizen.locator("article.response")
    expect(response).to_have_count(1)
    expect(response).to_contain_text(FINDINGS)
    expect(citizen.locator(".timeline")).to_contain_text(t("The response was published"))
    axe_check(citizen)
    choose(citizen, app, "How well was your case handled? (1 = very badly, 5 = very well)", "4")
    choose(citizen, app, "Was the problem solved?", "Yes")
    citizen.get_by_label(t("Comment (optional)")).fill("Cán bộ trả lời rõ ràng.")
    citizen.get_by_role("button", name=t("Send the rating"), exact=True).click()
    expect(citizen.locator(".flash")).to_contain_text(t("Thank you for your rating."))
    expect(citizen.locator("section[aria-labelledby='rated-title']")).to_contain_text(
        t("%(rating)d of 5.", rating=4)
    )

    # The citizen's timeline is the public events, and nothing internal reaches their page.
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.number == number))
        assert (case.status, case.rating, case.solved) == ("responded", 4, True)
        public = [e for e in case.events if e.public]
        internal = [e for e in case.events if not e.public]
    assert any(e.action == "note" and e.note == INTERNAL_NOTE for e in internal)
    assert len(internal) >= 3  # the classification, the assignment, the note at least
    expect(citizen.locator(".timeline > li")).to_have_count(len(public))
    citizen_page = citizen.content()
    assert INTERNAL_NOTE not in citizen_page
    assert handler.full_name not in citizen_page  # the assignment's internal note names them
    # …while the staff timeline has it, marked internal.
    boss.goto(f"/staff/cases/{number}")
    note = boss.locator(".timeline > li").filter(has_text=INTERNAL_NOTE)
    expect(note).to_have_count(1)
    expect(note.locator(".tag--internal")).to_have_text(t("Internal"))


# --- 2. A denunciation: an extension, and the denouncer's identity ---------------------------

DENOUNCER = {
    "name": "Triệu Thị Mật",
    "address": "Thôn Khuổi Khỉn, xã Mẫu Sơn",
    "email_address": "trieu.thi.mat@example.vn",
}
DENOUNCED_TITLE = "Tố cáo cán bộ thu tiền ngoài quy định khi cấp giấy phép"
EXTENSION_REASON = "Phải xác minh tại ba xã, cần thêm thời gian làm việc với các bên."
REVEAL_REASON = "Cần liên hệ người tố cáo để hẹn lịch đối chiếu tài liệu gốc."


def assert_masked(page):
    """Nothing of the denouncer's identity is anywhere in the page as it is now."""
    html = page.content().casefold()
    assert DENOUNCER["name"].casefold() not in html, page.url
    assert DENOUNCER["address"].casefold() not in html, page.url
    assert DENOUNCER["email_address"] not in html, page.url


def test_denunciation_with_an_extension_keeps_the_denouncer_masked_until_a_reveal(
    app, new_context, unit_staff, site_settings, smtp, axe_check
):
    head, handler, leader = unit_staff["head"], unit_staff["handler"], unit_staff["leader"]
    t = lambda msgid, **v: translate(app, msgid, **v)  # noqa: E731
    masked = t("Denouncer — identity protected")
    citizen_mail = DENOUNCER["email_address"]

    citizen = new_context()
    number, key = submit_case(
        citizen,
        app,
        kind="Denunciation",
        topic="staff-conduct",
        title=DENOUNCED_TITLE,
        description="Cán bộ bộ phận một cửa yêu cầu nộp 500.000 đồng không có biên lai.",
        **DENOUNCER,
    )
    assert number.startswith("TC-")

    # The head: inbox, search by the name (finds nothing), case page, all masked.
    boss = staff_page(new_context, app, head)
    go_to_inbox(boss, app)
    expect(boss.get_by_role("link", name=number, exact=True)).to_be_visible()
    assert_masked(boss)
    boss.get_by_label(t("Search the case text")).fill(DENOUNCER["name"])
    boss.get_by_role("button", name=t("Show"), exact=True).click()
    expect(boss.get_by_text(t("No cases match these filters."))).to_be_visible()
    expect(boss.locator("table")).to_have_count(0)
    boss.get_by_label(t("Search the case text")).fill("thu tien ngoai quy dinh")
    boss.get_by_role("button", name=t("Show"), exact=True).click()
    expect(boss.get_by_role("link", name=number, exact=True)).to_be_visible()
    assert DENOUNCER["name"] not in boss.locator("table").inner_text()

    boss.get_by_role("link", name=number, exact=True).click()
    identity = boss.locator(".case-identity")
    expect(identity).to_contain_text(masked)
    assert_masked(boss)
    classify_and_accept(boss, app, "Denunciation")
    assign_to(boss, app, handler)
    panel = action(boss, app, "Set the complexity")
    choose(panel, app, "Complexity", "Complex")
    panel.get_by_role("button", name=t("Set the complexity"), exact=True).click()
    expect_flash(boss, app, "The complexity was set. The deadlines follow it.")
    with app.app_context():
        due_before = db.session.scalar(
            db.select(Case.resolution_due_on).where(Case.number == number)
        )

    # One extension, with its reason.
    panel = action(boss, app, "Extend the resolution period")
    panel.get_by_label(t("Reason for the extension")).fill(EXTENSION_REASON)
    panel.get_by_label(t("Date of the decision to extend")).fill(today().isoformat())
    panel.get_by_role("button", name=t("Extend the period"), exact=True).click()
    expect_flash(boss, app, "The resolution period was extended. The citizen is told.")
    expect(
        boss.locator(
            "details.case-action summary",
            has_text=re.compile(rf"^\s*{re.escape(t('Extend the resolution period'))}\s*$"),
        )
    ).to_have_count(0)  # a complex denunciation: one extension only
    with app.app_context():
        case = db.session.scalar(db.select(Case).where(Case.number == number))
        (extension,) = case.extensions
        new_due = extension.due_on
        assert case.resolution_due_on == new_due > due_before
    assert t("The resolution period of case %(number)s was extended", number=number) in subjects_to(
        smtp, citizen_mail
    )
    assert_masked(boss)
    open_all_panels(boss)
    axe_check(boss)

    # The citizen sees the extension, its reason and the new deadline.
    open_as_citizen(citizen, app, number, key)
    status = citizen.locator("section[aria-labelledby='status-title']")
    expect(status).to_contain_text(
        t(
            "Extension %(ordinal)d, decided on %(date)s, until %(due)s.",
            ordinal=1,
            date=ddmmyyyy(today()),
            due=ddmmyyyy(new_due),
        )
    )
    expect(status).to_contain_text(EXTENSION_REASON)
    expect(status.locator("dd", has_text=ddmmyyyy(new_due))).to_have_count(1)
    expect(citizen.locator(".timeline")).to_contain_text(
        t("The period for resolving the case was extended")
    )

    # Printed documents: masked for the head too.
    boss.reload()
    documents = boss.locator("aside.case-layout__side a")
    expect(documents).to_have_count(2)  # the acceptance notice and the extension notice
    for href in documents.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        boss.goto(href)
        expect(boss.get_by_text(masked).first).to_be_visible()
        assert_masked(boss)
        axe_check(boss)
    boss.goto(f"/staff/cases/{number}")

    # The leader reads the case, masked, with no way to reveal it.
    chief = staff_page(new_context, app, leader)
    open_from_inbox(chief, app, number)
    expect(chief.locator(".case-identity")).to_contain_text(masked)
    expect(chief.get_by_role("link", name=t("Reveal the identity"))).to_have_count(0)
    assert_masked(chief)
    axe_check(chief)
    token = chief.locator("input[name=csrf_token]").first.get_attribute("value")
    refused = chief.request.post(
        f"/staff/cases/{number}/identity",
        form={"csrf_token": token, "reason": "Tò mò"},
        max_redirects=0,
    )
    assert refused.status == 403
    assert DENOUNCER["name"] not in refused.text()
    chief.goto(f"/staff/cases/{number}/documents/acceptance-notice")
    expect(chief.get_by_text(masked).first).to_be_visible()
    expect(chief.get_by_role("button", name=t("Print with the name and address"))).to_have_count(0)
    assert_masked(chief)
    refused = chief.request.post(
        f"/staff/cases/{number}/documents/acceptance-notice",
        form={"csrf_token": token, "reason": "Tò mò"},
        max_redirects=0,
    )
    assert refused.status == 403
    assert DENOUNCER["name"] not in refused.text()

    # The handler: masked in their inbox and on the case page, until they reveal it.
    worker = staff_page(new_context, app, handler)
    go_to_inbox(worker, app)
    assert_masked(worker)
    open_from_inbox(worker, app, number)
    expect(worker.locator(".case-identity")).to_contain_text(masked)
    assert_masked(worker)
    worker.get_by_role("link", name=t("Reveal the identity"), exact=True).click()
    expect(worker.locator("h1")).to_have_text(t("Reveal the identity: %(number)s", number=number))
    assert_masked(worker)
    axe_check(worker)
    worker.get_by_role("button", name=t("Reveal the identity"), exact=True).click()
    expect(worker.get_by_role("alert")).to_contain_text(t("Enter why you need to see the identity"))
    assert_masked(worker)
    axe_check(worker)
    worker.get_by_label(t("Why you need to see the identity")).fill(REVEAL_REASON)
    worker.get_by_role("button", name=t("Reveal the identity"), exact=True).click()
    expect(worker.locator("h1")).to_have_text(t("Identity revealed: %(number)s", number=number))
    expect(worker.locator("dl.facts")).to_contain_text(DENOUNCER["name"])
    expect(worker.locator("dl.facts")).to_contain_text(DENOUNCER["address"])
    axe_check(worker)
    worker.get_by_role("link", name=t("Back to case %(number)s", number=number)).click()
    expect(worker.locator(".case-identity")).to_contain_text(masked)
    assert_masked(worker)
    worker.reload()
    expect(worker.locator(".case-identity")).to_contain_text(masked)
    assert_masked(worker)

    with app.app_context():
        reveals = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "case.identity.revealed")
        ).all()
        assert [(r.target_id, r.detail) for r in reveals] == [(number, {"reason": REVEAL_REASON})]
        assert reveals[0].actor_id == handler.id
        # No audit entry carries the identity.
        for entry in db.session.scalars(db.select(AuditEvent)):
            assert DENOUNCER["name"] not in str(entry.detail or "")

    # No e-mail to anyone but the denouncer carries the name (the assignment's included).
    mails = received_mail(smtp)
    to_staff = [m for rcpt, m in mails if citizen_mail not in rcpt]
    assert any(handler.email in rcpt for rcpt, _m in mails)
    assert to_staff
    for message in to_staff:
        text = mail_text(message)
        assert DENOUNCER["name"] not in text, message["Subject"]
        assert DENOUNCER["address"] not in text, message["Subject"]


# --- 3. Accessibility of the other staff pages of cases --------------------------------------


def test_staff_case_pages_pass_axe(app, new_context, unit_staff, site_settings, axe_check):
    """The intake, logbook and calculator pages, blank and with their errors or answer."""
    t = lambda msgid, **v: translate(app, msgid, **v)  # noqa: E731
    page = staff_page(new_context, app, unit_staff["head"])
    menu = page.get_by_role("navigation", name=t("Staff menu"))

    menu.get_by_role("link", name=t("Record a case"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/staff/cases/new$"))
    axe_check(page)
    page.get_by_role("button", name=t("Record the case"), exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(t("There is a problem"))
    axe_check(page)

    menu.get_by_role("link", name=t("Reception logbook"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/staff/reception-log$"))
    axe_check(page)
    page.get_by_role("link", name=t("Add a visit"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/staff/reception-log/new$"))
    axe_check(page)
    page.get_by_role("button", name=t("Save the visit"), exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(t("There is a problem"))
    axe_check(page)

    menu.get_by_role("link", name=t("Deadline calculator"), exact=True).click()
    expect(page).to_have_url(re.compile(r"/staff/cases/deadline-calculator$"))
    axe_check(page)
    page.get_by_role("button", name=t("Work out the deadline"), exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(t("There is a problem"))
    axe_check(page)
    # Received just before Tết 2027: the answer lists the days off it skipped.
    page.get_by_role("combobox", name=t("Kind of case")).select_option("complaint")
    page.get_by_role("combobox", name=t("Deadline"), exact=True).select_option("accept")
    page.get_by_label(t("Date received or accepted")).fill("2027-02-03")
    page.get_by_role("button", name=t("Work out the deadline"), exact=True).click()
    expect(page.locator(".deadline-result")).to_be_visible()
    expect(page.locator("table").first).to_be_visible()
    axe_check(page)
