"""Staff pages of cases: the case page and every triage and working action on it.

Each action is a POST from a form on the case page, carrying the case version the form was
drawn from. The guard checks the role's permission, `authz.case_for` gives 404 for a case the
user may not read, `handling.permitted` gives 403 for one they may read but not change; the
service then refuses a stale form or a move the case's state does not allow, and the page is
drawn again with what was typed and the reason.
"""

from urllib.parse import urlsplit, urlunsplit

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from portal.accounts.permissions import Permission
from portal.cases import authz, handling, handling_work, workflow
from portal.cases import handling_queries as queries
from portal.cases.handling_forms import (
    COMPLEXITY_LABELS,
    REFUSAL_REASONS,
    AcceptForm,
    AnswerForm,
    AssignForm,
    BulkAssignForm,
    ClassifyForm,
    CloseForm,
    ComplexityForm,
    ConsultForm,
    ExtensionForm,
    MergeForm,
    MessageForm,
    NotAcceptForm,
    NoteForm,
    ReopenForm,
    TransferForm,
    VerifyForm,
)
from portal.cases.models import CaseStatus, Channel, Kind
from portal.cases.staff_views import bp
from portal.core.security import requires, same_site_url
from portal.core.uploads import send_stored_file

# action -> (form class, template variable)
FORMS = {
    "classify": (ClassifyForm, "classify_form"),
    "accept": (AcceptForm, "accept_form"),
    "not-accept": (NotAcceptForm, "not_accept_form"),
    "transfer": (TransferForm, "transfer_form"),
    "merge": (MergeForm, "merge_form"),
    "assign": (AssignForm, "assign_form"),
    "complexity": (ComplexityForm, "complexity_form"),
    "extend": (ExtensionForm, "extend_form"),
    "verify": (VerifyForm, "verify_form"),
    "note": (NoteForm, "note_form"),
    "message": (MessageForm, "message_form"),
    "consult": (ConsultForm, "consult_form"),
    "close": (CloseForm, "close_form"),
    "reopen": (ReopenForm, "reopen_form"),
}


def _prepare(form, case):
    """Fill the choices that depend on the case."""
    if isinstance(form, AssignForm):
        form.assignee.choices = [("", _("Choose a handler"))] + [
            (str(u.id), u.full_name) for u in handling_work.assignable_staff(case)
        ]
    elif isinstance(form, ConsultForm):
        form.unit.choices = [("", _("Choose a unit"))] + [
            (str(u.id), u.name) for u in queries.other_units(case)
        ]
    return form


def _answer_forms(case, given: dict):
    forms = {}
    for consultation in case.consultations:
        if authz.can_answer_consultation(current_user, consultation):
            forms[consultation.public_id] = given.get(consultation.public_id) or AnswerForm.drawn(
                case, id_prefix=f"answer-{consultation.public_id}"
            )
    return forms


def _failed(values) -> list:
    """The forms sent back with errors: each gets an error summary at the top of the page."""
    return [f for f in values if hasattr(f, "form_errors") and (f.errors or f.form_errors)]


def render_case_page(case, status: int = 200, **extra):
    """Draw the staff case page; `extra` forms (with what was typed) replace the blank ones.

    Other staff views of the case (responses, identity, documents) may call this to show their
    own form again with its errors; their partials read whatever they pass in `extra`. A form
    in `extra` with errors gets its error summary at the top of the page (partials draw none).
    """
    actions = set(handling.available(current_user, case))
    forms = {}
    for action, (form_class, name) in FORMS.items():
        if name in extra:
            # A form sent back with its reason stays on the page with what was typed, even
            # when the change that made it stale took the action away.
            actions.add(action)
        if action in actions:
            forms[name] = extra.pop(name, None) or form_class.drawn(case)
            _prepare(forms[name], case)
    answer_forms = _answer_forms(case, extra.pop("answer_forms", {}))
    today = handling.today()
    protected = queries.files_protected_from(current_user, case)
    return render_template(
        "staff/cases/case.html",
        case=case,
        actions=actions,
        answer_forms=answer_forms,
        failed=_failed([*forms.values(), *answer_forms.values(), *extra.values()]),
        deadlines=queries.deadlines_of(case, today),
        today=today,
        related=queries.related_cases(current_user, case),
        names=queries.staff_names(case),
        unit_names=queries.unit_names(),
        files=[] if protected else queries.case_files(case),
        protected_files=len(queries.case_files(case)) if protected else 0,
        protected=protected,
        event_label=queries.event_label,
        status_label=queries.status_label,
        who=queries.who,
        kind_label=lambda value: Kind(value).label,
        channel_label=lambda value: Channel(value).label,
        complexity_label=lambda value: COMPLEXITY_LABELS.get(value, value),
        refusal_label=lambda code: REFUSAL_REASONS.get(code, code),
        Status=CaseStatus,
        **forms,
        **extra,
    ), status


@bp.route("/cases/<string:number>")
@requires(Permission.READ_CASES)
def case(number):
    found = authz.case_for(current_user, number)
    handling.record_view(found, by=current_user)
    return render_case_page(found)


