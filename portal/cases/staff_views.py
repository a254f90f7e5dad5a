"""Staff pages of cases: /staff/cases…

The register lists cases without any identity data: it never reads CaseIdentity.
"""

from flask import Blueprint, render_template, request

from portal.accounts.permissions import Permission
from portal.cases import tracking
from portal.core.security import requires

bp = Blueprint("staff_cases", __name__, url_prefix="/staff")


@bp.route("/cases")
@requires(Permission.READ_CASES)
def cases():
    page = tracking.register(page=request.args.get("page", 1, type=int))
    return render_template(
        "staff/cases/cases.html",
        page=page,
        kind_label=tracking.kind_label,
        topic_label=tracking.topic_label,
        status_label=tracking.status_label,
    )


# The other staff pages of cases register on the same blueprint (and so behind the guard).
from portal.cases import (  # noqa: E402, F401
    staff_case_views,
    staff_deadline_views,
    staff_identity_views,
    staff_intake_views,
    staff_response_views,
)
