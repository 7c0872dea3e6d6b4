from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    name = "ops"
    verbose_name = _("Operations")

    def ready(self):
        from django.contrib import admin

        from .admin import RateLimitedAdminAuthenticationForm

        admin.site.login_form = RateLimitedAdminAuthenticationForm
