"""Areas of public tasks (sfery zadań publicznych) as data.

The default list is the nine areas of the Podlaskie multi-year contracting project
(DOMAIN.md section 9); a municipality may add its own or retire one. Calls, purchases,
agreements (through their call) and good practices carry an area.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The refusal of an area that does not exist or is no longer in use (a form's select, an
# API's id).
NOT_IN_USE = _("Choose one of the areas of public tasks in use.")


class AreaQuerySet(models.QuerySet):
    def active(self, *, keeping=None):
        """The areas in use: what an official may choose. ``keeping`` (an area or its
        id) is the one a call or purchase already carries, kept choosable after it is
        retired so that saving the rest of the form does not refuse it."""
        keeping = getattr(keeping, "pk", keeping)
        if keeping is None:
            return self.filter(active=True)
        return self.filter(Q(active=True) | Q(pk=keeping))


class Area(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_pl = models.CharField(_("name (Polish)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area of public tasks")
        verbose_name_plural = _("areas of public tasks")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the language of the person reading it."""
        return self.name_en if (get_language() or "pl").startswith("en") else self.name_pl
