"""Agreements (umowy), their tranches and the changes asked for during implementation."""

from django.conf import settings
from django.db import models
from django.db.models import DateField, F
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from documents.formatting import format_amount
from finance.models import PaymentOrder
from workflows.models import StateField, WorkflowModel

from ..workflow import (
    AgreementState,
    AgreementWorkflow,
)
from .applications import Application
from .calls import MONEY


def register_date() -> Coalesce:
    """The agreement's date in the settlement register (``grants.settlements``): the day
    it was signed, before that the day it was made (in Warsaw). One definition for the
    register's sort and filter and for the index that serves them
    (``agreement_settlement_idx``): an expression index is used only for the very
    expression it was made of."""
    return Coalesce("signed_on", TruncDate("created_at"), output_field=DateField())


class Agreement(AgreementWorkflow, WorkflowModel):
    """The grant agreement (umowa) made from an approved application."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="agreement"
    )
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    number = models.CharField(_("number"), max_length=60, unique=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    spending_deadline = models.DateField(_("deadline for using the grant"))
    report_deadline = models.DateField(_("report deadline"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_scan = models.FileField(upload_to="grants/signed/", blank=True)
    version = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    state = StateField(choices=AgreementState.choices, default=AgreementState.DRAFT)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["pk"]
        indexes = [
            # The settlement register's page: an organisation's agreements in the
            # register's order, read a page at a time (``finance.settlements``, #18).
            models.Index(
                F("organisation"),
                register_date(),
                F("number"),
                F("id"),
                name="agreement_settlement_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("grants:agreement", args=[self.pk])

    @classmethod
    def documents_visible_to(cls, user):
        from ..selectors import agreements_visible_to

        return agreements_visible_to(user)


class Tranche(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="tranches")
    amount = models.DecimalField(_("amount"), **MONEY)
    due_date = models.DateField(_("payment date"))
    payment_order = models.OneToOneField(
        PaymentOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="tranche"
    )

    class Meta:
        ordering = ["agreement", "due_date", "pk"]
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")

    def __str__(self) -> str:
        return f"{format_amount(self.amount)} / {self.due_date}"


class ChangeRequest(models.Model):
    """A shift between budget lines during implementation."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="change_requests"
    )
    description = models.TextField(_("description"))
    shifts = models.JSONField(
        _("new amounts from the grant per budget line"), default=dict, blank=True
    )
    needs_annex = models.BooleanField(default=False)
    annex_number = models.PositiveSmallIntegerField(
        _("annex number"), null=True, blank=True, help_text=_("Set when the annex is approved.")
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "pk"]

    def __str__(self) -> str:
        return self.description[:50]


class OfAgreement:
    """A record of an agreement (an annex, a partial report): its organisation and who
    may read its documents are the agreement's."""

    @property
    def workflow_organisation_id(self) -> int:
        return self.agreement.organisation_id

    @classmethod
    def documents_visible_to(cls, user):
        from ..selectors import agreements_visible_to

        return cls.objects.filter(agreement__in=agreements_visible_to(user))


class Annex(OfAgreement, models.Model):
    """An annex (aneks) to an agreement: a document of its own, with its number and
    date, what it changes and, where the budget changes, the new budget as it sets it.
    Made when an approved change goes beyond the call's tolerance."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="annexes")
    number = models.PositiveSmallIntegerField(_("annex number"))
    made_on = models.DateField(_("date of the annex"))
    change = models.OneToOneField(
        ChangeRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="annex"
    )
    description = models.TextField(_("what changes"))
    budget = models.JSONField(_("the budget as the annex sets it"), default=list, blank=True)
    agreement_version = models.PositiveSmallIntegerField(_("agreement version it makes"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "number"]
        verbose_name = _("annex")
        verbose_name_plural = _("annexes")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "number"], name="grant_annex_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agreement.number}/A/{self.number}"


SIGNED_COPY_EXTENSIONS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}


def signed_copy_path(instance, filename: str) -> str:
    extension = SIGNED_COPY_EXTENSIONS.get(instance.content_type, "bin")
    return f"grants/signed/{instance.agreement_id}/{instance.sha256}.{extension}"


class SignedCopy(models.Model):
    """The signed agreement or a signed annex as it came back: a scan, or a PDF with an
    electronic signature (qualified or trusted profile) embedded, kept byte for byte;
    or only the date of signing on paper."""

    class Method(models.TextChoices):
        SCAN = "scan", _("scan of the signed paper")
        ELECTRONIC = "electronic", _("signed electronically")
        PAPER = "paper", _("signed on paper (no file)")

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="signed_copies")
    annex = models.ForeignKey(
        Annex, null=True, blank=True, on_delete=models.PROTECT, related_name="signed_copies"
    )
    method = models.CharField(_("how it was signed"), max_length=20, choices=Method.choices)
    signed_on = models.DateField(_("signed on"))
    file = models.FileField(upload_to=signed_copy_path, max_length=255, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=50, blank=True)
    size = models.PositiveIntegerField(default=0)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "uploaded_at", "pk"]
        verbose_name = _("signed copy")
        verbose_name_plural = _("signed copies")

    def __str__(self) -> str:
        return self.original_name or str(self.get_method_display())

    @property
    def is_electronic(self) -> bool:
        return self.method == self.Method.ELECTRONIC
