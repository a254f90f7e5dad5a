"""The outbox, for admins: what mail is waiting, sent or given up on; a button to retry now."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from portal.accounts.forms import ConfirmForm
from portal.accounts.permissions import Permission
from portal.core.security import requires
from portal.extensions import db
from portal.notifications.models import OutboxMessage
from portal.notifications.services import deliver_due

bp = Blueprint("staff_notifications", __name__, url_prefix="/staff")

PER_PAGE = 50
# Mail about a case goes to a citizen (or a denouncer): its address and text stay hidden here.
PRIVATE_EVENT_PREFIX = "cases/"


def shows_recipient(message: OutboxMessage) -> bool:
    return not message.event.startswith(PRIVATE_EVENT_PREFIX)


@bp.route("/outbox")
@requires(Permission.MANAGE_SETTINGS)
def outbox():
    page = request.args.get("page", 1, type=int)
    messages = db.paginate(
        db.select(OutboxMessage).order_by(OutboxMessage.id.desc()),
        page=page,
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "staff/notifications/outbox.html",
        messages=messages,
        shows_recipient=shows_recipient,
        keep_days=current_app.config["OUTBOX_KEEP_DAYS"],
        form=ConfirmForm(),
    )


@bp.route("/outbox/retry", methods=["POST"])
@requires(Permission.MANAGE_SETTINGS)
def outbox_retry():
    form = ConfirmForm()
    if form.validate_on_submit():
        sent, failed = deliver_due()
        flash(
            _("Sent: %(sent)d. Failed again: %(failed)d.", sent=sent, failed=failed),
            "success" if not failed else "error",
        )
    return redirect(url_for("staff_notifications.outbox"))
