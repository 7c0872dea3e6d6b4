"""Finance pages: budget."""

urlpatterns = []
