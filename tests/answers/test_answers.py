"""Published answers: who writes and publishes them, the personal-data check, the public list
and search without diacritics, withdrawal, and the case's purge."""

import html
from dataclasses import dataclass
from datetime import date

import pytest

from portal.accounts.models import User
from portal.answers import services
from portal.answers.models import AnswerStatus, PublishedAnswer
from portal.cases.identity import Identity
from portal.cases.indexing import refresh_digests
from portal.cases.models import Case
from portal.core import cache
from portal.core.audit import AuditEvent
from portal.core.search import SearchEntry
from portal.extensions import db
from tests.apps import other_app
from tests.auth import sign_in
from tests.cases.factories import create_case
from tests.cases.wording import say
from tests.contacts.factories import create_unit
from tests.factories import create_user
from tests.pages import PageClient

CITIZEN = "Hoàng Thị Mai"
CITIZEN_EMAIL = "mai.hoang@example.vn"
CITIZEN_PHONE = "0912345678"
CASE_TEXT = "Tôi ở thôn Bản Chắt, hồ sơ của tôi nộp từ tháng 9 vẫn chưa có kết quả."
TITLE = "Thủ tục đăng ký hộ kinh doanh mất bao lâu?"
QUESTION = "Hồ sơ đăng ký hộ kinh doanh nộp trực tuyến được giải quyết trong bao nhiêu ngày?"
ANSWER = "Thủ tục được giải quyết trong 3 ngày làm việc kể từ khi nhận đủ hồ sơ hợp lệ."


@dataclass
class World:
    case: Case
    handler: User  # assigned
    head: User
    colleague: User  # same unit, not assigned
    leader: User
    other_head: User  # another unit

    @property
    def edit_url(self) -> str:
        return f"/staff/cases/{self.case.number}/answer"


def make_world(app, **fields) -> World:
    with app.app_context():
        unit = create_unit(handles_cases=True)
        other_unit = create_unit(handles_cases=True)
        handler = create_user(role="handler", unit_id=unit.id)
        head = create_user(role="head", unit_id=unit.id)
        colleague = create_user(role="handler", unit_id=unit.id)
        leader = create_user(role="leader")
        other_head = create_user(role="head", unit_id=other_unit.id)
        fields.setdefault("kind", "petition")
        fields.setdefault("status", "responded")
        fields.setdefault("publish_consent", True)
        fields.setdefault("resolved_on", date(2026, 11, 20))
        case, _key = create_case(
            name=CITIZEN,
            email=CITIZEN_EMAIL,
            phone=CITIZEN_PHONE,
            title="Hồ sơ của bà Mai chậm",
            description=CASE_TEXT,
            handling_unit_id=unit.id,
            assignee_id=handler.id,
            **fields,
        )
        saved = db.session.get(Case, case.id)
        refresh_digests(saved, Identity(name=CITIZEN, phone=CITIZEN_PHONE, email=CITIZEN_EMAIL))
        db.session.commit()
        db.session.refresh(saved)
        db.session.expunge(saved)
    return World(saved, handler, head, colleague, leader, other_head)


@pytest.fixture
def world(app) -> World:
    return make_world(app)


def the_answer(app) -> PublishedAnswer | None:
    with app.app_context():
        answer = db.session.scalar(db.select(PublishedAnswer))
        if answer is not None:
            db.session.expunge(answer)
        return answer


def write(
    client,
    world,
    *,
    title=TITLE,
    question=QUESTION,
    answer=ANSWER,
    version="",
    expect=302,
    token_from=None,
):
    data = {"title": title, "question": question, "answer": answer, "version": version}
    return client.submit(world.edit_url, data, expect=expect, token_from=token_from)


def publish(client, public_id, *, version, checked=True, expect=302):
    data = {"version": str(version)}
    if checked:
        data["checked"] = "y"
    return client.submit(
        f"/staff/answers/{public_id}/publish",
        data,
        token_from=f"/staff/answers/{public_id}",
        expect=expect,
    )


def written_and_published(app, client, world) -> PublishedAnswer:
    sign_in(client, world.handler)
    write(client, world)
    client.post("/staff/logout", data={"csrf_token": client.csrf_token("/staff/")})
    sign_in(client, world.head)
    answer = the_answer(app)
    publish(client, answer.public_id, version=answer.version)
    return the_answer(app)


# --- Rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "allowed"),
    [
        ({}, True),
        ({"status": "closed"}, True),
        ({"publish_consent": False}, False),
        ({"kind": "denunciation"}, False),
        ({"status": "verifying"}, False),
        ({"status": "approved"}, False),
    ],
)
def test_only_answered_cases_whose_submitter_consented_give_an_answer(app, fields, allowed):
    world = make_world(app, **fields)
    with app.app_context():
        assert services.eligible(world.case) is allowed


