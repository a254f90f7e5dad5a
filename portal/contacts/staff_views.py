"""Staff pages of the contacts domain: /staff/…"""

from flask import Blueprint

bp = Blueprint("staff_contacts", __name__, url_prefix="/staff")
