"""Admin of the effective-dated tables that the people who keep them edit: the
interest rate on tax arrears (late grant returns) and the art. 19a statutory limits.
A new value is added from a date, through its service (audited); a recorded row is
read-only, since returns and calls were computed with it. Calls, applications and
agreements change only through their services and workflows, so they are not here."""

from django import forms
from django.contrib import admin

from workflows.errors import InvalidInput

from .models import InterestRate, SmallGrantLimits
from .services.statutory import (
    INTEREST_RATE_FIELDS,
    SMALL_GRANT_LIMIT_FIELDS,
    interest_rate_add,
    interest_rate_date_check,
    small_grant_limits_add,
)


class AddOnlyAdmin(admin.ModelAdmin):
    """Rows are added through ``add`` (a service) and then only read."""

    add = None

    def has_change_permission(self, request, obj=None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        created = type(self).add(actor=request.user, **form.cleaned_data)
        obj.pk = created.pk


class InterestRateForm(forms.ModelForm):
    def clean_valid_from(self):
        valid_from = self.cleaned_data["valid_from"]
        try:
            interest_rate_date_check(valid_from)
        except InvalidInput as exc:
            raise forms.ValidationError(exc.field_errors["valid_from"]) from None
        return valid_from


@admin.register(InterestRate)
class InterestRateAdmin(AddOnlyAdmin):
    form = InterestRateForm
    add = staticmethod(interest_rate_add)
    fields = INTEREST_RATE_FIELDS
    list_display = ["valid_from", "annual_rate"]
    date_hierarchy = "valid_from"


@admin.register(SmallGrantLimits)
class SmallGrantLimitsAdmin(AddOnlyAdmin):
    add = staticmethod(small_grant_limits_add)
    fields = SMALL_GRANT_LIMIT_FIELDS
    list_display = list(SMALL_GRANT_LIMIT_FIELDS)
