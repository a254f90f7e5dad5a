"""`flask cases remind`."""

from portal.cases.cli import cases_cli  # noqa: F401
