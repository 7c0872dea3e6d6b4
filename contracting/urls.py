from django.urls import path

from . import views

app_name = "contracting"

urlpatterns = [
    path("", views.task_list, name="tasks"),
    path("zadania/nowe/", views.task_create, name="task_create"),
    path("zadania/<int:pk>/", views.task_detail, name="task"),
    path("zadania/<int:pk>/czynnosc/<str:name>/", views.task_transition, name="task_transition"),
    path("zadania/<int:pk>/analiza/", views.analysis_create, name="analysis_create"),
    path("zadania/<int:pk>/umowa/", views.agreement_create, name="agreement_create"),
    path("analizy/<int:pk>/", views.analysis_detail, name="analysis"),
    path("analizy/<int:pk>/powiazania/", views.analysis_links, name="analysis_links"),
    path(
        "analizy/<int:pk>/czynnosc/<str:name>/",
        views.analysis_transition,
        name="analysis_transition",
    ),
    path("umowy/<int:pk>/", views.agreement_detail, name="agreement"),
    path(
        "umowy/<int:pk>/czynnosc/<str:name>/",
        views.agreement_transition,
        name="agreement_transition",
    ),
    path("umowy/<int:pk>/rok/<int:year>/", views.agreement_year, name="agreement_year"),
    path("ankieta/<str:token>/", views.survey, name="survey"),
]
