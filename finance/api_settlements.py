"""REST API of finance: settlements."""


def register(router) -> None:
    pass
