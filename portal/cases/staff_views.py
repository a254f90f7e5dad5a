"""Staff pages of cases: /staff/cases…

The inbox lists cases without any identity data: its reads (queries.py) never touch
CaseIdentity. A handler starts on the open cases assigned to them, a head on every open case
of the unit, a leader on every open case of the agency; the filters widen or narrow that.
"""

from flask import Blueprint, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.accounts.permissions import Permission
from portal.cases import queries
from portal.cases.forms import TOPIC_LABELS
from portal.cases.models import KIND_LABELS, STATUS_LABELS, CaseStatus, Channel, Kind, Track
from portal.core.security import requires

bp = Blueprint("staff_cases", __name__, url_prefix="/staff")

TRACK_LABELS = {
    Track.FORMAL: _l("A formal case (named submitter)"),
    Track.ANONYMOUS_INFORMATION: _l("Anonymous information"),
}


@bp.app_template_global("case_summary")
def case_summary():
    """The signed-in member's open, overdue and due-soon cases, for the dashboard's card."""
    return queries.summary(current_user)


@bp.route("/cases")
@requires(Permission.READ_CASES)
def cases():
    filters = queries.filters_from(request.args, current_user)
    inbox = queries.inbox(current_user, filters, after=request.args.get("after"))
    staff = queries.assignable_staff(current_user)
    units = queries.case_units()
    # Someone without a unit (a leader) reads every unit's cases: the list says whose.
    show_unit = current_user.unit_id is None
    return render_template(
        "staff/cases/cases.html",
        f=filters,
        inbox=inbox,
        first_page=not request.args.get("after"),
        staff=staff,
        units=units,
        show_unit=show_unit,
        staff_names=queries.staff_names((r.assignee_id for r in inbox.rows), known=staff),
        unit_names=queries.unit_names(r.handling_unit_id for r in inbox.rows) if show_unit else {},
        can_assign=current_user.can(Permission.ASSIGN_CASES),
        statuses=list(CaseStatus),
        # Translated once per page, not once per row.
        kind_labels={k: str(v) for k, v in KIND_LABELS.items()},
        status_labels={k: str(v) for k, v in STATUS_LABELS.items()},
        open_statuses=queries.OPEN_ORDER,
        kinds=list(Kind),
        topics=TOPIC_LABELS,
        channels=list(Channel),
        tracks=TRACK_LABELS,
        remind_days=current_app.config["CASE_REMIND_WORKING_DAYS"],
    )


# The other staff pages of cases register on the same blueprint (and so behind the guard).
from portal.cases import (  # noqa: E402, F401
    staff_case_views,
    staff_deadline_views,
    staff_identity_views,
    staff_intake_views,
    staff_response_views,
)
