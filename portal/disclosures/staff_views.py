"""Staff pages of the disclosures domain: /staff/…"""

from flask import Blueprint

bp = Blueprint("staff_disclosures", __name__, url_prefix="/staff")