@bp.route("/cases/<string:number>/files/<string:file_id>")
@requires(Permission.READ_CASES)
def case_file(number, file_id):
    found = authz.case_for(current_user, number)
    attachment = queries.attachment_of(found, file_id)
    if attachment is None:
        abort(404)
    if queries.from_the_submitter(attachment) and queries.files_protected_from(current_user, found):
        abort(403)
    handling.record_download(found, attachment, by=current_user)
    return send_stored_file(attachment.stored_file, inline=False)


# --- Actions ---------------------------------------------------------------------------------


def _act(number, action, run, done):
    """Parse → authorise → one service call → flash → redirect; or the page again with why."""
    found = authz.case_for(current_user, number)
    if not handling.permitted(current_user, found, action):
        abort(403)
    form_class, name = FORMS[action]
    form = _prepare(form_class(), found)
    if not form.validate_on_submit():
        return render_case_page(found, 400, **{name: form})
    try:
        run(found, form)
    except handling.NotPermitted:
        abort(403)
    except handling.Stale:
        # Keep what was typed; the form now carries the current version, so a second try
        # after reading the changes goes through.
        form.form_errors.append(handling.STALE_MESSAGE)
        form.version.data = str(found.version)
        return render_case_page(found, 409, **{name: form})
    except handling.Refused as refused:
        form.form_errors.append(refused.message)
        return render_case_page(found, 409, **{name: form})
    except workflow.IllegalMove:
        form.form_errors.append(handling.not_now(found).message)
        return render_case_page(found, 409, **{name: form})
    flash(done, "success")
    return redirect(url_for("staff_cases.case", number=found.number))


def _yes(value) -> bool:
    return value == "yes"


@bp.route("/cases/<string:number>/classify", methods=["POST"])
@requires(Permission.WORK_CASES)
def case_classify(number):
    def run(case, form):
        handling.classify_case(
            case,
            by=current_user,
            version=form.drawn_version,
            kind=form.kind.data,
            processable=_yes(form.processable.data),
            within_competence=_yes(form.within_competence.data),
            many_people=form.many_people.data,
            resolving_authority=form.resolving_authority.data or "",
            remote_area=form.remote_area.data,
            several_places=form.several_places.data,
            second_time=form.second_time.data,
            note=form.note.data or "",
        )

    return _act(number, "classify", run, _("The classification was saved."))


@bp.route("/cases/<string:number>/accept", methods=["POST"])
@requires(Permission.ASSIGN_CASES)
def case_accept(number):
    def run(case, form):
        handling.accept_case(case, by=current_user, version=form.drawn_version)

    return _act(number, "accept", run, _("The case was accepted. The citizen is told."))


@bp.route("/cases/<string:number>/not-accept", methods=["POST"])
@requires(Permission.ASSIGN_CASES)
def case_not_accept(number):
    def run(case, form):
        handling.not_accept_case(
            case,
            by=current_user,
            version=form.drawn_version,
            reason=form.reason.data,
            note=form.note.data or "",
        )

    return _act(number, "not-accept", run, _("The case was not accepted. The citizen is told."))


@bp.route("/cases/<string:number>/transfer", methods=["POST"])
@requires(Permission.ASSIGN_CASES)
def case_transfer(number):
    def run(case, form):
        handling.transfer_case(
            case,
            by=current_user,
            version=form.drawn_version,
            transferred_to=form.transferred_to.data,
            note=form.note.data or "",
        )

    return _act(number, "transfer", run, _("The case was transferred. The citizen is told."))


@bp.route("/cases/<string:number>/merge", methods=["POST"])
@requires(Permission.ASSIGN_CASES)
def case_merge(number):
    def run(case, form):
        handling.merge_case(
            case,
            by=current_user,
            version=form.drawn_version,
            target_number=form.target.data,
            note=form.note.data or "",
        )

    return _act(number, "merge", run, _("The case was merged as a duplicate."))


@bp.route("/cases/<string:number>/assign", methods=["POST"])
@requires(Permission.ASSIGN_CASES)
def case_assign(number):
    def run(case, form):
        handling_work.assign_case(
            case,
            by=current_user,
            version=form.drawn_version,
            assignee_id=_int(form.assignee.data),
        )

    return _act(number, "assign", run, _("The case was assigned. The handler is told."))


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _inbox_referrer() -> str | None:
    """The inbox page the form was sent from, with its filters (same host only)."""
    if not request.referrer:
        return None
    parts = urlsplit(request.referrer)
    if parts.netloc != request.host:
        return None
    return same_site_url(urlunsplit(("", "", parts.path, parts.query, "")))


