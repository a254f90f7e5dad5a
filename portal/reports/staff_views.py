"""Staff pages of reports: /staff/reports (the periodic reports and their exports)."""

from flask import Blueprint

bp = Blueprint("staff_reports", __name__, url_prefix="/staff")
