"""The presets and the statutory maximum term are data the administrators edit here;
the process's own rows are read-only (they change through services)."""

from django.contrib import admin

from .models import AgreementTermLimit, ContractingModel


@admin.register(ContractingModel)
class ContractingModelAdmin(admin.ModelAdmin):
    list_display = ["code", "name_pl", "organisation", "position"]
    list_filter = ["organisation"]


@admin.register(AgreementTermLimit)
class AgreementTermLimitAdmin(admin.ModelAdmin):
    list_display = ["valid_from", "max_years", "legal_basis"]
