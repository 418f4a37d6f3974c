"""REST API v1 of the regions app: employees, units, the client itself, regions, deletions.

Employees expose only what an integration needs (no birth date, email or phone). The views
subclass `regions.api_auth.RegionApiView` / `RegionResourceView` (client, scope, throttle,
region); the list filters are selectors (`regions.selectors.employee_filter`, `unit_filter`).
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from kompetensi.api.columns import utc
from kompetensi.api.pagination import TAIL, Keyset
from kompetensi.api.params import (
    Param,
    cursor_param,
    openapi_parameters,
    page_size_param,
    parse_query,
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

from .api_auth import RegionApiView, RegionResourceView
from .models import Employee, Golongan, PositionType, Region, Tombstone, Unit
from .selectors import employee_filter, unit_filter

L = gettext_lazy
GOLONGAN_LABELS = {value: label.split(" – ")[0] for value, label in Golongan.choices}

# --- Employees ---------------------------------------------------------------------------------


class EmployeeDoc(serializers.Serializer):
    id = serializers.IntegerField(help_text=L("ID pegawai."))
    nip = serializers.CharField(help_text=L("NIP (PNS) atau NI PPPK, 18 digit."))
    name = serializers.CharField(help_text=L("Nama lengkap."))
    unit_id = serializers.IntegerField(help_text=L("ID unit kerja."))
    unit_code = serializers.CharField(help_text=L("Kode unit kerja."))
    unit_name = serializers.CharField(help_text=L("Nama unit kerja."))
    employment_type = serializers.ChoiceField(
        tuple(Employee.EmploymentType.values), help_text=L("pns atau pppk.")
    )
    golongan = serializers.IntegerField(
        allow_null=True,
        help_text=L("Golongan ruang PNS sebagai ID SIASN (11 = I/a … 45 = IV/e); null untuk PPPK."),
    )
    golongan_label = serializers.CharField(
        allow_null=True, help_text=L("Golongan ruang, mis. 'III/a'; null untuk PPPK.")
    )
    pppk_grade = serializers.IntegerField(
        allow_null=True, help_text=L("Golongan PPPK (1–17); null untuk PNS.")
    )
    position = serializers.CharField(help_text=L("Nama jabatan."))
    position_type = serializers.ChoiceField(
        tuple(PositionType.values),
        help_text=L("Jenis jabatan: %(c)s.") % {"c": ", ".join(PositionType.values)},
    )
    functional_level = serializers.CharField(
        allow_blank=True, help_text=L("Jenjang jabatan fungsional, kosong bila bukan fungsional.")
    )
    is_active = serializers.BooleanField(help_text=L("Masih aktif."))
    updated_at = serializers.DateTimeField(help_text=L("Waktu perubahan terakhir."))


EMPLOYEE_FIELDS = (
    ("id", "id"),
    ("nip", "nip"),
    ("name", "name"),
    ("unit_id", "unit_id"),
    ("unit_code", "unit__code"),
    ("unit_name", "unit__name"),
    ("employment_type", "employment_type"),
    ("golongan", "golongan"),
    ("pppk_grade", "pppk_grade"),
    ("position", "position"),
    ("position_type", "position_type"),
    ("functional_level", "functional_level"),
    ("is_active", "is_active"),
    ("updated_at", utc("updated_at")),
)


EMPLOYEE_PARAMS = [
    Param("unit", "id_or_code", L("Unit kerja: ID atau kode.")),
    Param(
        "employment_type",
        "choice",
        L("pns atau pppk."),
        choices=tuple(Employee.EmploymentType.values),
    ),
    Param("active", "bool", L("true: hanya yang aktif; false: hanya yang nonaktif.")),
    Param("nip", "text", L("NIP / NI PPPK.")),
    updated_since_param(),
    cursor_param(),
    page_size_param(),
]


class EmployeeBase(RegionResourceView):
    keyset = Keyset("employees")
    fields = EMPLOYEE_FIELDS

    def base_queryset(self):
        return Employee.objects.all()

    def build(self, rows):
        result = super().build(rows)
        for item in result:
            item["golongan_label"] = GOLONGAN_LABELS.get(item["golongan"])
        return result


class EmployeeListView(EmployeeBase):
    params = EMPLOYEE_PARAMS

    def filter_queryset(self, queryset, q):
        return employee_filter(
            queryset,
            unit=q["unit"],
            employment_type=q["employment_type"],
            active=q["active"],
            nip=q["nip"],
        )

    @extend_schema(
        operation_id="employees_list",
        tags=["employees"],
        summary=str(L("Daftar pegawai (isian untuk integrasi saja)")),
        parameters=openapi_parameters(EMPLOYEE_PARAMS),
        responses={
            200: page_serializer("EmployeePage", EmployeeDoc),
            **error_responses(*READ_ERRORS),
        },
    )
    def get(self, request, *args, **kwargs):
        return self.list(request)


class EmployeeDetailView(EmployeeBase):
    @extend_schema(
        operation_id="employees_retrieve",
        tags=["employees"],
        summary=str(L("Satu pegawai")),
        parameters=[ID_PATH, IF_NONE_MATCH, *openapi_parameters([])],
        responses=detail_responses(EmployeeDoc),
    )
    def get(self, request, pk, *args, **kwargs):
        return self.retrieve(request, pk)


# --- Units -------------------------------------------------------------------------------------


class UnitDoc(serializers.Serializer):
    id = serializers.IntegerField(help_text=L("ID unit kerja."))
    code = serializers.CharField(help_text=L("Kode unit (unik di wilayah)."))
    name = serializers.CharField(help_text=L("Nama unit."))
    kind = serializers.ChoiceField(
        tuple(Unit.Kind.values),
        help_text=L("Jenis: %(c)s.") % {"c": ", ".join(Unit.Kind.values)},
    )
    parent_id = serializers.IntegerField(allow_null=True, help_text=L("ID unit induk, atau null."))
    parent_code = serializers.CharField(allow_null=True, help_text=L("Kode unit induk, atau null."))
    is_active = serializers.BooleanField(help_text=L("Masih aktif."))
    updated_at = serializers.DateTimeField(help_text=L("Waktu perubahan terakhir."))


UNIT_FIELDS = (
    ("id", "id"),
    ("code", "code"),
    ("name", "name"),
    ("kind", "kind"),
    ("parent_id", "parent_id"),
    ("parent_code", "parent__code"),
    ("is_active", "is_active"),
    ("updated_at", utc("updated_at")),
)


UNIT_PARAMS = [
    Param("active", "bool", L("true: hanya yang aktif; false: hanya yang nonaktif.")),
    updated_since_param(),
    cursor_param(),
    page_size_param(),
]


class UnitBase(RegionResourceView):
    keyset = Keyset("units")
    fields = UNIT_FIELDS

    def base_queryset(self):
        return Unit.objects.all()


class UnitListView(UnitBase):
    params = UNIT_PARAMS

    def filter_queryset(self, queryset, q):
        return unit_filter(queryset, active=q["active"])

    @extend_schema(
        operation_id="units_list",
        tags=["units"],
        summary=str(L("Daftar unit kerja")),
        parameters=openapi_parameters(UNIT_PARAMS),
        responses={200: page_serializer("UnitPage", UnitDoc), **error_responses(*READ_ERRORS)},
    )
    def get(self, request, *args, **kwargs):
        return self.list(request)


class UnitDetailView(UnitBase):
    @extend_schema(
        operation_id="units_retrieve",
        tags=["units"],
        summary=str(L("Satu unit kerja")),
        parameters=[ID_PATH, IF_NONE_MATCH, *openapi_parameters([])],
        responses=detail_responses(UnitDoc),
    )
    def get(self, request, pk, *args, **kwargs):
        return self.retrieve(request, pk)


# --- Deletions (tombstones) --------------------------------------------------------------------

TOMBSTONE_RESOURCES = (
    "enrolments",
    "programmes",
    "offerings",
    "sessions",
    "employees",
    "units",
    "development-records",
)


class TombstoneDoc(serializers.Serializer):
    resource = serializers.ChoiceField(TOMBSTONE_RESOURCES, help_text=L("Nama sumber data."))
    id = serializers.IntegerField(help_text=L("ID baris yang dihapus (di sumber data itu)."))
    deleted_at = serializers.DateTimeField(help_text=L("Waktu penghapusan."))


TOMBSTONE_PARAMS = [
    Param(
        "resource",
        "choice",
        L("Sumber data: %(c)s.") % {"c": ", ".join(TOMBSTONE_RESOURCES)},
        choices=TOMBSTONE_RESOURCES,
        required=True,
    ),
    Param(
        "since",
        "datetime",
        L("Hanya penghapusan pada/ sesudah waktu ini (ISO 8601)."),
    ),
    cursor_param(),
    page_size_param(),
]


class DeletedListView(RegionResourceView):
    keyset = Keyset("deleted", since_field="deleted_at")
    columns = ("object_id", "resource", "deleted_at", "id")
    params = TOMBSTONE_PARAMS

    def base_queryset(self):
        return Tombstone.objects.all()

    def list(self, request):
        q = self.query(request)
        queryset = Keyset.with_horizon(Tombstone.objects.filter(resource=q["resource"]))
        queryset, position = self.keyset.apply(queryset, cursor=q["cursor"], since=q["since"])
        size = q["page_size"]
        rows = list(queryset.values_list(*self.columns, *TAIL)[: size + 1])
        return Response(
            self.keyset.page(
                request,
                rows,
                page_size=size,
                key_of=lambda r: (r[4], r[3]),
                build=lambda rows: [
                    {"resource": r[1], "id": r[0], "deleted_at": r[2]} for r in rows
                ],
                position=position,
                using=queryset.db,
            )
        )

    @extend_schema(
        operation_id="deleted_list",
        tags=["sync"],
        summary=str(L("Baris yang dihapus (tombstone)")),
        description=str(
            L(
                "Penghapusan per sumber data, urut posisi sinkronisasi, dengan cursor seperti "
                "daftar lain. Pembatalan bukan penghapusan: pendaftaran yang dibatalkan tetap "
                "ada dengan status cancelled."
            )
        ),
        parameters=openapi_parameters(TOMBSTONE_PARAMS),
        responses={
            200: page_serializer("TombstonePage", TombstoneDoc),
            **error_responses(*READ_ERRORS),
        },
    )
    def get(self, request, *args, **kwargs):
        return self.list(request)


# --- The client itself, and regions ------------------------------------------------------------


class RegionDoc(serializers.Serializer):
    slug = serializers.CharField(
        help_text=L("Slug wilayah (dipakai di ?region= oleh klien nasional).")
    )
    name = serializers.CharField(help_text=L("Nama wilayah."))
    kind = serializers.CharField(help_text=L("provinsi, kota, kabupaten, kecamatan."))
    province = serializers.CharField(help_text=L("Provinsi."))
    agency_name = serializers.CharField(help_text=L("Instansi pengelola (BKPSDM)."))


class MeDoc(serializers.Serializer):
    name = serializers.CharField(help_text=L("Nama klien."))
    key_id = serializers.CharField(help_text=L("ID publik token (bagian setelah kmp_)."))
    scopes = serializers.ListField(
        child=serializers.CharField(), help_text=L("Hak akses: read, enrol.")
    )
    national = serializers.BooleanField(help_text=L("Klien nasional (hanya baca, semua wilayah)."))
    expires_at = serializers.DateTimeField(allow_null=True, help_text=L("Berlaku sampai."))
    region = RegionDoc(allow_null=True, help_text=L("Wilayah klien; null untuk klien nasional."))


REGION_COLUMNS = ("slug", "name", "kind", "province", "agency_name")


def _region_dict(r):
    return {"slug": r[0], "name": r[1], "kind": r[2], "province": r[3], "agency_name": r[4]}


class MeView(RegionApiView):
    requires_region = False

    @extend_schema(
        operation_id="me",
        tags=["sync"],
        summary=str(L("Klien API yang sedang dipakai")),
        parameters=openapi_parameters([]),
        responses={200: MeDoc, **error_responses(*READ_ERRORS)},
    )
    def get(self, request, *args, **kwargs):
        self.query(request)
        client = request.auth
        region = None
        if client.region is not None:
            r = client.region
            region = _region_dict([getattr(r, c) for c in REGION_COLUMNS])
        return Response(
            {
                "name": client.name,
                "key_id": client.key_id,
                "scopes": list(client.scopes or []),
                "national": client.is_national,
                "expires_at": client.expires_at,
                "region": region,
            }
        )


class RegionListView(RegionApiView):
    requires_region = False

    @extend_schema(
        operation_id="regions_list",
        tags=["sync"],
        summary=str(L("Wilayah yang dapat dibaca klien")),
        description=str(L("Klien wilayah: hanya wilayahnya. Klien nasional: semua wilayah aktif.")),
        parameters=openapi_parameters([], with_region=False),
        responses={
            200: serializers.ListSerializer(child=RegionDoc()),
            **error_responses(*READ_ERRORS),
        },
    )
    def get(self, request, *args, **kwargs):
        parse_query(request, [])
        client = request.auth
        regions = Region.objects.filter(is_active=True).order_by("slug")
        if not client.is_national:
            regions = regions.filter(pk=client.region_id)
        return Response([_region_dict(r) for r in regions.values_list(*REGION_COLUMNS)])
