"""`flask cases deadline`: the deadline calculator in the shell."""

import click

from portal.cases import deadlines
from portal.cases.cli import cases_cli
from portal.cases.deadlines import Question, Reason

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]

# What each refused option is called on the command line.
_FLAGS = {
    "remote": "--remote",
    "second": "--second",
    "complexity": "--complex",
    "extensions": "--extensions",
    "several_places": "--several-places",
}


def _message(option: str, reason: Reason, question: Question) -> str:
    flag = _FLAGS[option]
    if reason == Reason.LIMIT:
        allowed = deadlines.max_extensions(question.kind, question.complexity)
        if allowed == 0:
            return (
                f"{flag} {question.extensions}: a {question.kind} that is not complex cannot "
                "be extended; add --complex (one extension) or --especially-complex (two)"
            )
        return (
            f"{flag} {question.extensions}: a complex {question.kind} may be extended once; "
            "an especially complex one (--especially-complex) twice"
            if allowed == 1
            else f"{flag} {question.extensions}: a {question.kind} may be extended at most "
            f"{allowed} times"
        )
    if reason == Reason.STAGE:
        other = "acceptance" if question.stage == "resolve" else "resolution"
        return f"{flag} changes only the {other} deadline"
    if option == "complexity" and question.kind == "complaint":
        return "--especially-complex applies only to denunciations; use --complex once"
    kinds = " and ".join(f"{k}s" for k in deadlines.APPLIES[option][0])
    return f"{flag} applies only to {kinds}"


@cases_cli.command("deadline")
@click.argument("kind", type=click.Choice(deadlines.KINDS))
@click.argument("stage", type=click.Choice([str(s) for s in deadlines.STAGES]))
@click.argument("day", metavar="DATE", type=click.DateTime(formats=DATE_FORMATS))
@click.option("--remote", is_flag=True, help="Complaint from a remote area (resolve).")
@click.option(
    "--complex",
    "complex_",
    count=True,
    help="Complex case (resolve). Give it twice for an especially complex denunciation.",
)
@click.option(
    "--especially-complex",
    is_flag=True,
    help="Especially complex denunciation: the same as --complex --complex.",
)
@click.option("--second", is_flag=True, help="Second complaint (resolve).")
@click.option(
    "--extensions",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Extensions granted to a denunciation (resolve): one if complex, two if especially "
    "complex.",
)
@click.option(
    "--several-places",
    is_flag=True,
    help="Denunciation whose verification needs several places (accept).",
)
@click.option("--explain", is_flag=True, help="Also print the period and the days off it skips.")
def deadline_command(
    kind,
    stage,
    day,
    remote,
    complex_,
    especially_complex,
    second,
    extensions,
    several_places,
    explain,
):
    """Print the deadline of a case as an ISO date (YYYY-MM-DD).

    KIND is reflection, petition, complaint or denunciation. STAGE is accept (DATE is the day
    the case was received) or resolve (DATE is the day it was accepted). DATE is YYYY-MM-DD or
    DD/MM/YYYY. Periods and their units come from the configuration; the working-day calendar
    includes the days off and make-up working days an administrator recorded.

    Complexity: --complex for a complex case; --complex --complex or --especially-complex for
    an especially complex denunciation (up to two extensions). Options that do not apply to
    the kind or stage are refused, not ignored.
    """
    complexity = max(min(complex_, 2), 2 if especially_complex else 0)
    question = Question(
        kind=kind,
        stage=stage,
        day=day.date(),
        remote=remote,
        complexity=complexity,
        second=second,
        extensions=extensions,
        several_places=several_places,
    )
    if complex_ > 2:
        raise click.UsageError("--complex may be given at most twice (especially complex)")
    found = deadlines.problems(question)
    if found:
        raise click.UsageError("; ".join(_message(o, r, question) for o, r in found.items()))
    answer = deadlines.answer(question)
    click.echo(answer.due_on.isoformat())
    if explain:
        counted_from = "receipt" if stage == "accept" else "acceptance"
        click.echo(f"{answer.days} {answer.unit} days from {counted_from} on {question.day}")
        if answer.unit == "calendar" and answer.nominal_end != answer.due_on:
            click.echo(f"ends on {answer.nominal_end}, not a working day: moved")
        skipped = "moved over" if answer.unit == "calendar" else "not counted"
        for note in answer.skipped:
            click.echo(f"{skipped}: {_day(note)}")
        for note in answer.made_up:
            click.echo(f"worked: {_day(note)}")


def _day(note) -> str:
    return f"{note.day} {note.day:%a} {note.why}" + (f" ({note.name})" if note.name else "")
