"""Administration of staff accounts, the site settings and the audit log: /staff/…"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts import queries, services
from portal.accounts.forms import (
    ConfirmForm,
    PasswordResetForm,
    UserEditForm,
    UserForm,
    chosen_unit_id,
    set_unit_choices,
)
from portal.accounts.permissions import Permission
from portal.contacts import queries as contacts_queries
from portal.core import audit, site
from portal.core.security import requires
from portal.core.site_forms import SiteSettingsForm

bp = Blueprint("staff_accounts", __name__, url_prefix="/staff")


def _user_or_404(public_id: str):
    user = queries.user_by_public_id(public_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users")
@requires(Permission.MANAGE_USERS)
def users():
    return render_template("staff/accounts/users.html", users=queries.list_users())


@bp.route("/users/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_USERS)
def user_new():
    form = UserForm()
    set_unit_choices(form, contacts_queries.all_units())
    form.password_owner_email = form.email.data or ""
    if form.validate_on_submit():
        if queries.user_by_email(services.normalise_email(form.email.data)):
            form.email.errors = [_("A staff account with this e-mail address already exists.")]
        else:
            user = services.create_user(
                email=form.email.data,
                full_name=form.full_name.data,
                role=form.role.data,
                password=form.new_password.data,
                actor=current_user,
                unit_id=chosen_unit_id(form),
            )
            flash(_("The account for %(name)s was created.", name=user.full_name), "success")
            return redirect(url_for("staff_accounts.users"))
    status = 400 if form.is_submitted() else 200
    return render_template("staff/accounts/user_new.html", form=form), status


def _edit_form(user, **kwargs) -> UserEditForm:
    form = UserEditForm(obj=user, **kwargs)
    set_unit_choices(form, contacts_queries.all_units())
    return form


@bp.route("/users/<string:public_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_USERS)
def user_edit(public_id: str):
    user = _user_or_404(public_id)
    form = _edit_form(user)
    if form.validate_on_submit():
        if user.id == current_user.id and (not form.active.data or form.role.data != user.role):
            form.form_errors.append(
                _("You cannot deactivate your own account or change your own role.")
            )
        else:
            services.update_user(
                user,
                full_name=form.full_name.data,
                role=form.role.data,
                active=form.active.data,
                actor=current_user,
                unit_id=chosen_unit_id(form),
            )
            flash(_("The account was saved."), "success")
            return redirect(url_for("staff_accounts.user_edit", public_id=user.public_id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "staff/accounts/user_edit.html",
        user=user,
        form=form,
        password_form=PasswordResetForm(formdata=None),
    ), status


@bp.route("/users/<string:public_id>/password", methods=["POST"])
@requires(Permission.MANAGE_USERS)
def user_password(public_id: str):
    user = _user_or_404(public_id)
    form = PasswordResetForm()
    form.password_owner_email = user.email
    if form.validate_on_submit():
        services.reset_password(user, new_password=form.new_password.data, actor=current_user)
        flash(_("The new password is set. Give it to the staff member in person."), "success")
        return redirect(url_for("staff_accounts.user_edit", public_id=user.public_id))
    return render_template(
        "staff/accounts/user_edit.html",
        user=user,
        form=_edit_form(user, formdata=None),
        password_form=form,
    ), 400


@bp.route("/users/<string:public_id>/two-factor/reset", methods=["POST"])
@requires(Permission.MANAGE_USERS)
def user_two_factor_reset(public_id: str):
    user = _user_or_404(public_id)
    if ConfirmForm().validate_on_submit() and user.has_2fa:
        services.disable_totp(user, actor=current_user)
        flash(
            _("Two-step sign-in was reset; the staff member sets it up again at next sign-in."),
            "success",
        )
    return redirect(url_for("staff_accounts.user_edit", public_id=user.public_id))


@bp.route("/settings", methods=["GET", "POST"])
@requires(Permission.MANAGE_SETTINGS)
def settings():
    form = SiteSettingsForm(data=site.load().as_dict())
    if form.validate_on_submit():
        services.save_site_settings(form.values(), actor=current_user)
        flash(_("The settings were saved."), "success")
        return redirect(url_for("staff_accounts.settings"))
    status = 400 if form.is_submitted() else 200
    return render_template("staff/accounts/settings.html", form=form), status


@bp.route("/audit-log")
@requires(Permission.VIEW_AUDIT_LOG)
def audit_log():
    page = request.args.get("page", 1, type=int)
    actions = audit.recorded_actions()
    action = request.args.get("action") if request.args.get("action") in actions else None
    return render_template(
        "staff/accounts/audit_log.html",
        events=audit.recent(page=page, action=action),
        actions=actions,
        action=action,
    )
