"""Staff pages of the procedures domain: /staff/…"""

from flask import Blueprint

bp = Blueprint("staff_procedures", __name__, url_prefix="/staff")
