"""Admin of the effective-dated tables that the people who keep them edit: the
interest rate on tax arrears (late grant returns) and the art. 19a statutory limits.
Calls, applications and agreements change only through their services and workflows,
so they are not here."""

from django.contrib import admin

from .models import InterestRate, SmallGrantLimits


@admin.register(InterestRate)
class InterestRateAdmin(admin.ModelAdmin):
    list_display = ["valid_from", "annual_rate"]
    date_hierarchy = "valid_from"


@admin.register(SmallGrantLimits)
class SmallGrantLimitsAdmin(admin.ModelAdmin):
    list_display = [
        "valid_from",
        "max_grant",
        "max_duration_days",
        "yearly_cap",
        "comment_period_days",
        "ngo_only",
        "legal_basis",
    ]
