from django.urls import path

from . import api
from .views import figures, opendata, practices, programmes

app_name = "metropolis"

urlpatterns = [
    path("otwarte-dane/", opendata.index, name="open_data"),
    path(
        "otwarte-dane/<int:organisation_id>/<int:year>/360giving.json",
        opendata.threesixty,
        name="threesixty",
    ),
    path("otwarte-dane/<int:organisation_id>/<int:year>/ocds.json", opendata.ocds, name="ocds"),
    path("metropolia/", figures.figures, name="figures"),
    path("metropolia/csv/", figures.figures_csv_download, name="figures_csv"),
    path("metropolia/xlsx/", figures.figures_xlsx_download, name="figures_xlsx"),
    path("dobre-praktyki/", practices.catalogue, name="catalogue"),
    path("dobre-praktyki/do-opublikowania/", practices.to_publish, name="to_publish"),
    path(
        "dobre-praktyki/opublikuj/<int:agreement_id>/", practices.publish, name="publish_practice"
    ),
    path(
        "dobre-praktyki/opublikuj-zakup/<int:purchase_id>/",
        practices.publish_purchase,
        name="publish_purchase",
    ),
    path("dobre-praktyki/<slug:slug>/", practices.practice, name="practice"),
    path("dobre-praktyki/<slug:slug>/zdjecia/<int:pk>/", practices.photo, name="photo"),
    path("programy/", programmes.programmes, name="programmes"),
    path("programy/opublikuj/<int:call_id>/", programmes.publish, name="publish_programme"),
    path("programy/<slug:slug>/", programmes.programme, name="programme"),
    path("programy/<slug:slug>/regulamin.pdf", programmes.regulation_pdf, name="regulation"),
    path("programy/<slug:slug>/utworz-nabor/", programmes.start_call, name="start_call"),
    # The API (``api/v1/``, as ``config/urls.py`` routes the rest of it).
    path(
        "api/v1/open-data/<int:organisation_id>/<int:year>/360giving/",
        api.ThreeSixtyView.as_view(),
        name="api_threesixty",
    ),
    path(
        "api/v1/open-data/<int:organisation_id>/<int:year>/ocds/",
        api.OcdsView.as_view(),
        name="api_ocds",
    ),
]
