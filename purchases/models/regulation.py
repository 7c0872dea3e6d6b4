"""The organisation's rules for purchases: the threshold, same-kind groups, value bands."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from documents.formatting import format_amount

ZERO = Decimal("0.00")
CPV_RE = re.compile(r"^\d{8}-\d$")


def money(verbose_name, **kwargs) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


def validate_cpv(value: str) -> None:
    if not CPV_RE.match(value):
        raise ValidationError(
            _("A CPV code has 8 digits, a hyphen and a check digit, e.g. 80500000-9."),
            code="invalid_cpv",
        )


class EffectiveDated(models.Model):
    """A row of rules in force from ``valid_from`` to ``valid_to`` (inclusive; open when
    empty)."""

    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        if self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end cannot be before the start.")})

    @classmethod
    def in_force_filter(cls, on) -> Q:
        return Q(valid_from__lte=on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class ThresholdSetting(EffectiveDated):
    """The net value from which the public procurement law applies."""

    net_amount = money(
        _("threshold, net"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_(
            "Art. 2 ust. 1 pkt 1 of the public procurement law (Prawo zamówień publicznych, "
            "2019): the act does not apply below this net value (130 000 PLN since 2021)."
        ),
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=255, default="art. 2 ust. 1 pkt 1 ustawy Pzp"
    )

    class Meta:
        verbose_name = _("procurement threshold")
        verbose_name_plural = _("procurement thresholds")
        ordering = ["-valid_from"]

    def __str__(self) -> str:
        return f"{format_amount(self.net_amount)} ({self.valid_from} - {self.valid_to or ''})"


class SameKindGroup(models.Model):
    """CPV codes whose orders are added up in a financial year (art. 30 Pzp)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="purchase_groups"
    )
    name = models.CharField(_("name"), max_length=200)
    cpv_codes = models.JSONField(
        _("CPV codes"),
        default=list,
        help_text=_("CPV codes of the group; a code covers the codes below it (80500000-9)."),
    )

    class Meta:
        verbose_name = _("same-kind group")
        verbose_name_plural = _("same-kind groups")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="group_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def covers(self, cpv: str) -> bool:
        digits = cpv.split("-")[0]
        for code in self.cpv_codes:
            prefix = code.split("-")[0].rstrip("0")
            if digits.startswith(prefix):
                return True
        return False


class ValueBand(EffectiveDated):
    """One band of an organisation's regulation for purchases under the threshold."""

    class Procedure(models.TextChoices):
        DIRECT = "direct", _("direct order")
        PRICE_SURVEY = "price_survey", _("price survey")
        PUBLIC_INQUIRY = "public_inquiry", _("public inquiry")

    class DocumentKind(models.TextChoices):
        ESTIMATE_NOTE = "estimate_note", _("value estimate note")
        REQUEST_FOR_QUOTATION = "request_for_quotation", _("request for quotation")
        SELECTION_NOTE = "selection_note", _("selection note or protocol")
        ORDER = "order", _("order or contract")
        ACCEPTANCE_PROTOCOL = "acceptance_protocol", _("acceptance protocol")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="value_bands"
    )
    lower_net = money(_("from (aggregated net, inclusive)"), default=ZERO)
    upper_net = money(
        _("below (aggregated net, exclusive)"),
        null=True,
        blank=True,
        help_text=_("Empty: no upper bound."),
    )
    procedure = models.CharField(_("procedure"), max_length=20, choices=Procedure.choices)
    suppliers_to_ask = models.PositiveSmallIntegerField(_("suppliers to ask"), default=1)
    min_offers = models.PositiveSmallIntegerField(_("minimum number of offers"), default=1)
    publication_days = models.PositiveSmallIntegerField(
        _("publication period in days"),
        default=7,
        help_text=_("For a public inquiry: how long it is published before the deadline."),
    )
    required_documents = models.JSONField(_("required documents"), default=list, blank=True)
    regulation = models.CharField(
        _("regulation"),
        max_length=255,
        blank=True,
        help_text=_("The mayor's order that sets these rules, e.g. Zarządzenie nr 12/2026."),
    )

    class Meta:
        verbose_name = _("value band")
        verbose_name_plural = _("value bands")
        ordering = ["organisation", "-valid_from", "lower_net"]

    def __str__(self) -> str:
        upper = format_amount(self.upper_net) if self.upper_net is not None else "…"
        return f"{format_amount(self.lower_net)} - {upper}: {self.get_procedure_display()}"

    def covers(self, value: Decimal) -> bool:
        return value >= self.lower_net and (self.upper_net is None or value < self.upper_net)

    def clean(self) -> None:
        """Bands of one organisation in force on the same day may not overlap: every
        aggregated value must pick exactly one procedure."""
        super().clean()
        if self.upper_net is not None and self.upper_net <= self.lower_net:
            raise ValidationError({"upper_net": _("The upper bound must be above the lower.")})
        others = ValueBand.objects.filter(organisation_id=self.organisation_id).exclude(pk=self.pk)
        if self.valid_to:
            others = others.filter(valid_from__lte=self.valid_to)
        others = others.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from))
        if self.upper_net is not None:
            others = others.filter(lower_net__lt=self.upper_net)
        others = others.filter(Q(upper_net__isnull=True) | Q(upper_net__gt=self.lower_net))
        if others.exists():
            raise ValidationError(
                _("This band overlaps %(band)s in force at the same time.")
                % {"band": others.first()}
            )


class AggregationCounter(models.Model):
    """One row per (organisation, group, year): locked while a purchase of the group is
    admitted, so two submissions cannot both slip under the threshold."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(SameKindGroup, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "group", "year"], name="aggregation_counter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_id}/{self.year}"
