"""Header injection: a line break in a recipient or subject is refused when the mail is queued,
so no message with an extra header (a Bcc, a second To) is ever stored or sent."""

import pytest

from portal.core import site
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from portal.notifications.services import deliver_due, queue_email
from tests.factories import create_user

INJECTIONS = [
    "\r\nBcc: x@example.vn",
    "\nBcc: x@example.vn",
    "\rBcc: x@example.vn",
]


@pytest.fixture
def user(app_ctx):
    return create_user(role="editor", full_name="Nguyễn Thị Hồng Đào")


def _queue(user, **changes):
    values = {"recipient": user.email, "subject": "Mật khẩu đã được thay đổi"} | changes
    return queue_email(event="accounts/password_changed", user=user, site=site.load(), **values)


@pytest.mark.parametrize("field", ["recipient", "subject"])
@pytest.mark.parametrize("injection", INJECTIONS)
def test_a_line_break_in_a_header_value_is_refused_and_nothing_is_sent(
    user, smtp, field, injection
):
    value = ("a@example.vn" if field == "recipient" else "Thông báo") + injection
    with pytest.raises(ValueError, match="line break"):
        _queue(user, **{field: value})
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxMessage)) == 0
    assert deliver_due() == (0, 0)
    assert smtp.messages == []


def test_a_clean_message_is_still_queued_and_delivered_to_its_one_recipient(user, smtp):
    _queue(user)
    db.session.commit()
    assert deliver_due() == (1, 0)
    assert [m.rcpt_tos for m in smtp.messages] == [[user.email]]
