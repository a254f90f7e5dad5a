"""A denouncer's identity never leaks: not in the inbox or its search, the case page, printed
documents or exports of staff who may not reveal it, e-mails to staff, the audit log, or any
log record, over a whole journey from the public form to a reveal.

Some pages are built in parallel with this file: a test that needs one skips, saying so,
while its endpoint (or template) is missing.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from jinja2 import TemplateNotFound

from portal.cases import handling, handling_work
from portal.cases.models import Case, Complexity
from portal.core.audit import AuditEvent
from portal.core.text import fold
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from tests.auth import sign_in
from tests.cases.test_intake import denunciation, submit
from tests.cases.wording import say
from tests.contacts.factories import create_unit
from tests.factories import create_user
from tests.pages import PageClient

NAME = "Đàm Thị Huyền Trang"
ADDRESS = "Số 12 ngõ 5 phố Kỳ Lừa"
PHONE_TYPED = "0915 222 333"
EMAIL = "huyen.trang.tc@example.vn"
TITLE = "Cán bộ một cửa đòi tiền bồi dưỡng"
REASON = "Cần mời người tố cáo đến làm việc để xác minh."

# Every form the identity could take in a page, a mail, a log line or an audit detail.
SECRETS = (
    NAME,
    "Huyền Trang",
    fold(NAME),
    "Huy&#7873;n",  # an HTML-escaped "Huyền"
    ADDRESS,
    "Kỳ Lừa",
    fold("Kỳ Lừa"),
    PHONE_TYPED,
    "0915222333",
    "+84915222333",
    "84915222333",
    EMAIL,
    "huyen.trang.tc",
)


def leaks(text: str) -> list[str]:
    """The forms of the identity found in the text."""
    lowered = text.lower()
    return [secret for secret in SECRETS if secret.lower() in lowered]


def has_page(app, endpoint: str, template: str | None = None) -> bool:
    if endpoint not in app.view_functions:
        return False
    if template is None:
        return True
    try:
        app.jinja_env.get_template(template)
    except TemplateNotFound:
        return False
    return True


def needs(app, endpoint: str, template: str | None = None) -> None:
    if not has_page(app, endpoint, template):
        pytest.skip(f"{endpoint} is not built yet (remove this skip once it is merged)")


@dataclass
class Journey:
    number: str = ""
    case_id: int = 0
    pages: dict[str, str] = field(default_factory=dict)  # what: html, by staff not allowed
    searches: dict[str, str] = field(default_factory=dict)  # query: html
    revealed: str = ""
    revealed_status: int = 0


def _staff_client(app, user) -> PageClient:
    client = PageClient(app.test_client())
    sign_in(client, user)
    return client


def _fetch(client, url: str) -> tuple[int, str]:
    # The raw client: the page checks belong to the pages' own tests.
    response = client.raw.get(url)
    return response.status_code, response.get_data(as_text=True)


def _case_urls(app, number: str) -> list[str]:
    """Every staff GET page about one case (documents and exports included)."""
    values = {"number": [number]}
    try:
        from portal.cases.documents import DOCUMENTS

        values["document"] = list(DOCUMENTS)
    except ImportError:
        pass
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("staff_cases.") or "GET" not in rule.methods:
            continue
        if "number" not in rule.arguments or not rule.arguments <= set(values):
            continue
        combos = [{}]
        for argument in rule.arguments:
            combos = [{**c, argument: v} for c in combos for v in values[argument]]
        for combo in combos:
            path = rule.rule
            for argument, value in combo.items():
                path = path.replace(f"<string:{argument}>", value).replace(f"<{argument}>", value)
            urls.append(path)
    return sorted(urls)


def _staff_lists(app) -> list[str]:
    """Every staff GET page that takes no argument (lists, reports, exports, settings)."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/staff/")
        and "GET" in rule.methods
        and not rule.arguments
        and not rule.rule.startswith("/staff/login")
    )


