"""Following a case: look-up by number and key, the case page, messages, withdrawal, rating.

Routes are added to the cases blueprint (portal.cases.views.bp). The key travels only in a
POST body; a successful look-up puts the case's random public_id in this browser's session,
and every case page and file checks that session. No answer tells whether a number exists.
"""

from functools import wraps

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _

from portal.cases import tracking
from portal.cases.tracking_forms import (
    LookupForm,
    LostKeyForm,
    MessageForm,
    RatingForm,
    WithdrawForm,
)
from portal.cases.views import bp
from portal.core.uploads import UploadRefused, send_stored_file
from portal.extensions import limiter


def _lookup_limit():
    return current_app.config["CASE_LOOKUP_RATE_LIMIT"]


def _number_key():
    # Wrong guesses are also counted per case number, whatever address they come from.
    return "case-number:" + tracking.normalise_number(request.form.get("number", ""))[:30]


def _failed(response) -> bool:
    return response.status_code == 401


def _no_store(view):
    """What a case page shows is the citizen's own: never kept in any cache."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
        return response

    return wrapped


@bp.route("/tra-cuu", methods=["GET", "POST"])
@limiter.limit(_lookup_limit, methods=["POST"], deduct_when=_failed)
@limiter.limit(_lookup_limit, key_func=_number_key, methods=["POST"], deduct_when=_failed)
@_no_store
def lookup():
    form = LookupForm()
    status = 200
    if form.validate_on_submit():
        case = tracking.find_case(form.number.data, form.key.data)
        if case is not None:
            tracking.record_opened(case)
            return redirect(url_for("cases.case", public_id=case.public_id))
        # One message for a wrong key and an unknown number: nothing says which it was.
        form.form_errors.append(_("The case number or access key is not correct."))
        form.key.data = ""
        status = 401
    elif form.is_submitted():
        status = 400
    opened = [c for c in map(tracking.opened_case, tracking.opened_ids()) if c is not None]
    return render_template("cases/lookup.html", form=form, opened=opened), status


@bp.route("/tra-cuu/quen-ma", methods=["GET", "POST"])
@limiter.limit(_lookup_limit, methods=["POST"])
@_no_store
def lost_key():
    form = LostKeyForm()
    status = 200
    if form.validate_on_submit():
        tracking.request_new_key(form.number.data, form.email.data)
        # The same answer whether or not anything matched.
        flash(
            _(
                "If the case number and e-mail address match a case, a new access key has "
                "been sent to that address. The old key no longer works."
            ),
            "success",
        )
        return redirect(url_for("cases.lookup"))
    if form.is_submitted():
        status = 400
    return render_template("cases/lost_key.html", form=form), status


def _opened_case_or_back(view):
    """Load the case this browser opened, or send it to the look-up (the same for any id)."""

    @wraps(view)
    def wrapped(public_id, **kwargs):
        case = tracking.opened_case(public_id)
        if case is None:
            flash(_("Enter the case number and access key to open the case."), "info")
            return redirect(url_for("cases.lookup"))
        return view(case, **kwargs)

    return wrapped


def _not_now(case):
    # A second tab or an old page: say so plainly, change nothing.
    flash(_("This can no longer be done for this case."), "info")
    return redirect(url_for("cases.case", public_id=case.public_id))


def _render_case(case, status=200, **forms):
    forms.setdefault("message_form", MessageForm(formdata=None))
    forms.setdefault("withdraw_form", WithdrawForm(formdata=None))
    forms.setdefault("rating_form", RatingForm(formdata=None))
    return render_template(
        "cases/case.html",
        case=case,
        events=tracking.public_events(case),
        status_text=tracking.status_text(case),
        event_text=tracking.event_text,
        kind_label=tracking.kind_label,
        can_withdraw=tracking.can_withdraw(case),
        can_rate=tracking.can_rate(case),
        responses=tracking.published_responses(case),
        refusal_reason=tracking.refusal_reason(case),
        stage=tracking.stage(case),
        **forms,
    ), status


@bp.route("/tra-cuu/ho-so/<string:public_id>")
@_no_store
@_opened_case_or_back
def case(case):
    return _render_case(case)


@bp.route("/tra-cuu/ho-so/<string:public_id>/bo-sung", methods=["POST"])
@_no_store
@_opened_case_or_back
def case_message(case):
    form = MessageForm()
    if form.validate_on_submit():
        try:
            tracking.add_message(case, form.body.data, request.files.getlist(form.files.name))
        except UploadRefused as refused:
            form.files.errors = [str(refused)]
        else:
            flash(_("Your information was added to the case."), "success")
            return redirect(url_for("cases.case", public_id=case.public_id))
    return _render_case(case, 400, message_form=form)


@bp.route("/tra-cuu/ho-so/<string:public_id>/rut", methods=["POST"])
@_no_store
@_opened_case_or_back
def case_withdraw(case):
    if not tracking.can_withdraw(case):
        return _not_now(case)
    form = WithdrawForm()
    if form.validate_on_submit():
        tracking.withdraw_case(case, form.reason.data)
        flash(_("Your case has been withdrawn."), "success")
        return redirect(url_for("cases.case", public_id=case.public_id))
    return _render_case(case, 400, withdraw_form=form)


@bp.route("/tra-cuu/ho-so/<string:public_id>/danh-gia", methods=["POST"])
@_no_store
@_opened_case_or_back
def case_rate(case):
    if not tracking.can_rate(case):
        return _not_now(case)
    form = RatingForm()
    if form.validate_on_submit():
        tracking.rate_case(
            case,
            rating=int(form.rating.data),
            solved=form.solved.data == "yes",
            comment=form.comment.data,
        )
        flash(_("Thank you for your rating."), "success")
        return redirect(url_for("cases.case", public_id=case.public_id))
    return _render_case(case, 400, rating_form=form)


@bp.route("/tra-cuu/ho-so/<string:public_id>/dong", methods=["POST"])
@_no_store
def case_close(public_id):
    """Forget the case in this browser (a shared computer): number and key open it again."""
    tracking.forget(public_id)
    flash(_("The case is closed in this browser."), "success")
    return redirect(url_for("cases.lookup"))


@bp.route("/tra-cuu/ho-so/<string:public_id>/tep/<string:file_id>")
@_no_store
def case_file(public_id, file_id):
    case = tracking.opened_case(public_id)
    attachment = tracking.opened_attachment(case, file_id) if case is not None else None
    if attachment is None:
        abort(404)
    return send_stored_file(attachment.stored_file, inline=False)
