"""Admin of the purchase process's rules and registry. The rules (threshold, value
bands, same-kind groups) are saved through ``services.regulation_row_save``, audited,
and never deleted (a row ends with its ``valid_to``); suppliers, purchases and offers are
shown read-only (their writes go through the services from the pages and the API); an
offer's price, answers and attachments stay hidden until its purchase's deadline."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from workflows.admin import ReadOnlyAdmin

from . import services
from .models import Offer, Purchase, SameKindGroup, Supplier, ThresholdSetting, ValueBand
from .selectors import offer_is_open


class RegulationAdmin(admin.ModelAdmin):
    """Rows of the rules: saved through the service, not deleted."""

    def save_model(self, request, obj, form, change) -> None:
        services.regulation_row_save(
            row=obj,
            actor=request.user,
            changed=list(form.changed_data),
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ThresholdSetting)
class ThresholdSettingAdmin(RegulationAdmin):
    list_display = ["net_amount", "valid_from", "valid_to", "legal_basis"]


@admin.register(ValueBand)
class ValueBandAdmin(RegulationAdmin):
    list_display = [
        "organisation",
        "lower_net",
        "upper_net",
        "procedure",
        "suppliers_to_ask",
        "min_offers",
        "valid_from",
        "valid_to",
    ]
    list_filter = ["organisation", "procedure"]


@admin.register(SameKindGroup)
class SameKindGroupAdmin(RegulationAdmin):
    list_display = ["name", "organisation"]
    list_filter = ["organisation"]


@admin.register(Supplier)
class SupplierAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "nip", "organisation", "reserved_art94", "reserved_art361"]
    list_filter = ["organisation", "kind"]
    search_fields = ["name", "nip"]


@admin.register(Purchase)
class PurchaseAdmin(ReadOnlyAdmin):
    list_display = ["number", "title", "organisation", "year", "state", "estimated_net"]
    list_filter = ["organisation", "state", "year"]
    search_fields = ["number", "title"]
    list_select_related = ["organisation"]
    exclude = ["awarded_offer"]


SEALED = _("sealed until the deadline")


@admin.register(Offer)
class OfferAdmin(ReadOnlyAdmin):
    list_display = ["purchase", "supplier", "channel", "submitted_at", "price_gross_shown"]
    list_select_related = ["purchase", "supplier"]
    fields = [
        "purchase",
        "supplier",
        "channel",
        "submitted_at",
        "price_net_shown",
        "price_gross_shown",
        "answers_shown",
        "attachments_shown",
        "score_shown",
        "rejected",
        "rejection_reason",
    ]
    readonly_fields = fields

    def _open(self, offer) -> bool:
        return offer_is_open(offer)

    @admin.display(description=_("price, net"))
    def price_net_shown(self, offer):
        return offer.price_net if self._open(offer) else SEALED

    @admin.display(description=_("price, gross"))
    def price_gross_shown(self, offer):
        return offer.price_gross if self._open(offer) else SEALED

    @admin.display(description=_("answers to the criteria"))
    def answers_shown(self, offer):
        return offer.answers if self._open(offer) else SEALED

    @admin.display(description=_("score"))
    def score_shown(self, offer):
        return offer.score if self._open(offer) else SEALED

    @admin.display(description=_("attachments"))
    def attachments_shown(self, offer):
        if not self._open(offer):
            return SEALED
        return ", ".join(a.original_name for a in offer.attachments.all()) or "-"
