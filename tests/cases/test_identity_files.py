"""A confidential submitter's own letter and files travel with the identity: only the
assigned handler and the head of the unit open them; colleagues and leaders see a count."""

import io

import pytest
from werkzeug.datastructures import FileStorage

from portal.cases import tracking
from portal.cases.models import Case, CaseStatus
from portal.extensions import db
from tests.auth import sign_in
from tests.cases import test_case_page
from tests.cases.factories import create_case
from tests.cases.test_case_page import PDF, add_file, page_url, today
from tests.cases.wording import say

team = test_case_page.team  # the same staff fixture as the case page's tests

PROTECTED = (
    "%(num)d file is kept with the protected identity: only the assigned handler and the head "
    "open it.",
    "%(num)d files are kept with the protected identity: only the assigned handler and the head "
    "open them.",
)


@pytest.fixture
def uploads(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_FOLDER", str(tmp_path / "uploads"))


def _case(app, team, *, kind="denunciation"):
    with app.app_context():
        case, _ = create_case(
            kind=kind,
            name="Vi Thị Tô",
            handling_unit_id=team.unit.id,
            assignee_id=team.handler.id,
            status=CaseStatus.ASSIGNED,
            accepted_on=today(),
        )
    return case


@pytest.mark.parametrize("who", ["handler", "head"])
def test_the_assigned_handler_and_the_head_open_a_denouncers_letter(
    app, client, team, uploads, who
):
    case = _case(app, team)
    file_id = add_file(app, case, name="Đơn tố cáo (bản quét).pdf")
    sign_in(client, getattr(team, who))

    html = client.get(page_url(case)).get_data(as_text=True)

    assert "Đơn tố cáo (bản quét).pdf" in html
    client.get(f"{page_url(case)}/files/{file_id}", expect=200)


@pytest.mark.parametrize("who", ["handler2", "leader"])
def test_others_who_read_the_case_see_only_that_files_are_protected(
    app, client, team, uploads, who
):
    case = _case(app, team)
    file_id = add_file(app, case, name="Đơn tố cáo (bản quét).pdf")
    sign_in(client, getattr(team, who))

    html = client.get(page_url(case)).get_data(as_text=True)

    assert "Đơn tố cáo (bản quét).pdf" not in html
    assert file_id not in html
    with app.test_request_context():
        from flask_babel import ngettext

        note = ngettext(
            "%(num)d file is kept with the protected identity: only the assigned handler and "
            "the head open it.",
            "%(num)d files are kept with the protected identity: only the assigned handler and "
            "the head open them.",
            1,
        )
    assert str(note) in html
    client.get(f"{page_url(case)}/files/{file_id}", expect=403)


def test_files_of_a_case_that_is_not_confidential_are_open_to_its_readers(
    app, client, team, uploads
):
    case = _case(app, team, kind="complaint")  # not confidential
    file_id = add_file(app, case, name="Quyết định.pdf")
    sign_in(client, team.leader)

    assert "Quyết định.pdf" in client.get(page_url(case)).get_data(as_text=True)
    client.get(f"{page_url(case)}/files/{file_id}", expect=200)
    assert say(app, "No files.") not in client.get(page_url(case)).get_data(as_text=True)


def _citizen_sends(app, case, name) -> str:
    """The citizen adds a message with a PDF from the tracking page; the file's public id."""
    with app.app_context():
        found = db.session.get(Case, case.id)
        message = tracking.add_message(
            found, "Tôi gửi thêm bản tường trình có chữ ký.", [FileStorage(io.BytesIO(PDF), name)]
        )
        return message.attachments[0].public_id


@pytest.mark.parametrize("who", ["handler2", "leader"])
def test_files_the_denouncer_sends_later_are_protected_like_the_letter(
    app, client, team, uploads, who
):
    case = _case(app, team)
    file_id = _citizen_sends(app, case, "Bản tường trình có chữ ký.pdf")
    sign_in(client, getattr(team, who))

    html = client.get(page_url(case)).get_data(as_text=True)

    assert "Tôi gửi thêm bản tường trình" in html  # the text, like the letter's, is readable
    assert "Bản tường trình có chữ ký.pdf" not in html and file_id not in html
    assert say(app, *PROTECTED, 1) in html
    client.get(f"{page_url(case)}/files/{file_id}", expect=403)


@pytest.mark.parametrize("who", ["handler", "head"])
def test_those_who_may_reveal_open_what_the_denouncer_sends_later(app, client, team, uploads, who):
    case = _case(app, team)
    file_id = _citizen_sends(app, case, "Bản tường trình có chữ ký.pdf")
    sign_in(client, getattr(team, who))

    assert "Bản tường trình có chữ ký.pdf" in client.get(page_url(case)).get_data(as_text=True)
    client.get(f"{page_url(case)}/files/{file_id}", expect=200)


def test_later_files_of_a_case_that_is_not_confidential_are_open_to_its_readers(
    app, client, team, uploads
):
    case = _case(app, team, kind="complaint")
    file_id = _citizen_sends(app, case, "Bổ sung.pdf")
    sign_in(client, team.leader)

    assert "Bổ sung.pdf" in client.get(page_url(case)).get_data(as_text=True)
    client.get(f"{page_url(case)}/files/{file_id}", expect=200)
