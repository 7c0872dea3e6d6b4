"""The metropolis programme: good practices (dobre praktyki) and programmes (programy
mikrowsparć) shared across member municipalities.

- ``GoodPractice``: a settled initiative (a grant agreement settled, or a micro-purchase
  accepted) that an official published, with the grantee's consent recorded, for the
  public catalogue; personal data are removed by the publishing service.
- ``PracticePhoto``: a photo of a practice, published only with the consent of the
  people shown.
- ``Programme``: a municipality's call rules published as a template (pool, limits,
  criteria, checklist, cost categories, documents); another municipality starts a draft
  call from it (``grants.services.programmes``), and it renders as a PDF "regulamin".
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation

MONEY = {"max_digits": 12, "decimal_places": 2}


class Form(models.TextChoices):
    """The form of financial cooperation a practice used."""

    MICRO_GRANT = "micro_grant", _("micro-grant")
    MICRO_PURCHASE = "micro_purchase", _("micro-purchase of a social service")
    SMALL_GRANT_19A = "small_grant_19a", _("small grant, art. 19a")
    NEIGHBOURHOOD_FUND = "neighbourhood_fund", _("neighbourhood fund")


# Cost bands of the catalogue's filter: code -> (lowest, highest or None), in złoty.
COST_BANDS = {
    "to_2000": (Decimal("0"), Decimal("2000")),
    "2000_5000": (Decimal("2000"), Decimal("5000")),
    "5000_10000": (Decimal("5000"), Decimal("10000")),
    "over_10000": (Decimal("10000"), None),
}


class GoodPractice(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="good_practices",
    )
    agreement = models.OneToOneField(
        "grants.Agreement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="good_practice",
    )
    purchase = models.OneToOneField(
        "purchases.Purchase",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="good_practice",
    )
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=255)
    what_was_done = models.TextField(_("what was done"))
    for_whom = models.TextField(_("for whom"))
    results = models.TextField(
        _("results achieved against the indicators"),
        help_text=_("What was planned and what was achieved."),
    )
    cost = models.DecimalField(_("total cost"), **MONEY)
    sources = models.CharField(
        _("sources of funding"),
        max_length=500,
        help_text=_("E.g. the grant, own contribution in money, in kind and volunteer work."),
    )
    area = models.ForeignKey(
        "areas.Area",
        verbose_name=_("area of public tasks"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="good_practices",
    )
    form = models.CharField(_("form"), max_length=30, choices=Form.choices)
    model_used = models.CharField(
        _("model used"),
        max_length=255,
        blank=True,
        help_text=_("E.g. a group with a patron organisation, regranting by an operator."),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    consent_note = models.CharField(
        _("how the grantee consented"),
        max_length=500,
        help_text=_("E.g. a written consent of 12 May 2026 kept in the file."),
    )
    consent_given_on = models.DateField(_("consent given on"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"))
    # The searchable text: the Polish words of the practice reduced to their stems
    # (``metropolis.stemming``); searched with PostgreSQL's 'simple' text search.
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agreement__isnull=True) | models.Q(purchase__isnull=True),
                name="practice_one_source",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("metropolis:practice", args=[self.slug])


def photo_path(instance, filename: str) -> str:
    return f"practices/{instance.practice_id}/{filename}"


class PracticePhoto(models.Model):
    practice = models.ForeignKey(GoodPractice, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to=photo_path)
    caption = models.CharField(_("caption"), max_length=255)
    people_consented = models.BooleanField(
        _("the people shown consented to publication"), default=False
    )

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["practice", "pk"]

    def __str__(self) -> str:
        return self.caption


class Programme(models.Model):
    """A municipality's call rules published for others to start from."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="programmes"
    )
    source_call = models.ForeignKey(
        "grants.Call", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    rules = models.JSONField(_("rules"), default=dict)
    criteria = models.JSONField(_("evaluation criteria"), default=list)
    cost_categories = models.JSONField(_("cost categories"), default=list)
    checklist = models.JSONField(_("formal checklist"), default=list)
    documents = models.TextField(
        _("documents"), blank=True, help_text=_("The documents an applicant submits, one a line.")
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"))

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("metropolis:programme", args=[self.slug])
