"""Staff pages of cases: responses and printable documents."""

from portal.cases.staff_views import bp  # noqa: F401
