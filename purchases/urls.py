"""Web pages of this process."""

app_name = "purchases"
urlpatterns: list = []
