"""REST API of this process (thin DRF views over selectors and services).

Offers are sealed here too: until the purchase's deadline their price, answers, score
and attachments are left out of every representation (``sealed: true``).
"""

from .purchases import OfferViewSet, PurchaseViewSet
from .registry import BandViewSet, GroupViewSet, SupplierViewSet

__all__ = [
    "BandViewSet",
    "GroupViewSet",
    "OfferViewSet",
    "PurchaseViewSet",
    "SupplierViewSet",
    "register_api",
]


def register_api(router) -> None:
    """Register this app's viewsets on the project's ``/api/v1/`` router."""
    router.register("purchases", PurchaseViewSet, basename="purchase")
    router.register("purchase-offers", OfferViewSet, basename="purchase-offer")
    router.register("suppliers", SupplierViewSet, basename="supplier")
    router.register("purchase-groups", GroupViewSet, basename="purchase-group")
    router.register("value-bands", BandViewSet, basename="value-band")
