from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Membership, Organisation, Representative, User
from .services import membership_grant, membership_revoke


def _membership_save(request, membership: Membership, *, change: bool) -> None:
    """Roles change only through the services, so the audit trail records them: an
    edited membership is the old role revoked and the new one granted."""
    if change and membership.pk:
        original = Membership.objects.select_related("user", "organisation").get(pk=membership.pk)
        if (original.organisation_id, original.role) == (
            membership.organisation_id,
            membership.role,
        ):
            return
        membership_revoke(
            user=original.user,
            organisation=original.organisation,
            role=original.role,
            actor=request.user,
        )
    saved = membership_grant(
        user=membership.user,
        organisation=membership.organisation,
        role=membership.role,
        actor=request.user,
    )
    membership.pk = saved.pk


def _membership_delete(request, membership: Membership) -> None:
    membership_revoke(
        user=membership.user,
        organisation=membership.organisation,
        role=membership.role,
        actor=request.user,
    )


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        memberships = formset.save(commit=False)
        for membership in formset.deleted_objects:
            _membership_delete(request, membership)
        for membership in memberships:
            _membership_save(request, membership, change=membership.pk is not None)

    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "language"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]}),
    ]


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "nip", "city"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name", "nip"]
    inlines = [RepresentativeInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__email", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]

    def save_model(self, request, obj, form, change):
        _membership_save(request, obj, change=change)

    def delete_model(self, request, obj):
        _membership_delete(request, obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "organisation"):
            _membership_delete(request, membership)
