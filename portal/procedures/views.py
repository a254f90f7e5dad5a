"""Public pages of the procedures domain."""

from flask import Blueprint

bp = Blueprint("procedures", __name__)
