"""REST API of this process (thin DRF views over selectors and services)."""


def register_api(router) -> None:
    """Register this app's viewsets on the project's ``/api/v1/`` router."""
