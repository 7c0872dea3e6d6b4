"""Attachments' pages (mounted at /zalaczniki/)."""

from django.urls import path

from . import views

app_name = "attachments"
urlpatterns = [
    path("<int:pk>/", views.download, name="download"),
    path("<int:pk>/usun/", views.delete, name="delete"),
    path("<str:owner>/<int:owner_id>/", views.upload, name="upload"),
]