def test_the_personal_data_check_finds_contacts_numbers_and_the_case_number(app, world):
    with app.test_request_context():
        case = db.session.get(Case, world.case.id)
        assert services.personal_data_problems(case, TITLE, QUESTION, ANSWER) == []
        own = services.personal_data_problems(case, f"Gửi {CITIZEN_EMAIL.upper()}")
        assert [str(p) for p in own] == [
            say(app, "The text still contains the submitter's e-mail address.")
        ]
        other = services.personal_data_problems(case, "Liên hệ ai@example.com")
        assert [str(p) for p in other] == [
            say(app, "Remove the e-mail addresses: an answer names no one's contact.")
        ]
        for number in ("0912 345 678", "091.234.5678", "CCCD 001203004005"):
            assert services.personal_data_problems(case, number), number
        assert not services.personal_data_problems(case, "trong 30 ngày, năm 2026")
        assert services.personal_data_problems(case, f"Hồ sơ {case.number.lower()}")


# --- Writing and publishing -------------------------------------------------------------------


def test_the_handler_writes_a_draft_the_head_publishes_and_anyone_finds_it(app, client, world):
    sign_in(client, world.handler)
    page = client.get(f"/staff/cases/{world.case.number}").get_data(as_text=True)
    assert say(app, "Write a published answer") in page
    form = client.get(world.edit_url).get_data(as_text=True)
    assert CASE_TEXT in form  # the case's text is there for reference, not in the fields
    response = write(client, world)
    answer = the_answer(app)
    assert response.headers["Location"].endswith(f"/staff/answers/{answer.public_id}")
    assert answer.status == AnswerStatus.DRAFT
    assert (answer.kind, answer.topic, answer.answered_on) == (
        "petition",
        "procedure",
        date(2026, 11, 20),
    )
    client.get(f"/hoi-dap/{answer.public_id}", expect=404)
    # The handler cannot publish.
    publish(client, answer.public_id, version=answer.version, expect=403)

    client.post("/staff/logout", data={"csrf_token": client.csrf_token("/staff/")})
    sign_in(client, world.head)
    page = publish(client, answer.public_id, version=answer.version, checked=False, expect=400)
    assert say(app, "Confirm that the text identifies nobody") in page.get_data(as_text=True)
    assert the_answer(app).status == AnswerStatus.DRAFT
    publish(client, answer.public_id, version=answer.version)
    published = the_answer(app)
    assert published.status == AnswerStatus.PUBLISHED
    assert published.published_by_id == world.head.id

    public = client.get(f"/hoi-dap/{answer.public_id}").get_data(as_text=True)
    assert QUESTION in public and ANSWER in public
    found = client.get("/hoi-dap?q=thu+tuc+dang+ky").get_data(as_text=True)
    assert f"/hoi-dap/{answer.public_id}" in found
    everywhere = client.get("/tim-kiem?q=ho+kinh+doanh").get_data(as_text=True)
    assert f"/hoi-dap/{answer.public_id}" in everywhere
    listing = client.get("/hoi-dap").get_data(as_text=True)
    assert TITLE in listing

    with app.app_context():
        actions = [
            (e.action, e.actor_id)
            for e in db.session.scalars(
                db.select(AuditEvent).where(AuditEvent.target_type == "published_answer")
            )
        ]
        assert actions == [
            ("answer.drafted", world.handler.id),
            ("answer.published", world.head.id),
        ]
        texts = " ".join(str(e.detail) for e in db.session.scalars(db.select(AuditEvent)))
        assert QUESTION not in texts and ANSWER not in texts


def test_no_personal_data_reaches_the_public_pages(app, client, world):
    answer = written_and_published(app, client, world)
    fresh = type(client)(app.test_client())
    pages = [
        fresh.get("/hoi-dap").get_data(as_text=True),
        fresh.get(f"/hoi-dap/{answer.public_id}").get_data(as_text=True),
        fresh.get("/hoi-dap?q=ho+kinh+doanh").get_data(as_text=True),
        fresh.get("/tim-kiem?q=ho+kinh+doanh").get_data(as_text=True),
    ]
    for page in pages:
        for secret in (CITIZEN, CITIZEN_EMAIL, CITIZEN_PHONE, world.case.number, CASE_TEXT):
            assert secret not in page


def test_text_with_the_submitters_contact_is_refused_and_kept_in_the_form(app, client, world):
    sign_in(client, world.handler)
    typed = f"{ANSWER} Liên hệ lại bà qua {CITIZEN_EMAIL}."
    page = html.unescape(write(client, world, answer=typed, expect=400).get_data(as_text=True))
    assert say(app, "The text still contains the submitter's e-mail address.") in page
    assert TITLE in page and QUESTION in page and "Liên hệ lại bà qua" in page
    assert the_answer(app) is None
    page = write(client, world, title="", expect=400).get_data(as_text=True)
    assert say(app, "Enter a short title for the question") in page
    assert QUESTION in page


def test_a_stale_form_is_refused_and_keeps_what_was_typed(app, client, world):
    sign_in(client, world.handler)
    write(client, world)
    answer = the_answer(app)
    write(client, world, title="Tiêu đề mới", version=str(answer.version))
    page = write(client, world, title="Tiêu đề khác", version=str(answer.version), expect=409)
    assert "Tiêu đề khác" in page.get_data(as_text=True)
    assert the_answer(app).title == "Tiêu đề mới"


