"""E-mails about a case: one function per event, queued in the outbox, Vietnamese with an
English line; citizens are written to at their own address only, staff never get identities."""

import email
from datetime import UTC, date, datetime
from email import policy

import pytest

from portal.cases import notify
from portal.cases.models import Case, CaseConsultation, CaseExtension, CaseMessage, CaseResponse
from portal.core import site
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from portal.notifications.services import deliver_due
from tests.cases.factories import create_case
from tests.cases.wording import say
from tests.contacts.factories import create_unit
from tests.factories import create_user

NAME = "Hoàng Thị Mai"
EMAIL = "mai@example.vn"
TITLE = "Cán bộ xã đòi tiền khi làm giấy tờ"
DESCRIPTION = "Ngày 3/11 tôi bị yêu cầu nộp 500.000 đồng."
ADDRESS = "Thôn Pò Mã, xã Tân Thanh"
SECRETS = (NAME, TITLE, DESCRIPTION, ADDRESS, "Pò Mã")


def _case(app, *, email=EMAIL, kind="complaint", **fields) -> Case:
    with app.app_context():
        site.save({"agency_name": "Sở Tài chính tỉnh Lạng Sơn"})
        db.session.commit()
        case, _ = create_case(
            kind=kind,
            name=NAME,
            email=email,
            address=ADDRESS,
            phone="+84912345678",
            title=TITLE,
            description=DESCRIPTION,
            **fields,
        )
    return case


def _loaded(number: str) -> Case:
    return db.session.scalar(db.select(Case).where(Case.number == number))


def _outbox() -> list[OutboxMessage]:
    return list(db.session.scalars(db.select(OutboxMessage).order_by(OutboxMessage.id)))


def _assert_private(message: OutboxMessage) -> None:
    for secret in SECRETS:
        assert secret not in message.subject
        assert secret not in message.body_text
        assert secret not in (message.body_html or "")
    assert "In English" in message.body_text
    assert 'lang="en"' in message.body_html


def _citizen_events(case: Case):
    extension = CaseExtension(
        ordinal=1,
        reason="Cần xác minh thêm tại hai địa phương",
        decided_on=date(2026, 11, 20),
        due_on=date(2027, 1, 4),
    )
    response = CaseResponse(
        outcome="upheld", body="Nội dung bí mật của văn bản", published_at=datetime.now(UTC)
    )
    message = CaseMessage(author="staff", body="Xin gửi bản sao quyết định")
    return {
        "cases/accepted": lambda: notify.case_accepted(case),
        "cases/not_accepted": lambda: notify.case_not_accepted(case, "Đã được giải quyết"),
        "cases/transferred": lambda: notify.case_transferred(case),
        "cases/extended": lambda: notify.case_extended(case, extension),
        "cases/message": lambda: notify.message_to_citizen(case, message),
        "cases/response_published": lambda: notify.response_published(case, response),
    }


EVENTS = [
    "cases/accepted",
    "cases/not_accepted",
    "cases/transferred",
    "cases/extended",
    "cases/message",
    "cases/response_published",
]


@pytest.mark.parametrize("event", EVENTS)
def test_each_citizen_event_queues_one_private_email_to_the_citizen(app, event):
    case = _case(
        app,
        accepted_on=date(2026, 11, 2),
        resolution_due_on=date(2026, 12, 14),
        transferred_to="UBND xã Tân Thanh",
    )
    with app.test_request_context():
        loaded = _loaded(case.number)
        _citizen_events(loaded)[event]()
        db.session.commit()
        (message,) = _outbox()
        assert message.event == event
        assert message.recipient == EMAIL
        assert case.number in message.subject
        assert case.number in message.body_text
        assert "/tra-cuu" in message.body_text
        _assert_private(message)
        assert "Nội dung bí mật" not in message.body_text
        assert "Xin gửi bản sao" not in message.body_text


def test_the_emails_say_what_the_unit_decided(app):
    case = _case(
        app,
        accepted_on=date(2026, 11, 2),
        resolution_due_on=date(2026, 12, 14),
        transferred_to="UBND xã Tân Thanh",
    )
    with app.test_request_context():
        loaded = _loaded(case.number)
        for send in _citizen_events(loaded).values():
            send()
        db.session.commit()
        bodies = {m.event: m.body_text for m in _outbox()}
    assert "14/12/2026" in bodies["cases/accepted"]
    assert "Đã được giải quyết" in bodies["cases/not_accepted"]
    assert "UBND xã Tân Thanh" in bodies["cases/transferred"]
    assert "04/01/2027" in bodies["cases/extended"]
    assert "Cần xác minh thêm tại hai địa phương" in bodies["cases/extended"]
    # Vietnamese by default: the subject is the translated msgid.
    assert say(app, "Your case was accepted") in bodies["cases/accepted"]


