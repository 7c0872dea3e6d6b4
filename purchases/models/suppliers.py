"""The supplier registry (rejestr wykonawców)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from accounts.validators import validate_krs, validate_nip, validate_nrb, validate_regon


class Supplier(models.Model):
    """A supplier in an organisation's registry (wykonawca), one per NIP."""

    class Kind(models.TextChoices):
        NGO = "ngo", _("non-governmental organisation")
        SOCIAL_ECONOMY = "social_economy", _("social-economy entity")
        COMPANY = "company", _("company")
        INDIVIDUAL = "individual", _("individual")
        INFORMAL_GROUP = "informal_group", _("informal group")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="suppliers"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=255)
    nip = models.CharField(_("NIP"), max_length=10, blank=True, validators=[validate_nip])
    regon = models.CharField(_("REGON"), max_length=14, blank=True, validators=[validate_regon])
    krs = models.CharField(_("KRS"), max_length=10, blank=True, validators=[validate_krs])
    bank_account = models.CharField(
        _("bank account (NRB)"), max_length=26, blank=True, validators=[validate_nrb]
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=200, blank=True)
    reserved_art94 = models.BooleanField(
        _("eligible for orders reserved under art. 94"),
        default=False,
        help_text=_(
            "Art. 94 Pzp: sheltered workshops, social cooperatives and other entities "
            "whose staff are at least 30 per cent disadvantaged persons."
        ),
    )
    reserved_art361 = models.BooleanField(
        _("eligible for orders reserved under art. 361"),
        default=False,
        help_text=_(
            "Art. 361 Pzp: social, health and cultural services by mission-driven "
            "non-profit organisations."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "nip"],
                condition=~Q(nip=""),
                name="supplier_unique_nip",
                violation_error_message=_("A supplier with this NIP is already registered."),
            )
        ]

    def __str__(self) -> str:
        return self.name


# What a user writes of a supplier (the API and the supplier form both use them).
SUPPLIER_FIELDS = [
    "kind",
    "name",
    "nip",
    "regon",
    "krs",
    "bank_account",
    "address",
    "email",
    "phone",
    "contact_person",
    "reserved_art94",
    "reserved_art361",
]