@bp.route("/cases/assign", methods=["POST"])
@requires(Permission.ASSIGN_CASES)
def bulk_assign():
    form = BulkAssignForm()
    back = same_site_url(form.next.data) or _inbox_referrer() or url_for("staff_cases.cases")
    if not form.validate_on_submit():
        for errors in (form.numbers.errors, form.assignee.errors):
            for message in errors:
                flash(str(message), "error")
        return redirect(back)
    try:
        result = handling_work.assign_cases(
            form.numbers.data, by=current_user, assignee_id=form.assignee_id
        )
    except handling.Stale:
        flash(str(handling.STALE_MESSAGE), "error")
        return redirect(back)
    if result.assigned:
        flash(
            ngettext(
                "%(num)d case assigned: %(numbers)s.",
                "%(num)d cases assigned: %(numbers)s.",
                len(result.assigned),
                numbers=", ".join(result.assigned),
            ),
            "success",
        )
    for number, why in result.skipped:
        flash(_("%(number)s was not assigned: %(reason)s.", number=number, reason=why), "error")
    return redirect(back)


@bp.route("/cases/<string:number>/complexity", methods=["POST"])
@requires(Permission.ASSIGN_CASES)
def case_complexity(number):
    def run(case, form):
        handling_work.set_complexity(
            case,
            by=current_user,
            version=form.drawn_version,
            complexity=int(form.complexity.data),
        )

    return _act(number, "complexity", run, _("The complexity was set. The deadlines follow it."))


@bp.route("/cases/<string:number>/extensions", methods=["POST"])
@requires(Permission.APPROVE_RESPONSES)
def case_extend(number):
    def run(case, form):
        handling_work.extend_case(
            case,
            by=current_user,
            version=form.drawn_version,
            reason=form.reason.data,
            decided_on=form.decided_on.data,
        )

    return _act(
        number, "extend", run, _("The resolution period was extended. The citizen is told.")
    )


@bp.route("/cases/<string:number>/verify", methods=["POST"])
@requires(Permission.WORK_CASES)
def case_verify(number):
    def run(case, form):
        handling_work.start_verifying(case, by=current_user, version=form.drawn_version)

    return _act(number, "verify", run, _("Verification has started."))


@bp.route("/cases/<string:number>/notes", methods=["POST"])
@requires(Permission.WORK_CASES)
def case_note(number):
    def run(case, form):
        handling_work.add_note(
            case, by=current_user, version=form.drawn_version, note=form.note.data
        )

    return _act(number, "note", run, _("The note was added."))


@bp.route("/cases/<string:number>/messages", methods=["POST"])
@requires(Permission.WORK_CASES)
def case_message(number):
    def run(case, form):
        handling_work.send_message(
            case, by=current_user, version=form.drawn_version, body=form.body.data
        )

    return _act(number, "message", run, _("The message was sent to the citizen."))


@bp.route("/cases/<string:number>/consultations", methods=["POST"])
@requires(Permission.WORK_CASES)
def case_consult(number):
    def run(case, form):
        handling_work.request_input(
            case,
            by=current_user,
            version=form.drawn_version,
            unit_id=_int(form.unit.data),
            question=form.question.data,
            due_on=form.due_on.data,
        )

    return _act(number, "consult", run, _("The request for input was sent to the unit."))


@bp.route("/cases/<string:number>/consultations/<string:consultation_id>", methods=["POST"])
@requires(Permission.WORK_CASES)
def case_answer(number, consultation_id):
    found = authz.case_for(current_user, number)
    consultation = handling_work.consultation_of(found, consultation_id)
    if consultation is None:
        abort(404)
    if not authz.can_answer_consultation(current_user, consultation):
        abort(403)
    form = AnswerForm(id_prefix=f"answer-{consultation.public_id}")
    if not form.validate_on_submit():
        return render_case_page(found, 400, answer_forms={consultation.public_id: form})
    try:
        handling_work.answer_input(
            found,
            consultation,
            by=current_user,
            version=form.drawn_version,
            answer=form.answer.data,
        )
    except handling.NotPermitted:
        abort(403)
    except handling.Stale:
        form.form_errors.append(handling.STALE_MESSAGE)
        form.version.data = str(found.version)
        return render_case_page(found, 409, answer_forms={consultation.public_id: form})
    flash(_("Your unit's answer was added to case %(number)s.", number=found.number), "success")
    # The answer ends the unit's access to the case, unless it is its own.
    if authz.can_read(current_user, found):
        return redirect(url_for("staff_cases.case", number=found.number))
    return redirect(url_for("staff_cases.cases"))


@bp.route("/cases/<string:number>/close", methods=["POST"])
@requires(Permission.WORK_CASES)
def case_close(number):
    def run(case, form):
        handling.close_case(
            case, by=current_user, version=form.drawn_version, note=form.note.data or ""
        )

    return _act(number, "close", run, _("The case was closed."))


@bp.route("/cases/<string:number>/reopen", methods=["POST"])
@requires(Permission.ASSIGN_CASES)
def case_reopen(number):
    def run(case, form):
        handling.reopen_case(
            case,
            by=current_user,
            version=form.drawn_version,
            ground=form.ground.data,
            note=form.note.data,
        )

    return _act(number, "reopen", run, _("The case was reopened for triage."))
