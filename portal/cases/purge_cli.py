"""`flask cases purge`."""

from portal.cases.cli import cases_cli  # noqa: F401
