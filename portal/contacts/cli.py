"""`flask calendar …`: the working-day calendar's exceptions.

`day-off` and `working-day` record what the government announces each year (a bridge day off,
the Saturday worked to make up for it) through the same audited service as the admin page,
with the command line as the actor. They refuse (exit code 1, nothing recorded) a date the
standard calendar already gives as asked: a day off on a Sunday or a public holiday, a working
day on an ordinary weekday. Such a request is most often a mistyped date. Asking again for what
is already recorded changes nothing and succeeds (scripts can be re-run); with a different
--note it updates the note. Asking for a date to become what the standard calendar already
gives, when an entry said otherwise, removes that entry.
"""

from datetime import date

import click
from flask.cli import AppGroup

from portal.contacts import queries, services
from portal.contacts.schedule import today_in_vietnam
from portal.core import workdays
from portal.core.text import nfc
from portal.core.workdays import DayKind, Why

calendar_cli = AppGroup("calendar", help="The working-day calendar.")

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
NOTE_MAX = 200  # CalendarException.note

_WHAT = {DayKind.DAY_OFF: "a day off", DayKind.WORKING_DAY: "a make-up working day"}


def _label(day: date) -> str:
    return f"{day.isoformat()} ({day:%A})"


def _standard(day: date) -> str:
    """What the standard calendar (weekends, public holidays, announced swaps) makes of a day."""
    if day.weekday() >= 5 and workdays.is_make_up_day(day):
        return "a make-up working day announced with the public holidays"
    if workdays.is_public_holiday(day):
        return f"a public holiday: {workdays.holiday_name(day)}"
    if day.weekday() >= 5:
        return "a weekend day"
    return "an ordinary working day"


def _standard_is_working(day: date) -> bool:
    if day.weekday() >= 5:
        return workdays.is_make_up_day(day)
    return not workdays.is_public_holiday(day)


def _note(value: str | None) -> str:
    note = nfc((value or "").strip())
    if len(note) > NOTE_MAX:
        raise click.BadParameter(f"use at most {NOTE_MAX} characters", param_hint="--note")
    return note


def _declare(day: date, kind: DayKind, note: str) -> None:
    wanted_working = kind == DayKind.WORKING_DAY
    row = queries.calendar_exception(day)
    if row is not None and row.kind == kind:
        if note and note != row.note:
            services.set_calendar_day(day, kind, note, actor=None)
            click.echo(f"{_label(day)} is already {_WHAT[kind]}; note updated: {note}")
        else:
            click.echo(f"{_label(day)} is already recorded as {_WHAT[kind]}; nothing changed.")
        return
    if _standard_is_working(day) == wanted_working:
        if row is None:
            raise click.ClickException(
                f"{_label(day)} is already {'a working day' if wanted_working else 'a day off'}"
                f" ({_standard(day)}): nothing recorded. Check the date."
            )
        # An entry said the opposite: dropping it gives what was asked.
        services.remove_calendar_day(row, actor=None)
        click.echo(
            f"{_label(day)}: removed the entry that made it {_WHAT[DayKind(row.kind)]}; "
            f"it is {_standard(day)} again."
        )
        return
    services.set_calendar_day(day, kind, note, actor=None)
    click.echo(f"Recorded: {_label(day)} is {_WHAT[kind]}" + (f" ({note})." if note else "."))


@calendar_cli.command("day-off")
@click.argument("day", metavar="DATE", type=click.DateTime(formats=DATE_FORMATS))
@click.option("--note", default="", help="Why, e.g. the announcement that set this day.")
def day_off_command(day, note):
    """Make DATE (YYYY-MM-DD or DD/MM/YYYY) a day off, e.g. a bridge day before a holiday.

    Refused (exit code 1) if DATE already is a day off by the standard calendar (a weekend
    day, a public holiday). Deadlines and the reception schedule follow at once.
    """
    _declare(day.date(), DayKind.DAY_OFF, _note(note))


@calendar_cli.command("working-day")
@click.argument("day", metavar="DATE", type=click.DateTime(formats=DATE_FORMATS))
@click.option("--note", default="", help="Why, e.g. the announcement that set this day.")
def working_day_command(day, note):
    """Make DATE (YYYY-MM-DD or DD/MM/YYYY) a working day, e.g. a Saturday worked to make up
    for a bridge day off.

    Refused (exit code 1) if DATE already is a working day by the standard calendar (an
    ordinary weekday). Deadlines and the reception schedule follow at once.
    """
    _declare(day.date(), DayKind.WORKING_DAY, _note(note))


@calendar_cli.command("remove")
@click.argument("day", metavar="DATE", type=click.DateTime(formats=DATE_FORMATS))
def remove_command(day):
    """Return DATE to the standard calendar (drop its day-off or working-day entry)."""
    row = queries.calendar_exception(day.date())
    if row is None:
        raise click.ClickException(f"{_label(day.date())} has no entry: nothing to remove.")
    services.remove_calendar_day(row, actor=None)
    click.echo(f"Removed: {_label(day.date())} is {_standard(day.date())} again.")


@calendar_cli.command("show")
@click.argument("year", type=click.IntRange(1900, 2200), required=False)
def show_command(year):
    """List a year's days off and worked weekend days (this year if YEAR is not given):
    public holidays, announced make-up days and the administrator's entries."""
    year = year or today_in_vietnam().year
    notes = workdays.notable_days(date(year, 1, 1), date(year, 12, 31))
    shown = [n for n in notes if n.why != Why.WEEKEND]
    if not shown:
        click.echo(f"{year}: no public holidays or entries.")
    for note in shown:
        state = "working day" if note.working else "day off"
        name = f": {note.name}" if note.name else ""
        click.echo(f"{_label(note.day)}  {state}  {note.why}{name}")
