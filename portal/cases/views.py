"""Public pages of cases: choosing the kind, submitting, the receipt, following a case."""

from datetime import UTC, date, datetime

from flask import (
    Blueprint,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from portal.cases import services
from portal.cases.deadlines import complaint_is_late
from portal.cases.forms import (
    KIND_HINTS,
    PROCESSING_NOTICE,
    TOPIC_LABELS,
    CaseForm,
)
from portal.cases.models import Kind, Topic
from portal.core.uploads import UploadRefused, upload_name
from portal.core.workdays import local_date
from portal.extensions import csrf, limiter

bp = Blueprint("cases", __name__)

# What the receipt page shows; the key stays here only until the receipt has shown it once.
RECEIPT_KEY = "case_receipt"


def _submit_limit():
    return current_app.config["CASE_SUBMIT_RATE_LIMIT"]


@bp.route("/gop-y")
def choose():
    # A topic or procedure chosen before (from a procedure page) is carried to the form.
    params = {}
    topic = request.args.get("chu-de", "")
    if topic in set(Topic):
        params["chu-de"] = topic
    procedure = request.args.get("thu-tuc", "") or request.args.get("procedure", "")
    if procedure:
        params["procedure"] = procedure[:40]
    return render_template("cases/choose.html", kinds=list(Kind), hints=KIND_HINTS, params=params)


def _preselect(form: CaseForm) -> None:
    kind = request.args.get("loai", "")
    if kind in set(Kind):
        form.kind.data = kind
    topic = request.args.get("chu-de", "")
    if topic in set(Topic):
        form.topic.data = topic
    code = request.args.get("procedure") or request.args.get("thu-tuc") or ""
    if code and code in {choice.value for choice in form.procedure.choices}:
        form.procedure.data = code
        form.topic.data = form.topic.data or Topic.PROCEDURE


def _uploads() -> list[services.Upload]:
    limit = current_app.config["CASE_MAX_FILE_BYTES"]
    return [
        services.Upload(name=upload_name(f), data=f.read(limit + 1))
        for f in request.files.getlist("files")
        if f and f.filename
    ]


def _submission(form: CaseForm) -> services.Submission:
    return form.submission(declaration_text=str(form.declaration.label.text), uploads=_uploads())


def _render_form(form: CaseForm, *, status: int = 200, expired: bool = False):
    late = form.kind.data == Kind.COMPLAINT and complaint_is_late(
        form.decision_known_on.data, local_date(datetime.now(UTC))
    )
    return (
        render_template(
            "cases/new.html",
            form=form,
            hints=KIND_HINTS,
            topics=TOPIC_LABELS,
            notice=PROCESSING_NOTICE,
            expired=expired,
            late=late,
            submitted=request.method == "POST",
        ),
        status,
    )


@bp.route("/gop-y/moi", methods=["GET", "POST"])
@limiter.limit(_submit_limit, methods=["POST"])
def new():
    # Room for the attachments (the site-wide limit is lower) plus the text.
    request.max_content_length = current_app.config["CASE_MAX_TOTAL_BYTES"] + 2 * 1024 * 1024
    form = CaseForm()
    if request.method == "GET":
        _preselect(form)
        return _render_form(form)
    if not form.validate_on_submit():
        # An expired token or a lost session never loses the text: the form comes back filled
        # in, with a fresh token, and a note to press send again.
        return _render_form(form, status=400, expired=bool(form.csrf_token.errors))
    try:
        receipt = services.submit_case(_submission(form))
    except UploadRefused as error:
        form.files.errors = [str(error)]
        return _render_form(form, status=400)
    except OSError as error:
        # A file could not be written: the case was rolled back, nothing is half-stored.
        current_app.logger.error("case files could not be stored (%s)", type(error).__name__)
        form.form_errors.append(
            _(
                "Your case could not be saved because of a problem on our side. Nothing was "
                "recorded: please press Send again in a few minutes."
            )
        )
        return _render_form(form, status=503)
    shown = session.get(RECEIPT_KEY) or {}
    if receipt.duplicate and shown.get("token") == form.submission_token.data:
        # A double click: the first receipt has not been shown yet; keep it as it is.
        return redirect(url_for("cases.receipt"))
    session[RECEIPT_KEY] = {
        "token": form.submission_token.data,
        "number": receipt.number,
        "kind": receipt.kind,
        "received_on": receipt.received_on.isoformat(),
        "due": receipt.acceptance_due_on.isoformat() if receipt.acceptance_due_on else None,
        "key": receipt.key,
        "emailed": receipt.emailed,
        "duplicate": receipt.duplicate,
    }
    return redirect(url_for("cases.receipt"))


# This form checks its own (long-lived) token, so an expired one re-renders the filled-in form
# instead of the site-wide "session expired" error page.
csrf.exempt(new)


@bp.route("/gop-y/bien-nhan")
def receipt():
    data = session.get(RECEIPT_KEY)
    if not data:
        response = make_response(render_template("cases/expired.html"))
    else:
        key = data.get("key")
        if key:
            # Shown once: a reload of the receipt shows the number, never the key again.
            session[RECEIPT_KEY] = {**data, "key": None, "key_shown": True}
        response = make_response(
            render_template(
                "cases/receipt.html",
                number=data["number"],
                kind=Kind(data["kind"]),
                received_on=date.fromisoformat(data["received_on"]),
                due=date.fromisoformat(data["due"]) if data.get("due") else None,
                key=key,
                key_groups=key.split("-") if key else [],
                emailed=data.get("emailed"),
                duplicate=data.get("duplicate") or data.get("key_shown"),
            )
        )
    response.headers["Cache-Control"] = "no-store"
    return response


# The follow-up pages live in their own module on the same blueprint.
from portal.cases import tracking_views  # noqa: E402, F401
