"""REST API v1: verified development records in SIASN's shapes, as JSON pages or one CSV.

The mapping (columns, `latihanStrukturalId`, dates, rounding, CSV cells) is the service
`training.services.siasn`; this view pages it like every list or streams it as CSV.
Filters: `training.selectors.filters.record_filter_siasn`.
"""

from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from rest_framework import serializers

from kompetensi.api.pagination import Keyset
from kompetensi.api.params import (
    Param,
    cursor_param,
    openapi_parameters,
    page_size_param,
    updated_since_param,
)
from kompetensi.api.renderers import CSVRenderer, ORJSONRenderer
from kompetensi.api.schema import READ_ERRORS, error_responses, page_serializer
from regions.api_auth import RegionResourceView
from training.models import DevelopmentRecord
from training.selectors.filters import record_filter_siasn
from training.services import siasn

from .records import YEAR

L = gettext_lazy


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
        choices=siasn.KINDS,
        default=siasn.KURSUS,
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


class SiasnExportView(RegionResourceView):
    """Verified records in SIASN's shapes (`training.services.siasn`). JSON pages like every
    list; CSV streams the whole filtered set in one response (one query, a server-side
    cursor on PostgreSQL)."""

    keyset = Keyset("siasn")
    columns = siasn.SOURCE_COLUMNS
    params = SIASN_PARAMS
    renderer_classes = [ORJSONRenderer, CSVRenderer]

    def base_queryset(self):
        return DevelopmentRecord.objects.filter(status=DevelopmentRecord.Status.VERIFIED)

    def filter_queryset(self, queryset, q):
        return record_filter_siasn(queryset, kind=q["kind"], year=q["year"], nip=q["nip"])

    def build(self, rows):
        return siasn.build(rows, kind=self._kind)

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
        # `format` is json or csv: ApiView.initial() refused anything else (400).
        if request.query_params.get("format", "json") == "json":
            return self.list(request)
        return self._csv(q)

    def _csv(self, q):
        queryset = self.filter_queryset(self.base_queryset(), q)
        queryset, _position = self.keyset.apply(queryset, cursor=None, since=q["updated_since"])
        rows = queryset.values_list(*self.columns).iterator(chunk_size=2000)
        kind = self._kind
        response = StreamingHttpResponse(
            siasn.csv_lines(rows, kind=kind), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="siasn-riwayat-{kind}-{self.region.slug}.csv"'
        )
        return response