@pytest.fixture
def journey(app, caplog) -> Journey:
    """A denunciation from the public form to a reveal, with every page, mail and log kept."""
    caplog.set_level(logging.DEBUG)
    with app.app_context():
        unit = create_unit(name="Thanh tra", handles_cases=True)
        other_unit = create_unit(name="Phòng Kế hoạch")
        head = create_user(role="head", unit_id=unit.id)
        handler = create_user(role="handler", unit_id=unit.id)
        colleague = create_user(role="handler", unit_id=unit.id)
        consulted = create_user(role="handler", unit_id=other_unit.id)
        leader = create_user(role="leader")
        admin = create_user(role="admin")

    citizen = PageClient(app.test_client())
    submit(
        citizen,
        denunciation(
            title=TITLE,
            name=NAME,
            address=ADDRESS,
            phone=PHONE_TYPED,
            email=EMAIL,
            description="Cán bộ bộ phận một cửa đòi 500.000 đồng mới nhận hồ sơ.",
        ),
        expect=302,
    )
    trip = Journey()
    with app.app_context():
        case = db.session.scalars(db.select(Case)).one()
        trip.number, trip.case_id = case.number, case.id

    head_client = _staff_client(app, head)
    leader_client = _staff_client(app, leader)
    colleague_client = _staff_client(app, colleague)
    handler_client = _staff_client(app, handler)
    admin_client = _staff_client(app, admin)

    # The inbox and its search, as the head (who may reveal) and the leader.
    for label, client in (("head", head_client), ("leader", leader_client)):
        trip.pages[f"inbox ({label})"] = _fetch(client, "/staff/cases")[1]
    for query in (NAME, fold(NAME), "Huyền Trang", EMAIL, PHONE_TYPED, "Kỳ Lừa", "đòi tiền"):
        trip.searches[query] = _fetch(head_client, f"/staff/cases?q={query}")[1]
    if has_page(app, "staff_cases.case", "staff/cases/case.html"):
        trip.pages["case page before reveal (head)"] = _fetch(
            head_client, f"/staff/cases/{trip.number}"
        )[1]

    # The handling, through the unit's services: classify, accept, assign, complexity, an
    # extension, a message to the citizen, a request for input, the daily digest.
    with app.test_request_context():
        by_head = db.session.get(type(head), head.id)

        def fresh():
            return db.session.get(Case, trip.case_id)

        handling.classify_case(
            fresh(),
            by=by_head,
            version=fresh().version,
            kind="denunciation",
            processable=True,
            within_competence=True,
        )
        handling.accept_case(fresh(), by=by_head, version=fresh().version)
        handling_work.assign_case(
            fresh(), by=by_head, version=fresh().version, assignee_id=handler.id
        )
        handling_work.set_complexity(
            fresh(), by=by_head, version=fresh().version, complexity=Complexity.COMPLEX
        )
        handling_work.extend_case(
            fresh(),
            by=by_head,
            version=fresh().version,
            reason="Vụ việc phức tạp, cần xác minh nhiều nơi.",
            decided_on=fresh().accepted_on,
        )
        handling_work.send_message(
            fresh(), by=by_head, version=fresh().version, body="Đề nghị bổ sung chứng cứ."
        )
        handling_work.request_input(
            fresh(),
            by=by_head,
            version=fresh().version,
            unit_id=other_unit.id,
            question="Đề nghị cho ý kiến về hồ sơ.",
            due_on=handling.today() + timedelta(days=7),
        )
        case = fresh()
        case.due_on = handling.today()  # due today in Vietnam: it is in every digest
        db.session.commit()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["cases", "remind"]).exit_code == 0

    # Everyone who may read the case but not reveal the identity, on every page of the case.
    readers = {"leader": leader_client, "colleague": colleague_client}
    readers["consulted unit"] = _staff_client(app, consulted)
    for label, client in readers.items():
        for url in _case_urls(app, trip.number):
            if url.endswith("/identity"):
                continue  # the reveal itself, refused to them (test_identity.py)
            status, html = _fetch(client, url)
            trip.pages[f"{url} ({label}, {status})"] = html
    for url in _case_urls(app, trip.number):
        if not url.endswith("/identity"):
            trip.pages[f"{url} (handler before reveal)"] = _fetch(handler_client, url)[1]
    trip.pages["audit log before reveal"] = _fetch(admin_client, "/staff/audit-log")[1]
    # Every list, report and export of the staff area, as each role sees it.
    for url in _staff_lists(app):
        for label, client in (("head", head_client), ("leader", leader_client)):
            trip.pages[f"{url} ({label})"] = _fetch(client, url)[1]
        trip.pages[f"{url} (admin)"] = _fetch(admin_client, url)[1]

    # The assigned handler reveals, with a reason.
    response = handler_client.submit(f"/staff/cases/{trip.number}/identity", {"reason": REASON})
    trip.revealed_status = response.status_code
    trip.revealed = response.get_data(as_text=True)

    trip.pages["audit log after reveal"] = _fetch(admin_client, "/staff/audit-log")[1]
    trip.pages["inbox after reveal (handler)"] = _fetch(handler_client, "/staff/cases")[1]
    if has_page(app, "staff_cases.case", "staff/cases/case.html"):
        trip.pages["case page after reveal (handler)"] = _fetch(
            handler_client, f"/staff/cases/{trip.number}"
        )[1]
        trip.pages["case page after reveal (leader)"] = _fetch(
            leader_client, f"/staff/cases/{trip.number}"
        )[1]
    return trip


