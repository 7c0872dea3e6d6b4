"""Finance pages: batches."""

urlpatterns = []
