"""Region dashboards under /<region_slug>/dasbor/ (namespace `dashboards`)."""

from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("dasbor/", views.asn_dashboard, name="asn"),
    path("dasbor/tim/", views.team_dashboard, name="team"),
    path("dasbor/tim/setujui/<int:enrolment_id>/", views.team_approve, name="team_approve"),
    path("dasbor/wilayah/", views.region_dashboard, name="region"),
    path("dasbor/wilayah/pegawai/", views.region_people, name="region_people"),
    # One table of a dashboard as CSV/XLSX (`?tabel=<key>&format=csv|xlsx&tahun=`).
    path("dasbor/unduh/", views.dashboard_export, {"dashboard": "saya"}, name="export_asn"),
    path("dasbor/tim/unduh/", views.dashboard_export, {"dashboard": "tim"}, name="export_team"),
    path(
        "dasbor/wilayah/unduh/",
        views.dashboard_export,
        {"dashboard": "wilayah"},
        name="export_region",
    ),
    path("penghargaan/", views.recognition, name="recognition"),
    path("penghargaan/terbitkan/", views.recognition_publish, name="recognition_publish"),
    path("penghargaan/tarik/", views.recognition_withdraw, name="recognition_withdraw"),
    path("penghargaan/privasi/", views.recognition_opt_out, name="recognition_opt_out"),
    path("penghargaan/unduh/", views.recognition_export, name="recognition_export"),
    path(
        "penghargaan/piagam/<int:entry_id>/",
        views.recognition_certificate,
        name="recognition_certificate",
    ),
]
