from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("<int:pk>/download/", views.download, name="download"),
    path("organizacja/<int:pk>/wzory/", views.template_overrides, name="template_overrides"),
    path(
        "organizacja/<int:pk>/wzory/<path:name>/zmien/",
        views.template_override,
        name="template_override",
    ),
    path(
        "organizacja/<int:pk>/wzory/<path:name>/domyslny/",
        views.template_override_reset,
        name="template_override_reset",
    ),
]
