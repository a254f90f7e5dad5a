"""Staff pages of the contacts domain: /staff/hotlines, /staff/units, /staff/reception…,
/staff/calendar. Editors keep the contacts; the working-day calendar is the administrators'.
"""

from datetime import date, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.accounts.permissions import Permission
from portal.contacts import queries, schedule, services
from portal.contacts.forms import (
    DOCUMENT_KINDS,
    CalendarExceptionForm,
    DeleteForm,
    HotlineForm,
    ReceptionDocumentForm,
    ReceptionOfficeForm,
    ReceptionRuleForm,
    ReceptionSessionForm,
    UnitForm,
)
from portal.contacts.phones import format_phone
from portal.core.security import requires
from portal.core.uploads import UploadRefused

bp = Blueprint("staff_contacts", __name__, url_prefix="/staff")


def _or_404(found):
    if found is None:
        abort(404)
    return found


def _status(form) -> int:
    return 400 if form.is_submitted() else 200


# --- Hotlines ------------------------------------------------------------------------------


def _hotline_data(form: HotlineForm) -> services.HotlineData:
    return services.HotlineData(
        label=form.label.data,
        label_en=form.label_en.data or "",
        purpose=form.purpose.data or "",
        purpose_en=form.purpose_en.data or "",
        phone_e164=form.phone_e164,
        email=form.email.data or None,
        hours=form.hours.data or "",
        hours_en=form.hours_en.data or "",
        is_harassment=form.is_harassment.data,
        is_main=form.is_main.data,
        position=form.position.data or 0,
        published=form.published.data,
    )


@bp.route("/hotlines")
@requires(Permission.PUBLISH_INFORMATION)
def hotlines():
    return render_template(
        "staff/contacts/hotlines.html", hotlines=queries.all_hotlines(), delete_form=DeleteForm()
    )


@bp.route("/hotlines/new", methods=["GET", "POST"])
@requires(Permission.PUBLISH_INFORMATION)
def hotline_new():
    form = HotlineForm()
    if form.validate_on_submit():
        hotline = services.create_hotline(_hotline_data(form), actor=current_user)
        flash(_("The hotline %(name)s was added.", name=hotline.label), "success")
        return redirect(url_for("staff_contacts.hotlines"))
    return render_template("staff/contacts/hotline_new.html", form=form), _status(form)


@bp.route("/hotlines/<string:public_id>", methods=["GET", "POST"])
@requires(Permission.PUBLISH_INFORMATION)
def hotline_edit(public_id: str):
    hotline = _or_404(queries.hotline_by_public_id(public_id))
    form = HotlineForm(obj=hotline, data={"phone": format_phone(hotline.phone_e164)})
    if form.validate_on_submit():
        services.update_hotline(hotline, _hotline_data(form), actor=current_user)
        flash(_("The hotline was saved."), "success")
        return redirect(url_for("staff_contacts.hotlines"))
    return render_template(
        "staff/contacts/hotline_edit.html", form=form, hotline=hotline, delete_form=DeleteForm()
    ), _status(form)


@bp.route("/hotlines/<string:public_id>/delete", methods=["POST"])
@requires(Permission.PUBLISH_INFORMATION)
def hotline_delete(public_id: str):
    hotline = _or_404(queries.hotline_by_public_id(public_id))
    if DeleteForm().validate_on_submit():
        services.delete_hotline(hotline, actor=current_user)
        flash(_("The hotline %(name)s was deleted.", name=hotline.label), "success")
    return redirect(url_for("staff_contacts.hotlines"))


# --- Units ---------------------------------------------------------------------------------


def _unit_data(form: UnitForm) -> services.UnitData:
    return services.UnitData(
        name=form.name.data,
        name_en=form.name_en.data or "",
        functions=form.functions.data or "",
        functions_en=form.functions_en.data or "",
        head_name=form.head_name.data or "",
        head_title=form.head_title.data or "",
        head_title_en=form.head_title_en.data or "",
        phone_e164=form.phone_e164,
        email=form.email.data or None,
        handles_cases=form.handles_cases.data,
        position=form.position.data or 0,
        published=form.published.data,
    )


@bp.route("/units")
@requires(Permission.PUBLISH_INFORMATION)
def units():
    return render_template("staff/contacts/units.html", units=queries.all_units())


@bp.route("/units/new", methods=["GET", "POST"])
@requires(Permission.PUBLISH_INFORMATION)
def unit_new():
    form = UnitForm()
    if form.validate_on_submit():
        unit = services.create_unit(_unit_data(form), actor=current_user)
        flash(_("The unit %(name)s was added.", name=unit.name), "success")
        return redirect(url_for("staff_contacts.units"))
    return render_template("staff/contacts/unit_new.html", form=form), _status(form)