def test_the_reveal_shows_the_identity_so_the_checks_can_fail(journey):
    assert journey.revealed_status == 200
    assert NAME in journey.revealed
    assert leaks(journey.revealed)


def test_the_inbox_lists_the_case_without_the_denouncer(journey):
    for what in ("inbox (head)", "inbox (leader)", "inbox after reveal (handler)"):
        html = journey.pages[what]
        assert journey.number in html, what
        assert leaks(html) == [], what


def test_searching_by_the_denouncers_details_does_not_find_the_case(journey):
    assert journey.number in journey.searches["đòi tiền"]  # the search does find by its text
    for query, html in journey.searches.items():
        if query != "đòi tiền":
            assert journey.number not in html, f"found by searching {query!r}"


def test_the_search_text_holds_nothing_of_the_identity(app, journey):
    with app.app_context():
        case = db.session.get(Case, journey.case_id)
        assert leaks(case.search_text) == []


def test_no_staff_page_shows_the_identity_to_those_who_may_not_reveal_it(journey):
    assert any(journey.number in html for html in journey.pages.values())
    found = {what: leaks(html) for what, html in journey.pages.items() if leaks(html)}
    assert found == {}


def test_the_case_page_masks_the_denouncer(app, journey):
    needs(app, "staff_cases.case", "staff/cases/case.html")
    masked = say(app, "Denouncer — identity protected")
    for what in (
        "case page before reveal (head)",
        "case page after reveal (handler)",
        "case page after reveal (leader)",
    ):
        html = journey.pages[what]
        assert masked in html, what
        assert leaks(html) == [], what
    reveal_url = f"/staff/cases/{journey.number}/identity"
    assert reveal_url in journey.pages["case page before reveal (head)"]
    assert reveal_url not in journey.pages["case page after reveal (leader)"]


def test_printed_documents_mask_the_denouncer_for_readers(app, journey):
    needs(app, "staff_cases.document")
    printed = {what: html for what, html in journey.pages.items() if "/documents/" in what}
    assert printed
    assert {what: leaks(html) for what, html in printed.items() if leaks(html)} == {}


def test_no_email_to_staff_carries_the_identity(app, journey):
    with app.app_context():
        mails = db.session.scalars(db.select(OutboxMessage)).all()
        to_staff = [m for m in mails if m.recipient.lower() != EMAIL]
        to_citizen = [m for m in mails if m.recipient.lower() == EMAIL]
        assert to_citizen  # the acknowledgement at least
        for mail in to_staff:
            text = f"{mail.subject}\n{mail.body_text}\n{mail.body_html or ''}"
            assert leaks(text) == [], (mail.event, mail.recipient)


def test_no_email_to_the_citizen_names_them_to_anyone_else(app, journey, smtp):
    for envelope in smtp.messages:
        if [r.lower() for r in envelope.rcpt_tos] != [EMAIL]:
            assert leaks(envelope.content.decode("utf-8", "replace")) == []


def test_the_audit_log_holds_the_reveal_and_nothing_of_the_identity(app, journey):
    with app.app_context():
        entries = db.session.scalars(db.select(AuditEvent)).all()
        for entry in entries:
            text = " ".join(
                str(v) for v in (entry.action, entry.actor_label, entry.target_id, entry.detail)
            )
            assert leaks(text) == [], entry.action
        [reveal] = [e for e in entries if e.action == "case.identity.revealed"]
        assert (reveal.target_id, reveal.detail) == (journey.number, {"reason": REASON})
    for what in ("audit log before reveal", "audit log after reveal"):
        assert leaks(journey.pages[what]) == [], what


def test_no_log_record_carries_the_identity(journey, caplog):
    records = caplog.get_records("setup")  # the journey runs in the fixture
    assert any(r.name.startswith("portal") for r in records)  # the portal did log
    found = []
    for record in records:
        if record.name.startswith("mail.log"):
            continue  # the suite's own SMTP server (aiosmtpd), receiving the citizen's mail
        text = f"{record.name} {record.getMessage()} {record.exc_text or ''}"
        if leaks(text):
            found.append((record.name, record.levelname, leaks(text)))
    assert found == []
