"""Staff pages of cases: cases recorded by staff from other channels, and the reception logbook."""

from portal.cases.staff_views import bp  # noqa: F401
