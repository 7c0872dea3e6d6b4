"""REST API of finance: budget."""


def register(router) -> None:
    pass
