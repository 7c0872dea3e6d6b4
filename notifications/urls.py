from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("przeczytane/", views.mark_read, name="mark_read"),
]
