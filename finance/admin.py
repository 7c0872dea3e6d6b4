"""Finance in the admin: to look, not to change. Every finance record changes through
its service (the budget check, the account number's check, the batch workflow, the
audit log), which the admin's forms would skip; so each admin here is read-only."""

from django.contrib import admin

from workflows.admin import ReadOnlyAdmin

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
class BudgetClassificationAdmin(ReadOnlyAdmin):
    list_display = ["year", "section", "chapter", "paragraph", "name"]
    list_filter = ["year"]
    search_fields = ["chapter", "paragraph", "name"]


@admin.register(PaymentOrder)
class PaymentOrderAdmin(ReadOnlyAdmin):
    list_display = ["title", "organisation", "amount", "due_date", "state"]
    list_filter = ["state", "kind", "organisation"]


@admin.register(BankAccount)
class BankAccountAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "number", "active"]
    list_filter = ["organisation", "active"]


class BatchItemInline(admin.TabularInline):
    model = BatchItem
    fields = ["order", "amount", "outcome", "paid_on", "rejection_reason", "added_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyAdmin):
    """Batches change only through their workflow (the finance pages)."""

    list_display = ["number", "organisation", "execution_date", "state", "created_by"]
    list_filter = ["state", "organisation"]
    inlines = [BatchItemInline]


@admin.register(BudgetPlanLine)
class BudgetPlanLineAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "classification", "planned", "updated_by", "updated_at"]
    list_filter = ["organisation", "classification__year"]


@admin.register(BudgetOverride)
class BudgetOverrideAdmin(ReadOnlyAdmin):
    list_display = ["plan_line", "amount", "created_by", "created_at"]


@admin.register(Export)
class ExportAdmin(ReadOnlyAdmin):
    """The export log: who exported what, with which filters and how many rows."""

    list_display = ["created_at", "user", "kind", "format", "rows_total", "status"]
    list_filter = ["kind", "format", "status"]