def test_no_email_address_means_nothing_is_queued(app):
    case = _case(app, email=None)
    with app.test_request_context():
        loaded = _loaded(case.number)
        for send in _citizen_events(loaded).values():
            send()
        db.session.commit()
        assert _outbox() == []


def test_an_anonymous_case_gets_no_email(app):
    with app.app_context():
        case, _ = create_case()
    with app.test_request_context():
        notify.case_accepted(_loaded(case.number))
        db.session.commit()
        assert _outbox() == []


def test_the_assignee_is_told_without_the_citizens_text_or_identity(app):
    with app.app_context():
        unit = create_unit(handles_cases=True)
        handler = create_user(role="handler", unit_id=unit.id, email="xu@stc.example.vn")
    case = _case(app, kind="denunciation", status="assigned", due_on=date(2026, 12, 14))
    with app.test_request_context():
        notify.case_assigned(_loaded(case.number), handler)
        db.session.commit()
        (message,) = _outbox()
    assert (message.event, message.recipient) == ("cases/assigned", "xu@stc.example.vn")
    assert case.number in message.subject and case.number in message.body_text
    assert "14/12/2026" in message.body_text
    assert "/staff/" in message.body_text
    _assert_private(message)
    assert EMAIL not in message.body_text and "912345678" not in message.body_text


def test_a_unit_asked_for_input_is_told_each_of_its_staff(app):
    with app.app_context():
        unit = create_unit()
        first = create_user(role="handler", unit_id=unit.id)
        second = create_user(role="head", unit_id=unit.id)
        gone = create_user(role="handler", unit_id=unit.id, active=False)
    case = _case(app, status="verifying")
    with app.test_request_context():
        notify.input_requested(
            _loaded(case.number),
            CaseConsultation(unit_id=unit.id, question="Ý kiến", due_on=date(2026, 12, 1)),
            [first, second, gone],
        )
        db.session.commit()
        messages = _outbox()
    assert sorted(m.recipient for m in messages) == sorted([first.email, second.email])
    for message in messages:
        assert "01/12/2026" in message.body_text
        assert "Ý kiến" not in message.body_text
        _assert_private(message)


def test_an_empty_digest_is_not_sent(app):
    with app.app_context():
        user = create_user(role="handler")
    with app.test_request_context():
        notify.daily_digest(user, [], [])
        db.session.commit()
        assert _outbox() == []


def test_a_digest_lists_numbers_kinds_and_due_dates_only(app):
    with app.app_context():
        user = create_user(role="head", email="truong@stc.example.vn")
    soon = _case(app, status="assigned", due_on=date(2026, 12, 3))
    late = _case(app, status="verifying", due_on=date(2026, 11, 20))
    with app.test_request_context():
        notify.daily_digest(user, [_loaded(soon.number)], [_loaded(late.number)])
        db.session.commit()
        (message,) = _outbox()
    assert message.recipient == "truong@stc.example.vn"
    for text in (message.body_text, message.body_html):
        assert soon.number in text and late.number in text
        assert "03/12/2026" in text and "20/11/2026" in text
    assert message.body_text.index(late.number) < message.body_text.index(soon.number)
    _assert_private(message)


def test_an_email_reaches_the_citizen_through_smtp(app, smtp):
    case = _case(app, accepted_on=date(2026, 11, 2), resolution_due_on=date(2026, 12, 14))
    with app.test_request_context():
        notify.case_accepted(_loaded(case.number))
        db.session.commit()
        assert deliver_due() == (1, 0)
    (envelope,) = smtp.messages
    assert envelope.rcpt_tos == [EMAIL]
    parsed = email.message_from_bytes(envelope.content, policy=policy.default)
    assert case.number in parsed["Subject"]
    text = parsed.get_body(preferencelist=("plain",)).get_content()
    assert "14/12/2026" in text
    assert "In English: your case" in text
    for secret in SECRETS:
        assert secret not in envelope.content.decode("utf-8", "replace")
