"""Web pages of the micro-grant process (mounted at /granty/)."""

from django.urls import path

from . import views
from .views import case
from .views.group_invoices import group_invoice_transition, group_invoices
from .views.groups import group, member_consent, patronages
from .views.incubator import consultation, incubator, incubator_consultation
from .views.regranting import regranting, regranting_fund
from .views.statutory import (
    call_documents,
    interest_rates,
    signed_copy_download,
    signed_copy_upload,
)

app_name = "grants"
urlpatterns = [
    path("odsetki/", interest_rates, name="interest_rates"),
    path("", views.call_list, name="calls"),
    path("nabory/nowy/", views.call_create, name="call_create"),
    path("nabory/<int:pk>/", views.call_detail, name="call"),
    path("nabory/<int:pk>/edycja/", views.call_edit, name="call_edit"),
    path("nabory/<int:pk>/czynnosc/<slug:name>/", views.call_transition, name="call_transition"),
    path("nabory/<int:pk>/ranking/", views.ranking, name="ranking"),
    path("nabory/<int:pk>/wyniki/", views.results, name="results"),
    path("nabory/<int:pk>/dokumenty/", call_documents, name="call_documents"),
    path("nabory/<int:pk>/wnioskuj/", views.application_start, name="apply"),
    path("wnioski/", views.my_applications, name="my_applications"),
    path("wnioski/<int:pk>/", views.application_detail, name="application"),
    path("wnioski/<int:pk>/edycja/", views.application_edit, name="application_edit"),
    path("wnioski/<int:pk>/status/", views.application_status, name="application_status"),
    path("wnioski/<int:pk>/sprawdz/", views.application_check, name="application_check"),
    path(
        "wnioski/<int:pk>/czynnosc/<slug:name>/",
        views.application_transition,
        name="application_transition",
    ),
    path("wnioski/<int:pk>/ocena-formalna/", views.formal_check, name="formal_check"),
    path("wnioski/<int:pk>/prowadzacy/", case.application_handler, name="application_handler"),
    path("wnioski/<int:pk>/oceniajacy/", views.assign_evaluators, name="assign_evaluators"),
    path("wnioski/<int:pk>/umowa/", views.agreement_create, name="agreement_create"),
    path("kolejka/", views.queue, name="queue"),
    path("oceny/", views.my_reviews, name="my_reviews"),
    path("oceny/<int:pk>/", views.review, name="review"),
    path("oceny/<int:pk>/czynnosc/<slug:name>/", views.review_transition, name="review_transition"),
    path("umowy/", views.agreements, name="agreements"),
    path("umowy/<int:pk>/", views.agreement_detail, name="agreement"),
    path(
        "umowy/<int:pk>/czynnosc/<slug:name>/",
        views.agreement_transition,
        name="agreement_transition",
    ),
    path("umowy/<int:pk>/podpisana/", signed_copy_upload, name="signed_copy_upload"),
    path(
        "umowy/<int:pk>/podpisana/<int:copy_id>/",
        signed_copy_download,
        name="signed_copy_download",
    ),
    path("umowy/<int:pk>/zmiana/", views.change_request, name="change_request"),
    path(
        "umowy/<int:pk>/zmiany/<int:change_id>/zatwierdz/",
        views.change_request_approve,
        name="change_request_approve",
    ),
    path("umowy/<int:pk>/sprawozdanie/", views.report, name="report"),
    path(
        "umowy/<int:pk>/sprawozdanie/czynnosc/<slug:name>/",
        views.report_transition,
        name="report_transition",
    ),
    path(
        "umowy/<int:pk>/sprawozdanie/wydatki/<int:expense_id>/niekwalifikowalny/",
        views.expense_ineligible,
        name="expense_ineligible",
    ),
    path("umowy/<int:pk>/zwroty/<int:return_id>/", views.return_record, name="return_record"),
    path("wnioski/<int:pk>/grupa/", group, name="group"),
    path("grupa/zgoda/<str:token>/", member_consent, name="member_consent"),
    path("patronaty/", patronages, name="patronages"),
    path("regranting/", regranting, name="regranting"),
    path("wnioski/<int:pk>/konsultacja/", consultation, name="consultation"),
    path("inkubator/", incubator, name="incubator"),
    path("inkubator/<int:pk>/", incubator_consultation, name="incubator_consultation"),
    path("nabory/<int:pk>/regranting/", regranting_fund, name="regranting_fund"),
    path("umowy/<int:pk>/faktury/", group_invoices, name="group_invoices"),
    path(
        "umowy/<int:pk>/faktury/<int:invoice_id>/czynnosc/<slug:name>/",
        group_invoice_transition,
        name="group_invoice_transition",
    ),
    path("oferty/", views.public_offers, name="public_offers"),
    path("oferty/<int:pk>/", views.public_offer, name="public_offer"),
]