@bp.route("/units/<string:public_id>", methods=["GET", "POST"])
@requires(Permission.PUBLISH_INFORMATION)
def unit_edit(public_id: str):
    unit = _or_404(queries.unit_by_public_id(public_id))
    form = UnitForm(
        obj=unit,
        data={
            "phone": format_phone(unit.phone_e164),
            "functions": unit.functions_html,
            "functions_en": unit.functions_en_html,
        },
    )
    if form.validate_on_submit():
        services.update_unit(unit, _unit_data(form), actor=current_user)
        flash(_("The unit was saved."), "success")
        return redirect(url_for("staff_contacts.units"))
    return render_template("staff/contacts/unit_edit.html", form=form, unit=unit), _status(form)


# --- Reception -----------------------------------------------------------------------------


@bp.route("/reception")
@requires(Permission.PUBLISH_INFORMATION)
def reception():
    today = schedule.today_in_vietnam()
    return render_template(
        "staff/contacts/reception.html",
        office=queries.reception_office(),
        rules=queries.reception_rules(),
        sessions=schedule.upcoming_sessions(today, limit=24),
        documents=queries.reception_documents(),
        document_kinds=DOCUMENT_KINDS,
    )


@bp.route("/reception/place", methods=["GET", "POST"])
@requires(Permission.PUBLISH_INFORMATION)
def reception_office():
    office = queries.reception_office()
    form = ReceptionOfficeForm(obj=office)
    if form.validate_on_submit():
        services.save_reception_office(
            services.OfficeData(
                place=form.place.data,
                place_en=form.place_en.data or "",
                morning_starts_at=form.morning_starts_at.data,
                morning_ends_at=form.morning_ends_at.data,
                afternoon_starts_at=form.afternoon_starts_at.data,
                afternoon_ends_at=form.afternoon_ends_at.data,
                note=form.note.data or "",
                note_en=form.note_en.data or "",
            ),
            actor=current_user,
        )
        flash(_("The place and hours of reception were saved."), "success")
        return redirect(url_for("staff_contacts.reception"))
    return render_template("staff/contacts/reception_office.html", form=form), _status(form)


def _rule_data(form: ReceptionRuleForm) -> services.RuleData:
    return services.RuleData(
        day_of_month=form.day_of_month.data,
        shift=form.shift.data,
        host=form.host.data,
        host_en=form.host_en.data or "",
        place=form.place.data,
        starts_at=form.starts_at.data,
        ends_at=form.ends_at.data,
        valid_from=form.valid_from.data,
        valid_until=form.valid_until.data,
        active=form.active.data,
    )


@bp.route("/reception/rules/new", methods=["GET", "POST"])
@requires(Permission.PUBLISH_INFORMATION)
def rule_new():
    form = ReceptionRuleForm()
    if not form.is_submitted():
        form.valid_from.data = schedule.today_in_vietnam()
    if form.validate_on_submit():
        services.create_rule(_rule_data(form), actor=current_user)
        flash(_("The regular reception day was added."), "success")
        return redirect(url_for("staff_contacts.reception"))
    return render_template("staff/contacts/rule_new.html", form=form), _status(form)


@bp.route("/reception/rules/<string:public_id>", methods=["GET", "POST"])
@requires(Permission.PUBLISH_INFORMATION)
def rule_edit(public_id: str):
    rule = _or_404(queries.rule_by_public_id(public_id))
    form = ReceptionRuleForm(obj=rule)
    if form.validate_on_submit():
        services.update_rule(rule, _rule_data(form), actor=current_user)
        flash(_("The regular reception day was saved."), "success")
        return redirect(url_for("staff_contacts.reception"))
    return render_template(
        "staff/contacts/rule_edit.html", form=form, rule=rule, delete_form=DeleteForm()
    ), _status(form)


@bp.route("/reception/rules/<string:public_id>/delete", methods=["POST"])
@requires(Permission.PUBLISH_INFORMATION)
def rule_delete(public_id: str):
    rule = _or_404(queries.rule_by_public_id(public_id))
    if DeleteForm().validate_on_submit():
        services.delete_rule(rule, actor=current_user)
        flash(_("The regular reception day was deleted."), "success")
    return redirect(url_for("staff_contacts.reception"))


def _session_data(form: ReceptionSessionForm) -> services.SessionData:
    return services.SessionData(
        day=form.day.data,
        starts_at=form.starts_at.data,
        ends_at=form.ends_at.data,
        host=form.host.data,
        host_en=form.host_en.data or "",
        place=form.place.data,
        note=form.note.data or "",
        replaces_rule_day=form.replaces_rule_day.data,
        cancelled=form.cancelled.data,
    )


def _session_defaults(replaces: date | None) -> dict:
    """Start a change to a regular session from that session's own details."""
    if replaces is None:
        return {}
    for session in schedule.sessions_between(replaces, replaces):
        if session.from_rule and session.session_public_id is None:
            return {
                "day": session.day,
                "starts_at": session.starts_at,
                "ends_at": session.ends_at,
                "host": session.host,
                "host_en": session.host_en,
                "place": session.place,
                "replaces_rule_day": session.day,
            }
    return {"replaces_rule_day": replaces}


