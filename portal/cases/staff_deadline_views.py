"""Staff pages of cases: the deadline calculator."""

from portal.cases.staff_views import bp  # noqa: F401
