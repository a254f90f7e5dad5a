"""Public pages of cases: choosing the kind, submitting, the receipt, following a case."""

from flask import Blueprint

bp = Blueprint("cases", __name__)

# The follow-up pages live in their own module on the same blueprint.
from portal.cases import tracking_views  # noqa: E402, F401
