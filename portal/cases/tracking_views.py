"""Following a case: look-up by number and key, the case page, messages, withdrawal, rating.

Routes are added to the cases blueprint (portal.cases.views.bp).
"""

from portal.cases.views import bp  # noqa: F401
