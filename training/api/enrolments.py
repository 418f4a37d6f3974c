"""REST API v1: enrolments — the core of the sync (list, one, and enrolling by NIP).

A list row is `dict(zip(keys, row))` of `ENROLMENT_FIELDS` read with `.values_list()` (joins
in the query) and rendered with orjson; `EnrolmentDoc` only documents the shape for the
OpenAPI schema. Filters: `training.selectors.filters.enrolment_filter`. Enrolling goes
through `training.services.enrolment.enrolment_create`, like the portal's pages.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from kompetensi.api.columns import as_float, utc
from kompetensi.api.errors import ApiError
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
from regions.models import ApiClient, Employee
from regions.nip import normalise_nip
from training.models import Enrolment, Offering
from training.selectors.filters import enrolment_filter

L = gettext_lazy

ENROLMENT_STATUSES = tuple(Enrolment.Status.values)


def _stamp(text):
    return serializers.DateTimeField(allow_null=True, help_text=text)


def _number(text):
    return serializers.FloatField(allow_null=True, help_text=text)


class EnrolmentDoc(serializers.Serializer):
    id = serializers.IntegerField(help_text=L("ID pendaftaran."))
    status = serializers.ChoiceField(
        ENROLMENT_STATUSES,
        help_text=L(
            "requested (menunggu atasan), waitlisted, confirmed, rejected, cancelled "
            "(pembatalan tetap tampil sebagai status), completed, no_show, failed (tidak lulus "
            "post-test)."
        ),
    )
    source = serializers.ChoiceField(
        tuple(Enrolment.Source.values), help_text=L("Asal pendaftaran: self, admin, api.")
    )
    offering_id = serializers.IntegerField(help_text=L("ID angkatan."))
    offering_name = serializers.CharField(help_text=L("Nama angkatan, mis. 'Angkatan I'."))
    offering_start_date = serializers.DateField(help_text=L("Tanggal mulai angkatan."))
    offering_end_date = serializers.DateField(help_text=L("Tanggal selesai angkatan."))
    programme_id = serializers.IntegerField(help_text=L("ID program."))
    programme_code = serializers.CharField(help_text=L("Kode program (unik di wilayah)."))
    programme_title = serializers.CharField(help_text=L("Judul program."))
    programme_jp = serializers.IntegerField(help_text=L("Jumlah JP program (1 JP = 45 menit)."))
    form_id = serializers.IntegerField(
        help_text=L("Bentuk pengembangan = `jenisDiklatId` SIASN (1–25).")
    )
    form_name = serializers.CharField(help_text=L("Nama bentuk pengembangan."))
    employee_id = serializers.IntegerField(help_text=L("ID pegawai."))
    employee_nip = serializers.CharField(help_text=L("NIP (PNS) atau NI PPPK, 18 digit."))
    employee_name = serializers.CharField(help_text=L("Nama lengkap peserta."))
    unit_id = serializers.IntegerField(help_text=L("ID unit kerja peserta saat ini."))
    unit_code = serializers.CharField(help_text=L("Kode unit kerja peserta."))
    unit_name = serializers.CharField(help_text=L("Nama unit kerja peserta."))
    requested_at = serializers.DateTimeField(help_text=L("Waktu mendaftar."))
    decided_at = _stamp(L("Waktu disetujui/ditolak atasan atau admin."))
    confirmed_at = _stamp(L("Waktu mendapat kursi."))
    waitlisted_at = _stamp(L("Waktu masuk daftar tunggu."))
    cancelled_at = _stamp(L("Waktu dibatalkan."))
    completed_at = _stamp(L("Waktu dinyatakan selesai/tidak hadir."))
    attendance_rate = _number(L("Tingkat kehadiran dalam persen (0–100)."))
    pre_test_score = _number(L("Nilai pre-test (0–100)."))
    post_test_score = _number(L("Nilai post-test (0–100)."))
    jp_awarded = _number(L("JP yang diperoleh setelah selesai."))
    certificate_number = serializers.CharField(
        allow_blank=True, help_text=L("Nomor sertifikat; kosong bila belum terbit.")
    )
    course_progress = serializers.IntegerField(
        allow_null=True,
        help_text=L(
            "Kemajuan kursus daring angkatan dalam persen materi wajib yang selesai (0–100); "
            "null bila angkatan tidak memiliki kursus daring atau peserta belum mulai."
        ),
    )
    created_at = serializers.DateTimeField(help_text=L("Waktu baris dibuat."))
    updated_at = serializers.DateTimeField(
        help_text=L("Waktu perubahan terakhir; kunci urutan sinkronisasi bersama id.")
    )


# (output key, values_list column): rows are `dict(zip(keys, row))`, built in C.
ENROLMENT_FIELDS = (
    ("id", "id"),
    ("status", "status"),
    ("source", "source"),
    ("offering_id", "offering_id"),
    ("offering_name", "offering__name"),
    ("offering_start_date", "offering__start_date"),
    ("offering_end_date", "offering__end_date"),
    ("programme_id", "offering__program_id"),
    ("programme_code", "offering__program__code"),
    ("programme_title", "offering__program__title"),
    ("programme_jp", "offering__program__jp"),
    ("form_id", "offering__program__form_id"),
    ("form_name", "offering__program__form__name"),
    ("employee_id", "employee_id"),
    ("employee_nip", "employee__nip"),
    ("employee_name", "employee__name"),
    ("unit_id", "employee__unit_id"),
    ("unit_code", "employee__unit__code"),
    ("unit_name", "employee__unit__name"),
    ("requested_at", utc("requested_at")),
    ("decided_at", utc("decided_at")),
    ("confirmed_at", utc("confirmed_at")),
    ("waitlisted_at", utc("waitlisted_at")),
    ("cancelled_at", utc("cancelled_at")),
    ("completed_at", utc("completed_at")),
    ("attendance_rate", as_float("attendance_rate")),
    ("pre_test_score", as_float("pre_test_score")),
    ("post_test_score", as_float("post_test_score")),
    ("jp_awarded", as_float("jp_awarded")),
    ("certificate_number", "certificate_number"),
    ("course_progress", "course_progress"),
    ("created_at", utc("created_at")),
    ("updated_at", utc("updated_at")),
)


ENROLMENT_PARAMS = [
    Param(
        "status",
        "choice",
        L("Status, boleh beberapa dipisah koma: %(c)s.") % {"c": ", ".join(ENROLMENT_STATUSES)},
        choices=ENROLMENT_STATUSES,
        many=True,
    ),
    Param("offering", "int", L("ID angkatan.")),
    Param("programme", "id_or_code", L("Program: ID atau kode program.")),
    Param("unit", "id_or_code", L("Unit kerja peserta: ID atau kode unit.")),
    Param("nip", "text", L("NIP / NI PPPK peserta.")),
    Param("requested_from", "date", L("Mendaftar pada/ sesudah tanggal ini (WIB).")),
    Param("requested_to", "date", L("Mendaftar pada/ sebelum tanggal ini (WIB, inklusif).")),
    Param("offering_start_from", "date", L("Angkatan mulai pada/ sesudah tanggal ini.")),
    Param("offering_start_to", "date", L("Angkatan mulai pada/ sebelum tanggal ini.")),
    updated_since_param(),
    cursor_param(),
    page_size_param(),
]

SYNC_EXAMPLE = OpenApiExample(
    "Sinkronisasi",
    summary=str(L("Halaman dengan cursor")),
    description=str(
        L(
            "Ambil halaman pertama (opsional dengan updated_since), ikuti `next` sampai null, "
            "simpan `cursor`, lalu kirim `?cursor=<cursor>` pada sinkronisasi berikutnya: "
            "hanya baris yang berubah sejak itu yang datang."
        )
    ),
    value={
        "results": [
            {
                "id": 812,
                "status": "completed",
                "source": "self",
                "offering_id": 31,
                "offering_name": "Angkatan I",
                "offering_start_date": "2026-03-02",
                "offering_end_date": "2026-03-04",
                "programme_id": 12,
                "programme_code": "PLY-01",
                "programme_title": "Pelayanan Publik Prima",
                "programme_jp": 24,
                "form_id": 3,
                "form_name": "Diklat Teknis",
                "employee_id": 4410,
                "employee_nip": "198703122010012003",
                "employee_name": "Siti Aminah",
                "unit_id": 7,
                "unit_code": "DISDUKCAPIL",
                "unit_name": "Dinas Dukcapil",
                "requested_at": "2026-02-10T02:15:00+00:00",
                "decided_at": None,
                "confirmed_at": "2026-02-10T02:15:00+00:00",
                "waitlisted_at": None,
                "cancelled_at": None,
                "completed_at": "2026-03-04T09:00:00+00:00",
                "attendance_rate": 100.0,
                "pre_test_score": 62.5,
                "post_test_score": 88.0,
                "jp_awarded": 24.0,
                "certificate_number": "800/812/BKPP/2026",
                "course_progress": 100,
                "created_at": "2026-02-10T02:15:00+00:00",
                "updated_at": "2026-03-04T09:00:01.250000+00:00",
            }
        ],
        "next": "https://kompetensi.example.go.id/api/v1/enrolments/?cursor=WyJlbnJvbG1lbnRzIiwiMjAyNi0wMy0wNFQwOTowMDowMS4yNTAwMDArMDA6MDAiLDgxMl0",
        "cursor": "WyJlbnJvbG1lbnRzIiwiMjAyNi0wMy0wNFQwOTowMDowMS4yNTAwMDArMDA6MDAiLDgxMl0",
        "has_more": True,
    },
    response_only=True,
)


class EnrolmentCreateDoc(serializers.Serializer):
    offering = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, help_text=L("ID angkatan di wilayah klien.")
    )
    nip = serializers.CharField(
        max_length=30, help_text=L("NIP / NI PPPK pegawai aktif di wilayah klien.")
    )
    motivation = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text=L("Alasan mengikuti (opsional)."),
    )


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": 80, "pattern": "^[\\x21-\\x7e]+$"},
    OpenApiParameter.HEADER,
    description=str(
        L(
            "Kunci unik buatan klien (mis. UUID). Permintaan ulang dengan kunci yang sama tidak "
            "membuat pendaftaran kedua: dijawab 200 dengan pendaftaran yang sudah ada."
        )
    ),
)


class EnrolmentBase(RegionResourceView):
    keyset = Keyset("enrolments")
    fields = ENROLMENT_FIELDS

    def base_queryset(self):
        return Enrolment.objects.all()


class EnrolmentListView(EnrolmentBase):
    params = ENROLMENT_PARAMS
    write_scope = ApiClient.Scope.ENROL

    def filter_queryset(self, queryset, q):
        return enrolment_filter(
            queryset,
            status=q["status"],
            offering=q["offering"],
            programme=q["programme"],
            unit=q["unit"],
            nip=q["nip"],
            requested_from=q["requested_from"],
            requested_to=q["requested_to"],
            offering_start_from=q["offering_start_from"],
            offering_start_to=q["offering_start_to"],
        )

    @extend_schema(
        operation_id="enrolments_list",
        tags=["enrolments"],
        summary=str(L("Daftar pendaftaran (sinkronisasi)")),
        description=str(
            L(
                "Pendaftaran wilayah klien, urut posisi sinkronisasi (urutan commit), dengan "
                "cursor. Perubahan dari transaksi yang masih berjalan tampil setelah transaksi "
                "itu selesai, tidak pernah terlewat. Perubahan nama pegawai, unit, angkatan atau "
                "program ikut menampilkan ulang baris yang memuatnya. Pembatalan tampil sebagai "
                "status `cancelled`."
            )
        ),
        parameters=openapi_parameters(ENROLMENT_PARAMS),
        responses={
            200: page_serializer("EnrolmentPage", EnrolmentDoc),
            **error_responses(*READ_ERRORS),
        },
        examples=[SYNC_EXAMPLE],
    )
    def get(self, request, *args, **kwargs):
        return self.list(request)

    @extend_schema(
        operation_id="enrolments_create",
        tags=["enrolments"],
        summary=str(L("Daftarkan pegawai (scope enrol)")),
        description=str(
            L(
                "Mendaftarkan pegawai berdasarkan NIP melalui layanan yang sama dengan halaman "
                "portal (kuota, persetujuan atasan, daftar tunggu). 201 bila dibuat; 200 bila "
                "Idempotency-Key sudah pernah dipakai untuk permintaan yang sama."
            )
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=EnrolmentCreateDoc,
        responses={
            201: EnrolmentDoc,
            200: EnrolmentDoc,
            **error_responses(400, 401, 403, 404, 409, 415, 429, 503),
        },
        examples=[
            OpenApiExample(
                "Daftar",
                value={"offering": 31, "nip": "198703122010012003"},
                request_only=True,
            )
        ],
    )
    def post(self, request, *args, **kwargs):
        from training.services.enrolment import enrolment_create

        self.query(request)
        key = request.headers.get("Idempotency-Key", "")
        if key and (len(key) > 80 or not all(33 <= ord(c) <= 126 for c in key)):
            raise ApiError(
                400,
                "invalid_idempotency_key",
                _("Idempotency-Key harus 1–80 karakter ASCII tanpa spasi."),
            )
        if not isinstance(request.data, dict):
            raise ApiError(400, "validation_error", _("Isi permintaan harus objek JSON."))
        body = EnrolmentCreateDoc(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        offering = Offering.objects.filter(pk=data["offering"]).first()
        if offering is None:
            raise ApiError(
                400,
                "validation_error",
                _("Angkatan tidak ditemukan di wilayah ini."),
                {"offering": [_("Angkatan tidak ditemukan di wilayah ini.")]},
            )
        employee = (
            Employee.objects.filter(nip=normalise_nip(data["nip"])).select_related("unit").first()
        )
        if employee is None:
            raise ApiError(
                400,
                "validation_error",
                _("Pegawai dengan NIP ini tidak ditemukan di wilayah ini."),
                {"nip": [_("Pegawai dengan NIP ini tidak ditemukan di wilayah ini.")]},
            )
        client = request.auth
        # No outer transaction: the service commits the seat decision in its own short one.
        enrolment = enrolment_create(
            offering=offering,
            employee=employee,
            actor=client.created_by,
            source=Enrolment.Source.API,
            motivation=data.get("motivation", ""),
            idempotency_key=key,
        )
        rows = list(Enrolment.objects.filter(pk=enrolment.pk).values_list(*self.columns)[:1])
        # The service decides "replay" under the offering lock: one 201, every retry a 200.
        replayed = getattr(enrolment, "replayed", False)
        return Response(self.build(rows)[0], status=200 if replayed else 201)


class EnrolmentDetailView(EnrolmentBase):
    @extend_schema(
        operation_id="enrolments_retrieve",
        tags=["enrolments"],
        summary=str(L("Satu pendaftaran")),
        parameters=[ID_PATH, IF_NONE_MATCH, *openapi_parameters([])],
        responses=detail_responses(EnrolmentDoc),
    )
    def get(self, request, pk, *args, **kwargs):
        return self.retrieve(request, pk)
