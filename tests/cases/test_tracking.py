"""Following a case: look-up by number and key, the session, the case page and its files."""

import hashlib
import io
import logging
import re

from portal.cases.models import Case
from portal.core.audit import AuditEvent
from portal.extensions import db
from tests.cases.factories import create_case
from tests.cases.wording import say

WRONG = "The case number or access key is not correct."  # msgid: pass it through say()
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def open_case(client, case, key, **kwargs):
    """Look the case up like a citizen; return the response (a redirect when it worked)."""
    return client.submit("/tra-cuu", {"number": case.number, "key": key}, **kwargs)


def case_url(case):
    return f"/tra-cuu/ho-so/{case.public_id}"


def error_summary(response):
    page = response.get_data(as_text=True)
    start = page.index('class="error-summary"')
    return page[start : page.index("</div>", start)]


def test_the_lookup_form_asks_for_number_and_key(client):
    page = client.get("/tra-cuu").get_data(as_text=True)
    assert 'name="number"' in page and 'name="key"' in page
    assert 'name="website"' in page  # the honeypot
    assert 'name="csrf_token"' in page


def test_number_and_key_open_the_case_page(app, client):
    with app.app_context():
        case, key = create_case(title="Đường hỏng ở thôn Nà Chè")
    response = open_case(client, case, key, expect=302)
    assert response.headers["Location"] == case_url(case)
    page = client.get(case_url(case))
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    assert case.number in html
    assert "Đường hỏng ở thôn Nà Chè" in html
    assert say(app, "Case received") in html
    assert case.acceptance_due_on.strftime("%d/%m/%Y") in html
    assert re.search(r"\d\d/\d\d/\d{4} \d\d:\d\d", html)


def test_the_key_may_be_typed_in_lower_case_without_dashes(app, client):
    with app.app_context():
        case, key = create_case()
    open_case(client, case, key.replace("-", " ").lower(), expect=302)


def test_wrong_key_and_unknown_number_get_the_same_answer(app, client):
    with app.app_context():
        case, key = create_case()
    wrong_key = open_case(client, case, "AAAA-BBBB-CCCC-DDDD-E", expect=401)
    unknown = client.submit("/tra-cuu", {"number": "PA-2026-999999", "key": key}, expect=401)
    assert say(app, WRONG) in error_summary(wrong_key)
    assert error_summary(wrong_key) == error_summary(unknown)
    # The key is not sent back; the number is kept.
    assert key not in unknown.get_data(as_text=True)
    assert 'value="PA-2026-999999"' in unknown.get_data(as_text=True)


def test_an_empty_form_says_what_to_enter(app, client):
    page = client.submit("/tra-cuu", {"number": "", "key": ""}, expect=400)
    assert say(app, "Enter the case number") in error_summary(page)


def test_the_honeypot_refuses_a_filled_form(app, client):
    with app.app_context():
        case, key = create_case()
    client.submit("/tra-cuu", {"number": case.number, "key": key, "website": "x"}, expect=400)


def test_the_key_appears_in_no_url_and_no_log(app, client, caplog):
    with app.app_context():
        case, key = create_case()
    caplog.set_level(logging.DEBUG)
    response = open_case(client, case, key, expect=302)
    assert key not in response.headers["Location"]
    assert case.number not in response.headers["Location"]
    assert str(case.id) != response.headers["Location"].rsplit("/", 1)[-1]
    client.get(case_url(case))
    open_case(client, case, "WRONG-KEY", expect=401)
    assert key not in caplog.text
    assert "WRONG-KEY" not in caplog.text
    with app.app_context():
        details = [
            str(e.detail) + str(e.target_id) for e in db.session.scalars(db.select(AuditEvent))
        ]
    assert all(key not in d for d in details)


