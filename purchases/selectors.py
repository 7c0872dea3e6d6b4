"""Reads of this process: querysets with their joins made, scoped to the user."""


def pending_actions(user) -> list:
    """What waits for ``user`` in this process (listed on the home page)."""
    return []
