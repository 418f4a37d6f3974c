"""REST API v1 of the training app: enrolments, programmes, offerings, development records.

Lists are built from `.values_list()` of flat columns (joins in the query) and rendered with
orjson; the serializers below only *document* the shapes for the OpenAPI schema, they never
run on the hot path. Every query runs inside the client's region scope (see
`kompetensi.api.base.ApiView`).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.http import StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from kompetensi.api.base import ResourceView
from kompetensi.api.columns import as_float, utc
from kompetensi.api.errors import ApiError
from kompetensi.api.pagination import Keyset
from kompetensi.api.params import Param, cursor_param, openapi_parameters, page_size_param
from kompetensi.api.renderers import CSVRenderer, ORJSONRenderer
from kompetensi.api.schema import READ_ERRORS, error_responses, page_serializer
from kompetensi.sync import horizon
from regions.models import ApiClient, Employee
from regions.nip import normalise_nip
from training.models import DevelopmentRecord, Enrolment, Offering, OfferingUnitQuota, Program
from training.models import Session as TrainingSession

L = gettext_lazy


def updated_since_param() -> Param:
    return Param(
        "updated_since",
        "datetime",
        L(
            "Hanya baris yang berubah pada/ sesudah waktu ini (ISO 8601, mis. "
            "2026-01-31T08:00:00+07:00; tanpa zona waktu = WIB). Untuk sinkronisasi lanjutan "
            "lebih baik simpan `cursor`."
        ),
    )


ID_PATH = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
    OpenApiParameter.PATH,
    description=str(L("ID data.")),
)

IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    str,
    OpenApiParameter.HEADER,
    description=str(L("ETag dari jawaban sebelumnya; bila belum berubah dijawab 304 tanpa isi.")),
)


def _detail_responses(item) -> dict:
    return {
        200: item,
        304: None,
        **error_responses(*READ_ERRORS),
    }


# --- Enrolments --------------------------------------------------------------------------------

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
            "(pembatalan tetap tampil sebagai status), completed, no_show."
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
                "certificate_number": "SMG/2026/00812",
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


def _id_or_code(field: str, value: tuple[int | None, str]) -> Q:
    pk, code = value
    q = Q(**{f"{field}__code": code})
    if pk is not None:
        q |= Q(**{f"{field}_id": pk})
    return q


def _day_bounds(day, *, end: bool):
    import datetime as dt

    from django.utils import timezone

    if end:
        day = day + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


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


class EnrolmentBase(ResourceView):
    keyset = Keyset("enrolments")
    fields = ENROLMENT_FIELDS

    def base_queryset(self):
        return Enrolment.objects.all()


class EnrolmentListView(EnrolmentBase):
    params = ENROLMENT_PARAMS
    write_scope = ApiClient.Scope.ENROL

    def filter_queryset(self, queryset, q):
        if q["status"]:
            queryset = queryset.filter(status__in=q["status"])
        if q["offering"]:
            queryset = queryset.filter(offering_id=q["offering"])
        if q["programme"]:
            queryset = queryset.filter(_id_or_code("offering__program", q["programme"]))
        if q["unit"]:
            queryset = queryset.filter(_id_or_code("employee__unit", q["unit"]))
        if q["nip"]:
            queryset = queryset.filter(employee__nip=normalise_nip(q["nip"]))
        if q["requested_from"]:
            queryset = queryset.filter(
                requested_at__gte=_day_bounds(q["requested_from"], end=False)
            )
        if q["requested_to"]:
            queryset = queryset.filter(requested_at__lt=_day_bounds(q["requested_to"], end=True))
        if q["offering_start_from"]:
            queryset = queryset.filter(offering__start_date__gte=q["offering_start_from"])
        if q["offering_start_to"]:
            queryset = queryset.filter(offering__start_date__lte=q["offering_start_to"])
        return queryset

    @extend_schema(
        operation_id="enrolments_list",
        tags=["enrolments"],
        summary=str(L("Daftar pendaftaran (sinkronisasi)")),
        description=str(
            L(
                "Pendaftaran wilayah klien, urut (updated_at, id), dengan cursor. Baris yang "
                "berubah dalam 2 detik terakhir baru tampil sesudahnya (jeda keamanan agar "
                "transaksi yang belum commit tidak terlewat). Pembatalan tampil sebagai status "
                "`cancelled`."
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
            **error_responses(400, 401, 403, 404, 409, 415, 429),
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
        replay = bool(key) and Enrolment.objects.filter(idempotency_key=key).exists()
        client = request.auth
        with transaction.atomic():
            enrolment = enrolment_create(
                offering=offering,
                employee=employee,
                actor=client.created_by,
                source=Enrolment.Source.API,
                motivation=data.get("motivation", ""),
                idempotency_key=key,
            )
        rows = list(Enrolment.objects.filter(pk=enrolment.pk).values_list(*self.columns)[:1])
        return Response(self.build(rows)[0], status=200 if replay else 201)


class EnrolmentDetailView(EnrolmentBase):
    @extend_schema(
        operation_id="enrolments_retrieve",
        tags=["enrolments"],
        summary=str(L("Satu pendaftaran")),
        parameters=[ID_PATH, IF_NONE_MATCH, *openapi_parameters([])],
        responses=_detail_responses(EnrolmentDoc),
    )
    def get(self, request, pk, *args, **kwargs):
        return self.retrieve(request, pk)


# --- Programmes --------------------------------------------------------------------------------


class ProgrammeDoc(serializers.Serializer):
    id = serializers.IntegerField(help_text=L("ID program."))
    code = serializers.CharField(help_text=L("Kode program (unik di wilayah)."))
    title = serializers.CharField(help_text=L("Judul program."))
    description = serializers.CharField(allow_blank=True, help_text=L("Deskripsi."))
    form_id = serializers.IntegerField(
        help_text=L("Bentuk pengembangan = `jenisDiklatId` SIASN (1–25).")
    )
    form_name = serializers.CharField(help_text=L("Nama bentuk pengembangan."))
    form_kind = serializers.ChoiceField(
        ("klasikal", "nonklasikal"), help_text=L("Kelompok bentuk: klasikal atau nonklasikal.")
    )
    form_is_structural = serializers.BooleanField(
        help_text=L("Pelatihan struktural kepemimpinan (riwayat diklat SIASN).")
    )
    competency_type = serializers.CharField(
        help_text=L("Jenis kompetensi: teknis, manajerial, sosial_kultural.")
    )
    jp = serializers.IntegerField(help_text=L("Jumlah JP (1 JP = 45 menit)."))
    delivery_mode = serializers.ChoiceField(
        ("tatap_muka", "daring", "blended"), help_text=L("Moda: tatap_muka, daring, blended.")
    )
    status = serializers.ChoiceField(
        tuple(Program.Status.values), help_text=L("draft, published, archived.")
    )
    provider_name = serializers.CharField(
        allow_null=True, help_text=L("Nama mitra penyelenggara, atau null.")
    )
    created_at = serializers.DateTimeField(help_text=L("Waktu dibuat."))
    updated_at = serializers.DateTimeField(help_text=L("Waktu perubahan terakhir."))


PROGRAMME_FIELDS = (
    ("id", "id"),
    ("code", "code"),
    ("title", "title"),
    ("description", "description"),
    ("form_id", "form_id"),
    ("form_name", "form__name"),
    ("form_kind", "form__kind"),
    ("form_is_structural", "form__is_structural"),
    ("competency_type", "competency_type"),
    ("jp", "jp"),
    ("delivery_mode", "delivery_mode"),
    ("status", "status"),
    ("provider_name", "provider__name"),
    ("created_at", utc("created_at")),
    ("updated_at", utc("updated_at")),
)


PROGRAMME_STATUSES = tuple(Program.Status.values)
PROGRAMME_PARAMS = [
    Param(
        "status",
        "choice",
        L("Status, boleh beberapa dipisah koma: draft, published, archived."),
        choices=PROGRAMME_STATUSES,
        many=True,
    ),
    Param("form", "int", L("ID bentuk pengembangan (jenisDiklatId SIASN)."), maximum=32767),
    updated_since_param(),
    cursor_param(),
    page_size_param(),
]


class ProgrammeBase(ResourceView):
    keyset = Keyset("programmes")
    fields = PROGRAMME_FIELDS

    def base_queryset(self):
        return Program.objects.all()


class ProgrammeListView(ProgrammeBase):
    params = PROGRAMME_PARAMS

    def filter_queryset(self, queryset, q):
        if q["status"]:
            queryset = queryset.filter(status__in=q["status"])
        if q["form"]:
            queryset = queryset.filter(form_id=q["form"])
        return queryset

    @extend_schema(
        operation_id="programmes_list",
        tags=["programmes"],
        summary=str(L("Daftar program")),
        parameters=openapi_parameters(PROGRAMME_PARAMS),
        responses={
            200: page_serializer("ProgrammePage", ProgrammeDoc),
            **error_responses(*READ_ERRORS),
        },
    )
    def get(self, request, *args, **kwargs):
        return self.list(request)


class ProgrammeDetailView(ProgrammeBase):
    @extend_schema(
        operation_id="programmes_retrieve",
        tags=["programmes"],
        summary=str(L("Satu program")),
        parameters=[ID_PATH, IF_NONE_MATCH, *openapi_parameters([])],
        responses=_detail_responses(ProgrammeDoc),
    )
    def get(self, request, pk, *args, **kwargs):
        return self.retrieve(request, pk)


# --- Offerings ---------------------------------------------------------------------------------


class SessionDoc(serializers.Serializer):
    id = serializers.IntegerField(help_text=L("ID sesi."))
    title = serializers.CharField(help_text=L("Judul sesi."))
    starts_at = serializers.DateTimeField(help_text=L("Mulai."))
    ends_at = serializers.DateTimeField(help_text=L("Selesai."))
    location = serializers.CharField(allow_blank=True, help_text=L("Tempat."))
    status = serializers.ChoiceField(
        ("scheduled", "cancelled"), help_text=L("scheduled atau cancelled.")
    )
    speaker = serializers.CharField(allow_null=True, help_text=L("Nama narasumber, atau null."))


class OfferingDoc(serializers.Serializer):
    id = serializers.IntegerField(help_text=L("ID angkatan."))
    programme_id = serializers.IntegerField(help_text=L("ID program."))
    programme_code = serializers.CharField(help_text=L("Kode program."))
    programme_title = serializers.CharField(help_text=L("Judul program."))
    name = serializers.CharField(help_text=L("Nama angkatan."))
    status = serializers.ChoiceField(
        tuple(Offering.Status.values),
        help_text=L("planned, open, running, completed, cancelled."),
    )
    start_date = serializers.DateField(help_text=L("Tanggal mulai."))
    end_date = serializers.DateField(help_text=L("Tanggal selesai."))
    enrolment_opens = serializers.DateField(help_text=L("Pendaftaran dibuka."))
    enrolment_closes = serializers.DateField(help_text=L("Pendaftaran ditutup."))
    seats = serializers.IntegerField(help_text=L("Kuota umum."))
    reserved_seats = serializers.IntegerField(
        help_text=L("Kursi khusus unit kerja (di luar kuota umum).")
    )
    seats_taken = serializers.IntegerField(
        help_text=L(
            "Kursi terpakai (confirmed, completed, no_show), dihitung saat diminta; perubahan "
            "ini tidak mengubah updated_at angkatan."
        )
    )
    seats_left = serializers.IntegerField(
        help_text=L("Sisa kursi = seats + reserved_seats − seats_taken (minimal 0).")
    )
    requires_approval = serializers.BooleanField(help_text=L("Perlu persetujuan atasan."))
    has_waitlist = serializers.BooleanField(help_text=L("Ada daftar tunggu."))
    is_international = serializers.BooleanField(help_text=L("Bertaraf internasional."))
    venue = serializers.CharField(allow_blank=True, help_text=L("Tempat."))
    cancel_reason = serializers.CharField(allow_blank=True, help_text=L("Alasan pembatalan."))
    sessions = SessionDoc(many=True, help_text=L("Sesi angkatan, urut waktu mulai."))
    created_at = serializers.DateTimeField(help_text=L("Waktu dibuat."))
    updated_at = serializers.DateTimeField(help_text=L("Waktu perubahan terakhir."))


def _seats_taken():
    return Coalesce(
        Subquery(
            Enrolment.objects.filter(offering_id=OuterRef("pk"), status__in=Enrolment.SEAT_STATUSES)
            .order_by()
            .values("offering_id")
            .annotate(n=Count("id"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _reserved_seats():
    return Coalesce(
        Subquery(
            OfferingUnitQuota.objects.filter(offering_id=OuterRef("pk"))
            .order_by()
            .values("offering_id")
            .annotate(n=Sum("seats"))
            .values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


OFFERING_FIELDS = (
    ("id", "id"),
    ("programme_id", "program_id"),
    ("programme_code", "program__code"),
    ("programme_title", "program__title"),
    ("name", "name"),
    ("status", "status"),
    ("start_date", "start_date"),
    ("end_date", "end_date"),
    ("enrolment_opens", "enrolment_opens"),
    ("enrolment_closes", "enrolment_closes"),
    ("seats", "seats"),
    ("reserved_seats", "reserved"),
    ("seats_taken", "taken"),
    ("requires_approval", "requires_approval"),
    ("has_waitlist", "has_waitlist"),
    ("is_international", "is_international"),
    ("venue", "venue"),
    ("cancel_reason", "cancel_reason"),
    ("created_at", utc("created_at")),
    ("updated_at", utc("updated_at")),
)
SESSION_KEYS = ("id", "title", "starts_at", "ends_at", "location", "status", "speaker")


class OfferingBase(ResourceView):
    keyset = Keyset("offerings")
    fields = OFFERING_FIELDS

    def base_queryset(self):
        return Offering.objects.annotate(reserved=_reserved_seats(), taken=_seats_taken())

    def build(self, rows):
        """Rows plus their sessions (one more query for the whole page) and seats left."""
        sessions = {}
        if rows:
            found = (
                TrainingSession.objects.filter(offering_id__in=[r[0] for r in rows])
                .order_by("starts_at", "id")
                .values_list(
                    "offering_id",
                    "id",
                    "title",
                    utc("starts_at"),
                    utc("ends_at"),
                    "location",
                    "status",
                    "speaker__name",
                )
            )
            for s in found:
                sessions.setdefault(s[0], []).append(dict(zip(SESSION_KEYS, s[1:], strict=True)))
        result = super().build(rows)
        for item in result:
            item["seats_left"] = max(
                item["seats"] + item["reserved_seats"] - item["seats_taken"], 0
            )
            item["sessions"] = sessions.get(item["id"], [])
        return result


OFFERING_STATUSES = tuple(Offering.Status.values)
OFFERING_PARAMS = [
    Param(
        "status",
        "choice",
        L("Status, boleh beberapa dipisah koma: %(c)s.") % {"c": ", ".join(OFFERING_STATUSES)},
        choices=OFFERING_STATUSES,
        many=True,
    ),
    Param("programme", "id_or_code", L("Program: ID atau kode.")),
    Param("start_from", "date", L("Mulai pada/ sesudah tanggal ini.")),
    Param("start_to", "date", L("Mulai pada/ sebelum tanggal ini.")),
    updated_since_param(),
    cursor_param(),
    page_size_param(),
]


def filter_offerings(queryset, q):
    """Offerings narrowed by the `status`, `programme`, `start_from` and `start_to` params
    (the offerings list and the evaluations summary take the same ones)."""
    if q["status"]:
        queryset = queryset.filter(status__in=q["status"])
    if q["programme"]:
        queryset = queryset.filter(_id_or_code("program", q["programme"]))
    if q["start_from"]:
        queryset = queryset.filter(start_date__gte=q["start_from"])
    if q["start_to"]:
        queryset = queryset.filter(start_date__lte=q["start_to"])
    return queryset


class OfferingListView(OfferingBase):
    params = OFFERING_PARAMS

    def filter_queryset(self, queryset, q):
        return filter_offerings(queryset, q)

    @extend_schema(
        operation_id="offerings_list",
        tags=["offerings"],
        summary=str(L("Daftar angkatan dengan sesi dan kursi")),
        parameters=openapi_parameters(OFFERING_PARAMS),
        responses={
            200: page_serializer("OfferingPage", OfferingDoc),
            **error_responses(*READ_ERRORS),
        },
    )
    def get(self, request, *args, **kwargs):
        return self.list(request)


class OfferingDetailView(OfferingBase):
    @extend_schema(
        operation_id="offerings_retrieve",
        tags=["offerings"],
        summary=str(L("Satu angkatan")),
        parameters=[ID_PATH, IF_NONE_MATCH, *openapi_parameters([])],
        responses=_detail_responses(OfferingDoc),
    )
    def get(self, request, pk, *args, **kwargs):
        return self.retrieve(request, pk)


# --- Development records (JP ledger) -----------------------------------------------------------


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


class RecordBase(ResourceView):
    keyset = Keyset("development-records")
    fields = RECORD_FIELDS

    def base_queryset(self):
        return DevelopmentRecord.objects.all()


class DevelopmentRecordListView(RecordBase):
    params = RECORD_PARAMS

    def filter_queryset(self, queryset, q):
        if q["status"]:
            queryset = queryset.filter(status__in=q["status"])
        if q["year"]:
            queryset = queryset.filter(year=q["year"])
        if q["nip"]:
            queryset = queryset.filter(employee__nip=normalise_nip(q["nip"]))
        if q["form"]:
            queryset = queryset.filter(form_id=q["form"])
        if q["source"]:
            queryset = queryset.filter(source=q["source"])
        return queryset

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
        responses=_detail_responses(DevelopmentRecordDoc),
    )
    def get(self, request, pk, *args, **kwargs):
        return self.retrieve(request, pk)


# --- SIASN export ------------------------------------------------------------------------------

# SIASN's legacy `latihanStrukturalId`, derived from the training title (configurable here).
STRUCTURAL_LEVELS = (
    (("PKN TINGKAT I ", "PKN I ", "PIM I ", "SEPATI"), 5),
    (("PKN TINGKAT II", "PKN II", "PIM II", "SPAMEN", "SESPA"), 4),
    (("PKA", "PIM III", "SPAMA", "SEPADYA"), 3),
    (("PKP", "PIM IV", "ADUM", "SEPALA"), 2),
    (("SEPADA",), 1),
)
STRUCTURAL_OTHER = 8


def structural_level(title: str) -> int:
    """The SIASN `latihanStrukturalId` (1–8) a structural training's title names; 8 otherwise."""
    text = f" {title.upper()} "
    for needles, level in STRUCTURAL_LEVELS:
        if any(f" {n.strip()} " in text for n in needles):
            return level
    return STRUCTURAL_OTHER


