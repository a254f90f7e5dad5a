"""`flask cases remind`: the daily digest of cases due soon and overdue (run from cron).

For each active handler: the open cases assigned to them. For each active head: every open
case of their unit. A case is due soon when its current deadline (`due_on`) falls within
CASE_REMIND_WORKING_DAYS working days from today, overdue when it has passed. One e-mail per
person, none when they have nothing due.

Idempotent per day: a person who already has today's digest in the outbox (sent or waiting)
is skipped, so cron may run the command again after a failure without mailing anyone twice.
`--force` sends again anyway.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

import click
from flask import current_app

from portal.accounts.models import User
from portal.accounts.permissions import Role
from portal.cases import notify
from portal.cases.cli import cases_cli
from portal.cases.models import Case
from portal.cases.workflow import OPEN
from portal.core.workdays import VIETNAM, add_working_days, local_date
from portal.extensions import db
from portal.notifications.models import OutboxMessage

DIGEST_EVENT = "cases/daily_digest"
REMINDED_ROLES = (Role.HANDLER, Role.HEAD)


@dataclass
class Summary:
    sent: int = 0
    skipped: int = 0  # already had today's digest
    empty: int = 0  # nothing due
    due_soon: int = 0
    overdue: int = 0
    recipients: list[int] = field(default_factory=list)  # user ids


def _open_cases_of(user: User):
    query = db.select(Case).where(Case.status.in_([str(s) for s in OPEN]), Case.due_on.is_not(None))
    if user.role == Role.HEAD:
        # A head answers for every open case of their unit, assigned or not.
        return query.where(Case.handling_unit_id.is_not_distinct_from(user.unit_id))
    return query.where(Case.assignee_id == user.id)


def cases_for(user: User, today: date, days: int) -> tuple[list[Case], list[Case]]:
    """(due soon, overdue) among the cases this user works, earliest deadline first."""
    horizon = add_working_days(today, days)
    order = (Case.due_on, Case.id)
    due_soon = db.session.scalars(
        _open_cases_of(user).where(Case.due_on >= today, Case.due_on <= horizon).order_by(*order)
    ).all()
    overdue = db.session.scalars(
        _open_cases_of(user).where(Case.due_on < today).order_by(*order)
    ).all()
    return list(due_soon), list(overdue)


def _already_sent_today(user: User, now: datetime) -> bool:
    start = datetime.combine(local_date(now), time.min, tzinfo=VIETNAM).astimezone(UTC)
    return (
        db.session.scalar(
            db.select(OutboxMessage.id)
            .where(
                OutboxMessage.event == DIGEST_EVENT,
                OutboxMessage.recipient == user.email,
                OutboxMessage.created_at >= start,
            )
            .limit(1)
        )
        is not None
    )


def send_reminders(*, today: date | None = None, force: bool = False) -> Summary:
    """Queue one digest per handler and head who has cases due soon or overdue; commit."""
    now = datetime.now(UTC)
    today = today or local_date(now)
    days = current_app.config["CASE_REMIND_WORKING_DAYS"]
    summary = Summary()
    users = db.session.scalars(
        db.select(User)
        .where(User.active.is_(True), User.role.in_([str(r) for r in REMINDED_ROLES]))
        .order_by(User.id)
    ).all()
    for user in users:
        if not force and _already_sent_today(user, now):
            summary.skipped += 1
            continue
        due_soon, overdue = cases_for(user, today, days)
        if not due_soon and not overdue:
            summary.empty += 1
            continue
        notify.daily_digest(user, due_soon, overdue)
        summary.sent += 1
        summary.due_soon += len(due_soon)
        summary.overdue += len(overdue)
        summary.recipients.append(user.id)
    db.session.commit()
    return summary


@cases_cli.command("remind")
@click.option(
    "--date",
    "on",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Count from this day instead of today (YYYY-MM-DD).",
)
@click.option("--force", is_flag=True, help="Send even to those who had today's digest.")
def remind_command(on, force):
    """Queue the daily digest of cases due soon and overdue to each handler and head."""
    summary = send_reminders(today=on.date() if on else None, force=force)
    # Counts only: the cron log never lists cases or addresses.
    click.echo(
        f"queued {summary.sent} digest(s): {summary.overdue} overdue and {summary.due_soon} "
        f"due-soon case line(s); {summary.empty} with nothing due; "
        f"{summary.skipped} already had today's digest"
    )
