from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MetropolisConfig(AppConfig):
    name = "metropolis"
    verbose_name = _("metropolis, good practices and open data")
