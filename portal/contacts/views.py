"""Public pages of the contacts domain."""

from flask import Blueprint

bp = Blueprint("contacts", __name__)
