"""Staff pages of cases: cases recorded by staff from other channels, and the reception logbook."""

from datetime import date

from flask import (
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts.permissions import Permission
from portal.cases import reception_log as logbook
from portal.cases import services
from portal.cases.intake_forms import ReceptionEntryForm, RecordCaseForm
from portal.cases.models import Case, CaseStatus, Channel, Kind
from portal.cases.staff_views import bp
from portal.core.security import requires
from portal.core.uploads import UploadRefused, upload_name
from portal.core.urls import external_url

# The receipt of the case just recorded; the key stays here only until the receipt shows it.
RECEIPT_KEY = "staff_case_receipt"


def _status(form) -> int:
    return 400 if form.is_submitted() else 200


# --- Recording a case -------------------------------------------------------------------------


def _render_record(form: RecordCaseForm, status: int):
    return (
        render_template(
            "staff/cases/record_case.html",
            form=form,
            submitted=request.method == "POST",
        ),
        status,
    )


def _refused_field(form: RecordCaseForm, error: UploadRefused):
    """The file field the refusal speaks of: the scanned letter, or the other documents."""
    letter = form.letter.data
    if letter and getattr(letter, "filename", "") and upload_name(letter) in str(error):
        return form.letter
    return form.files


@bp.route("/cases/new", methods=["GET", "POST"])
@requires(Permission.WORK_CASES)
def record_case():
    # Room for the scanned letter and the other files (the site-wide limit is lower).
    request.max_content_length = current_app.config["CASE_MAX_TOTAL_BYTES"] + 2 * 1024 * 1024
    form = RecordCaseForm()
    if not form.validate_on_submit():
        return _render_record(form, _status(form))
    try:
        receipt = services.submit_case(form.submission(), actor=current_user._get_current_object())
    except UploadRefused as error:
        field = _refused_field(form, error)
        field.errors = [str(error)]
        return _render_record(form, 400)
    except OSError as error:
        # A file could not be written: the case was rolled back, nothing is half-stored.
        current_app.logger.error("case files could not be stored (%s)", type(error).__name__)
        form.form_errors.append(
            _(
                "The case could not be saved because of a problem on the server. Nothing was "
                "recorded: press Record the case again in a few minutes."
            )
        )
        return _render_record(form, 503)
    shown = session.get(RECEIPT_KEY) or {}
    if receipt.duplicate and shown.get("token") == form.submission_token.data:
        # A double click: the first receipt has not been shown yet; keep it as it is.
        return redirect(url_for("staff_cases.receipt"))
    session[RECEIPT_KEY] = {
        "token": form.submission_token.data,
        "number": receipt.number,
        "kind": receipt.kind,
        "channel": form.channel.data,
        "received_on": receipt.received_on.isoformat(),
        "due": receipt.acceptance_due_on.isoformat() if receipt.acceptance_due_on else None,
        "key": receipt.key,
        "emailed": receipt.emailed,
        "duplicate": receipt.duplicate,
    }
    flash(_("Case %(number)s was recorded.", number=receipt.number), "success")
    return redirect(url_for("staff_cases.receipt"))


@bp.route("/cases/receipt")
@requires(Permission.WORK_CASES)
def receipt():
    data = session.get(RECEIPT_KEY)
    key = data.get("key") if data else None
    if key:
        # Shown once: a reload shows the number and the dates, never the key again.
        session[RECEIPT_KEY] = {**data, "key": None, "key_shown": True}
    response = make_response(
        render_template(
            "staff/cases/receipt.html",
            data=data,
            kind=Kind(data["kind"]) if data else None,
            channel=Channel(data["channel"]) if data else None,
            received_on=date.fromisoformat(data["received_on"]) if data else None,
            due=date.fromisoformat(data["due"]) if data and data.get("due") else None,
            key=key,
            key_groups=key.split("-") if key else [],
            follow_url=external_url("cases.lookup"),
        )
    )
    response.headers["Cache-Control"] = "no-store"
    return response


# --- The reception logbook --------------------------------------------------------------------


def _month(value: str) -> date | None:
    """2026-03 as the first day of that month; None when empty or not a month."""
    try:
        return date.fromisoformat(f"{value}-01") if value else None
    except ValueError:
        return None


@bp.route("/reception-log")
@requires(Permission.READ_CASES)
def reception_log():
    month = _month(request.args.get("month", ""))
    page = logbook.entries(
        page=request.args.get("page", 1, type=int),
        month=(month.year, month.month) if month else None,
    )
    return render_template(
        "staff/cases/reception_log.html",
        page=page,
        month=month,
        months=logbook.months(),
        summary=logbook.summary,
        is_group_visit=logbook.is_group_visit,
    )


@bp.route("/reception-log/new", methods=["GET", "POST"])
@requires(Permission.WORK_CASES)
def reception_log_new():
    form = ReceptionEntryForm(data={"received_by": current_user.full_name})
    if form.validate_on_submit():
        entry = logbook.record_entry(form.entry_data(), actor=current_user._get_current_object())
        flash(_("The visit was added to the reception logbook."), "success")
        return redirect(url_for("staff_cases.reception_log_entry", public_id=entry.public_id))
    return render_template(
        "staff/cases/reception_log_new.html", form=form, many=logbook.MANY_PEOPLE
    ), _status(form)


@bp.route("/reception-log/<string:public_id>")
@requires(Permission.READ_CASES)
def reception_log_entry(public_id: str):
    entry = logbook.entry_by_public_id(public_id)
    if entry is None:
        abort(404)
    visitors = logbook.visitors_for(entry, actor=current_user._get_current_object())
    return render_template(
        "staff/cases/reception_log_entry.html",
        entry=entry,
        visitors=visitors,
        reception_session=logbook.session_of(entry),
        cases=logbook.entry_cases(entry),
        group_visit=logbook.is_group_visit(entry),
        may_record=current_user.can(Permission.WORK_CASES),
        kind_label=_kind_label,
        status_label=_status_label,
    )


def _kind_label(case: Case):
    return Kind(case.kind).label


def _status_label(case: Case):
    return CaseStatus(case.status).label
