"""Finance pages: settlements."""

urlpatterns = []
