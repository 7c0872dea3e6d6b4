"""REST API of finance: batches."""


def register(router) -> None:
    pass
