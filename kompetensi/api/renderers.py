"""Renderers and content negotiation of the API.

Lists are plain dicts/lists of JSON-native values (built from `.values_list()`), so orjson
serialises them in C: no serializer, no per-field Python on the hot path.
"""

import csv
import io
from decimal import Decimal

import orjson
from django.utils.functional import Promise
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer

from kompetensi.spreadsheets import csv_safe


def _default(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Promise):  # lazy translation
        return str(value)
    raise TypeError(f"Type is not JSON serializable: {type(value).__name__}")


def dumps(data) -> bytes:
    # Naive datetimes are UTC here (see kompetensi.api.columns.utc).
    return orjson.dumps(data, default=_default, option=orjson.OPT_NAIVE_UTC)


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return dumps(data)


class CSVRenderer(BaseRenderer):
    """text/csv for export endpoints. Views stream CSV themselves; this renderer exists so
    negotiation and the schema know the format, and renders a plain list of rows if given."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict):  # an error body: never rendered as CSV (see base view)
            return dumps(data)
        buffer = io.StringIO()
        rows = list(data)
        if rows:
            writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(
                {key: csv_safe(v) if isinstance(v, str) else v for key, v in row.items()}
                for row in rows
            )
        return buffer.getvalue().encode()


class ApiContentNegotiation(DefaultContentNegotiation):
    """Honour `?format=` and Accept when they match; otherwise answer JSON instead of 406.

    An unknown `?format=` value is rejected with 400 by `params.check_format`, which
    `ApiView.initial()` calls after authentication; negotiation runs before it and must
    not answer an unauthenticated request with anything but 401."""

    def select_renderer(self, request, renderers, format_suffix=None):
        fmt = request.query_params.get("format")
        if fmt:
            for renderer in renderers:
                if renderer.format == fmt:
                    return renderer, renderer.media_type
            return renderers[0], renderers[0].media_type
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except Exception:
            return renderers[0], renderers[0].media_type
