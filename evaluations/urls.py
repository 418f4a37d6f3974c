"""Region pages of reports and background jobs, under /<region_slug>/ (namespace `evaluations`)."""

from django.urls import path

from . import views

app_name = "evaluations"

urlpatterns = [
    path("laporan/", views.report_list, name="report_list"),
    path("laporan/<int:report_id>/unduh/", views.report_download, name="report_download"),
    path("ekspor/", views.export_start, name="export_start"),
    path(
        "kelola/pegawai/impor-latar/",
        views.employee_import_background,
        name="employee_import_background",
    ),
    path("proses/", views.job_list, name="job_list"),
    path("proses/<int:job_id>/", views.job_detail, name="job_detail"),
    path("proses/<int:job_id>/status/", views.job_status, name="job_status"),
    path("proses/<int:job_id>/unduh/", views.job_download, name="job_download"),
]
