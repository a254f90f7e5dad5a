"""Public pages of reports: the scorecard at /thong-ke."""

from flask import Blueprint

bp = Blueprint("reports", __name__)
