"""Staff pages of cases: the deadline calculator."""

from flask import render_template, request
from flask_babel import get_locale

from portal.accounts.permissions import Permission
from portal.cases import deadlines
from portal.cases.deadline_forms import DeadlineCalculatorForm
from portal.cases.staff_views import bp
from portal.core.security import requires


@bp.route("/cases/deadline-calculator")
@requires(Permission.READ_CASES)
def deadline_calculator():
    # A GET form: the answer is a page anyone can bookmark or share, and nothing changes.
    asked = any(name in request.args for name in ("kind", "stage", "day"))
    form = DeadlineCalculatorForm(formdata=request.args if asked else None)
    answer = None
    if asked and form.validate():
        language = "vi" if str(get_locale()) == "vi" else "en_US"
        answer = deadlines.answer(form.question, language=language)
    status = 400 if asked and answer is None else 200
    return render_template("staff/cases/deadline_calculator.html", form=form, answer=answer), status
