"""Staff pages of cases: revealing a confidential submitter's identity."""

from portal.cases.staff_views import bp  # noqa: F401
