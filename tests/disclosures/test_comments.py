"""Comments on drafts open for consultation: the window, the honeypot, moderation before
publication, escaping, the rate limit, and the report after closing."""

from datetime import UTC, datetime, timedelta

import pytest

from portal.core.audit import AuditEvent
from portal.disclosures import services
from portal.disclosures.models import CommentStatus, DraftComment
from portal.extensions import db
from tests.apps import other_app
from tests.auth import sign_in
from tests.disclosures.factories import create_disclosure, open_consultation
from tests.disclosures.wording import say
from tests.factories import create_user
from tests.pages import PageClient

BODY = "Đề nghị làm rõ thời hạn áp dụng tại Điều 3."
RECEIVED = (
    "Thank you. Your comment was received and awaits moderation: it appears here once "
    "an editor has approved it."
)
REPORT_HEADING = "How comments were taken into account"
REPORT_PENDING = "The report on how comments were taken into account will be published here."


@pytest.fixture
def draft(app):
    with app.app_context():
        return open_consultation(title="Dự thảo quy chế tiếp công dân").slug


def _comment(client, slug, *, token_from=None, environ_base=None, **fields):
    data = {"author_name": "Nguyễn Văn An", "author_email": "", "body": BODY, **fields}
    kwargs = {"environ_base": environ_base} if environ_base else {}
    return client.submit(
        f"/cong-khai/van-ban/{slug}/y-kien",
        data,
        token_from=token_from or f"/cong-khai/van-ban/{slug}",
        **kwargs,
    )


def _comments(app):
    with app.app_context():
        rows = db.session.scalars(db.select(DraftComment).order_by(DraftComment.id)).all()
        for row in rows:
            db.session.expunge(row)
        return rows


def test_the_form_shows_while_the_period_is_open(client, draft):
    page = client.get(f"/cong-khai/van-ban/{draft}").get_data(as_text=True)
    assert f'action="/cong-khai/van-ban/{draft}/y-kien"' in page
    assert 'name="website"' in page  # the honeypot
    assert "/quyen-rieng-tu" in page  # the processing notice links to the privacy page


@pytest.mark.parametrize(
    ("opens", "closes"),
    [(timedelta(days=1), timedelta(days=5)), (timedelta(days=-10), timedelta(days=-1))],
    ids=["not-yet-open", "closed"],
)
def test_no_form_outside_the_period_and_posts_are_refused(app, client, opens, closes):
    now = datetime.now(UTC)
    with app.app_context():
        slug = create_disclosure(
            is_consultation=True, comments_open_at=now + opens, comments_close_at=now + closes
        ).slug
    page = client.get(f"/cong-khai/van-ban/{slug}").get_data(as_text=True)
    assert 'name="body"' not in page
    response = _comment(client, slug, token_from="/staff/login")
    assert response.status_code == 302
    assert _comments(app) == []


def test_a_comment_waits_for_moderation(app, client, draft):
    response = _comment(client, draft)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/cong-khai/van-ban/{draft}"
    page = client.get(f"/cong-khai/van-ban/{draft}").get_data(as_text=True)
    assert say(app, RECEIVED) in page
    assert BODY not in page  # not public before approval
    [comment] = _comments(app)
    assert comment.status == CommentStatus.PENDING
    assert comment.author_name == "Nguyễn Văn An"


def test_name_and_email_are_optional(app, client, draft):
    assert _comment(client, draft, author_name="", author_email="").status_code == 302
    assert _comments(app)[0].author_name == ""


def test_an_empty_or_too_long_comment_is_refused_keeping_what_was_typed(app, client, draft):
    response = _comment(client, draft, body="", author_name="Trần Thị Bình")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert say(app, "Enter your comment") in page
    assert 'value="Trần Thị Bình"' in page
    response = _comment(client, draft, body="x" * 5001)
    assert response.status_code == 400
    assert _comments(app) == []


def test_a_malformed_email_is_refused(app, client, draft):
    response = _comment(client, draft, author_email="khong-phai-email")
    assert response.status_code == 400
    assert _comments(app) == []


def test_the_honeypot_refuses_bots(app, client, draft):
    response = _comment(client, draft, website="http://spam.example")
    assert response.status_code == 400
    assert _comments(app) == []


def test_comments_on_drafts_that_are_not_public_are_404(app, client):
    now = datetime.now(UTC)
    with app.app_context():
        slug = create_disclosure(
            status="draft",
            is_consultation=True,
            comments_open_at=now - timedelta(days=1),
            comments_close_at=now + timedelta(days=1),
        ).slug
    token = client.csrf_token("/staff/login")
    client.post(
        f"/cong-khai/van-ban/{slug}/y-kien", data={"csrf_token": token, "body": BODY}, expect=404
    )


# --- Moderation ----------------------------------------------------------------------------------


@pytest.fixture
def editor_client(app):
    with app.app_context():
        editor = create_user(role="editor")
    staff = PageClient(app.test_client())
    sign_in(staff, editor)
    return staff


