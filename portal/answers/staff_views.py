"""Staff pages of published answers.

- /staff/cases/<number>/answer: the handler (or head) writes the case's answer;
- /staff/answers: the unit's answers, drafts first; /staff/answers/<id>: one answer, where the
  head publishes or withdraws it.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts.permissions import Permission
from portal.answers import queries, services
from portal.answers.forms import AnswerForm, PublishForm, WithdrawForm
from portal.answers.models import ANSWER_STATUS_LABELS, AnswerStatus
from portal.cases import authz
from portal.cases.forms import TOPIC_LABELS
from portal.core.security import requires

bp = Blueprint("staff_answers", __name__, url_prefix="/staff")

CONFLICT = 409


@bp.app_template_global("answer_panel")
def answer_panel(case):
    """What the case page shows about the case's published answer (None: nothing to show)."""
    answer = services.answer_of(case)
    may_write = services.may_write(current_user, case)
    if answer is None and not may_write:
        return None
    return {"answer": answer, "may_write": may_write, "labels": ANSWER_STATUS_LABELS}


def _conflict_text() -> str:
    return _(
        "Someone else changed this answer while you were working on it, so nothing was saved. "
        "What you typed is kept below: check the current text, then send it again."
    )


def _put_error(form, error: services.AnswerError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def _response_text(case) -> str:
    published = [r for r in case.responses if r.published_at is not None]
    return published[-1].body if published else ""


@bp.route("/cases/<string:number>/answer", methods=["GET", "POST"])
@requires(Permission.WORK_CASES)
def answer_edit(number: str):
    case = authz.case_for(current_user, number)
    if not authz.can_work(current_user, case):
        abort(403)
    existing = services.answer_of(case)
    if not services.may_write(current_user, case):
        flash(_("This case cannot give a published answer."), "info")
        return redirect(url_for("staff_cases.case", number=case.number))
    form = AnswerForm()
    status = 200
    if not form.is_submitted():
        if existing is not None:
            form.title.data = existing.title
            form.question.data = existing.question
            form.answer.data = existing.answer
            form.version.data = str(existing.version)
    elif form.validate_on_submit():
        try:
            answer = services.save_answer(
                case,
                title=form.title.data,
                question=form.question.data,
                answer=form.answer.data,
                actor=current_user,
                version=form.drawn_version,
            )
        except services.Conflict:
            form.form_errors.append(_conflict_text())
            existing = services.answer_of(case)
            form.version.data = str(existing.version) if existing else ""
            status = CONFLICT
        except services.AnswerError as error:
            _put_error(form, error)
            status = 400
        else:
            flash(
                _("The answer was saved as a draft for the head of the unit to publish."), "success"
            )
            return redirect(url_for("staff_answers.answer", public_id=answer.public_id))
    else:
        status = 400
    return render_template(
        "staff/answers/answer_edit.html",
        case=case,
        form=form,
        existing=existing,
        response_text=_response_text(case),
    ), status


@bp.get("/answers")
@requires(Permission.READ_CASES)
def answers():
    wanted = request.args.get("status", "")
    if wanted not in {str(s) for s in AnswerStatus}:
        wanted = ""
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(404)
    listing = queries.staff_list(current_user, status=wanted or None, page=page)
    return render_template(
        "staff/answers/answers.html",
        listing=listing,
        status=wanted,
        labels=ANSWER_STATUS_LABELS,
        topics=TOPIC_LABELS,
    )


def _answer_or_404(public_id: str):
    answer = queries.staff_answer(current_user, public_id)
    if answer is None:
        abort(404)
    return answer


def _render_answer(answer, status=200, **forms):
    case = services.case_of(answer)
    readable = case is not None and authz.can_read(current_user, case)
    forms.setdefault("publish_form", PublishForm(formdata=None, version=str(answer.version)))
    forms.setdefault("withdraw_form", WithdrawForm(formdata=None, version=str(answer.version)))
    return render_template(
        "staff/answers/answer.html",
        answer=answer,
        case=case if readable else None,
        labels=ANSWER_STATUS_LABELS,
        topics=TOPIC_LABELS,
        may_edit=case is not None and services.may_write(current_user, case),
        may_publish=services.may_publish(current_user, answer, case),
        **forms,
    ), status


@bp.get("/answers/<string:public_id>")
@requires(Permission.READ_CASES)
def answer(public_id: str):
    return _render_answer(_answer_or_404(public_id))


def _step(public_id: str, form, step, done: str):
    answer = _answer_or_404(public_id)
    if not services.may_publish(current_user, answer, services.case_of(answer)):
        abort(403)
    if not form.validate_on_submit():
        return _render_answer(answer, 400, **{form.form_key: form})
    try:
        step(answer, actor=current_user, version=form.drawn_version)
    except services.Conflict:
        form.form_errors.append(_conflict_text())
        return _render_answer(answer, CONFLICT, **{form.form_key: form})
    except services.AnswerError as error:
        form.form_errors.append(str(error))
        return _render_answer(answer, 400, **{form.form_key: form})
    flash(done, "success")
    return redirect(url_for("staff_answers.answer", public_id=answer.public_id))


@bp.post("/answers/<string:public_id>/publish")
@requires(Permission.APPROVE_RESPONSES)
def answer_publish(public_id: str):
    form = PublishForm()
    form.form_key = "publish_form"
    return _step(public_id, form, services.publish_answer, _("The answer is published."))


@bp.post("/answers/<string:public_id>/withdraw")
@requires(Permission.APPROVE_RESPONSES)
def answer_withdraw(public_id: str):
    form = WithdrawForm()
    form.form_key = "withdraw_form"
    return _step(public_id, form, services.withdraw_answer, _("The answer was withdrawn."))
