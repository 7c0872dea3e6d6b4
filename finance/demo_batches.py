"""Demo data of finance: batches."""


def load() -> None:
    pass
