"""URLs of REST API v1 (`/api/v1/`), its OpenAPI schema and its interactive docs.

With `kompetensi/urls.py`, the composition root: the only modules of `kompetensi` that may
import the apps (their `api` modules). Everything else in `kompetensi.api` is generic.
"""

from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny

from evaluations import api as evaluations_api
from regions import api as regions_api
from training import api as training_api

from .errors import not_found_view

app_name = "api"

v1 = [
    path("me/", regions_api.MeView.as_view(), name="me"),
    path("regions/", regions_api.RegionListView.as_view(), name="regions"),
    path("enrolments/", training_api.EnrolmentListView.as_view(), name="enrolments"),
    path("enrolments/<int:pk>/", training_api.EnrolmentDetailView.as_view(), name="enrolment"),
    path("programmes/", training_api.ProgrammeListView.as_view(), name="programmes"),
    path("programmes/<int:pk>/", training_api.ProgrammeDetailView.as_view(), name="programme"),
    path("offerings/", training_api.OfferingListView.as_view(), name="offerings"),
    path("offerings/<int:pk>/", training_api.OfferingDetailView.as_view(), name="offering"),
    path("employees/", regions_api.EmployeeListView.as_view(), name="employees"),
    path("employees/<int:pk>/", regions_api.EmployeeDetailView.as_view(), name="employee"),
    path("units/", regions_api.UnitListView.as_view(), name="units"),
    path("units/<int:pk>/", regions_api.UnitDetailView.as_view(), name="unit"),
    path(
        "development-records/",
        training_api.DevelopmentRecordListView.as_view(),
        name="development_records",
    ),
    path(
        "development-records/siasn/",
        training_api.SiasnExportView.as_view(),
        name="development_records_siasn",
    ),
    path(
        "development-records/<int:pk>/",
        training_api.DevelopmentRecordDetailView.as_view(),
        name="development_record",
    ),
    path("evaluations/", evaluations_api.EvaluationListView.as_view(), name="evaluations"),
    path(
        "evaluations/<int:pk>/",
        evaluations_api.EvaluationDetailView.as_view(),
        name="evaluation",
    ),
    path("deleted/", regions_api.DeletedListView.as_view(), name="deleted"),
]

DESCRIPTION = _(
    "API baca (dan pendaftaran opsional) Kompetensi untuk sistem lain. Satu token = satu "
    "wilayah; klien nasional membaca semua wilayah dengan `?region=<slug>`. Semua daftar "
    "berurutan menurut posisi sinkronisasi (urutan commit) dengan cursor: ikuti `next` sampai "
    "null, simpan `cursor`, dan kirim kembali pada sinkronisasi berikutnya; tidak ada "
    "perubahan yang terlewat. Panduan: docs/api.md."
)

SCHEMA_SETTINGS = {
    "TITLE": "Kompetensi API",
    "VERSION": "1.0.0",
    "DESCRIPTION": str(DESCRIPTION),
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SORT_OPERATIONS": False,
    "TAGS": [
        {"name": "enrolments", "description": "Pendaftaran peserta (inti sinkronisasi)."},
        {"name": "programmes", "description": "Program pelatihan."},
        {"name": "offerings", "description": "Angkatan, sesi dan kursi."},
        {"name": "employees", "description": "Pegawai (isian untuk integrasi)."},
        {"name": "units", "description": "Unit kerja."},
        {"name": "development-records", "description": "Buku JP dan ekspor SIASN."},
        {"name": "evaluations", "description": "Ringkasan evaluasi per angkatan."},
        {"name": "sync", "description": "Klien, wilayah, dan penghapusan (tombstone)."},
    ],
}

urlpatterns = [
    path(
        "schema/",
        SpectacularAPIView.as_view(
            permission_classes=[AllowAny],
            authentication_classes=[],
            custom_settings=SCHEMA_SETTINGS,
            patterns=[path("api/v1/", include(v1))],
        ),
        name="schema",
    ),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(
            permission_classes=[AllowAny], authentication_classes=[], url_name="api:schema"
        ),
        name="docs",
    ),
    path("v1/", include(v1)),
    # Anything else under /api/ answers the JSON error shape, never an HTML page.
    re_path(r"^.*$", not_found_view, name="not_found"),
]
