"""`flask procedures …`: import and export of the catalogue."""

from flask.cli import AppGroup

procedures_cli = AppGroup("procedures", help="The administrative procedures catalogue.")
