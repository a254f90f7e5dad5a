"""Staff pages of cases: responses, response templates and printable documents.

The case page (another module) includes `_responses.html` and `_documents.html`; the context
processor below gives those partials what they need for the signed-in staff member.
"""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts.permissions import Permission
from portal.cases import authz, documents, identity, responses
from portal.cases import response_templates as templating
from portal.cases.response_forms import (
    ApproveForm,
    OutcomeForm,
    PublishForm,
    RemoveDocumentForm,
    ResetTemplateForm,
    ResponseForm,
    ReturnForm,
    RevealForm,
    TemplateForm,
)
from portal.cases.staff_views import bp
from portal.core.security import requires
from portal.core.uploads import UploadRefused, send_stored_file

CONFLICT = 409


@bp.context_processor
def _response_partials():
    return {
        "response_panel": lambda case: responses.panel(case, current_user),
        "response_outcome_label": templating.outcome_label,
        "response_status_label": responses.status_label,
        "case_documents": documents.available,
    }


def _case_url(case) -> str:
    # The case page, or the register while the case page is not there.
    if "staff_cases.case" in current_app.view_functions:
        return url_for("staff_cases.case", number=case.number)
    return url_for("staff_cases.cases")


def _detail_url(case, response) -> str:
    return url_for("staff_cases.response_detail", number=case.number, public_id=response.public_id)


def _conflict_text() -> str:
    return _(
        "Someone else changed this case or its response while you were working on it, so "
        "nothing was saved. What you typed is kept below: check the current state, then send "
        "it again."
    )


def _workable_case(number: str):
    case = authz.case_for(current_user, number)
    if not authz.can_work(current_user, case):
        abort(403)
    return case


def _response_or_404(case, public_id: str):
    response = responses.response_of(case, public_id)
    if response is None:
        abort(404)
    return response


def _not_now(case, response=None):
    flash(_("This step is not possible at the case's current stage."), "info")
    if response is not None:
        return redirect(_detail_url(case, response))
    return redirect(_case_url(case))


