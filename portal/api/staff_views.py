"""The admins' pages for Open311 partner systems and their API keys, under /staff/api-partners.

A key is shown once, in the answer to the POST that issued it: never in a flash, a redirect,
the session or a log (staff pages are sent with Cache-Control: no-store).
"""

from dataclasses import dataclass
from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts import queries as accounts_queries
from portal.accounts.forms import ConfirmForm
from portal.accounts.permissions import Permission
from portal.api import partners as service
from portal.api.forms import PartnerEditForm, PartnerForm
from portal.api.models import ApiPartner
from portal.core.security import requires
from portal.core.urls import external_url

bp = Blueprint("staff_api", __name__, url_prefix="/staff")

# What the curl example on the issued-key page sends: a petition about a procedure.
EXAMPLE_SERVICE_CODE = "petition-procedure"


@dataclass(frozen=True)
class PartnerRow:
    partner: ApiPartner
    live_keys: int
    last_used_at: datetime | None


def _row(partner: ApiPartner) -> PartnerRow:
    used = [key.last_used_at for key in partner.keys if key.last_used_at]
    return PartnerRow(
        partner=partner,
        live_keys=sum(1 for key in partner.keys if not key.revoked),
        last_used_at=max(used, default=None),
    )


def _partner_or_404(public_id: str) -> ApiPartner:
    partner = service.partner_by_public_id(public_id)
    if partner is None:
        abort(404)
    return partner


def _status(form) -> int:
    return 400 if form.is_submitted() else 200


def _staff_names() -> dict[int, str]:
    # Who issued and revoked each key: a few staff accounts, read once per page.
    return {user.id: user.full_name for user in accounts_queries.list_users()}


@bp.route("/api-partners")
@requires(Permission.MANAGE_SETTINGS)
def partners():
    rows = [_row(partner) for partner in service.partners()]
    return render_template("staff/api/partners.html", rows=rows)


@bp.route("/api-partners/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_SETTINGS)
def partner_new():
    form = PartnerForm()
    if form.validate_on_submit():
        try:
            partner = service.create_partner(
                name=form.name.data,
                contact=form.contact.data,
                note=form.note.data,
                by=current_user,
            )
        except service.PartnerNameTaken:
            form.name.errors = [_("Another partner system already has this name.")]
        else:
            flash(
                _("The partner system %(name)s was registered: issue it a key.", name=partner.name),
                "success",
            )
            return redirect(url_for("staff_api.partner_edit", public_id=partner.public_id))
    return render_template("staff/api/partner_new.html", form=form), _status(form)


@bp.route("/api-partners/<string:public_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_SETTINGS)
def partner_edit(public_id: str):
    partner = _partner_or_404(public_id)
    form = PartnerEditForm(obj=partner)
    if form.validate_on_submit():
        try:
            service.update_partner(
                partner,
                name=form.name.data,
                contact=form.contact.data,
                note=form.note.data,
                active=form.active.data,
                by=current_user,
            )
        except service.PartnerNameTaken:
            form.name.errors = [_("Another partner system already has this name.")]
        else:
            flash(_("The partner system was saved."), "success")
            return redirect(url_for("staff_api.partner_edit", public_id=partner.public_id))
    return render_template(
        "staff/api/partner_edit.html",
        partner=partner,
        form=form,
        names=_staff_names(),
        confirm=ConfirmForm(formdata=None),
    ), _status(form)


@bp.route("/api-partners/<string:public_id>/keys", methods=["POST"])
@requires(Permission.MANAGE_SETTINGS)
def key_issue(public_id: str):
    partner = _partner_or_404(public_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    key, raw = service.issue_key(partner, by=current_user)
    # Rendered here, not after a redirect: the key exists in clear only in this response.
    return render_template(
        "staff/api/key_issue.html",
        partner=partner,
        key=key,
        raw_key=raw,
        # The address the partner calls: the public one, whatever host the admin is on.
        endpoint=external_url("open311.create_service_request", fmt="json"),
        service_code=EXAMPLE_SERVICE_CODE,
    )


@bp.route("/api-partners/<string:public_id>/keys/<string:key_public_id>/revoke", methods=["POST"])
@requires(Permission.MANAGE_SETTINGS)
def key_revoke(public_id: str, key_public_id: str):
    partner = _partner_or_404(public_id)
    key = service.key_by_public_id(partner, key_public_id)
    if key is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    service.revoke_key(key, by=current_user)
    flash(_("The key ending …%(hint)s was revoked: it no longer works.", hint=key.hint), "success")
    return redirect(url_for("staff_api.partner_edit", public_id=partner.public_id))
