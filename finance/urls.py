"""Every finance page's address: the start page, the payment queue and batches, the
budget plan and summary, and the settlement register with its exports."""

from django.urls import path

from .views import accounts, batches, budget, home, reference, settlements

app_name = "finance"
urlpatterns = [
    path("", home.home, name="home"),
    # payment queue and batches
    path("kolejka/", batches.queue, name="queue"),
    path("paczki/", batches.batch_list, name="batches"),
    path("paczki/<int:pk>/", batches.batch_detail, name="batch"),
    path("paczki/<int:pk>/edycja/", batches.batch_update, name="batch_update"),
    path(
        "paczki/<int:pk>/czynnosc/<slug:name>/",
        batches.batch_transition,
        name="batch_transition",
    ),
    path(
        "paczki/<int:pk>/pozycje/<int:item_id>/usun/",
        batches.batch_item_remove,
        name="batch_item_remove",
    ),
    path(
        "paczki/<int:pk>/pozycje/<int:item_id>/wynik/",
        batches.batch_result,
        name="batch_result",
    ),
    path("paczki/<int:pk>/przelewy.txt", batches.batch_file, name="batch_file"),
    path("paczki/<int:pk>/paczka.csv", batches.batch_csv, name="batch_csv"),
    path("paczki/<int:pk>/paczka.xlsx", batches.batch_xlsx, name="batch_xlsx"),
    # the organisation's bank accounts
    path("rachunki/", accounts.bank_accounts, name="bank_accounts"),
    path("rachunki/<int:pk>/", accounts.bank_account_active, name="bank_account_active"),
    # budget plan and yearly summary
    path("budzet/plan/", budget.plan, name="plan"),
    path("budzet/plan/pozycje/", budget.plan_line_set, name="plan_line_set"),
    path("budzet/plan/zgody/", budget.override_create, name="override_create"),
    path("budzet/podsumowanie/", budget.summary, name="summary"),
    # reference tables
    path("klasyfikacja/", reference.classification, name="classification"),
    # settlement register and its exports
    path("rozliczenia/", settlements.settlements, name="settlements"),
    path("rozliczenia.csv", settlements.settlements_csv, name="settlements_csv"),
    path("rozliczenia/xlsx/", settlements.settlements_xlsx, name="settlements_xlsx"),
    path("eksporty/", settlements.exports, name="exports"),
    path("eksporty/<int:pk>/", settlements.export, name="export"),
    path("eksporty/<int:pk>/pobierz/", settlements.export_download, name="export_download"),
]
