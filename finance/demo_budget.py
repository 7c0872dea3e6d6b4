"""Demo data of finance: budget."""


def load() -> None:
    pass
