from django.contrib import admin

from .models import BudgetClassification, PaymentOrder


@admin.register(BudgetClassification)
class BudgetClassificationAdmin(admin.ModelAdmin):
    list_display = ["year", "section", "chapter", "paragraph", "name"]
    list_filter = ["year"]
    search_fields = ["chapter", "paragraph", "name"]


@admin.register(PaymentOrder)
class PaymentOrderAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "amount", "due_date", "state"]
    list_filter = ["state", "kind", "organisation"]
    readonly_fields = ["state"]