def test_editing_a_published_answer_takes_it_down_until_published_again(app, client, world):
    answer = written_and_published(app, client, world)
    write(client, world, title="Thời hạn đăng ký hộ kinh doanh", version=str(answer.version))
    edited = the_answer(app)
    assert edited.status == AnswerStatus.DRAFT and edited.published_at is None
    client.get(f"/hoi-dap/{answer.public_id}", expect=404)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(SearchEntry)) == 0


def test_the_head_withdraws_a_published_answer(app, client, world):
    answer = written_and_published(app, client, world)
    client.submit(
        f"/staff/answers/{answer.public_id}/withdraw",
        {"version": str(answer.version)},
        token_from=f"/staff/answers/{answer.public_id}",
        expect=302,
    )
    assert the_answer(app).status == AnswerStatus.WITHDRAWN
    client.get(f"/hoi-dap/{answer.public_id}", expect=404)
    page = client.get("/hoi-dap?q=ho+kinh+doanh").get_data(as_text=True)
    assert f"/hoi-dap/{answer.public_id}" not in page


# --- Who may ----------------------------------------------------------------------------------


def test_a_case_that_cannot_give_an_answer_has_no_form(app, client):
    world = make_world(app, publish_consent=False)
    sign_in(client, world.handler)
    page = client.get(f"/staff/cases/{world.case.number}").get_data(as_text=True)
    assert say(app, "Write a published answer") not in page
    client.get(world.edit_url, expect=302)
    write(client, world, expect=302, token_from="/staff/")
    assert the_answer(app) is None


@pytest.mark.parametrize(
    ("who", "status"),
    [("colleague", 403), ("leader", 403), ("other_head", 404)],
)
def test_only_the_handler_and_the_head_write(app, client, world, who, status):
    sign_in(client, getattr(world, who))
    client.get(world.edit_url, expect=status)


def test_who_reads_and_who_publishes_an_answer(app, client, world):
    sign_in(client, world.handler)
    write(client, world)
    answer = the_answer(app)
    url = f"/staff/answers/{answer.public_id}"
    for who, read, publish_status in [
        ("colleague", 200, 403),
        ("leader", 200, 403),
        ("other_head", 404, 404),
    ]:
        client.post("/staff/logout", data={"csrf_token": client.csrf_token("/staff/")})
        sign_in(client, getattr(world, who))
        client.get(url, expect=read)
        client.get("/staff/answers", expect=200)
        listed = answer.title in client.get("/staff/answers").get_data(as_text=True)
        assert listed is (read == 200), who
        data = {"version": str(answer.version), "checked": "y"}
        token = client.csrf_token("/staff/")
        response = client.post(f"{url}/publish", data={**data, "csrf_token": token})
        assert response.status_code == publish_status, who
    assert the_answer(app).status == AnswerStatus.DRAFT


# --- Purge ------------------------------------------------------------------------------------


def test_a_purged_case_leaves_its_published_answer(app, client, world):
    answer = written_and_published(app, client, world)
    with app.app_context():
        db.session.delete(db.session.get(Case, world.case.id))
        db.session.commit()
    kept = the_answer(app)
    assert kept.case_id is None and kept.status == AnswerStatus.PUBLISHED
    client.get(f"/hoi-dap/{answer.public_id}", expect=200)
    # The head of the unit still manages it.
    page = client.get(f"/staff/answers/{answer.public_id}").get_data(as_text=True)
    assert say(app, "Withdraw the answer") in page


def test_the_pages_read_in_english(app, client, world):
    answer = written_and_published(app, client, world)
    client.get("/ngon-ngu/en?next=/hoi-dap", expect=302)
    page = client.get("/hoi-dap").get_data(as_text=True)
    assert "Questions and answers" in page
    assert "Answer" in client.get(f"/hoi-dap/{answer.public_id}").get_data(as_text=True)


def test_publishing_and_withdrawing_show_at_once_although_the_pages_are_cached(app, world):
    settings = {
        "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
        "PUBLIC_PAGE_CACHE_SECONDS": 3600,
    }
    with other_app(app, "testing", settings) as application:
        cache.clear()
        try:
            reader = PageClient(application.test_client())
            empty = reader.get("/hoi-dap").get_data(as_text=True)
            assert TITLE not in empty
            assert reader.get("/hoi-dap").get_data(as_text=True) == empty  # from the cache
            with application.test_request_context():
                case = db.session.get(Case, world.case.id)
                head = db.session.get(User, world.head.id)
                row = services.save_answer(
                    case, title=TITLE, question=QUESTION, answer=ANSWER, actor=head
                )
                services.publish_answer(row, actor=head, version=row.version)
                public_id = row.public_id
            assert TITLE in reader.get("/hoi-dap").get_data(as_text=True)
            reader.get(f"/hoi-dap/{public_id}", expect=200)
            with application.test_request_context():
                row = db.session.scalar(db.select(PublishedAnswer))
                head = db.session.get(User, world.head.id)
                services.withdraw_answer(row, actor=head, version=row.version)
            assert TITLE not in reader.get("/hoi-dap").get_data(as_text=True)
            reader.get(f"/hoi-dap/{public_id}", expect=404)
        finally:
            cache.clear()
