from django.contrib import admin

from .models import BackgroundJob, RegionReport


@admin.register(BackgroundJob)
class BackgroundJobAdmin(admin.ModelAdmin):
    list_display = ("kind", "region", "status", "done", "total", "created_at", "finished_at")
    list_filter = ("region", "kind", "status")


@admin.register(RegionReport)
class RegionReportAdmin(admin.ModelAdmin):
    list_display = ("region", "kind", "period", "generated_at", "emailed_at")
    list_filter = ("region", "kind")
