"""Staff pages of cases: /staff/cases…"""

from flask import Blueprint

bp = Blueprint("staff_cases", __name__, url_prefix="/staff")