def _hours(jp: Decimal) -> int:
    return int(Decimal(jp).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _siasn_date(day) -> str:
    return day.strftime("%d-%m-%Y")


SIASN_COLUMNS = (
    "id",
    "employee__nip",
    "employee__name",
    "form_id",
    "title",
    "certificate_number",
    "jp",
    "year",
    "start_date",
    "end_date",
    "organiser",
    "updated_at",
)


def build_kursus(rows):
    return [
        {
            "id": r[0],
            "nip": r[1],
            "nama": r[2],
            "jenisDiklatId": r[3],
            "namaKursus": r[4],
            "nomorSertipikat": r[5],
            "jumlahJam": _hours(r[6]),
            "tahunKursus": r[7],
            "tanggalKursus": _siasn_date(r[8]),
            "tanggalSelesaiKursus": _siasn_date(r[9]),
            "institusiPenyelenggara": r[10],
        }
        for r in rows
    ]


def build_diklat(rows):
    return [
        {
            "id": r[0],
            "nip": r[1],
            "nama": r[2],
            "latihanStrukturalId": structural_level(r[4]),
            "namaDiklat": r[4],
            "nomor": r[5],
            "jumlahJam": _hours(r[6]),
            "tahun": r[7],
            "tanggal": _siasn_date(r[8]),
            "tanggalSelesai": _siasn_date(r[9]),
            "institusiPenyelenggara": r[10],
        }
        for r in rows
    ]


class SiasnKursusDoc(serializers.Serializer):
    id = serializers.IntegerField(help_text=L("ID riwayat di portal."))
    nip = serializers.CharField(help_text=L("NIP (petakan ke pnsOrangId SIASN)."))
    nama = serializers.CharField(help_text=L("Nama pegawai."))
    jenisDiklatId = serializers.IntegerField(help_text=L("jenisDiklatId SIASN (1–25)."))  # noqa: N815
    namaKursus = serializers.CharField(help_text=L("Nama kursus/kegiatan."))  # noqa: N815
    nomorSertipikat = serializers.CharField(  # noqa: N815
        allow_blank=True, help_text=L("Nomor sertifikat.")
    )
    jumlahJam = serializers.IntegerField(help_text=L("JP, dibulatkan ke bilangan bulat."))  # noqa: N815
    tahunKursus = serializers.IntegerField(help_text=L("Tahun."))  # noqa: N815
    tanggalKursus = serializers.CharField(help_text=L("Tanggal mulai, dd-mm-yyyy."))  # noqa: N815
    tanggalSelesaiKursus = serializers.CharField(  # noqa: N815
        help_text=L("Tanggal selesai, dd-mm-yyyy.")
    )
    institusiPenyelenggara = serializers.CharField(help_text=L("Penyelenggara."))  # noqa: N815


class SiasnDiklatDoc(serializers.Serializer):
    id = serializers.IntegerField(help_text=L("ID riwayat di portal."))
    nip = serializers.CharField(help_text=L("NIP (petakan ke pnsOrangId SIASN)."))
    nama = serializers.CharField(help_text=L("Nama pegawai."))
    latihanStrukturalId = serializers.IntegerField(  # noqa: N815
        help_text=L(
            "latihanStrukturalId SIASN (1–8) dari judul: PKN I→5, PKN II→4, PKA→3, PKP→2, "
            "selain itu 8 (lainnya)."
        )
    )
    namaDiklat = serializers.CharField(help_text=L("Nama diklat (untuk pemeriksaan)."))  # noqa: N815
    nomor = serializers.CharField(allow_blank=True, help_text=L("Nomor sertifikat/STTPP."))
    jumlahJam = serializers.IntegerField(help_text=L("JP, dibulatkan."))  # noqa: N815
    tahun = serializers.IntegerField(help_text=L("Tahun."))
    tanggal = serializers.CharField(help_text=L("Tanggal mulai, dd-mm-yyyy."))
    tanggalSelesai = serializers.CharField(help_text=L("Tanggal selesai, dd-mm-yyyy."))  # noqa: N815
    institusiPenyelenggara = serializers.CharField(help_text=L("Penyelenggara."))  # noqa: N815


SIASN_PARAMS = [
    Param(
        "kind",
        "choice",
        L(
            "kursus (riwayat kursus: semua bentuk selain struktural) atau diklat (riwayat diklat "
            "struktural kepemimpinan). Bawaan: kursus."
        ),
        choices=("kursus", "diklat"),
        default="kursus",
    ),
    YEAR,
    Param("nip", "text", L("NIP / NI PPPK pegawai.")),
    updated_since_param(),
    cursor_param(),
    page_size_param(),
]
FORMAT = OpenApiParameter(
    "format",
    {"type": "string", "enum": ["json", "csv"]},
    OpenApiParameter.QUERY,
    description=str(
        L("json (bawaan, berhalaman) atau csv (seluruh hasil filter dalam satu berkas).")
    ),
)


class SiasnExportView(ResourceView):
    """Verified records in SIASN's shapes. JSON pages like every list; CSV streams the whole
    filtered set in one response (one query, a server-side cursor on PostgreSQL)."""

    keyset = Keyset("siasn")
    columns = SIASN_COLUMNS
    params = SIASN_PARAMS
    renderer_classes = [ORJSONRenderer, CSVRenderer]

    def base_queryset(self):
        return DevelopmentRecord.objects.filter(status=DevelopmentRecord.Status.VERIFIED)

    def filter_queryset(self, queryset, q):
        queryset = queryset.filter(form__is_structural=q["kind"] == "diklat")
        if q["year"]:
            queryset = queryset.filter(year=q["year"])
        if q["nip"]:
            queryset = queryset.filter(employee__nip=normalise_nip(q["nip"]))
        return queryset

    def build(self, rows):
        return build_diklat(rows) if self._kind == "diklat" else build_kursus(rows)

    @extend_schema(
        operation_id="development_records_siasn",
        tags=["development-records"],
        summary=str(L("Ekspor riwayat terverifikasi dalam bentuk SIASN")),
        description=str(
            L(
                "Riwayat terverifikasi sebagai riwayat kursus (kind=kursus) atau riwayat diklat "
                "struktural (kind=diklat) dengan nama isian SIASN. `?format=csv` mengunduh "
                "seluruh hasil filter sebagai CSV (tanpa cursor)."
            )
        ),
        parameters=[*openapi_parameters(SIASN_PARAMS), FORMAT],
        responses={
            (200, "application/json"): page_serializer("SiasnPage", SiasnKursusDoc),
            (200, "text/csv"): {"type": "string"},
            **error_responses(*READ_ERRORS),
        },
        examples=[
            OpenApiExample(
                "kursus",
                value={
                    "results": [
                        {
                            "id": 90,
                            "nip": "198703122010012003",
                            "nama": "Siti Aminah",
                            "jenisDiklatId": 3,
                            "namaKursus": "Pelayanan Publik Prima",
                            "nomorSertipikat": "SMG/2026/00812",
                            "jumlahJam": 24,
                            "tahunKursus": 2026,
                            "tanggalKursus": "02-03-2026",
                            "tanggalSelesaiKursus": "04-03-2026",
                            "institusiPenyelenggara": "BKPP Kota Semarang",
                        }
                    ],
                    "next": None,
                    "cursor": "WyJzaWFzbiIsIjIwMjYtMDMtMDRUMDk6MDA6MDErMDA6MDAiLDkwXQ",
                    "has_more": False,
                },
                response_only=True,
                media_type="application/json",
            )
        ],
    )
    def get(self, request, *args, **kwargs):
        q = self.query(request)
        self._kind = q["kind"]
        fmt = request.query_params.get("format", "json")
        if fmt not in ("json", "csv"):
            raise ApiError(
                400,
                "invalid_parameter",
                _("Parameter format tidak valid: json atau csv."),
                {"format": [_("json atau csv.")]},
            )
        if fmt == "json":
            return self.list(request)
        return self._csv(q)

    def _csv(self, q):
        import csv

        queryset = self.filter_queryset(self.base_queryset(), q)
        queryset = self.keyset.apply(
            queryset, cursor=None, since=q["updated_since"], horizon=horizon(using=queryset.db)
        )
        rows = queryset.values_list(*self.columns).iterator(chunk_size=2000)
        kind = self._kind
        build = build_diklat if kind == "diklat" else build_kursus
        doc = SiasnDiklatDoc if kind == "diklat" else SiasnKursusDoc
        header = list(doc().fields)

        class Echo:
            def write(self, value):
                return value

        writer = csv.writer(Echo())

        def stream():
            yield "\ufeff"  # BOM: spreadsheet programs then read UTF-8 names correctly
            yield writer.writerow(header)
            chunk = []
            for row in rows:
                chunk.append(row)
                if len(chunk) == 500:
                    for item in build(chunk):
                        yield writer.writerow(list(item.values()))
                    chunk = []
            for item in build(chunk):
                yield writer.writerow(list(item.values()))

        region = self.region.slug
        response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="siasn-riwayat-{kind}-{region}.csv"'
        )
        return response