def _put_error(form, error: responses.ResponseError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


# --- Drafting ----------------------------------------------------------------------------------


@bp.route("/cases/<string:number>/responses/new", methods=["GET", "POST"])
@requires(Permission.WORK_CASES)
def response_new(number: str):
    case = _workable_case(number)
    existing = responses.open_response(case)
    if existing is not None:
        return redirect(_detail_url(case, existing))
    if not responses.may_draft(current_user, case):
        return _not_now(case)
    outcomes = [str(o) for o in templating.outcomes_for(case.kind)]
    chosen = request.args.get("outcome")
    chosen = chosen if chosen in outcomes else outcomes[0]
    chooser = OutcomeForm(formdata=None, kind=case.kind, outcome=chosen)
    form = ResponseForm(kind=case.kind)
    status = 200
    if not form.is_submitted():
        form.outcome.data = chosen
        form.body.data = templating.prefilled_body(case, chosen)
        form.case_version.data = str(case.version)
    elif form.validate_on_submit():
        try:
            response = responses.draft_response(
                case,
                outcome=form.outcome.data,
                body=form.body.data,
                files=request.files.getlist(form.files.name),
                actor=current_user,
                case_version=form.drawn_case_version,
            )
        except responses.Conflict:
            form.form_errors.append(_conflict_text())
            form.case_version.data = str(case.version)
            status = CONFLICT
        except responses.ResponseError as error:
            _put_error(form, error)
            status = 400
        except UploadRefused as refused:
            form.files.errors = [str(refused)]
            status = 400
        else:
            flash(_("The draft response was saved."), "success")
            return redirect(_detail_url(case, response))
    else:
        status = 400
    return render_template(
        "staff/cases/response_new.html",
        case=case,
        chooser=chooser,
        form=form,
        case_url=_case_url(case),
    ), status


# --- One response: read, edit, approve, send back, publish ------------------------------------


def _drawn(form_class, response, **data):
    return form_class(
        formdata=None,
        version=str(response.version),
        case_version=str(response.case.version),
        **data,
    )


def _render_detail(case, response, status=200, **forms):
    user = current_user
    forms.setdefault(
        "edit_form",
        _drawn(
            ResponseForm, response, kind=case.kind, outcome=response.outcome, body=response.body
        ),
    )
    forms.setdefault("approve_form", _drawn(ApproveForm, response))
    forms.setdefault("return_form", _drawn(ReturnForm, response))
    forms.setdefault("publish_form", _drawn(PublishForm, response))
    return render_template(
        "staff/cases/response_detail.html",
        case=case,
        response=response,
        case_url=_case_url(case),
        can_edit=responses.may_edit(user, response),
        can_approve=responses.may_approve(user, response),
        can_publish=responses.may_publish(user, response),
        decision=responses.decision_of(response),
        is_complaint=case.kind == "complaint",
        **forms,
    ), status


@bp.route("/cases/<string:number>/responses/<string:public_id>", methods=["GET", "POST"])
@requires(Permission.READ_CASES)
def response_detail(number: str, public_id: str):
    case = authz.case_for(current_user, number)
    response = _response_or_404(case, public_id)
    if request.method == "GET":
        responses.record_viewed(case, response, current_user)
        return _render_detail(case, response)
    if not authz.can_work(current_user, case):
        abort(403)
    if not responses.may_edit(current_user, response):
        return _not_now(case, response)
    form = ResponseForm(kind=case.kind)
    status = 400
    if form.validate_on_submit():
        try:
            responses.update_response(
                response,
                outcome=form.outcome.data,
                body=form.body.data,
                files=request.files.getlist(form.files.name),
                actor=current_user,
                version=form.drawn_version,
            )
        except responses.Conflict:
            form.form_errors.append(_conflict_text())
            form.redraw(response)
            status = CONFLICT
        except responses.ResponseError as error:
            _put_error(form, error)
        except UploadRefused as refused:
            form.files.errors = [str(refused)]
        else:
            flash(_("The draft response was saved."), "success")
            return redirect(_detail_url(case, response))
    return _render_detail(case, response, status, edit_form=form)


@bp.route("/cases/<string:number>/responses/<string:public_id>/approve", methods=["POST"])
@requires(Permission.APPROVE_RESPONSES)
def response_approve(number: str, public_id: str):
    case = authz.case_for(current_user, number)
    response = _response_or_404(case, public_id)
    if not authz.can_approve(current_user, case):
        abort(403)
    if not responses.may_approve(current_user, response):
        return _not_now(case, response)
    form = ApproveForm()
    if not form.validate_on_submit():
        return _render_detail(case, response, 400, approve_form=form)
    try:
        responses.approve_response(
            response,
            actor=current_user,
            version=form.drawn_version,
            case_version=form.drawn_case_version,
        )
    except responses.Conflict:
        flash(_conflict_text(), "error")
    except responses.ResponseError as error:
        flash(str(error), "error")
    else:
        flash(_("The response was approved. It can now be published."), "success")
    return redirect(_detail_url(case, response))


@bp.route("/cases/<string:number>/responses/<string:public_id>/return", methods=["POST"])
@requires(Permission.APPROVE_RESPONSES)
def response_return(number: str, public_id: str):
    case = authz.case_for(current_user, number)
    response = _response_or_404(case, public_id)
    if not authz.can_approve(current_user, case):
        abort(403)
    if not responses.may_approve(current_user, response):
        return _not_now(case, response)
    form = ReturnForm()
    status = 400
    if form.validate_on_submit():
        try:
            responses.return_response(
                response,
                actor=current_user,
                note=form.note.data,
                version=form.drawn_version,
                case_version=form.drawn_case_version,
            )
        except responses.Conflict:
            form.form_errors.append(_conflict_text())
            form.redraw(response)
            status = CONFLICT
        except responses.ResponseError as error:
            _put_error(form, error)
        else:
            flash(_("The draft was sent back for more work."), "success")
            return redirect(_detail_url(case, response))
    return _render_detail(case, response, status, return_form=form)


@bp.route("/cases/<string:number>/responses/<string:public_id>/publish", methods=["POST"])
@requires(Permission.WORK_CASES)
def response_publish(number: str, public_id: str):
    case = _workable_case(number)
    response = _response_or_404(case, public_id)
    if not responses.may_publish(current_user, response):
        return _not_now(case, response)
    form = PublishForm()
    status = 400
    if form.validate_on_submit():
        decision = form.decision_text.data if form.publish_decision.data else None
        try:
            responses.publish_response(
                response,
                actor=current_user,
                version=form.drawn_version,
                case_version=form.drawn_case_version,
                decision_text=decision,
            )
        except responses.Conflict:
            form.form_errors.append(_conflict_text())
            form.redraw(response)
            status = CONFLICT
        except responses.ResponseError as error:
            _put_error(form, error)
        else:
            flash(_("The response was published to the citizen."), "success")
            return redirect(_detail_url(case, response))
    return _render_detail(case, response, status, publish_form=form)


@bp.route(
    "/cases/<string:number>/responses/<string:public_id>/documents/<string:file_id>",
    methods=["GET"],
)
@requires(Permission.READ_CASES)
def response_document(number: str, public_id: str, file_id: str):
    case = authz.case_for(current_user, number)
    response = _response_or_404(case, public_id)
    attachment = responses.document_of(response, file_id)
    if attachment is None:
        abort(404)
    responses.record_downloaded(case, attachment, current_user)
    return send_stored_file(attachment.stored_file, inline=False)


@bp.route(
    "/cases/<string:number>/responses/<string:public_id>/documents/<string:file_id>/remove",
    methods=["POST"],
)
@requires(Permission.WORK_CASES)
def response_document_remove(number: str, public_id: str, file_id: str):
    case = _workable_case(number)
    response = _response_or_404(case, public_id)
    if not responses.may_edit(current_user, response):
        return _not_now(case, response)
    form = RemoveDocumentForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        responses.remove_document(response, file_id, actor=current_user, version=form.drawn_version)
    except responses.Conflict:
        flash(_conflict_text(), "error")
    except responses.ResponseError as error:
        flash(str(error), "error")
    else:
        flash(_("The document was removed."), "success")
    return redirect(_detail_url(case, response))


# --- Response templates (administrators) -------------------------------------------------------


@bp.route("/cases/response-templates")
@requires(Permission.MANAGE_SETTINGS)
def response_templates():
    return render_template(
        "staff/cases/response_templates.html",
        rows=templating.template_rows(),
        outcome_label=templating.outcome_label,
    )


def _template_pair_or_404(kind: str, outcome: str) -> None:
    if not templating.is_template_pair(kind, outcome):
        abort(404)


@bp.route("/cases/response-templates/<string:kind>/<string:outcome>", methods=["GET", "POST"])
@requires(Permission.MANAGE_SETTINGS)
def response_template_edit(kind: str, outcome: str):
    _template_pair_or_404(kind, outcome)
    form = TemplateForm()
    status = 200
    if not form.is_submitted():
        form.body.data = templating.template_text(kind, outcome)
    elif form.validate_on_submit():
        try:
            responses.save_template(kind, outcome, form.body.data, actor=current_user)
        except responses.ResponseError as error:
            _put_error(form, error)
            status = 400
        else:
            flash(_("The template was saved."), "success")
            return redirect(url_for("staff_cases.response_templates"))
    else:
        status = 400
    row = next(r for r in templating.template_rows() if (r.kind, r.outcome) == (kind, outcome))
    return render_template(
        "staff/cases/response_template_edit.html",
        form=form,
        reset_form=ResetTemplateForm(formdata=None),
        row=row,
        placeholders=templating.PLACEHOLDERS,
        outcome_label=templating.outcome_label,
    ), status


@bp.route("/cases/response-templates/<string:kind>/<string:outcome>/reset", methods=["POST"])
@requires(Permission.MANAGE_SETTINGS)
def response_template_reset(kind: str, outcome: str):
    _template_pair_or_404(kind, outcome)
    if not ResetTemplateForm().validate_on_submit():
        abort(400)
    responses.reset_template(kind, outcome, actor=current_user)
    flash(_("The template is back to the built-in text."), "success")
    return redirect(url_for("staff_cases.response_templates"))


# --- Printable documents -----------------------------------------------------------------------


@bp.route("/cases/<string:number>/documents/<string:document>", methods=["GET", "POST"])
@requires(Permission.READ_CASES)
def document(number: str, document: str):
    case = authz.case_for(current_user, number)
    chosen = documents.document_for(case, document)
    if chosen is None:
        abort(404)
    extension = None
    if chosen.name == "extension-notice":
        extension = documents.extension_of(case, request.args.get("extension", type=int))
        if extension is None:
            abort(404)
    can_reveal = identity.can_reveal(current_user, case) and case.confidential
    form = RevealForm()
    revealed = None
    status = 200
    if request.method == "POST":
        if not can_reveal:
            abort(403)
        if form.validate_on_submit():
            revealed = identity.reveal(case, by=current_user, reason=form.reason.data)
        else:
            status = 400
    documents.record_printed(
        case, chosen, current_user, revealed=revealed is not None, extension=extension
    )
    return render_template(
        chosen.template,
        **documents.context(case, chosen, current_user, revealed=revealed, extension=extension),
        reveal_form=form if can_reveal and revealed is None else None,
        case_url=_case_url(case),
    ), status
