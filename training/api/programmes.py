"""REST API v1: programmes of the region's catalogue (list and one).

Rows are built from `.values_list()` of `PROGRAMME_FIELDS`; `ProgrammeDoc` documents the shape.
Filters: `training.selectors.filters.programme_filter`.
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from kompetensi.api.columns import utc
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
from training.models import Program
from training.selectors.filters import programme_filter

L = gettext_lazy


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


class ProgrammeBase(RegionResourceView):
    keyset = Keyset("programmes")
    fields = PROGRAMME_FIELDS

    def base_queryset(self):
        return Program.objects.all()


class ProgrammeListView(ProgrammeBase):
    params = PROGRAMME_PARAMS

    def filter_queryset(self, queryset, q):
        return programme_filter(queryset, status=q["status"], form=q["form"])

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
        responses=detail_responses(ProgrammeDoc),
    )
    def get(self, request, pk, *args, **kwargs):
        return self.retrieve(request, pk)
