"""The app's own wording for the cases pages, so tests assert what a reader sees.

Pages are in the default locale (Vietnamese) unless the client switched language; rendering
the msgid through Flask-Babel keeps a test right when a translation is reworded.
Same helpers as tests/disclosures/wording.py, shared rather than copied.
"""

from tests.disclosures.wording import say, shown_date

__all__ = ["say", "shown_date"]
