"""Staff pages of the disclosures domain: /staff/disclosures…, /staff/comments,
/staff/disclosure-categories. Editors publish; administrators keep the categories."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts.permissions import Permission
from portal.core.security import requires
from portal.core.text import slugify
from portal.core.uploads import send_stored_file
from portal.disclosures import categories as category_services
from portal.disclosures import queries, services
from portal.disclosures.forms import (
    AttachmentForm,
    CategoryForm,
    ConfirmForm,
    ConsultationReportForm,
    DisclosureForm,
    PublishForm,
    RemoveAttachmentForm,
    WithdrawForm,
    to_local,
    to_utc,
)
from portal.disclosures.models import Status
from portal.disclosures.presentation import template_helpers
from portal.disclosures.views import render_detail

bp = Blueprint("staff_disclosures", __name__, url_prefix="/staff")
bp.context_processor(template_helpers)

PUBLISH = Permission.PUBLISH_INFORMATION


def _disclosure_or_404(public_id: str):
    found = queries.by_public_id(public_id)
    if found is None:
        abort(404)
    return found


def _status_key(d) -> str:
    if d.status == Status.PUBLISHED and d.is_scheduled():
        return "scheduled"
    return d.status


@bp.app_template_global("disclosure_status")
def disclosure_status(d) -> str:
    """The editor's word for where a disclosure stands."""
    return {
        "draft": _("Draft"),
        "scheduled": _("Scheduled"),
        "published": _("Published"),
        "withdrawn": _("Withdrawn"),
    }[_status_key(d)]


# --- Lists ---------------------------------------------------------------------------------


@bp.route("/disclosures")
@requires(PUBLISH)
def disclosures():
    status = request.args.get("status")
    status = status if status in queries.STAFF_STATUSES else None
    category = queries.category_by_slug(request.args.get("category", ""))
    page = request.args.get("page", 1, type=int)
    return render_template(
        "staff/disclosures/disclosures.html",
        results=queries.staff_listing(status=status, category=category, page=page),
        status=status,
        category=category,
        categories=queries.all_categories(),
        overdue=queries.overdue_obligations(),
        awaiting_report=queries.consultations_awaiting_report(),
        pending_comments=len(queries.pending_comments()),
    )


# --- Create and edit -----------------------------------------------------------------------


def _form(d=None, **kwargs) -> DisclosureForm:
    form = DisclosureForm(**kwargs)
    form.set_choices(queries.all_categories(), queries.units())
    return form


def _form_data(d) -> dict:
    return {
        "category": str(d.category_id),
        "title": d.title,
        "summary": d.summary,
        "body_html": d.body_html,
        "document_type": d.document_type,
        "issuer": d.issuer,
        "number_symbol": d.number_symbol,
        "issued_on": d.issued_on,
        "effective_on": d.effective_on,
        "disclosure_form": d.disclosure_form,
        "disclosure_place": d.disclosure_place,
        "visible_until": d.visible_until,
        "unit": str(d.unit_id) if d.unit_id else "",
        "papi": d.papi_dimensions,
        "is_consultation": d.is_consultation,
        "comments_open_at": to_local(d.comments_open_at),
        "comments_close_at": to_local(d.comments_close_at),
    }


def _values(form: DisclosureForm) -> dict:
    return {
        "category": queries.category_by_id(int(form.category.data)),
        "title": form.title.data,
        "summary": form.summary.data or "",
        "body_html": form.body_html.data or "",
        "document_type": form.document_type.data or "",
        "issuer": form.issuer.data or "",
        "number_symbol": form.number_symbol.data or "",
        "issued_on": form.issued_on.data,
        "effective_on": form.effective_on.data,
        "disclosure_form": form.disclosure_form.data or "",
        "disclosure_place": form.disclosure_place.data or "",
        "visible_until": form.visible_until.data,
        "unit": queries.unit_by_id(int(form.unit.data)) if form.unit.data else None,
        "papi": form.papi.data or [],
        "is_consultation": bool(form.is_consultation.data),
        "comments_open_at": to_utc(form.comments_open_at.data),
        "comments_close_at": to_utc(form.comments_close_at.data),
    }


@bp.route("/disclosures/new", methods=["GET", "POST"])
@requires(PUBLISH)
def disclosure_new():
    form = _form()
    if form.validate_on_submit():
        try:
            d = services.create_disclosure(_values(form), actor=current_user)
        except services.DisclosureError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("The draft was saved. It is not public until you publish it."), "success")
            return redirect(url_for("staff_disclosures.disclosure", public_id=d.public_id))
    status = 400 if form.is_submitted() else 200
    return render_template("staff/disclosures/disclosure_new.html", form=form), status


