"""Region pages of reports and background jobs, under /<region_slug>/ (namespace `evaluations`)."""

from django.urls import path

from . import views
from . import views_evaluation as ev

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
    # Post-training evaluation (Kirkpatrick L1-L4): participants and assessors.
    path("evaluasi/", ev.my_surveys, name="my_surveys"),
    path("evaluasi/survei/<int:offering_id>/", ev.survey_fill, name="survey_fill"),
    path("evaluasi/pasca-pelatihan/<int:l3_id>/", ev.l3_fill, name="l3_fill"),
    # Admins.
    path("kelola/evaluasi/", ev.evaluation_index, name="evaluation_index"),
    path("kelola/evaluasi/kurang-relevan/", ev.flagged_list, name="flagged_list"),
    path("kelola/evaluasi/angkatan/<int:offering_id>/", ev.offering_report, name="offering_report"),
    path("kelola/evaluasi/program/<int:program_id>/", ev.program_report, name="program_report"),
    path("kelola/evaluasi/program/<int:program_id>/jeda/", ev.program_delay, name="program_delay"),
    path(
        "kelola/evaluasi/program/<int:program_id>/indikator/",
        ev.indicator_create,
        name="indicator_create",
    ),
    path(
        "kelola/evaluasi/indikator/<int:indicator_id>/ukur/",
        ev.measurement_add,
        name="measurement_add",
    ),
    path("kelola/evaluasi/level-3/", ev.l3_admin_list, name="l3_admin_list"),
    path("kelola/evaluasi/level-3/<int:l3_id>/", ev.l3_manage, name="l3_manage"),
    path("kelola/evaluasi/kuesioner/", ev.template_list, name="template_list"),
    path(
        "kelola/evaluasi/kuesioner/<int:template_id>/",
        ev.template_detail,
        name="template_detail",
    ),
    path("kelola/evaluasi/narasumber/", ev.speaker_list, name="speaker_list"),
    path("kelola/evaluasi/pengaturan/", ev.settings_page, name="settings"),
]
