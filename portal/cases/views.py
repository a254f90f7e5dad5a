"""Public pages of cases: choosing the kind, submitting, the receipt, following a case."""

from flask import Blueprint

bp = Blueprint("cases", __name__)
