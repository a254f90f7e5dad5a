"""Public pages of the disclosures domain."""

from flask import Blueprint

bp = Blueprint("disclosures", __name__)