def test_approved_comments_are_public_and_escaped(app, client, editor_client, draft):
    _comment(client, draft, body='<script>alert("x")</script> Ý kiến', author_name="<b>An</b>")
    [comment] = _comments(app)
    queue = editor_client.get("/staff/comments").get_data(as_text=True)
    assert "&lt;script&gt;" in queue and "<script>alert" not in queue
    editor_client.submit(
        f"/staff/comments/{comment.public_id}/approve", {}, token_from="/staff/comments"
    )
    page = client.get(f"/cong-khai/van-ban/{draft}").get_data(as_text=True)
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Ý kiến" in page
    assert "<script>alert" not in page
    assert "&lt;b&gt;An&lt;/b&gt;" in page
    with app.app_context():
        event = db.session.scalars(
            db.select(AuditEvent).where(AuditEvent.action == "draft-comment.approved")
        ).one()
        assert event.target_id == comment.public_id
        assert "alert" not in str(event.detail)


def test_rejected_comments_stay_private_and_the_email_is_never_shown(
    app, client, editor_client, draft
):
    _comment(client, draft, body="Nội dung không phù hợp", author_email="an@example.vn")
    _comment(client, draft, body="Ý kiến xác đáng", author_email="binh@example.vn")
    first, second = _comments(app)
    editor_client.submit(
        f"/staff/comments/{first.public_id}/reject", {}, token_from="/staff/comments"
    )
    editor_client.submit(
        f"/staff/comments/{second.public_id}/approve", {}, token_from="/staff/comments"
    )
    page = client.get(f"/cong-khai/van-ban/{draft}").get_data(as_text=True)
    assert "Ý kiến xác đáng" in page
    assert "Nội dung không phù hợp" not in page
    assert "example.vn" not in page
    assert [c.status for c in _comments(app)] == [CommentStatus.REJECTED, CommentStatus.APPROVED]
    queue = editor_client.get("/staff/comments").get_data(as_text=True)
    assert say(app, "No comments are waiting.") in queue


def test_a_comment_is_moderated_once(app, client, editor_client, draft):
    _comment(client, draft)
    [comment] = _comments(app)
    url = f"/staff/comments/{comment.public_id}/approve"
    editor_client.submit(url, {}, token_from="/staff/comments")
    editor_client.submit(
        f"/staff/comments/{comment.public_id}/reject", {}, token_from="/staff/comments"
    )
    assert _comments(app)[0].status == CommentStatus.APPROVED


@pytest.mark.parametrize("role", ["admin", "handler", "head", "leader"])
def test_only_editors_moderate(app, client, draft, role):
    _comment(client, draft)
    [comment] = _comments(app)
    with app.app_context():
        user = create_user(role=role)
    staff = PageClient(app.test_client())
    sign_in(staff, user)
    staff.submit(
        f"/staff/comments/{comment.public_id}/approve", {}, token_from="/staff/", expect=403
    )
    assert _comments(app)[0].status == CommentStatus.PENDING


def test_comments_are_never_logged(app, client, draft, caplog):
    with caplog.at_level("DEBUG"):
        _comment(client, draft, body="Bí mật riêng tư 12345")
    assert "Bí mật riêng tư 12345" not in caplog.text


def test_the_report_is_linked_from_the_draft_after_closing(app, client):
    now = datetime.now(UTC)
    with app.app_context():
        d = create_disclosure(
            is_consultation=True,
            comments_open_at=now - timedelta(days=30),
            comments_close_at=now - timedelta(days=2),
        )
        page = client.get(f"/cong-khai/van-ban/{d.slug}").get_data(as_text=True)
        assert say(app, REPORT_PENDING) in page
        services.publish_consultation_report(
            d, report_html="<p>Đã tiếp thu 2 ý kiến, giải trình 1 ý kiến.</p>", actor=None
        )
        slug = d.slug
    page = client.get(f"/cong-khai/van-ban/{slug}").get_data(as_text=True)
    # In Vietnamese the heading is part of the "will be published here" sentence, so check
    # that sentence is gone as well as that the heading is there.
    assert say(app, REPORT_HEADING) in page
    assert say(app, REPORT_PENDING) not in page
    assert "Đã tiếp thu 2 ý kiến" in page


# --- Rate limit ------------------------------------------------------------------------------------


def test_comments_are_rate_limited_per_address(app):
    overrides = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": "memory://",
        "DRAFT_COMMENT_RATE_LIMIT": "2 per day",
    }
    with other_app(app, "testing", overrides) as limited:
        with limited.app_context():
            slug = open_consultation().slug
        client = PageClient(limited.test_client())
        statuses = [_comment(client, slug).status_code for _ in range(3)]
        assert statuses == [302, 302, 429]
        # Another address is not affected.
        other = _comment(client, slug, environ_base={"REMOTE_ADDR": "10.1.2.3"})
        assert other.status_code == 302
        # Reading the draft is never limited.
        client.get(f"/cong-khai/van-ban/{slug}")
