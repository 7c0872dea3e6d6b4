"""Finance pages, one module per area."""

from .views import batches, budget, home, settlements

app_name = "finance"
urlpatterns = [
    *home.urlpatterns,
    *batches.urlpatterns,
    *budget.urlpatterns,
    *settlements.urlpatterns,
]
