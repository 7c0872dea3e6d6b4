from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from accounts import views as account_views
from accounts.api import register_api as register_accounts_api
from attachments.api import register_api as register_attachments_api
from finance.api import register_api as register_finance_api
from grants.api import register_api as register_grants_api
from ops.health import HealthView
from purchases.api import register_api as register_purchases_api

api_router = DefaultRouter()
register_grants_api(api_router)
register_purchases_api(api_router)
register_finance_api(api_router)
register_accounts_api(api_router)
register_attachments_api(api_router)

urlpatterns = [
    path("", account_views.home, name="home"),
    path(
        "dostepnosc/",
        TemplateView.as_view(template_name="accessibility.html"),
        name="accessibility",
    ),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("granty/", include("grants.urls")),
    path("wiadomosci/", include("notifications.urls")),
    path("zakupy/", include("purchases.urls")),
    path("finanse/", include("finance.urls")),
    path("kontraktowanie/", include("contracting.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("documents/", include("documents.urls")),
    path("zalaczniki/", include("attachments.urls")),
    path("", include("metropolis.urls")),
    path("api/v1/", include(api_router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("health/", HealthView.as_view(), name="health"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

# API addresses that match no route answer JSON like every API error (workflows.api).
handler404 = "workflows.api.not_found"