@bp.route("/disclosures/<string:public_id>/edit", methods=["GET", "POST"])
@requires(PUBLISH)
def disclosure_edit(public_id: str):
    d = _disclosure_or_404(public_id)
    if d.status == Status.WITHDRAWN:
        flash(_("A withdrawn disclosure cannot be changed."), "error")
        return redirect(url_for("staff_disclosures.disclosure", public_id=d.public_id))
    form = _form(data=None if request.method == "POST" else _form_data(d))
    public = d.is_public()
    if form.validate_on_submit():
        if public and not form.change_note.data:
            form.change_note.errors.append(_("Say what changed and why"))
        else:
            try:
                services.edit_disclosure(
                    d, _values(form), actor=current_user, change_note=form.change_note.data or ""
                )
            except services.DisclosureError as error:
                form.form_errors.append(str(error))
            else:
                flash(
                    _("The changes are published as a new version.")
                    if public
                    else _("The changes were saved."),
                    "success",
                )
                return redirect(url_for("staff_disclosures.disclosure", public_id=d.public_id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "staff/disclosures/disclosure_edit.html", d=d, form=form, public=public
    ), status


# --- One disclosure: overview and actions ---------------------------------------------------


def _overview(d, *, status: int = 200, publish_form=None, attachment_form=None):
    attachment_form = attachment_form or AttachmentForm(formdata=None)
    attachment_form.files.description = _(
        "PDF, Word, Excel, OpenDocument, PNG or JPEG; at most %(mb)d MB each.",
        mb=current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024),
    )
    return render_template(
        "staff/disclosures/disclosure.html",
        d=d,
        public=d.is_public(),
        scheduled=d.is_scheduled(),
        publish_form=publish_form or PublishForm(formdata=None),
        attachment_form=attachment_form,
        confirm_form=ConfirmForm(formdata=None),
        comment_counts=queries.comment_counts(d) if d.is_consultation else {},
    ), status


@bp.route("/disclosures/<string:public_id>")
@requires(PUBLISH)
def disclosure(public_id: str):
    return _overview(_disclosure_or_404(public_id))


@bp.route("/disclosures/<string:public_id>/preview")
@requires(PUBLISH)
def disclosure_preview(public_id: str):
    return render_detail(_disclosure_or_404(public_id), preview=True)


@bp.route("/disclosures/<string:public_id>/files/<string:file_public_id>")
@requires(PUBLISH)
def attachment(public_id: str, file_public_id: str):
    found = queries.attachment(_disclosure_or_404(public_id), file_public_id)
    if found is None:
        abort(404)
    return send_stored_file(found.stored_file)


@bp.route("/disclosures/<string:public_id>/publish", methods=["POST"])
@requires(PUBLISH)
def disclosure_publish(public_id: str):
    d = _disclosure_or_404(public_id)
    form = PublishForm()
    if form.validate_on_submit():
        try:
            services.publish_disclosure(
                d, actor=current_user, publish_at=to_utc(form.publish_at.data)
            )
        except services.DisclosureError as error:
            form.form_errors.append(str(error))
        else:
            if d.is_public():
                flash(_("The disclosure is published."), "success")
            else:
                flash(
                    _(
                        "The disclosure is scheduled: it becomes public on %(when)s.",
                        when=_format_when(d.publish_at),
                    ),
                    "success",
                )
            return redirect(url_for("staff_disclosures.disclosure", public_id=d.public_id))
    return _overview(d, status=400, publish_form=form)


def _format_when(value) -> str:
    return format_datetime(value, "dd/MM/yyyy HH:mm")


@bp.route("/disclosures/<string:public_id>/unschedule", methods=["POST"])
@requires(PUBLISH)
def disclosure_unschedule(public_id: str):
    d = _disclosure_or_404(public_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.unschedule_disclosure(d, actor=current_user)
        except services.DisclosureError as error:
            flash(str(error), "error")
        else:
            flash(_("The disclosure is a draft again."), "success")
    return redirect(url_for("staff_disclosures.disclosure", public_id=d.public_id))


@bp.route("/disclosures/<string:public_id>/withdraw", methods=["GET", "POST"])
@requires(PUBLISH)
def disclosure_withdraw(public_id: str):
    d = _disclosure_or_404(public_id)
    form = WithdrawForm()
    if form.validate_on_submit():
        try:
            services.withdraw_disclosure(d, reason=form.reason.data, actor=current_user)
        except services.DisclosureError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("The disclosure is withdrawn. It stays visible with the reason."), "success")
            return redirect(url_for("staff_disclosures.disclosure", public_id=d.public_id))
    status = 400 if form.is_submitted() else 200
    return render_template("staff/disclosures/disclosure_withdraw.html", d=d, form=form), status


@bp.route("/disclosures/<string:public_id>/attachments", methods=["POST"])
@requires(PUBLISH)
def attachment_add(public_id: str):
    d = _disclosure_or_404(public_id)
    form = AttachmentForm()
    if form.validate_on_submit():
        files = [f for f in form.files.data or [] if f and f.filename]
        if not files:
            form.files.errors.append(_("Choose a file to attach"))
        elif d.is_public() and not form.change_note.data:
            form.change_note.errors.append(_("Say what changed and why"))
        else:
            try:
                services.add_attachments(
                    d,
                    files,
                    actor=current_user,
                    title=form.title.data or "",
                    change_note=form.change_note.data or "",
                )
            except (services.UploadRefused, services.DisclosureError) as error:
                form.files.errors.append(str(error))
            else:
                flash(_("The files were attached."), "success")
                return redirect(url_for("staff_disclosures.disclosure", public_id=d.public_id))
    return _overview(d, status=400, attachment_form=form)


