"""Demo cases for the handling unit, loaded by `flask demo load` (idempotent).

The samples (demo_samples.py) are about 35 fictitious cases of a provincial Department of
Finance, in Vietnamese, spread over the last months and over every step of the workflow:
received (some past their acceptance deadline, some due soon), classified, accepted, assigned
(the demo handler's own list has overdue and due-soon cases), verifying, drafted, approved,
responded, closed, not accepted, transferred, merged, withdrawn; a complex denunciation with an
extension, an anonymous reflection, letters, calls, e-mails and a reception visit recorded by
staff, two reception logbook entries and a request for input to another unit.

Each case is played through the real services (submit_case, handling, handling_work,
responses, tracking), as the head, the handler or the citizen, so it obeys the same rules
and writes the same events, audit entries and e-mails. The services act "now"; after each
step the demo dates what that step wrote back to the day the sample says (events, accepted_on,
messages, responses…) and recomputes the deadlines. The audit log keeps the real loading
time: it is append-only. Call load() inside a request context (links in the e-mails), after
the demo head and handler are committed in the unit that handles cases.

A case's submission token is "demo-<sample key>": a second run skips the samples it finds.

Access keys: the showcase cases (showcase()) get a key derived from SECRET_KEY instead of a
random one, so it is the same on every run and kept nowhere. `flask demo load` prints their
numbers and keys after the staff accounts and writes them under the accounts table in the
demo accounts file, to open the cases on the citizen's look-up page (/tra-cuu).
"""

import hashlib
import hmac
import io
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from werkzeug.datastructures import FileStorage

from portal.accounts.models import User
from portal.accounts.permissions import Role
from portal.cases import (
    access,
    deadlines,
    handling,
    handling_work,
    reception_log,
    response_templates,
    responses,
    retention,
    services,
    tracking,
)
from portal.cases.demo_samples import AUTHORITY, GUIDANCE, SAMPLES, Sample, Step, Visit
from portal.cases.forms import DECLARATION_TEXT
from portal.cases.identity import Identity
from portal.cases.models import Case, Channel, ReceptionEntry
from portal.contacts.demo import minimal_pdf
from portal.contacts.models import Unit
from portal.core.workdays import VIETNAM, add_working_days, is_working_day, local_date
from portal.extensions import db
from portal.procedures.models import Procedure

TOKEN_PREFIX = "demo-"
DAY_MINUTES = 24 * 60
# The line of a response template the handler writes ("[Nội dung trả lời…]").
_TO_WRITE = re.compile(r"\[[^\]\n]*\]")


# --- Playing the samples ----------------------------------------------------------------------


@dataclass
class _Play:
    head: User
    handler: User
    now: datetime
    today: date
    units: dict[str, int]
    procedures: dict[str, int]

    def day(self, days: int) -> date:
        """The day `days` working days before today (today for 0)."""
        day = self.today
        while days > 0:
            day -= timedelta(days=1)
            if is_working_day(day):
                days -= 1
        return day

    def moment(self, days: int, minutes: int) -> datetime:
        """`minutes` after 8:00 on the day `days` working days back; today, before now."""
        local = datetime.combine(self.day(days), time(8, 0), tzinfo=VIETNAM)
        moment = (local + timedelta(minutes=minutes)).astimezone(UTC)
        # Today's steps stay before now, still in their order.
        return min(moment, self.now - timedelta(seconds=DAY_MINUTES - minutes))

    def step_moment(self, sample: Sample, days: int, order: int) -> datetime:
        """When the sample's `order`th event happened (0: its receipt)."""
        start = zlib.crc32(sample.key.encode()) % 90  # cases do not all arrive at 8:00
        return self.moment(days, start + 35 * order)


def _staff(role: Role, unit_id: int) -> User | None:
    return db.session.scalar(
        db.select(User)
        .where(User.role == str(role), User.unit_id == unit_id, User.active.is_(True))
        .order_by(User.id)
        .limit(1)
    )


def by_key(key: str) -> Case | None:
    return services.by_token(TOKEN_PREFIX + key)


