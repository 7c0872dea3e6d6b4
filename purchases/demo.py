"""Demo data of this process for ``make run``."""


def demo_load() -> None:
    """Load this process's demo data; running it again changes nothing."""