@bp.route(
    "/disclosures/<string:public_id>/attachments/<string:file_public_id>/remove",
    methods=["GET", "POST"],
)
@requires(PUBLISH)
def attachment_remove(public_id: str, file_public_id: str):
    d = _disclosure_or_404(public_id)
    found = queries.attachment(d, file_public_id)
    if found is None:
        abort(404)
    form = RemoveAttachmentForm()
    public = d.is_public()
    if form.validate_on_submit():
        if public and not form.change_note.data:
            form.change_note.errors.append(_("Say what changed and why"))
        else:
            try:
                services.remove_attachment(
                    d, file_public_id, actor=current_user, change_note=form.change_note.data or ""
                )
            except services.DisclosureError as error:
                form.form_errors.append(str(error))
            else:
                flash(_("The file was removed."), "success")
                return redirect(url_for("staff_disclosures.disclosure", public_id=d.public_id))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "staff/disclosures/attachment_remove.html", d=d, a=found, form=form, public=public
    ), status


@bp.route("/disclosures/<string:public_id>/consultation-report", methods=["GET", "POST"])
@requires(PUBLISH)
def consultation_report(public_id: str):
    d = _disclosure_or_404(public_id)
    if not d.is_consultation:
        abort(404)
    form = ConsultationReportForm(
        data=None if request.method == "POST" else {"report_html": d.consultation_report_html}
    )
    if form.validate_on_submit():
        try:
            services.publish_consultation_report(
                d, report_html=form.report_html.data, actor=current_user
            )
        except services.DisclosureError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("The report is published on the draft's page."), "success")
            return redirect(url_for("staff_disclosures.disclosure", public_id=d.public_id))
    status = 400 if form.is_submitted() else 200
    return render_template("staff/disclosures/consultation_report.html", d=d, form=form), status


# --- Comment moderation ---------------------------------------------------------------------


@bp.route("/comments")
@requires(PUBLISH)
def comments():
    pending = queries.pending_comments()
    drafts = queries.disclosures_for({c.disclosure_id for c in pending})
    return render_template(
        "staff/disclosures/comments.html",
        pending=pending,
        drafts=drafts,
        confirm_form=ConfirmForm(formdata=None),
    )


@bp.route("/comments/<string:public_id>/<any(approve, reject):decision>", methods=["POST"])
@requires(PUBLISH)
def comment_moderate(public_id: str, decision: str):
    found = queries.comment_by_public_id(public_id)
    if found is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            services.moderate_comment(found, approve=decision == "approve", actor=current_user)
        except services.DisclosureError as error:
            flash(str(error), "error")
        else:
            flash(
                _("The comment is approved and public.")
                if decision == "approve"
                else _("The comment is rejected."),
                "success",
            )
    return redirect(url_for("staff_disclosures.comments"))


# --- Categories (administrators) ------------------------------------------------------------


@bp.route("/disclosure-categories")
@requires(Permission.MANAGE_SETTINGS)
def categories():
    return render_template(
        "staff/disclosures/categories.html",
        obligations=queries.obligations(only_active=False),
    )


def _category_form_problem(form: CategoryForm, exclude_id=None) -> bool:
    slug = slugify(form.slug.data or form.name.data or "", max_length=120)
    problem = category_services.category_slug_problem(slug, exclude_id=exclude_id) if slug else None
    if problem:
        form.slug.errors.append(str(problem))
        return True
    return False


@bp.route("/disclosure-categories/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_SETTINGS)
def category_new():
    form = CategoryForm()
    if form.validate_on_submit() and not _category_form_problem(form):
        category = category_services.create_category(form.values(), actor=current_user)
        flash(_("The category %(name)s was created.", name=category.name), "success")
        return redirect(url_for("staff_disclosures.categories"))
    status = 400 if form.is_submitted() else 200
    return render_template("staff/disclosures/category_new.html", form=form), status


@bp.route("/disclosure-categories/<string:slug>", methods=["GET", "POST"])
@requires(Permission.MANAGE_SETTINGS)
def category_edit(slug: str):
    category = queries.category_by_slug(slug)
    if category is None:
        abort(404)
    form = CategoryForm(obj=None if request.method == "POST" else category)
    if form.validate_on_submit() and not _category_form_problem(form, exclude_id=category.id):
        category_services.update_category(category, form.values(), actor=current_user)
        flash(_("The category was saved."), "success")
        return redirect(url_for("staff_disclosures.categories"))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "staff/disclosures/category_edit.html", category=category, form=form
    ), status
