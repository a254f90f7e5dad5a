"""`flask audit …`: the audit log's upkeep."""

from flask.cli import AppGroup

audit_cli = AppGroup("audit", help="The audit log.")
