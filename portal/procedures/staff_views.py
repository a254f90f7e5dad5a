"""Staff pages of the procedures domain: /staff/procedures…"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts.permissions import Permission
from portal.core.security import requires
from portal.core.uploads import send_stored_file
from portal.procedures import queries, services
from portal.procedures.forms import ConfirmForm, FieldForm, procedure_form

bp = Blueprint("staff_procedures", __name__, url_prefix="/staff")


def _procedure_or_404(slug: str):
    procedure = queries.procedure_by_slug(slug)
    if procedure is None:
        abort(404)
    return procedure


def _field_or_404(slug: str):
    row = queries.field_by_slug(slug)
    if row is None:
        abort(404)
    return row


@bp.route("/procedures")
@requires(Permission.PUBLISH_INFORMATION)
def procedures():
    query = request.args.get("q", "").strip()[:200]
    page = request.args.get("page", 1, type=int)
    return render_template(
        "staff/procedures/procedures.html",
        results=queries.staff_page(query, page),
        query=query,
        has_fields=bool(queries.all_fields()),
    )


def _save(form, procedure=None):
    """Check the code is free, then create or update; return the procedure or None on errors."""
    other = queries.procedure_by_code(form.code.data)
    if other is not None and other is not procedure:
        form.code.errors.append(_("Another procedure already has this code."))
        return None
    existing = len(procedure.components) if procedure else 0
    changes, rows = form.file_changes(existing)
    data = form.procedure_data()
    try:
        if procedure is None:
            return services.create_procedure(data, actor=current_user, files=changes)
        services.update_procedure(procedure, data, actor=current_user, files=changes)
        return procedure
    except services.ComponentUploadRefused as refused:
        form[f"component_{rows[refused.row]}_file"].errors.append(str(refused))
        return None


@bp.route("/procedures/new", methods=["GET", "POST"])
@requires(Permission.PUBLISH_INFORMATION)
def procedure_new():
    fields = queries.all_fields()
    if not fields:
        flash(_("Add a field (lĩnh vực) first: every procedure belongs to one."), "error")
        return redirect(url_for("staff_procedures.fields"))
    form = procedure_form(fields=fields)
    if form.validate_on_submit():
        procedure = _save(form)
        if procedure is not None:
            flash(_("The procedure was saved as a draft. Publish it when it is ready."), "success")
            return redirect(url_for("staff_procedures.procedure_edit", slug=procedure.slug))
    status = 400 if form.is_submitted() else 200
    return render_template("staff/procedures/procedure_new.html", form=form), status


@bp.route("/procedures/<string:slug>", methods=["GET", "POST"])
@requires(Permission.PUBLISH_INFORMATION)
def procedure_edit(slug: str):
    procedure = _procedure_or_404(slug)
    form = procedure_form(procedure, fields=queries.all_fields())
    if form.validate_on_submit() and _save(form, procedure) is not None:
        flash(_("The procedure was saved."), "success")
        return redirect(url_for("staff_procedures.procedure_edit", slug=procedure.slug))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "staff/procedures/procedure_edit.html",
        procedure=procedure,
        form=form,
        confirm_form=ConfirmForm(formdata=None),
    ), status


@bp.route("/procedures/<string:slug>/publish", methods=["POST"])
@requires(Permission.PUBLISH_INFORMATION)
def procedure_publish(slug: str):
    procedure = _procedure_or_404(slug)
    if ConfirmForm().validate_on_submit():
        services.set_published(procedure, True, actor=current_user)
        flash(_("The procedure is published."), "success")
    return redirect(url_for("staff_procedures.procedure_edit", slug=slug))


@bp.route("/procedures/<string:slug>/unpublish", methods=["POST"])
@requires(Permission.PUBLISH_INFORMATION)
def procedure_unpublish(slug: str):
    procedure = _procedure_or_404(slug)
    if ConfirmForm().validate_on_submit():
        services.set_published(procedure, False, actor=current_user)
        flash(_("The procedure is no longer published."), "success")
    return redirect(url_for("staff_procedures.procedure_edit", slug=slug))


@bp.route("/procedures/<string:slug>/preview")
@requires(Permission.PUBLISH_INFORMATION)
def procedure_preview(slug: str):
    return render_template(
        "procedures/detail.html",
        procedure=_procedure_or_404(slug),
        preview=True,
        report_url=None,
    )


@bp.route("/procedures/<string:slug>/files/<string:public_id>")
@requires(Permission.PUBLISH_INFORMATION)
def procedure_file(slug: str, public_id: str):
    stored = queries.form_file(_procedure_or_404(slug), public_id)
    if stored is None:
        abort(404)
    return send_stored_file(stored)


@bp.route("/procedures/fields", methods=["GET", "POST"])
@requires(Permission.PUBLISH_INFORMATION)
def fields():
    form = FieldForm()
    if form.validate_on_submit():
        if queries.field_by_name(form.name.data):
            form.name.errors.append(_("A field with this name already exists."))
        else:
            services.create_field(
                name=form.name.data,
                name_en=form.name_en.data or "",
                position=form.position.data or 0,
                actor=current_user,
            )
            flash(_("The field was added."), "success")
            return redirect(url_for("staff_procedures.fields"))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "staff/procedures/fields.html",
        form=form,
        fields=queries.fields_with_counts(),
        confirm_form=ConfirmForm(formdata=None),
    ), status


@bp.route("/procedures/fields/<string:slug>", methods=["GET", "POST"])
@requires(Permission.PUBLISH_INFORMATION)
def field_edit(slug: str):
    row = _field_or_404(slug)
    form = FieldForm(obj=row)
    if form.validate_on_submit():
        same_name = queries.field_by_name(form.name.data)
        if same_name is not None and same_name is not row:
            form.name.errors.append(_("A field with this name already exists."))
        else:
            services.update_field(
                row,
                name=form.name.data,
                name_en=form.name_en.data or "",
                position=form.position.data or 0,
                actor=current_user,
            )
            flash(_("The field was saved."), "success")
            return redirect(url_for("staff_procedures.fields"))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "staff/procedures/field_edit.html", procedure_field=row, form=form
    ), status


@bp.route("/procedures/fields/<string:slug>/delete", methods=["POST"])
@requires(Permission.PUBLISH_INFORMATION)
def field_delete(slug: str):
    row = _field_or_404(slug)
    if ConfirmForm().validate_on_submit():
        if services.delete_field(row, actor=current_user):
            flash(_("The field was deleted."), "success")
        else:
            flash(_("The field still has procedures: move them to another field first."), "error")
    return redirect(url_for("staff_procedures.fields"))
