"""OpenAPI documentation helpers (drf-spectacular): error and page shapes, the id path
parameter and the conditional GET of single resources.

The bearer scheme is documented next to its authentication class
(`regions.api_auth.ApiClientAuthenticationScheme`).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    inline_serializer,
)
from rest_framework import serializers

from .params import MAX_BIGINT


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=_("Kode kesalahan yang stabil (bahasa Inggris), mis. `not_found`.")
    )
    message = serializers.CharField(help_text=_("Penjelasan untuk manusia (bahasa Indonesia)."))
    details = serializers.DictField(
        help_text=_("Rincian per parameter/isian, atau data tambahan seperti `retry_after`."),
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer(help_text=_("Kesalahan."))


def _error(description: str, code: str, message: str) -> OpenApiResponse:
    return OpenApiResponse(
        response=ErrorSerializer,
        description=description,
        examples=[
            OpenApiExample(
                code,
                value={"error": {"code": code, "message": message, "details": {}}},
                response_only=True,
            )
        ],
    )


def error_responses(*statuses: int) -> dict:
    catalogue = {
        400: _error(
            "Parameter/isian tidak valid (unknown_parameter, invalid_parameter, invalid_cursor, "
            "region_required, validation_error, malformed_json, …).",
            "invalid_parameter",
            "Parameter page_size tidak valid: harus antara 1 dan 1000.",
        ),
        401: _error(
            "Token tidak dikirim, tidak valid, kedaluwarsa atau dicabut.",
            "invalid_token",
            "Token API tidak valid.",
        ),
        403: _error(
            "Klien tidak memiliki hak akses (scope) yang diperlukan.",
            "insufficient_scope",
            "Klien API ini tidak memiliki hak akses 'enrol'.",
        ),
        404: _error(
            "Tidak ada di wilayah klien (data wilayah lain juga dijawab 404).",
            "not_found",
            "Data tidak ditemukan.",
        ),
        405: _error("Metode tidak didukung.", "method_not_allowed", "Metode tidak didukung."),
        406: _error("Format tidak tersedia.", "not_acceptable", "Format tidak tersedia."),
        409: _error(
            "Konflik, mis. kunci idempotensi sudah dipakai untuk pendaftaran lain.",
            "idempotency_conflict",
            "Kunci idempotensi ini sudah dipakai untuk pendaftaran lain.",
        ),
        415: _error(
            "Isi permintaan harus application/json.",
            "unsupported_media_type",
            "Kirim isi permintaan sebagai application/json.",
        ),
        429: _error(
            "Batas permintaan per klien terlampaui; lihat header Retry-After.",
            "throttled",
            "Terlalu banyak permintaan. Coba lagi dalam 12 detik.",
        ),
        503: _error(
            "Layanan sementara tidak tersedia (basis data tidak terjangkau); ulangi setelah "
            "header Retry-After.",
            "service_unavailable",
            "Layanan sementara tidak tersedia. Coba lagi dalam 30 detik.",
        ),
    }
    return {s: catalogue[s] for s in statuses}


READ_ERRORS = (400, 401, 403, 404, 406, 429, 503)

ID_PATH = OpenApiParameter(
    "id",
    {"type": "integer", "minimum": 1, "maximum": MAX_BIGINT},
    OpenApiParameter.PATH,
    description=str(_("ID data.")),
)

IF_NONE_MATCH = OpenApiParameter(
    "If-None-Match",
    str,
    OpenApiParameter.HEADER,
    description=str(_("ETag dari jawaban sebelumnya; bila belum berubah dijawab 304 tanpa isi.")),
)


def detail_responses(item) -> dict:
    """Responses of a single resource: the item, 304 (If-None-Match) and the read errors."""
    return {
        200: item,
        304: None,
        **error_responses(*READ_ERRORS),
    }


def page_serializer(name: str, item) -> serializers.Serializer:
    """The page envelope of a keyset list."""
    return inline_serializer(
        name=name,
        fields={
            "results": item(
                many=True,
                help_text=_(
                    "Baris halaman ini, urut posisi sinkronisasi (urutan commit), lalu id."
                ),
            ),
            "next": serializers.URLField(
                allow_null=True,
                help_text=_(
                    "URL halaman berikutnya (filter yang sama), atau null bila saat ini tidak ada "
                    "lagi baris."
                ),
            ),
            "cursor": serializers.CharField(
                help_text=_(
                    "Posisi setelah halaman ini (tidak pernah null). Simpan; kirim kembali "
                    "sebagai `?cursor=` untuk mengambil hanya yang berubah sejak itu."
                ),
            ),
            "has_more": serializers.BooleanField(
                help_text=_("true bila masih ada halaman berikutnya sekarang.")
            ),
        },
    )
