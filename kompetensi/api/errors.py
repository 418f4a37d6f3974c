"""One error shape for every API failure.

    {"error": {"code": "not_found", "message": "Data tidak ditemukan.", "details": {}}}

`code` is stable English (clients branch on it); `message` is for people, in Indonesian by
default (English with `Accept-Language: en`); `details` holds per-field messages or
machine-readable extras (e.g. `retry_after`).
"""

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.http import Http404, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

logger = logging.getLogger("kompetensi.api")

# A database that cannot be reached (or a connection that broke) is 503, not a bug: 500.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30

# Service ValidationError codes that deserve a status other than 400.
SERVICE_CODE_STATUS = {"idempotency_conflict": 409, "already_enrolled": 409}


class ApiError(exceptions.APIException):
    """Raise anywhere in an API view: becomes the error shape with this status and code."""

    def __init__(self, status: int, code: str, message: str, details: dict | None = None):
        super().__init__(detail=message, code=code)
        self.status_code = status
        self.error_code = code
        self.message = message
        self.details = details or {}


def error_body(code: str, message: str, details: dict | None = None) -> dict:
    return {"error": {"code": code, "message": str(message), "details": details or {}}}


def _service_error(exc: DjangoValidationError) -> tuple[int, str, str, dict]:
    codes = set()
    if hasattr(exc, "error_dict"):
        details = {
            field: [str(m) for e in errors for m in e.messages]
            for field, errors in exc.error_dict.items()
        }
        for errors in exc.error_dict.values():
            codes.update(e.code for e in errors if e.code)
    else:
        details = {}
        codes.update(e.code for e in exc.error_list if e.code)
    code = codes.pop() if len(codes) == 1 else "validation_error"
    return SERVICE_CODE_STATUS.get(code, 400), code, " ".join(exc.messages), details


def _drf_details(detail) -> dict:
    if isinstance(detail, dict):
        return {k: _drf_details_list(v) for k, v in detail.items()}
    return {"non_field_errors": _drf_details_list(detail)}


def _drf_details_list(value):
    if isinstance(value, list):
        return [str(v) if not isinstance(v, dict | list) else _drf_details(v) for v in value]
    if isinstance(value, dict):
        return _drf_details(value)
    return [str(value)]


def classify(exc) -> tuple[int, str, str, dict, dict] | None:
    """(status, code, message, details, headers) for an exception, or None when unexpected."""
    headers = {}
    if isinstance(exc, ApiError):
        return exc.status_code, exc.error_code, exc.message, exc.details, headers
    if isinstance(exc, DjangoValidationError):
        return (*_service_error(exc), headers)
    if isinstance(exc, Http404 | exceptions.NotFound):
        return 404, "not_found", _("Data tidak ditemukan."), {}, headers
    if isinstance(exc, DjangoPermissionDenied):
        return 403, "permission_denied", _("Akses ditolak."), {}, headers
    if isinstance(exc, exceptions.NotAuthenticated):
        return (
            401,
            "not_authenticated",
            _("Token API tidak dikirim. Kirim header 'Authorization: Bearer <token>'."),
            {},
            headers,
        )
    if isinstance(exc, exceptions.AuthenticationFailed):
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else "invalid_token"
        return 401, code, str(exc.detail), {}, headers
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1) if exc.wait is not None else 1
        headers["Retry-After"] = str(max(wait, 1))
        message = _("Terlalu banyak permintaan. Coba lagi dalam %(n)s detik.") % {"n": wait}
        return 429, "throttled", message, {"retry_after": max(wait, 1)}, headers
    if isinstance(exc, exceptions.PermissionDenied):
        return 403, "permission_denied", _("Akses ditolak."), {}, headers
    if isinstance(exc, exceptions.MethodNotAllowed):
        return 405, "method_not_allowed", _("Metode HTTP ini tidak didukung di sini."), {}, headers
    if isinstance(exc, exceptions.NotAcceptable):
        return 406, "not_acceptable", _("Format jawaban yang diminta tidak tersedia."), {}, headers
    if isinstance(exc, exceptions.UnsupportedMediaType):
        message = _("Kirim isi permintaan sebagai application/json.")
        return 415, "unsupported_media_type", message, {}, headers
    if isinstance(exc, exceptions.ParseError):
        return 400, "malformed_json", _("Isi permintaan bukan JSON yang valid."), {}, headers
    if isinstance(exc, exceptions.ValidationError):
        message = _("Data yang dikirim tidak valid.")
        return 400, "validation_error", message, _drf_details(exc.detail), headers
    if isinstance(exc, exceptions.APIException):
        return exc.status_code, str(exc.default_code), str(exc.detail), {}, headers
    return None


def service_unavailable_body() -> dict:
    return error_body(
        "service_unavailable",
        _("Layanan sementara tidak tersedia. Coba lagi dalam %(n)s detik.")
        % {"n": RETRY_AFTER_SECONDS},
        {"retry_after": RETRY_AFTER_SECONDS},
    )


def service_unavailable_response() -> JsonResponse:
    """503 `service_unavailable` for /api/ when the database cannot be reached outside a DRF
    view (middleware); `kompetensi.errors.server_error` answers it."""
    response = JsonResponse(service_unavailable_body(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def exception_handler(exc, context):
    """DRF exception handler: every failure in the error shape, never an HTML page."""
    if isinstance(exc, DATABASE_UNAVAILABLE):
        # The database is down or the connection broke: the transaction is gone (nothing
        # half-written); the client retries after a while. Logged, never shown.
        logger.warning("Database unavailable in API view: %s", exc)
        set_rollback()
        return Response(
            service_unavailable_body(),
            status=503,
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    result = classify(exc)
    if result is None:
        if settings.DEBUG:
            return None  # let the debug page show the traceback
        logger.exception("Unexpected error in API view", exc_info=exc)
        result = 500, "server_error", _("Terjadi kesalahan pada server."), {}, {}
    status, code, message, details, headers = result
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    set_rollback()
    return Response(error_body(code, message, details), status=status, headers=headers)


def not_found_view(request, *args, **kwargs):
    """JSON 404 for any unknown URL under /api/ (never Django's HTML page)."""
    details = {}
    path = request.path_info
    if not path.endswith("/"):
        try:
            match = resolve(path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not not_found_view:
            details["did_you_mean"] = request.path + "/"
    return JsonResponse(
        error_body("not_found", _("Alamat API ini tidak dikenal."), details), status=404
    )
