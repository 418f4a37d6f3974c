"""Keyset ("cursor") pagination on (updated_at, id): the sync order of every list.

Why keyset and not offsets: an offset shifts when rows change while a client pages through,
so rows get skipped or repeated; a keyset position does not. Why the pair: many rows share
one `updated_at` (a bulk update), so the id breaks ties and no tied row is lost at a page
edge. A row updated while a client pages moves *behind* the cursor's position and is
delivered again later in the same pass; it is never skipped.

Late commits: `updated_at` is set by the application when the row is saved, not when the
transaction commits. A transaction that commits after a client already read past its
`updated_at` would be missed. Lists therefore only return rows with
`updated_at < now - KOMPETENSI_API_SYNC_LAG_SECONDS` (default 2 s): a row becomes visible once
every transaction that could still commit an older timestamp has finished (the services'
transactions last milliseconds). Longer writers (bulk imports) may exceed the lag; clients
that must be exact re-read an overlap window now and then (see docs/api.md).

The cursor is opaque to clients: URL-safe base64 of `[resource, updated_at, id]`.
"""

import base64
import binascii
import datetime as dt

import orjson
from django.conf import settings
from django.db import connections
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import ApiError

DEFAULT_SYNC_LAG_SECONDS = 2


def sync_lag() -> dt.timedelta:
    return dt.timedelta(
        seconds=float(
            getattr(settings, "KOMPETENSI_API_SYNC_LAG_SECONDS", DEFAULT_SYNC_LAG_SECONDS)
        )
    )


def encode_cursor(resource: str, key) -> str:
    if isinstance(key, tuple):
        stamp, pk = key
        if stamp.tzinfo is None:  # naive values are UTC (kompetensi.api.columns.utc)
            stamp = stamp.replace(tzinfo=dt.UTC)
        payload = [resource, stamp.astimezone(dt.UTC).isoformat(), pk]
    else:
        payload = [resource, key]
    return base64.urlsafe_b64encode(orjson.dumps(payload)).rstrip(b"=").decode()


def _bad_cursor() -> ApiError:
    return ApiError(
        400,
        "invalid_cursor",
        _("Cursor tidak valid. Pakai nilai `cursor` atau `next` dari jawaban API apa adanya."),
        {"cursor": [_("tidak dapat dibaca atau bukan untuk daftar ini.")]},
    )


def decode_cursor(resource: str, cursor: str, *, with_timestamp: bool = True):
    """(updated_at, id) — or id alone when `with_timestamp` is False — from a cursor."""
    if not cursor or len(cursor) > 200:
        raise _bad_cursor()
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = orjson.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError, orjson.JSONDecodeError):
        raise _bad_cursor() from None
    if not isinstance(payload, list) or not payload or payload[0] != resource:
        raise _bad_cursor()
    try:
        if with_timestamp:
            _name, stamp, pk = payload
            stamp = dt.datetime.fromisoformat(stamp)
            if stamp.tzinfo is None:
                raise ValueError
        else:
            _name, pk = payload
            stamp = None
        if isinstance(pk, bool) or not isinstance(pk, int) or not 0 <= pk < 2**63:
            raise ValueError
    except (ValueError, TypeError):
        raise _bad_cursor() from None
    return (stamp, pk) if with_timestamp else pk


def _row_after(queryset, stamp_field: str, stamp: dt.datetime, pk: int) -> RawSQL:
    """`(stamp, id) > (%s, %s)`: a row-value comparison, which PostgreSQL answers as one range
    of the (region, stamp, id) index (SQLite understands it too)."""
    connection = connections[queryset.db]
    meta = queryset.model._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    column = quote(meta.get_field(stamp_field).column)
    key = quote(meta.pk.column)
    return RawSQL(
        f"({table}.{column}, {table}.{key}) > (%s, %s)",
        (connection.ops.adapt_datetimefield_value(stamp), pk),
        output_field=BooleanField(),
    )


class Keyset:
    """How one list pages: the resource name (in cursors), the timestamp field ('updated_at',
    'deleted_at', or None for id order) and the positions of timestamp and id in each row."""

    def __init__(self, resource: str, *, stamp_field: str | None = "updated_at"):
        self.resource = resource
        self.stamp_field = stamp_field

    def apply(self, queryset, *, cursor: str | None, since: dt.datetime | None, lag: bool = True):
        """Filter and order the queryset for one page."""
        f = self.stamp_field
        if f is None:
            if cursor:
                after = decode_cursor(self.resource, cursor, with_timestamp=False)
                queryset = queryset.filter(pk__gt=after)
            return queryset.order_by("pk")
        if since is not None:
            queryset = queryset.filter(**{f"{f}__gte": since})
        if lag:
            queryset = queryset.filter(**{f"{f}__lt": timezone.now() - sync_lag()})
        if cursor:
            stamp, pk = decode_cursor(self.resource, cursor)
            queryset = queryset.filter(_row_after(queryset, f, stamp, pk))
        return queryset.order_by(f, "pk")

    def page(
        self, request, rows: list, *, page_size: int, key_of, build, cursor: str | None
    ) -> dict:
        """The page envelope. `rows` holds up to page_size + 1 raw rows (one extra tells
        whether more follow); `key_of(row)` gives (stamp, id) or id of a raw row; `build`
        turns the list of raw rows into result items."""
        has_more = len(rows) > page_size
        if has_more:
            del rows[page_size:]
        next_cursor = encode_cursor(self.resource, key_of(rows[-1])) if rows else cursor or None
        next_url = None
        if has_more:
            query = request.query_params.copy()
            query["cursor"] = next_cursor
            next_url = request.build_absolute_uri(request.path) + "?" + query.urlencode()
        return {
            "results": build(rows),
            "next": next_url,
            "cursor": next_cursor,
            "has_more": has_more,
        }