def test_another_browser_cannot_open_the_case_page(app, client):
    with app.app_context():
        case, key = create_case()
    open_case(client, case, key, expect=302)
    other = type(client)(app.test_client())
    response = other.get(case_url(case), expect=302)
    assert response.headers["Location"] == "/tra-cuu"
    # The same for an id that does not exist: nothing tells them apart.
    assert other.get("/tra-cuu/ho-so/nothing-here", expect=302).headers["Location"] == "/tra-cuu"


def test_closing_the_case_forgets_it_in_this_browser(app, client):
    with app.app_context():
        case, key = create_case()
    open_case(client, case, key, expect=302)
    assert case.number in client.get("/tra-cuu").get_data(as_text=True)
    client.submit(f"{case_url(case)}/dong", {}, token_from=case_url(case), expect=302)
    client.get(case_url(case), expect=302)


def test_a_citizen_adds_a_message_with_a_file(app, client):
    with app.app_context():
        case, key = create_case()
    open_case(client, case, key, expect=302)
    response = client.submit(
        f"{case_url(case)}/bo-sung",
        {"body": "<b>Bổ sung</b> ảnh chụp", "files": [(io.BytesIO(PDF), "biên bản đ.pdf")]},
        token_from=case_url(case),
        content_type="multipart/form-data",
        expect=302,
    )
    assert response.headers["Location"] == case_url(case)
    html = client.get(case_url(case)).get_data(as_text=True)
    assert "&lt;b&gt;Bổ sung&lt;/b&gt; ảnh chụp" in html
    assert say(app, "You added information") in html
    link = re.search(r'href="(/tra-cuu/ho-so/[^"]+/tep/[^"]+)"', html).group(1)
    download = client.get(link)
    assert download.data == PDF
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=UTF-8''bi%C3%AAn%20b%E1%BA%A3n%20%C4%91.pdf"
        in download.headers["Content-Disposition"]
    )
    assert download.headers["Cache-Control"] == "no-store"
    # Another browser gets nothing, not even with the link.
    other = type(client)(app.test_client())
    other.get(link, expect=404)
    with app.app_context():
        saved = db.session.scalar(db.select(Case).where(Case.public_id == case.public_id))
        assert saved.messages[0].attachments[0].original_sha256 == hashlib.sha256(PDF).hexdigest()
        audit = db.session.scalars(db.select(AuditEvent.action)).all()
    assert "case.message-added" in audit


def test_a_refused_file_stores_nothing_and_keeps_the_text(app, client):
    with app.app_context():
        case, key = create_case()
    open_case(client, case, key, expect=302)
    response = client.submit(
        f"{case_url(case)}/bo-sung",
        {"body": "Thêm thông tin", "files": [(io.BytesIO(b"MZ not a pdf"), "a.pdf")]},
        token_from=case_url(case),
        content_type="multipart/form-data",
        expect=400,
    )
    html = response.get_data(as_text=True)
    assert "Thêm thông tin" in html
    assert (
        say(app, "Select the files again: for your safety the browser does not keep them.") in html
    )
    with app.app_context():
        saved = db.session.scalar(db.select(Case).where(Case.public_id == case.public_id))
        assert saved.messages == []


def test_too_many_files_are_refused(app, client):
    with app.app_context():
        case, key = create_case()
    open_case(client, case, key, expect=302)
    files = [(io.BytesIO(PDF), f"{n}.pdf") for n in range(app.config["CASE_MAX_FILES"] + 1)]
    client.submit(
        f"{case_url(case)}/bo-sung",
        {"body": "Nhiều tệp", "files": files},
        token_from=case_url(case),
        content_type="multipart/form-data",
        expect=400,
    )


def test_a_message_needs_text(app, client):
    with app.app_context():
        case, key = create_case()
    open_case(client, case, key, expect=302)
    client.submit(f"{case_url(case)}/bo-sung", {"body": ""}, token_from=case_url(case), expect=400)


def test_post_without_csrf_token_is_refused(app, client):
    with app.app_context():
        case, key = create_case()
    open_case(client, case, key, expect=302)
    client.post(f"{case_url(case)}/bo-sung", data={"body": "x"}, expect=400)
