"""The periods that apply to a case, counted as DOMAIN.md says (core.workdays does the days)."""

from datetime import date, timedelta

from flask import current_app

from portal.core.workdays import add_working_days


def acceptance_due_on(kind: str, received_on: date) -> date:
    """The last day to accept the case (or give notice): N working days after receipt."""
    return add_working_days(received_on, current_app.config["CASE_ACCEPTANCE_WORKING_DAYS"][kind])


def complaint_is_late(known_on: date | None, received_on: date) -> bool:
    """True when a complaint comes after the limitation period (a warning, never a refusal)."""
    if known_on is None:
        return False
    limit = current_app.config["CASE_COMPLAINT_LIMIT_DAYS"]
    return received_on > known_on + timedelta(days=limit)
