"""Procedure presets (models Quality, Efficiency, Cooperation) and the statutory maximum
term of an agreement, both as data."""

from decimal import Decimal

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation


def _in_language(item: dict) -> str:
    english = (get_language() or "pl").startswith("en")
    return item.get("en" if english else "pl") or item.get("pl", "")


class ContractingModel(models.Model):
    """A procedure preset (model postępowania). ``organisation`` empty: the default every
    municipality starts from; a municipality's own row with the same code replaces it.

    ``steps`` and ``documents``: lists of ``{"pl": ..., "en": ...}``; ``indicators``:
    lists of ``{"code", "pl", "en", "unit", "target"}`` (the target is the least value
    a pilot or a year must reach)."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    code = models.SlugField(_("code"), max_length=30)
    name_pl = models.CharField(_("name (Polish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    description_pl = models.TextField(_("description (Polish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    steps = models.JSONField(_("steps"), default=list, blank=True)
    documents = models.JSONField(_("documents"), default=list, blank=True)
    indicators = models.JSONField(_("indicators"), default=list, blank=True)
    min_satisfaction = models.DecimalField(
        _("least beneficiary satisfaction of a positive evaluation (1 to 5)"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("4.00"),
    )
    cost_tolerance = models.DecimalField(
        _("cost per unit allowed above the plan (share)"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.1000"),
    )
    weight_cost = models.DecimalField(
        _("weight of cost"), max_digits=5, decimal_places=2, default=Decimal("50")
    )
    weight_social = models.DecimalField(
        _("weight of social value"), max_digits=5, decimal_places=2, default=Decimal("30")
    )
    weight_risk = models.DecimalField(
        _("weight of risk"), max_digits=5, decimal_places=2, default=Decimal("20")
    )
    # The value an analysis puts on an hour of volunteer work unless it says otherwise:
    # a municipality's own copy of the model sets its own.
    volunteer_rate = models.DecimalField(
        _("value of a volunteer hour (zł)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("40.00"),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("contracting model")
        verbose_name_plural = _("contracting models")
        ordering = ["position", "code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="contracting_model_code_per_organisation"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(organisation=None),
                name="contracting_model_default_code",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return _in_language({"pl": self.name_pl, "en": self.name_en})

    @property
    def description(self) -> str:
        return _in_language({"pl": self.description_pl, "en": self.description_en})

    def step_names(self) -> list[str]:
        return [_in_language(step) for step in self.steps]

    def document_names(self) -> list[str]:
        return [_in_language(doc) for doc in self.documents]

    def indicator_rows(self) -> list[dict]:
        return [
            {
                "code": ind["code"],
                "name": _in_language(ind),
                "unit": ind.get("unit", ""),
                "target": Decimal(str(ind.get("target", 0))),
            }
            for ind in self.indicators
        ]


class AgreementTermLimit(models.Model):
    """The longest term of a public-task agreement in years, in force from a day, with
    its legal basis (art. 16 ust. 2 of the act on public-benefit activity: at most 5)."""

    valid_from = models.DateField(_("valid from"), unique=True)
    max_years = models.PositiveSmallIntegerField(_("maximum years"))
    legal_basis = models.CharField(_("legal basis"), max_length=300)

    class Meta:
        verbose_name = _("maximum agreement term")
        verbose_name_plural = _("maximum agreement terms")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return f"{self.max_years} ({self.valid_from})"
