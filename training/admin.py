"""Django's /admin/ for superusers; BKPSDM admins use the portal's own pages."""

from django.contrib import admin

from .models import (
    Competency,
    DevelopmentForm,
    DevelopmentRecord,
    Enrolment,
    Offering,
    Program,
    Provider,
    Speaker,
)


@admin.register(DevelopmentForm)
class DevelopmentFormAdmin(admin.ModelAdmin):
    list_display = ("id", "name", "kind", "is_structural", "jp_per_day", "jp_per_activity")


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "type", "region", "is_active")
    list_filter = ("type", "region")
    search_fields = ("code", "name")


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "region", "form", "jp", "status")
    list_filter = ("region", "status", "form")
    search_fields = ("code", "title")


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = ("name", "program", "region", "start_date", "seats", "status")
    list_filter = ("region", "status")
    raw_id_fields = ("program",)


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ("employee", "offering", "region", "status", "requested_at")
    list_filter = ("region", "status")
    raw_id_fields = ("employee", "offering", "reserved_unit")


@admin.register(DevelopmentRecord)
class DevelopmentRecordAdmin(admin.ModelAdmin):
    list_display = ("title", "employee", "region", "year", "jp", "status")
    list_filter = ("region", "status", "year")
    raw_id_fields = ("employee", "enrolment", "program")


admin.site.register(Provider)
admin.site.register(Speaker)
