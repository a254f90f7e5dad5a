"""`flask calendar …`: the working-day calendar's exceptions."""

from flask.cli import AppGroup

calendar_cli = AppGroup("calendar", help="The working-day calendar.")
