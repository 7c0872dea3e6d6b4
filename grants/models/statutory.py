"""Tables the law sets and the administrator keeps: interest rates, art. 19a limits."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from .calls import (
    MONEY,
)


class InterestRate(models.Model):
    """The rate of interest on tax arrears (odsetki jak dla zaległości podatkowych),
    effective from a date; it applies to late grant returns (art. 251-252 u.f.p.)."""

    valid_from = models.DateField(_("valid from"), unique=True)
    annual_rate = models.DecimalField(_("annual rate in percent"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("interest rate")
        verbose_name_plural = _("interest rates")

    def __str__(self) -> str:
        return f"{self.annual_rate}% from {self.valid_from}"


class SmallGrantLimits(models.Model):
    """The statutory limits of the art. 19a mode (małe granty) of the act on
    public-benefit activity and volunteering, effective from a date. They are law, not
    call settings: every art. 19a call and offer obeys the row in force; a call may be
    stricter, never looser. Kept here, editable in the admin, so an amendment of the act
    is a new row and not a change of code."""

    valid_from = models.DateField(_("valid from"), unique=True)
    max_grant = models.DecimalField(_("maximum grant per offer"), **MONEY)
    max_duration_days = models.PositiveSmallIntegerField(_("maximum task duration in days"))
    yearly_cap = models.DecimalField(
        _("maximum per organisation in a calendar year"),
        **MONEY,
        help_text=_("Across all of the grantor's art. 19a grants to one organisation."),
    )
    comment_period_days = models.PositiveSmallIntegerField(_("public comment period in days"))
    ngo_only = models.BooleanField(
        _("only organisations may apply"),
        default=True,
        help_text=_(
            "Art. 19a ust. 1: NGOs and the entities of art. 3 ust. 3; not informal groups "
            "nor individual residents."
        ),
    )
    legal_basis = models.CharField(_("legal basis"), max_length=255)

    class Meta:
        ordering = ["-valid_from"]
        verbose_name = _("art. 19a statutory limits")
        verbose_name_plural = _("art. 19a statutory limits")

    def __str__(self) -> str:
        return f"art. 19a ({self.valid_from})"

    @classmethod
    def in_force(cls, on: datetime.date) -> "SmallGrantLimits | None":
        """The limits in force on ``on``: the latest row valid from that day or before."""
        return cls.objects.filter(valid_from__lte=on).order_by("-valid_from").first()
