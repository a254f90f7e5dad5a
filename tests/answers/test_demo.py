"""The demo published answers: written from the consenting demo cases, published, searchable,
loaded once."""

from types import SimpleNamespace

import pytest

from portal.answers import demo as answers_demo
from portal.answers.models import AnswerStatus, PublishedAnswer
from portal.cases import demo as cases_demo
from portal.cases import services as case_services
from portal.cases.identity import unseal
from portal.cases.models import Case
from portal.contacts import demo as contacts_demo
from portal.extensions import db
from tests.factories import create_user


@pytest.fixture
def loaded(app):
    with app.test_request_context():
        contacts_demo.load()
        unit_id = case_services.handling_unit_id()
        create_user(role="head", unit_id=unit_id)
        create_user(role="handler", unit_id=unit_id)
        cases_demo.load()
        first = answers_demo.load()
        second = answers_demo.load()
    return SimpleNamespace(first=first, second=second)


def test_each_consenting_answered_case_gives_one_published_answer(app, loaded):
    assert loaded.first == f"Published answers: {len(answers_demo.ANSWERS)} added."
    assert loaded.second is None
    with app.app_context():
        rows = db.session.scalars(db.select(PublishedAnswer)).all()
        assert len(rows) == len(answers_demo.ANSWERS)
        assert {r.status for r in rows} == {AnswerStatus.PUBLISHED}
        for row in rows:
            case = db.session.get(Case, row.case_id)
            assert case.publish_consent and case.kind != "denunciation"
            who = unseal(case.identity.sealed)
            text = f"{row.title} {row.question} {row.answer}"
            for secret in (who.name, who.email, who.phone, case.number):
                assert secret and secret not in text


def test_the_demo_answers_are_found_without_diacritics(client, loaded):
    page = client.get("/hoi-dap?q=le+phi+doanh+nghiep").get_data(as_text=True)
    assert "<mark>nghiệp</mark> tư nhân là bao nhiêu?" in page
