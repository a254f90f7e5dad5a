"""Staff pages of cases: revealing a confidential submitter's identity.

GET shows why and how a reveal is recorded and asks for the reason; POST reveals the identity
on that one response (audited first, never stored in the session, never cached). The case
page shows the submitter through `_identity.html`, which calls `case_identity(case)`.
"""

from flask import abort, current_app, make_response, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import TextAreaField
from wtforms.validators import StopValidation

from portal.accounts.permissions import Permission
from portal.cases import authz, identity
from portal.cases.staff_views import bp
from portal.core.forms import BaseForm, max_length, required
from portal.core.security import requires


class RevealIdentityForm(BaseForm):
    reason = TextAreaField(
        _l("Why you need to see the identity"),
        validators=[
            required(_l("Enter why you need to see the identity")),
            max_length(identity.REASON_MAX),
        ],
        description=_l("Kept in the audit log with your name and the time."),
    )

    def validate_reason(self, field):
        # Spaces alone pass InputRequired (it reads the raw input) but are no reason.
        if not field.data:
            raise StopValidation(_l("Enter why you need to see the identity"))


@bp.app_template_global("case_identity")
def case_identity(case):
    """How the case's submitter appears to the signed-in staff member (for _identity.html)."""
    return identity.shown_to(current_user, case)


def _case_url(case) -> str:
    # The case page, or the register while the case page is not there.
    if "staff_cases.case" in current_app.view_functions:
        return url_for("staff_cases.case", number=case.number)
    return url_for("staff_cases.cases")


def _revealable_case(number: str):
    case = authz.case_for(current_user, number)
    if case.anonymous or case.identity is None:
        abort(404)  # nobody to reveal
    if not identity.can_reveal(current_user, case):
        abort(403)
    return case


@bp.route("/cases/<string:number>/identity", methods=["GET", "POST"])
@requires(Permission.WORK_CASES)
def reveal_identity(number: str):
    case = _revealable_case(number)
    form = RevealIdentityForm()
    if form.validate_on_submit():
        try:
            revealed = identity.reveal(case, by=current_user, reason=form.reason.data)
        except identity.RevealRefused:
            abort(403)
        response = make_response(
            render_template(
                "staff/cases/identity_revealed.html",
                case=case,
                identity=revealed,
                label=identity.masked_label(case),
                case_url=_case_url(case),
            )
        )
        # Shown once: no browser or proxy may keep a copy (the back button asks again).
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
        return response
    status = 400 if form.is_submitted() else 200
    return render_template(
        "staff/cases/identity_reveal.html",
        case=case,
        form=form,
        label=identity.masked_label(case),
        case_url=_case_url(case),
    ), status
