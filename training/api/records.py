"""REST API v1: development records — the JP ledger with its verification status.

Rows are built from `.values_list()` of `RECORD_FIELDS`; `DevelopmentRecordDoc` documents the
shape. Filters: `training.selectors.filters.record_filter`. The SIASN export of the same
records is `training.api.siasn`.
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from kompetensi.api.columns import as_float, utc
from kompetensi.api.pagination import Keyset
from kompetensi.api.params import (
    Param,
    cursor_param,
    openapi_parameters,
    page_size_param,
    updated_since_param,
)
from kompetensi.api.schema import (
    ID_PATH,
    IF_NONE_MATCH,
    READ_ERRORS,
    detail_responses,
    error_responses,
    page_serializer,
)
from regions.api_auth import RegionResourceView
from training.models import DevelopmentRecord
from training.selectors.filters import record_filter

L = gettext_lazy


class DevelopmentRecordDoc(serializers.Serializer):
    id = serializers.IntegerField(help_text=L("ID riwayat."))
    employee_id = serializers.IntegerField(help_text=L("ID pegawai."))
    employee_nip = serializers.CharField(help_text=L("NIP / NI PPPK."))
    employee_name = serializers.CharField(help_text=L("Nama lengkap."))
    year = serializers.IntegerField(help_text=L("Tahun yang dihitung."))
    source = serializers.ChoiceField(
        tuple(DevelopmentRecord.Source.values),
        help_text=L("enrolment (pelatihan di portal) atau external (di luar portal)."),
    )
    enrolment_id = serializers.IntegerField(
        allow_null=True, help_text=L("ID pendaftaran asal, atau null.")
    )
    programme_id = serializers.IntegerField(allow_null=True, help_text=L("ID program, atau null."))
    title = serializers.CharField(help_text=L("Nama kegiatan."))
    form_id = serializers.IntegerField(
        help_text=L("Bentuk pengembangan = `jenisDiklatId` SIASN (1–25).")
    )
    form_name = serializers.CharField(help_text=L("Nama bentuk pengembangan."))
    organiser = serializers.CharField(help_text=L("Penyelenggara."))
    start_date = serializers.DateField(help_text=L("Tanggal mulai."))
    end_date = serializers.DateField(help_text=L("Tanggal selesai."))
    jp = serializers.FloatField(help_text=L("JP."))
    is_international = serializers.BooleanField(help_text=L("Bertaraf internasional."))
    certificate_number = serializers.CharField(allow_blank=True, help_text=L("Nomor sertifikat."))
    status = serializers.ChoiceField(
        tuple(DevelopmentRecord.Status.values),
        help_text=L(
            "Status verifikasi: submitted, verified, rejected. Hanya verified yang dihitung."
        ),
    )
    verified_at = serializers.DateTimeField(
        allow_null=True, help_text=L("Waktu diverifikasi/ditolak.")
    )
    created_at = serializers.DateTimeField(help_text=L("Waktu dibuat."))
    updated_at = serializers.DateTimeField(help_text=L("Waktu perubahan terakhir."))


RECORD_FIELDS = (
    ("id", "id"),
    ("employee_id", "employee_id"),
    ("employee_nip", "employee__nip"),
    ("employee_name", "employee__name"),
    ("year", "year"),
    ("source", "source"),
    ("enrolment_id", "enrolment_id"),
    ("programme_id", "program_id"),
    ("title", "title"),
    ("form_id", "form_id"),
    ("form_name", "form__name"),
    ("organiser", "organiser"),
    ("start_date", "start_date"),
    ("end_date", "end_date"),
    ("jp", as_float("jp")),
    ("is_international", "is_international"),
    ("certificate_number", "certificate_number"),
    ("status", "status"),
    ("verified_at", utc("verified_at")),
    ("created_at", utc("created_at")),
    ("updated_at", utc("updated_at")),
)


RECORD_STATUSES = tuple(DevelopmentRecord.Status.values)
YEAR = Param("year", "int", L("Tahun."), minimum=1900, maximum=3000)
RECORD_PARAMS = [
    Param(
        "status",
        "choice",
        L("Status verifikasi, boleh beberapa dipisah koma: submitted, verified, rejected."),
        choices=RECORD_STATUSES,
        many=True,
    ),
    YEAR,
    Param("nip", "text", L("NIP / NI PPPK pegawai.")),
    Param("form", "int", L("ID bentuk pengembangan (jenisDiklatId)."), maximum=32767),
    Param(
        "source",
        "choice",
        L("enrolment atau external."),
        choices=tuple(DevelopmentRecord.Source.values),
    ),
    updated_since_param(),
    cursor_param(),
    page_size_param(),
]


class RecordBase(RegionResourceView):
    keyset = Keyset("development-records")
    fields = RECORD_FIELDS

    def base_queryset(self):
        return DevelopmentRecord.objects.all()


class DevelopmentRecordListView(RecordBase):
    params = RECORD_PARAMS

    def filter_queryset(self, queryset, q):
        return record_filter(
            queryset,
            status=q["status"],
            year=q["year"],
            nip=q["nip"],
            form=q["form"],
            source=q["source"],
        )

    @extend_schema(
        operation_id="development_records_list",
        tags=["development-records"],
        summary=str(L("Riwayat pengembangan kompetensi (buku JP)")),
        description=str(
            L(
                "Riwayat JP pegawai dengan status verifikasi. Riwayat yang dihapus muncul di "
                "/api/v1/deleted/?resource=development-records."
            )
        ),
        parameters=openapi_parameters(RECORD_PARAMS),
        responses={
            200: page_serializer("DevelopmentRecordPage", DevelopmentRecordDoc),
            **error_responses(*READ_ERRORS),
        },
    )
    def get(self, request, *args, **kwargs):
        return self.list(request)


class DevelopmentRecordDetailView(RecordBase):
    @extend_schema(
        operation_id="development_records_retrieve",
        tags=["development-records"],
        summary=str(L("Satu riwayat")),
        parameters=[ID_PATH, IF_NONE_MATCH, *openapi_parameters([])],
        responses=detail_responses(DevelopmentRecordDoc),
    )
    def get(self, request, pk, *args, **kwargs):
        return self.retrieve(request, pk)
