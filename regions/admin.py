"""Django's /admin/ for superusers (spans every region; the portal's own pages serve admins)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ApiClient, Employee, Membership, Notification, Region, Unit, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "email", "first_name", "is_national_viewer", "is_active")
    list_filter = ("is_national_viewer", "is_staff", "is_superuser", "is_active")
    fieldsets = (*BaseUserAdmin.fieldsets, ("Kompetensi", {"fields": ("is_national_viewer",)}))


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "kind", "province", "agency_name", "jp_target", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "slug", "agency_name")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "region", "kind", "is_active")
    list_filter = ("region", "kind", "is_active")
    search_fields = ("name", "code")
    raw_id_fields = ("parent",)


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):
    list_display = ("name", "nip", "region", "unit", "employment_type", "is_active")
    list_filter = ("region", "employment_type", "is_active")
    search_fields = ("name", "nip")
    raw_id_fields = ("unit", "supervisor", "user")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "region", "role")
    list_filter = ("region", "role")
    raw_id_fields = ("user",)


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    """Read-mostly: secrets are issued through the portal or `create_national_api_client`."""

    list_display = ("name", "region", "key_id", "created_at", "last_used_at", "revoked_at")
    list_filter = ("region",)
    readonly_fields = ("key_id", "secret_hash", "created_at", "last_used_at", "rotated_at")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("kind", "recipient", "region", "created_at", "read_at")
    list_filter = ("region", "kind")
    raw_id_fields = ("recipient",)
