"""Query parameters declared once: parsed strictly (400 on anything odd) and documented.

Every endpoint lists its parameters as `Param`s. `parse_query` rejects unknown parameters and
malformed values with the API's error shape; `openapi_parameters` turns the same list into
OpenAPI parameters, so the documentation cannot drift from what is accepted. Two parameters
are common to every endpoint: `region` (read by the region-aware base view) and `format`
(checked against the view's renderers by `check_format`, called from `ApiView.initial()`).
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter

from .errors import ApiError

MAX_BIGINT = 2**63 - 1
MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 100
MAX_TEXT = 200


@dataclass(frozen=True)
class Param:
    """One query parameter. `kind`: int, text, date, datetime, choice, bool, id_or_code."""

    name: str
    kind: str
    description: str
    choices: tuple[str, ...] = ()
    many: bool = False  # comma-separated list of values
    minimum: int | None = None
    maximum: int | None = None
    default: object = None
    required: bool = False


def _invalid(name: str, message: str) -> ApiError:
    return ApiError(
        400,
        "invalid_parameter",
        _("Parameter %(name)s tidak valid: %(message)s") % {"name": name, "message": message},
        {name: [message]},
    )


def _parse_text(param: Param, raw: str) -> str:
    value = raw.strip()
    if not value or len(value) > MAX_TEXT or any(ord(c) < 32 for c in value):
        raise _invalid(param.name, _("teks kosong, terlalu panjang, atau berisi karakter kendali."))
    return value


def _parse_int(param: Param, raw: str) -> int:
    text = raw.strip()
    if not text.isascii() or not text.lstrip("-").isdigit() or len(text) > 20:
        raise _invalid(param.name, _("harus bilangan bulat."))
    value = int(text)
    low = param.minimum if param.minimum is not None else 1
    high = param.maximum if param.maximum is not None else MAX_BIGINT
    if value < low or value > high:
        raise _invalid(
            param.name, _("harus antara %(low)s dan %(high)s.") % {"low": low, "high": high}
        )
    return value


def _parse_date(param: Param, raw: str) -> dt.date:
    try:
        value = parse_date(raw.strip())
    except ValueError:
        value = None
    if value is None:
        raise _invalid(param.name, _("harus tanggal berformat YYYY-MM-DD."))
    return value


def _parse_datetime(param: Param, raw: str) -> dt.datetime:
    """ISO 8601 date-time (naive = Asia/Jakarta) or a date (its start, Asia/Jakarta).

    A `+` in an unencoded query string arrives as a space; it is put back."""
    text = raw.strip()
    if len(text) > 40:
        raise _invalid(param.name, _("harus tanggal-waktu ISO 8601."))
    if " " in text and "T" in text:
        head, _sep, tail = text.rpartition(" ")
        text = f"{head}+{tail}"
    try:
        value = parse_datetime(text)
        if value is None:
            day = parse_date(text)
            if day is not None:
                value = dt.datetime.combine(day, dt.time.min)
        if value is None:
            raise ValueError
        if timezone.is_naive(value):
            value = timezone.make_aware(value)
        # Out-of-range instants (year 1 or 9999 with an offset) fail here, not in the database.
        value.astimezone(dt.UTC)
        if (
            not dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
            <= value
            <= dt.datetime(9000, 1, 1, tzinfo=dt.UTC)
        ):
            raise ValueError
    except (ValueError, OverflowError):
        raise _invalid(
            param.name, _("harus tanggal-waktu ISO 8601, mis. 2026-01-31T08:00:00+07:00.")
        ) from None
    return value


def _parse_bool(param: Param, raw: str) -> bool:
    value = {"true": True, "1": True, "false": False, "0": False}.get(raw.strip().lower())
    if value is None:
        raise _invalid(param.name, _("harus true atau false."))
    return value


def _parse_choice(param: Param, raw: str) -> str:
    value = raw.strip()
    if value not in param.choices:
        raise _invalid(param.name, _("pilihan yang sah: %(c)s.") % {"c": ", ".join(param.choices)})
    return value


IdOrCode = tuple[int | None, str]


def _parse_id_or_code(param: Param, raw: str) -> IdOrCode:
    """(id, code): a number matches either an id or a code; anything else only a code."""
    value = _parse_text(param, raw)
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value), value
    return None, value


def id_or_code_q(field: str, value: IdOrCode) -> Q:
    """The filter of an `id_or_code` value on the relation `field` (e.g. "offering__program"):
    its code, or its id when the value is a number."""
    pk, code = value
    q = Q(**{f"{field}__code": code})
    if pk is not None:
        q |= Q(**{f"{field}_id": pk})
    return q


PARSERS = {
    "int": _parse_int,
    "text": _parse_text,
    "date": _parse_date,
    "datetime": _parse_datetime,
    "bool": _parse_bool,
    "choice": _parse_choice,
    "id_or_code": _parse_id_or_code,
}


def page_size_param() -> Param:
    return Param(
        "page_size",
        "int",
        gettext_lazy(
            "Jumlah baris per halaman, 1–1000 (bawaan 100). Nilai di atas 1000 ditolak dengan 400."
        ),
        minimum=1,
        maximum=MAX_PAGE_SIZE,
        default=DEFAULT_PAGE_SIZE,
    )


def cursor_param() -> Param:
    return Param(
        "cursor",
        "cursor",
        gettext_lazy(
            "Penanda posisi dari `cursor`/`next` jawaban sebelumnya (opak, base64). "
            "Simpan `cursor` halaman terakhir untuk melanjutkan sinkronisasi berikutnya."
        ),
    )


def updated_since_param() -> Param:
    return Param(
        "updated_since",
        "datetime",
        gettext_lazy(
            "Hanya baris yang berubah pada/ sesudah waktu ini (ISO 8601, mis. "
            "2026-01-31T08:00:00+07:00; tanpa zona waktu = WIB). Untuk sinkronisasi lanjutan "
            "lebih baik simpan `cursor`."
        ),
    )


def region_param() -> Param:
    return Param(
        "region",
        "text",
        gettext_lazy(
            "Slug wilayah. Wajib untuk klien nasional (hanya baca); klien wilayah boleh "
            "mengirim slug wilayahnya sendiri, slug lain dijawab 404."
        ),
    )


COMMON = {"region", "format"}


def check_format(request, formats: list[str]) -> None:
    """400 `invalid_parameter` unless every `?format=` value names one of `formats` (the
    formats of the view's renderers): `json` everywhere, `csv` where a CSV renderer exists."""
    for value in request.query_params.getlist("format"):
        if value not in formats:
            raise _invalid("format", _("pilihan yang sah: %(c)s.") % {"c": ", ".join(formats)})


def parse_query(request, params: list[Param]) -> dict:
    """Parsed values by name (defaults filled in); 400 for unknown or malformed parameters."""
    query = request.query_params
    known = {p.name for p in params} | COMMON
    unknown = sorted(k for k in query if k not in known)
    if unknown:
        raise ApiError(
            400,
            "unknown_parameter",
            _("Parameter tidak dikenal: %(names)s.") % {"names": ", ".join(unknown)},
            {"unknown": unknown, "allowed": sorted(known)},
        )
    result = {}
    for param in params:
        raws = query.getlist(param.name)
        if not raws:
            if param.required:
                raise _invalid(param.name, _("wajib diisi."))
            result[param.name] = param.default
            continue
        if len(raws) > 1 and not param.many:
            raise _invalid(param.name, _("hanya boleh dikirim sekali."))
        if param.kind == "cursor":
            result[param.name] = raws[0]
            continue
        parser = PARSERS[param.kind]
        if param.many:
            items = [item for raw in raws for item in raw.split(",")]
            if len(items) > 50:
                raise _invalid(param.name, _("paling banyak 50 nilai."))
            result[param.name] = [parser(param, item) for item in items]
        else:
            result[param.name] = parser(param, raws[0])
    return result


def _schema(p: Param) -> dict:
    if p.kind == "int":
        low = p.minimum if p.minimum is not None else 1
        high = p.maximum if p.maximum is not None else MAX_BIGINT
        item = {"type": "integer", "format": "int64", "minimum": low, "maximum": high}
    elif p.kind == "date":
        item = {"type": "string", "format": "date"}
    elif p.kind == "datetime":
        item = {"type": "string", "format": "date-time"}
    elif p.kind == "bool":
        item = {"type": "boolean"}
    elif p.kind == "choice":
        item = {"type": "string", "enum": list(p.choices)}
    elif p.kind == "cursor":
        item = {"type": "string", "maxLength": 200}
    else:
        item = {"type": "string", "minLength": 1, "maxLength": MAX_TEXT}
    if p.many:
        # Comma-separated in one parameter, or the parameter repeated.
        return {"type": "string", "minLength": 1, "maxLength": MAX_TEXT}
    if p.default is not None:
        item["default"] = p.default
    return item


def openapi_parameters(params: list[Param], *, with_region: bool = True) -> list:
    result = [
        OpenApiParameter(
            name=p.name,
            type=_schema(p),
            location=OpenApiParameter.QUERY,
            description=str(p.description),
            required=p.required,
        )
        for p in params
    ]
    if with_region:
        rp = region_param()
        result.append(
            OpenApiParameter(
                name=rp.name,
                type=_schema(rp),
                location=OpenApiParameter.QUERY,
                description=str(rp.description),
            )
        )
    return result
