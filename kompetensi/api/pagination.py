"""Keyset ("cursor") pagination on (sync_marker, id): the sync order of every list.

Why keyset and not offsets: an offset shifts when rows change while a client pages through,
so rows get skipped or repeated; a keyset position does not. Why the pair: many rows share
one marker (every row a transaction wrote), so the id breaks ties and no tied row is lost at a
page edge. A row changed while a client pages gets a new, larger marker: it moves *behind*
the cursor's position and is delivered again later in the same pass; it is never skipped.

Why it is exact: the marker is the position of the row's last *commit*, set by the database
(`kompetensi.sync`), and a list only serves rows below the horizon read before the page's
query — rows no running transaction can still add to or reorder. A long transaction delays
the rows behind it; it cannot make a client lose one. There is no time-based lag.

The cursor is opaque to clients: URL-safe base64 of `[resource, 2, epoch, marker, id]`. When a
client has read to the end (no further page), the cursor points at the horizon itself, so an
empty page still moves the client forward. Cursors of the earlier format (timestamp-based)
and of another marker epoch are refused with `invalid_cursor`: the client starts again without
a cursor (see docs/api.md).
"""

import base64
import binascii
import datetime as dt

import orjson
from django.db import connections
from django.db.models import BigIntegerField, BooleanField, Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext as _

from kompetensi.sync import MARKER, Horizon, horizon, horizon_sql

from .errors import ApiError

CURSOR_VERSION = 2


def encode_cursor(resource: str, epoch: int, key: tuple[int, int]) -> str:
    marker, pk = key
    payload = [resource, CURSOR_VERSION, epoch, marker, pk]
    return base64.urlsafe_b64encode(orjson.dumps(payload)).rstrip(b"=").decode()


def _bad_cursor() -> ApiError:
    return ApiError(
        400,
        "invalid_cursor",
        _("Cursor tidak valid. Pakai nilai `cursor` atau `next` dari jawaban API apa adanya."),
        {"cursor": [_("tidak dapat dibaca atau bukan untuk daftar ini.")]},
    )


def _restart_cursor() -> ApiError:
    return ApiError(
        400,
        "invalid_cursor",
        _(
            "Cursor ini tidak berlaku lagi (format lama atau data sinkronisasi sudah dinomori "
            "ulang). Mulai sinkronisasi lagi dari awal tanpa cursor, lalu simpan cursor yang baru."
        ),
        {"cursor": [_("tidak berlaku lagi; mulai ulang tanpa cursor.")]},
    )


def decode_cursor(resource: str, cursor: str) -> tuple[int, int, int]:
    """(epoch, marker, id) from a cursor of this list. The epoch is checked against the
    database's once the page is read (`Keyset.page`)."""
    if not cursor or len(cursor) > 200:
        raise _bad_cursor()
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        payload = orjson.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError, orjson.JSONDecodeError):
        raise _bad_cursor() from None
    if not isinstance(payload, list) or not payload or payload[0] != resource:
        raise _bad_cursor()
    if len(payload) == 3 and isinstance(payload[1], str):
        _check_old_format(payload)
        raise _restart_cursor()
    if len(payload) != 5 or payload[1] != CURSOR_VERSION:
        raise _bad_cursor()
    _name, _version, epoch, marker, pk = payload
    for number in (epoch, marker, pk):
        if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number < 2**63:
            raise _bad_cursor()
    return epoch, marker, pk


def _check_old_format(payload: list) -> None:
    """A well-formed cursor of the timestamp-based sync (before markers): restart, not junk."""
    try:
        stamp = dt.datetime.fromisoformat(payload[1])
    except ValueError:
        raise _bad_cursor() from None
    if stamp.tzinfo is None or not isinstance(payload[2], int):
        raise _bad_cursor()


def _row_after(queryset, marker: int, pk: int) -> RawSQL:
    """`(sync_marker, id) > (%s, %s)`: a row-value comparison, which PostgreSQL answers as one
    range of the (region, sync_marker, id) index (SQLite understands it too)."""
    connection = connections[queryset.db]
    meta = queryset.model._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    key = quote(meta.pk.column)
    return RawSQL(
        f"({table}.{quote(MARKER)}, {table}.{key}) > (%s, %s)",
        (marker, pk),
        output_field=BooleanField(),
    )


# Appended to every row a list reads: the marker, then the horizon, the reading transaction's
# own id and the marker epoch as the row's own statement saw them.
TAIL = (MARKER, "_sync_horizon", "_sync_own", "_sync_epoch")


class Keyset:
    """How one list pages: the resource name (in cursors) and the timestamp field that
    `updated_since` / `since` filters on ('updated_at', or 'deleted_at' for tombstones).

    The horizon is part of the page's own statement (`with_horizon`): the filter keeps rows
    below it and every row carries its value, so a page costs no extra query; only an empty
    page reads the horizon on its own."""

    def __init__(self, resource: str, *, since_field: str = "updated_at"):
        self.resource = resource
        self.since_field = since_field

    @staticmethod
    def with_horizon(queryset):
        """The queryset annotated with the horizon columns of `TAIL` (before `values_list`)."""
        value, own, epoch = horizon_sql(connections[queryset.db].vendor)
        return queryset.annotate(
            _sync_horizon=RawSQL(value, (), output_field=BigIntegerField()),
            _sync_own=RawSQL(own, (), output_field=BigIntegerField()),
            _sync_epoch=RawSQL(epoch, (), output_field=BigIntegerField()),
        )

    def apply(self, queryset, *, cursor: str | None, since: dt.datetime | None):
        """Filter and order the queryset for one page below the horizon. Returns the queryset
        and the decoded cursor (epoch, marker, id) or None."""
        if since is not None:
            queryset = queryset.filter(**{f"{self.since_field}__gte": since})
        value, own, _epoch = horizon_sql(connections[queryset.db].vendor)
        visible = Q(**{f"{MARKER}__lt": RawSQL(value, ())})
        if connections[queryset.db].vendor == "postgresql":
            visible |= Q(**{MARKER: RawSQL(own, ())})
        queryset = queryset.filter(visible)
        position = None
        if cursor:
            position = decode_cursor(self.resource, cursor)
            queryset = self.after(queryset, position[1], position[2])
        return queryset.order_by(MARKER, "pk"), position

    @staticmethod
    def after(queryset, marker: int, pk: int):
        """Rows after the position (marker, id)."""
        return queryset.filter(_row_after(queryset, marker, pk))

    def horizon_of(self, rows: list, *, using: str) -> Horizon:
        """The horizon the rows were read below (their tail), or read now for an empty page."""
        if not rows:
            return horizon(using=using)
        value, own, epoch = rows[0][-3:]
        return Horizon(value=int(value), own=own, epoch=int(epoch or 0))

    def page(
        self, request, rows: list, *, page_size: int, key_of, build, position, using: str
    ) -> dict:
        """The page envelope. `rows` holds up to page_size + 1 raw rows (one extra tells
        whether more follow), each ending with `TAIL`; `key_of(row)` gives (marker, id) of a
        raw row; `build` turns the list of raw rows into result items; `position` is the
        decoded cursor the page started from. On the last page the cursor moves to the
        horizon: everything below it has been served (or did not match the filters)."""
        now = self.horizon_of(rows, using=using)
        if position is not None and position[0] != now.epoch:
            raise _restart_cursor()
        has_more = len(rows) > page_size
        if has_more:
            del rows[page_size:]
            key = key_of(rows[-1])
        else:
            key = (now.value, 0)
            if rows:
                key = max(key, key_of(rows[-1]))
        next_cursor = encode_cursor(self.resource, now.epoch, key)
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
