app_name = "contracting"

urlpatterns = []
