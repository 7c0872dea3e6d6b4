from django.contrib import admin

from .models import (
    BankAccount,
    BatchItem,
    BudgetClassification,
    BudgetOverride,
    BudgetPlanLine,
    Export,
    PaymentBatch,
    PaymentOrder,
)


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


@admin.register(BankAccount)
class BankAccountAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "number", "active"]
    list_filter = ["organisation", "active"]


class BatchItemInline(admin.TabularInline):
    model = BatchItem
    fields = ["order", "amount", "outcome", "paid_on", "rejection_reason", "added_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(PaymentBatch)
class PaymentBatchAdmin(admin.ModelAdmin):
    """Read-only: batches change only through their workflow (the finance pages)."""

    list_display = ["number", "organisation", "execution_date", "state", "created_by"]
    list_filter = ["state", "organisation"]
    inlines = [BatchItemInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(BudgetPlanLine)
class BudgetPlanLineAdmin(admin.ModelAdmin):
    list_display = ["organisation", "classification", "planned", "updated_by", "updated_at"]
    list_filter = ["organisation", "classification__year"]


@admin.register(BudgetOverride)
class BudgetOverrideAdmin(admin.ModelAdmin):
    list_display = ["plan_line", "amount", "created_by", "created_at"]
    readonly_fields = ["plan_line", "source_type", "source_id", "amount", "reason"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin):
    """The export log: who exported what, with which filters and how many rows."""

    list_display = ["created_at", "user", "kind", "format", "rows_total", "status"]
    list_filter = ["kind", "format", "status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