def demo_key(sample_key: str) -> str:
    """The showcase case's access key: derived from SECRET_KEY, the same on every run."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(secret, b"demo-case:" + sample_key.encode(), hashlib.sha256).digest()
    raw = "".join(access.ALPHABET[b % len(access.ALPHABET)] for b in digest[: access.SYMBOLS])
    size = access.GROUP_SIZE
    return "-".join(raw[i : i + size] for i in range(0, len(raw), size))


def showcase() -> list[tuple[str, str, str]]:
    """(number, access key, title) of the showcase cases present and still on their key."""
    shown = []
    for sample in SAMPLES:
        case = by_key(sample.key) if sample.showcase else None
        if case is None:
            continue
        key = demo_key(sample.key)
        # The citizen's "lost key" page may have replaced it since.
        if access.check_key(case.access_key_hash, key):
            shown.append((case.number, key, case.title))
    return shown


def load() -> str | None:
    """Play the samples not yet in the register; return a one-line summary, or None."""
    unit_id = services.handling_unit_id()
    head = _staff(Role.HEAD, unit_id) if unit_id else None
    handler = _staff(Role.HANDLER, unit_id) if unit_id else None
    if head is None or handler is None:
        return None
    now = datetime.now(UTC)
    play = _Play(
        head=head,
        handler=handler,
        now=now,
        today=local_date(now),
        units={u.name: u.id for u in db.session.scalars(db.select(Unit))},
        procedures=dict(db.session.execute(db.select(Procedure.code, Procedure.id)).all()),
    )
    added = 0
    entries = int(_guidance_visit(play))
    # Oldest first: numbers follow the order the cases arrived in.
    for sample in sorted(SAMPLES, key=lambda s: -s.received):
        if by_key(sample.key) is not None:
            continue
        case = _submit(play, sample)
        entries += int(case.reception_entry_id is not None)
        for order, step in enumerate(sample.steps, start=1):
            moment = play.step_moment(sample, step.days, order)
            ACTIONS[step.action](play, case, step, moment)
        added += 1
    if not (added or entries):
        return None
    return f"Cases: {added} demo cases and {entries} reception logbook entries added."


def _guidance_visit(play: _Play) -> bool:
    exists = db.session.scalar(
        db.select(ReceptionEntry.id).where(ReceptionEntry.subject == GUIDANCE.subject)
    )
    if exists is not None:
        return False
    _record_visit(play, GUIDANCE, play.day(GUIDANCE.days), play.moment(GUIDANCE.days, 150))
    return True


def _record_visit(play: _Play, visit: Visit, day: date, moment: datetime) -> ReceptionEntry:
    entry = reception_log.record_entry(
        reception_log.EntryData(
            received_on=day,
            received_by=f"{play.handler.full_name}, cán bộ tiếp công dân",
            visitors=visit.visitors,
            people_count=visit.people,
            subject=visit.subject,
            outcome=visit.outcome,
        ),
        actor=play.handler,
    )
    entry.created_at = moment
    db.session.commit()
    return entry


def _submit(play: _Play, sample: Sample) -> Case:
    day = play.day(sample.received)
    moment = play.step_moment(sample, sample.received, 0)
    recorded = sample.channel != Channel.WEB
    entry = None
    if sample.visit is not None:
        entry = _record_visit(play, sample.visit, day, moment)
    letter = None
    if sample.letter:
        letter = services.Upload(
            name="Đơn (bản quét).pdf",
            data=minimal_pdf(
                f"Đơn – {sample.title} (bản quét mẫu)",
                ("DON (ban quet mau - sample scanned letter)", "", sample.key),
            ),
        )
    services.submit_case(
        services.Submission(
            kind=sample.kind,
            topic=sample.topic,
            title=sample.title,
            description=sample.description,
            submission_token=TOKEN_PREFIX + sample.key,
            declaration_text="" if recorded else handling.in_default_locale(DECLARATION_TEXT),
            place=sample.place,
            procedure_id=play.procedures.get(sample.procedure),
            concerned_unit_id=play.units.get(sample.concerned),
            decision_concerned=sample.decision if sample.kind == "complaint" else "",
            decision_known_on=day - timedelta(days=sample.known_days)
            if sample.kind == "complaint"
            else None,
            anonymous=sample.who is None,
            identity=sample.who or Identity(),
            channel=sample.channel,
            received_on=day if recorded else None,
            letter=letter,
            reception_entry_id=entry.id if entry is not None else None,
            publish_consent=sample.consent,
        ),
        now=moment,
        actor=play.handler if recorded else None,
    )
    case = by_key(sample.key)
    case.created_at = moment
    for event in case.events:
        event.occurred_at = moment
    for attachment in case.attachments:
        attachment.created_at = moment
    if sample.showcase:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        case.access_key_hash = access.hash_key(demo_key(sample.key), method=method)
    db.session.commit()
    return case


# --- Dating each step back ------------------------------------------------------------------

_CASE_TIMES = ("classified_at", "assigned_at", "closed_at", "withdrawn_at", "rated_at")
_RESPONSE_TIMES = ("drafted_at", "approved_at", "published_at")


def _seen(case: Case) -> dict:
    return {
        "rows": {
            (name, row.id)
            for name in ("events", "messages", "extensions", "consultations", "attachments")
            for row in getattr(case, name)
        },
        "times": {name: getattr(case, name) for name in _CASE_TIMES},
        "accepted_on": case.accepted_on,
        "resolved_on": case.resolved_on,
        "ended_on": case.ended_on,
        "responses": {
            (r.id, name): getattr(r, name) for r in case.responses for name in _RESPONSE_TIMES
        },
    }


def _date_back(case: Case, seen: dict, moment: datetime) -> None:
    new = {
        "events": "occurred_at",
        "messages": "created_at",
        "extensions": "created_at",
        "consultations": "requested_at",
        "attachments": "created_at",
    }
    for name, column in new.items():
        for row in getattr(case, name):
            if (name, row.id) not in seen["rows"]:
                setattr(row, column, moment)
    for name in _CASE_TIMES:
        value = getattr(case, name)
        if value is not None and value != seen["times"][name]:
            setattr(case, name, moment)
    for name in ("accepted_on", "resolved_on", "ended_on"):
        value = getattr(case, name)
        if value is not None and value != seen[name]:
            setattr(case, name, local_date(moment))
    for response in case.responses:
        for name in _RESPONSE_TIMES:
            value = getattr(response, name)
            if value is not None and value != seen["responses"].get((response.id, name)):
                setattr(response, name, moment)
    case.updated_at = moment
    retention.follow(case, now=moment)
    deadlines.refresh(case)


def _dated(cases: list[Case], moment: datetime, action: Callable[[], object]) -> None:
    """Run one service step, then date what it wrote to `moment` (the demo's past)."""
    before = [_seen(case) for case in cases]
    action()
    for case, seen in zip(cases, before, strict=True):
        _date_back(case, seen, moment)
    db.session.commit()


# --- The steps, each through its service ------------------------------------------------------


def _worker(play: _Play, case: Case) -> User:
    """Who works the case: its assignee, else the head."""
    if case.assignee_id is None:
        return play.head
    return db.session.get(User, case.assignee_id)


def _classify(play: _Play, case: Case, step: Step, moment: datetime) -> None:
    o = step.options
    _dated(
        [case],
        moment,
        lambda: handling.classify_case(
            case,
            by=play.head,
            version=case.version,
            kind=o.get("kind", case.kind),
            processable=o.get("processable", True),
            within_competence=o.get("competent", True),
            resolving_authority=o.get("authority", AUTHORITY),
            note=o.get("note", ""),
        ),
    )


def _accept(play: _Play, case: Case, step: Step, moment: datetime) -> None:
    _dated([case], moment, lambda: handling.accept_case(case, by=play.head, version=case.version))


def _not_accept(play: _Play, case: Case, step: Step, moment: datetime) -> None:
    o = step.options
    _dated(
        [case],
        moment,
        lambda: handling.not_accept_case(
            case, by=play.head, version=case.version, reason=o["reason"], note=o["note"]
        ),
    )


def _transfer(play: _Play, case: Case, step: Step, moment: datetime) -> None:
    o = step.options
    _dated(
        [case],
        moment,
        lambda: handling.transfer_case(
            case, by=play.head, version=case.version, transferred_to=o["to"], note=o["note"]
        ),
    )


def _merge(play: _Play, case: Case, step: Step, moment: datetime) -> None:
    target = by_key(step.options["into"])
    _dated(
        [case, target],
        moment,
        lambda: handling.merge_case(
            case,
            by=play.head,
            version=case.version,
            target_number=target.number,
            note=step.options["note"],
        ),
    )


def _assign(play: _Play, case: Case, step: Step, moment: datetime) -> None:
    assignee = play.head if step.options.get("to") == "head" else play.handler
    _dated(
        [case],
        moment,
        lambda: handling_work.assign_case(
            case, by=play.head, version=case.version, assignee_id=assignee.id
        ),
    )


def _verify(play: _Play, case: Case, step: Step, moment: datetime) -> None:
    worker = _worker(play, case)
    _dated(
        [case],
        moment,
        lambda: handling_work.start_verifying(case, by=worker, version=case.version),
    )


def _message(play: _Play, case: Case, step: Step, moment: datetime) -> None:
    worker = _worker(play, case)
    _dated(
        [case],
        moment,
        lambda: handling_work.send_message(
            case, by=worker, version=case.version, body=step.options["body"]
        ),
    )


def _reply(play: _Play, case: Case, step: Step, moment: datetime) -> None:
    _dated([case], moment, lambda: tracking.add_message(case, step.options["body"]))


def _note(play: _Play, case: Case, step: Step, moment: datetime) -> None:
    worker = _worker(play, case)
    _dated(
        [case],
        moment,
        lambda: handling_work.add_note(
            case, by=worker, version=case.version, note=step.options["note"]
        ),
    )


def _consult(play: _Play, case: Case, step: Step, moment: datetime) -> None:
    unit_id = play.units.get(step.options["unit"])
    if unit_id is None:
        return
    worker = _worker(play, case)
    _dated(
        [case],
        moment,
        lambda: handling_work.request_input(
            case,
            by=worker,
            version=case.version,
            unit_id=unit_id,
            question=step.options["question"],
            # Asked a few days ago, answer still to come: the due date lies ahead.
            due_on=add_working_days(play.today, 3),
        ),
    )


def _complexity(play: _Play, case: Case, step: Step, moment: datetime) -> None:
    _dated(
        [case],
        moment,
        lambda: handling_work.set_complexity(
            case, by=play.head, version=case.version, complexity=step.options["level"]
        ),
    )


def _extend(play: _Play, case: Case, step: Step, moment: datetime) -> None:
    _dated(
        [case],
        moment,
        lambda: handling_work.extend_case(
            case,
            by=play.head,
            version=case.version,
            reason=step.options["reason"],
            decided_on=local_date(moment),
        ),
    )


def _response_body(case: Case, outcome: str, text: str) -> str:
    """The template of the case's kind and outcome, with the handler's part written."""
    return _TO_WRITE.sub(lambda _: text, response_templates.prefilled_body(case, outcome), count=1)


def _document(case: Case) -> FileStorage:
    data = minimal_pdf(
        f"Văn bản trả lời hồ sơ {case.number} (văn bản mẫu)",
        (f"VAN BAN TRA LOI HO SO {case.number}", "Van ban mau (sample document)"),
    )
    return FileStorage(stream=io.BytesIO(data), filename=f"Văn bản trả lời {case.number}.pdf")


def _draft(play: _Play, case: Case, step: Step, moment: datetime) -> None:
    o = step.options
    worker = _worker(play, case)
    _dated(
        [case],
        moment,
        lambda: responses.draft_response(
            case,
            outcome=o["outcome"],
            body=_response_body(case, o["outcome"], o["text"]),
            files=[_document(case)] if o.get("document") else [],
            actor=worker,
            case_version=case.version,
        ),
    )


def _return(play: _Play, case: Case, step: Step, moment: datetime) -> None:
    response = responses.open_response(case)
    _dated(
        [case],
        moment,
        lambda: responses.return_response(
            response,
            actor=play.head,
            note=step.options["note"],
            version=response.version,
            case_version=case.version,
        ),
    )


def _redraft(play: _Play, case: Case, step: Step, moment: datetime) -> None:
    response = responses.open_response(case)
    worker = _worker(play, case)
    _dated(
        [case],
        moment,
        lambda: responses.update_response(
            response,
            outcome=response.outcome,
            body=_response_body(case, response.outcome, step.options["text"]),
            files=[],
            actor=worker,
            version=response.version,
        ),
    )


def _approve(play: _Play, case: Case, step: Step, moment: datetime) -> None:
    response = responses.open_response(case)
    _dated(
        [case],
        moment,
        lambda: responses.approve_response(
            response, actor=play.head, version=response.version, case_version=case.version
        ),
    )


def _publish(play: _Play, case: Case, step: Step, moment: datetime) -> None:
    response = responses.open_response(case)
    worker = _worker(play, case)
    _dated(
        [case],
        moment,
        lambda: responses.publish_response(
            response,
            actor=worker,
            version=response.version,
            case_version=case.version,
            decision_text=step.options.get("decision"),
        ),
    )


def _rate(play: _Play, case: Case, step: Step, moment: datetime) -> None:
    o = step.options
    _dated(
        [case],
        moment,
        lambda: tracking.rate_case(
            case, rating=o["rating"], solved=o["solved"], comment=o.get("comment", "")
        ),
    )


def _close(play: _Play, case: Case, step: Step, moment: datetime) -> None:
    worker = _worker(play, case)
    _dated([case], moment, lambda: handling.close_case(case, by=worker, version=case.version))


def _withdraw(play: _Play, case: Case, step: Step, moment: datetime) -> None:
    _dated([case], moment, lambda: tracking.withdraw_case(case, step.options["reason"]))


ACTIONS: dict[str, Callable[[_Play, Case, Step, datetime], None]] = {
    "classify": _classify,
    "accept": _accept,
    "not-accept": _not_accept,
    "transfer": _transfer,
    "merge": _merge,
    "assign": _assign,
    "verify": _verify,
    "message": _message,
    "reply": _reply,
    "note": _note,
    "consult": _consult,
    "complexity": _complexity,
    "extend": _extend,
    "draft": _draft,
    "return": _return,
    "redraft": _redraft,
    "approve": _approve,
    "publish": _publish,
    "rate": _rate,
    "close": _close,
    "withdraw": _withdraw,
}