@bp.route("/reception/sessions/new", methods=["GET", "POST"])
@requires(Permission.PUBLISH_INFORMATION)
def session_new():
    replaces = request.args.get("replaces", type=date.fromisoformat)
    form = ReceptionSessionForm(data=_session_defaults(replaces))
    if form.validate_on_submit():
        services.create_session(_session_data(form), actor=current_user)
        flash(_("The reception session was saved."), "success")
        return redirect(url_for("staff_contacts.reception"))
    return render_template("staff/contacts/session_new.html", form=form), _status(form)


@bp.route("/reception/sessions/<string:public_id>", methods=["GET", "POST"])
@requires(Permission.PUBLISH_INFORMATION)
def session_edit(public_id: str):
    row = _or_404(queries.session_by_public_id(public_id))
    form = ReceptionSessionForm(obj=row)
    if form.validate_on_submit():
        services.update_session(row, _session_data(form), actor=current_user)
        flash(_("The reception session was saved."), "success")
        return redirect(url_for("staff_contacts.reception"))
    return render_template(
        "staff/contacts/session_edit.html", form=form, row=row, delete_form=DeleteForm()
    ), _status(form)


@bp.route("/reception/sessions/<string:public_id>/delete", methods=["POST"])
@requires(Permission.PUBLISH_INFORMATION)
def session_delete(public_id: str):
    row = _or_404(queries.session_by_public_id(public_id))
    if DeleteForm().validate_on_submit():
        services.delete_session(row, actor=current_user)
        flash(_("The reception session was deleted."), "success")
    return redirect(url_for("staff_contacts.reception"))


def _document_data(form: ReceptionDocumentForm) -> services.DocumentData:
    return services.DocumentData(
        kind=form.kind.data,
        title=form.title.data,
        title_en=form.title_en.data or "",
        summary=form.summary.data or "",
        issued_on=form.issued_on.data,
        position=form.position.data or 0,
    )


@bp.route("/reception/documents/new", methods=["GET", "POST"])
@requires(Permission.PUBLISH_INFORMATION)
def document_new():
    form = ReceptionDocumentForm()
    form.file_required = True
    if form.validate_on_submit():
        try:
            services.create_document(_document_data(form), form.file.data, actor=current_user)
        except UploadRefused as refusal:
            form.file.errors.append(str(refusal))
        else:
            flash(_("The document was published."), "success")
            return redirect(url_for("staff_contacts.reception"))
    return render_template("staff/contacts/document_new.html", form=form), _status(form)


@bp.route("/reception/documents/<string:public_id>", methods=["GET", "POST"])
@requires(Permission.PUBLISH_INFORMATION)
def document_edit(public_id: str):
    document = _or_404(queries.document_by_public_id(public_id))
    form = ReceptionDocumentForm(obj=document, data={"summary": document.summary_html})
    if form.validate_on_submit():
        try:
            services.update_document(
                document, _document_data(form), form.file.data, actor=current_user
            )
        except UploadRefused as refusal:
            form.file.errors.append(str(refusal))
        else:
            flash(_("The document was saved."), "success")
            return redirect(url_for("staff_contacts.reception"))
    return render_template(
        "staff/contacts/document_edit.html",
        form=form,
        document=document,
        delete_form=DeleteForm(),
    ), _status(form)


@bp.route("/reception/documents/<string:public_id>/delete", methods=["POST"])
@requires(Permission.PUBLISH_INFORMATION)
def document_delete(public_id: str):
    document = _or_404(queries.document_by_public_id(public_id))
    if DeleteForm().validate_on_submit():
        services.delete_document(document, actor=current_user)
        flash(_("The document was taken off the portal."), "success")
    return redirect(url_for("staff_contacts.reception"))


# --- Working-day calendar ------------------------------------------------------------------


@bp.route("/calendar", methods=["GET", "POST"])
@requires(Permission.MANAGE_SETTINGS)
def calendar():
    form = CalendarExceptionForm()
    if form.validate_on_submit():
        services.set_calendar_day(
            form.day.data, form.kind.data, form.note.data or "", actor=current_user
        )
        flash(_("The calendar was saved."), "success")
        return redirect(url_for("staff_contacts.calendar"))
    today = schedule.today_in_vietnam()
    return render_template(
        "staff/contacts/calendar.html",
        form=form,
        exceptions=queries.calendar_exceptions(since=today - timedelta(days=366)),
        holidays=queries.public_holidays(today.year, str(get_locale())),
        make_up_days=queries.make_up_days(today.year),
        year=today.year,
        delete_form=DeleteForm(),
    ), _status(form)


@bp.route("/calendar/<string:day>/delete", methods=["POST"])
@requires(Permission.MANAGE_SETTINGS)
def calendar_delete(day: str):
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        abort(404)
    row = _or_404(queries.calendar_exception(parsed))
    if DeleteForm().validate_on_submit():
        services.remove_calendar_day(row, actor=current_user)
        flash(_("The date was returned to the standard calendar."), "success")
    return redirect(url_for("staff_contacts.calendar"))
