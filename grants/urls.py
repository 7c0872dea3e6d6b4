"""Web pages of this process."""

app_name = "grants"
urlpatterns: list = []
