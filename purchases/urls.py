"""Web pages of this process."""

from django.urls import path

from . import views

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
]
