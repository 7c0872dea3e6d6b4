"""Web pages of this process."""

from django.urls import path

from . import views
from .views import regulation

app_name = "purchases"
urlpatterns = [
    path("", views.purchase_list, name="list"),
    path("nowe/", views.purchase_create, name="create"),
    path("rejestr/", views.register, name="register"),
    path("rejestr.csv", views.register_csv, name="register_csv"),
    path("rejestr.xlsx", views.register_xlsx, name="register_xlsx"),
    path("wykonawcy/", views.supplier_list, name="suppliers"),
    path("wykonawcy/nowy/", views.supplier_create, name="supplier_create"),
    path("<int:pk>/", views.purchase_detail, name="detail"),
    path("<int:pk>/edycja/", views.purchase_edit, name="edit"),
    path("<int:pk>/akcje/<slug:name>/", views.purchase_action, name="transition"),
    path("<int:pk>/oferty/nowa/", views.offer_record, name="offer_record"),
    path("oferty/<int:pk>/zalaczniki/<int:attachment_id>/", views.attachment, name="attachment"),
    path("oferta/<str:token>/", views.offer_by_link, name="offer"),
    path("oferta/<str:token>/zapytanie.pdf", views.offer_rfq, name="offer_rfq"),
    path("zapytania/", views.public_inquiries, name="public_inquiries"),
    path("zapytania/<int:pk>/", views.public_inquiry, name="public_inquiry"),
    path("zasady/<int:pk>/", regulation.rules, name="rules"),
    path("zasady/<int:pk>/pasma/nowe/", regulation.band_add, name="band_add"),
    path("zasady/<int:pk>/pasma/<int:band_pk>/", regulation.band_change, name="band_change"),
    path("zasady/<int:pk>/pasma/<int:band_pk>/koniec/", regulation.band_end, name="band_end"),
    path("zasady/<int:pk>/grupy/nowa/", regulation.group_save, name="group_add"),
    path("zasady/<int:pk>/grupy/<int:group_pk>/", regulation.group_save, name="group_change"),
]
