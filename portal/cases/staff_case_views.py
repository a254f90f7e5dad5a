"""Staff pages of cases: the case page and triage actions."""

from portal.cases.staff_views import bp  # noqa: F401
