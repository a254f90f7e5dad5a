"""Published answers in Chromium: the handler rewrites an answered question without personal
data, the head publishes it, and a citizen who types without diacritics finds and reads it.
axe-core on every page of the journey."""

from datetime import UTC, date, datetime

import pytest
from playwright.sync_api import expect

from portal.cases.models import Case, CaseStatus
from portal.extensions import db
from tests.cases.factories import create_case
from tests.contacts.factories import create_unit
from tests.e2e.browser import sign_in, translate
from tests.factories import create_user

TITLE = "Thủ tục đăng ký hộ kinh doanh mất bao lâu?"
QUESTION = "Hồ sơ đăng ký hộ kinh doanh nộp trực tuyến được giải quyết trong bao nhiêu ngày?"
ANSWER = "Thủ tục được giải quyết trong 3 ngày làm việc kể từ khi nhận đủ hồ sơ hợp lệ."
CITIZEN = "Hoàng Thị Mai"


@pytest.fixture
def answered(app):
    """An answered petition whose submitter consented, its unit's head and handler."""
    with app.app_context():
        unit = create_unit(name="Thanh tra Sở", handles_cases=True)
        head = create_user(role="head", unit_id=unit.id, full_name="Hà Thị Trưởng")
        handler = create_user(role="handler", unit_id=unit.id, full_name="Lường Văn Xử")
        case, _key = create_case(
            kind="petition",
            status=CaseStatus.RESPONDED,
            name=CITIZEN,
            email="mai@example.vn",
            received_at=datetime(2026, 10, 1, 3, 0, tzinfo=UTC),
            resolved_on=date(2026, 10, 20),
            publish_consent=True,
            handling_unit_id=unit.id,
            assignee_id=handler.id,
        )
        return {"case": case, "head": head, "handler": handler}


def new_page(browser, base_url):
    context = browser.new_context(base_url=base_url, locale="vi-VN")
    return context, context.new_page()


def test_an_answer_is_written_published_and_found(browser, base_url, app, answered, axe_check):
    number = answered["case"].number
    contexts = []
    try:
        context, handler = new_page(browser, base_url)
        contexts.append(context)
        sign_in(handler, app, answered["handler"])
        handler.goto(f"/staff/cases/{number}")
        handler.get_by_role("link", name=translate(app, "Write a published answer")).click()
        axe_check(handler)
        handler.get_by_label(translate(app, "Title of the question")).fill(TITLE)
        handler.get_by_label(translate(app, "Question, with personal data removed")).fill(QUESTION)
        handler.get_by_label(translate(app, "Answer, with personal data removed")).fill(ANSWER)
        handler.get_by_role("button", name=translate(app, "Save for the head to publish")).click()
        expect(handler.locator("h1")).to_have_text(TITLE)

        context, head = new_page(browser, base_url)
        contexts.append(context)
        sign_in(head, app, answered["head"])
        head.goto("/staff/answers")
        axe_check(head)
        head.get_by_role("link", name=TITLE).click()
        axe_check(head)
        head.get_by_label(
            translate(app, "I have read the question and the answer: they identify nobody.")
        ).check()
        head.get_by_role("button", name=translate(app, "Publish the answer")).click()
        expect(head.get_by_text(translate(app, "The answer is published."))).to_be_visible()

        context, citizen = new_page(browser, base_url)
        contexts.append(context)
        citizen.goto("/gop-y")
        citizen.get_by_role(
            "link", name=translate(app, "read the published questions and answers")
        ).click()
        axe_check(citizen)
        citizen.get_by_label(translate(app, "Search the questions and answers")).fill(
            "thu tuc dang ky ho kinh doanh"
        )
        citizen.locator("#main").get_by_role("button", name=translate(app, "Search")).click()
        citizen.locator(".search-result__title a").first.click()
        expect(citizen.locator("h1")).to_have_text(TITLE)
        expect(citizen.get_by_text(ANSWER)).to_be_visible()
        assert CITIZEN not in citizen.content() and number not in citizen.content()
        axe_check(citizen)
        citizen.goto("/ngon-ngu/en")
        citizen.go_back()
        citizen.reload()
        expect(citizen.get_by_role("heading", name="Answer", exact=True)).to_be_visible()
        axe_check(citizen)
    finally:
        for context in contexts:
            context.close()
    with app.app_context():
        assert db.session.get(Case, answered["case"].id).publish_consent
