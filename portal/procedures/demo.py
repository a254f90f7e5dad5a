"""Demo content for the procedures domain, loaded by `flask demo load` (idempotent)."""


def load() -> str:
    """Add what is missing; return a one-line summary of what was added."""
    return ""
