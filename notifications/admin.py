from django.contrib import admin

from .models import Delivery, Notification


class DeliveryInline(admin.StackedInline):
    model = Delivery
    readonly_fields = ["status", "attempts", "last_error", "sent_at"]
    can_delete = False
    extra = 0


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "email", "kind", "essential", "created_at", "read_at"]
    list_filter = ["kind", "essential"]
    search_fields = ["subject", "email"]
    inlines = [DeliveryInline]
    readonly_fields = [f.name for f in Notification._meta.fields]
