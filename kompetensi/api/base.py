"""The base of every API view: errors, renderer, parameters, a tenant-scope hook, ETags.

`ApiView` knows no app. Authentication, permissions and throttling are the subclass's
(DRF's defaults in settings refuse everyone); the tenant comes from `enter_scope()`, a hook
that `initial()` calls once the client is authenticated, allowed and within its rate. The
scope it returns stays open for the rest of the request, response rendering included, so no
view opens a scope itself and a query on tenant data outside it raises. The regions app
provides the concrete base: `regions.api_auth.RegionApiView` (bearer token, client scopes,
per-client throttle, the region of the client or of `?region=`).

`ResourceView` adds keyset lists and single rows read from flat columns, without serializers.
"""

import hashlib
import weakref
from contextlib import AbstractContextManager, ExitStack

from django.core.exceptions import EmptyResultSet
from django.db import DatabaseError, connections
from django.utils.translation import gettext as _
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from . import errors
from .errors import ApiError
from .pagination import TAIL, Keyset, decode_cursor
from .params import MAX_BIGINT, Param, check_format, parse_query
from .renderers import ApiContentNegotiation, ORJSONRenderer, dumps


class ApiView(APIView):
    renderer_classes = [ORJSONRenderer]
    parser_classes = [JSONParser]
    content_negotiation_class = ApiContentNegotiation
    params: list[Param] = []

    # Identifies the tenant whose scope the request runs in (set by `enter_scope()`).
    # Per-process caches are keyed by it: one tenant's cached query never serves another.
    tenant_key = None

    def get_exception_handler(self):
        return errors.exception_handler

    def dispatch(self, request, *args, **kwargs):
        with ExitStack() as stack:
            self._scope_stack = stack
            response = super().dispatch(request, *args, **kwargs)
            # Render inside the scope: nothing may touch tenant data unscoped.
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            return response

    def enter_scope(self, request) -> AbstractContextManager | None:
        """Hook: resolve the tenant of this request, set `tenant_key`, and return its scope
        (a context manager), or None to run without one. Raise `ApiError` to refuse."""
        return None

    def initial(self, request, *args, **kwargs):
        # Content negotiation, authentication, permissions, throttling.
        super().initial(request, *args, **kwargs)
        tenant_scope = self.enter_scope(request)
        if tenant_scope is not None:
            self._scope_stack.enter_context(tenant_scope)
        if "format" in request.query_params:
            check_format(request, [renderer.format for renderer in self.renderer_classes])

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 and isinstance(response, Response):
            # Errors are always JSON, whatever format was asked for.
            response.accepted_renderer = ORJSONRenderer()
            response.accepted_media_type = ORJSONRenderer.media_type
            response.content_type = None
        response.setdefault("Cache-Control", "private, no-store")
        response.setdefault("Vary", "Authorization, Accept, Accept-Language")
        return response

    # --- Helpers for views -------------------------------------------------------------------

    def query(self, request) -> dict:
        return parse_query(request, self.params)

    @staticmethod
    def check_pk(pk: int) -> int:
        """Ids beyond a bigint cannot exist: 404, not a database overflow."""
        if pk > MAX_BIGINT:
            raise ApiError(404, "not_found", _("Data tidak ditemukan."))
        return pk

    @staticmethod
    def not_found():
        return ApiError(404, "not_found", _("Data tidak ditemukan."))

    @staticmethod
    def conditional(request, data: dict) -> Response:
        """A single resource with a strong ETag of its JSON; 304 when If-None-Match matches."""
        etag = '"' + hashlib.blake2b(dumps(data), digest_size=16).hexdigest() + '"'
        presented = request.headers.get("If-None-Match", "")
        if presented and any(
            tag.strip() in (etag, f"W/{etag}", "*") for tag in presented.split(",")
        ):
            response = Response(status=304, headers={"ETag": etag})
        else:
            response = Response(data, headers={"ETag": etag})
        response["Cache-Control"] = "private, no-cache"
        return response


class ResourceView(ApiView):
    """A resource read from flat columns: keyset list and single rows, built without
    serializers. Subclasses set `keyset`, `fields` (pairs of output key and `values_list`
    argument; the id first), `base_queryset()` and `filter_queryset()`; `get()` calls `list()`
    or `retrieve()`. Each row becomes `dict(zip(keys, row))`: built in C, like the raw floor.
    Every row read also ends with the keyset's `TAIL` (sync marker and horizon), which that
    zip leaves out. (Views with another shape set `columns` and `build()`.)"""

    keyset = None
    fields: tuple = ()
    columns: tuple = ()
    keys: tuple = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "fields" in cls.__dict__ and cls.fields:
            cls.keys = tuple(key for key, _column in cls.fields)
            cls.columns = tuple(column for _key, column in cls.fields)

    def base_queryset(self):
        raise NotImplementedError

    def filter_queryset(self, queryset, q: dict):
        return queryset

    def build(self, rows: list) -> list:
        keys = self.keys
        return [dict(zip(keys, row)) for row in rows]  # noqa: B905 - the tail is dropped

    def values_queryset(self):
        """`base_queryset().values_list(*columns, *TAIL)`, built once per view and tenant per
        process.

        Setting up 30-odd columns across five joins costs more Python than the rest of a
        page request together; the built queryset (made inside the tenant's scope, so it
        carries that tenant's filter) is cloned for each request instead. Keyed by
        `tenant_key`: a queryset of one region never serves another."""
        key = (type(self), self.tenant_key)
        queryset = _VALUES_QUERYSETS.get(key)
        if queryset is None:
            queryset = Keyset.with_horizon(self.base_queryset()).values_list(*self.columns, *TAIL)
            _VALUES_QUERYSETS[key] = queryset
        return queryset.all()

    def list(self, request):
        q = self.query(request)
        size, cursor = q["page_size"], q.get("cursor")
        queryset = self.values_queryset()
        using = queryset.db
        if _plain_pull(q) and connections[using].vendor == "postgresql":
            rows, position = self._plain_page(queryset, size=size, cursor=cursor)
        else:
            queryset, position = self.keyset.apply(
                self.filter_queryset(queryset, q), cursor=cursor, since=q.get("updated_since")
            )
            rows = fetch_rows(queryset[: size + 1])
        return Response(
            self.keyset.page(
                request,
                rows,
                page_size=size,
                key_of=_marker_and_id,
                build=self.build,
                position=position,
                using=using,
            )
        )

    def _plain_page(self, queryset, *, size: int, cursor: str | None):
        """A page of the plain sync pull (no filter but the cursor), the hot path of every
        client, on PostgreSQL: its SQL is compiled once per view, tenant and page size and
        prepared once per database connection (server-side prepared statement), so a page
        costs neither the ORM's query building nor PostgreSQL's planning; only the cursor's
        two values change from page to page."""
        key = (type(self), self.tenant_key, queryset.db, size, bool(cursor))
        compiled = _PLAIN_SQL.get(key)
        if compiled is None:
            compiled = _PLAIN_SQL[key] = _compile_plain(self.keyset, queryset, size, bool(cursor))
        name, sql, template, at_marker, at_pk = compiled
        params = list(template)
        position = None
        if cursor:
            position = decode_cursor(self.keyset.resource, cursor)
            params[at_marker], params[at_pk] = position[1], position[2]
        connection = connections[queryset.db]
        execute = f"EXECUTE {name} ({', '.join(['%s'] * len(params))})"
        prepared = _prepared_on(connection)
        with connection.cursor() as db:
            if name in prepared:
                try:
                    db.execute(execute, params)
                    return db.fetchall(), position
                except DatabaseError as exc:
                    # Dropped behind our back (DISCARD ALL, DEALLOCATE): prepare it again. API
                    # requests run in autocommit, so the failed statement spoiled nothing.
                    gone = getattr(exc.__cause__, "pgcode", None) == INVALID_STATEMENT_NAME
                    if not gone or connection.in_atomic_block:
                        raise
                    prepared.discard(name)
            db.execute(f"PREPARE {name} AS {sql}; {execute}", params)  # one round trip
            prepared.add(name)
            return db.fetchall(), position

    def retrieve(self, request, pk: int):
        parse_query(request, [])
        rows = list(self.values_queryset().filter(pk=self.check_pk(pk))[:1])
        if not rows:
            raise self.not_found()
        return self.conditional(request, self.build(rows)[0])


_VALUES_QUERYSETS: dict = {}
_PLAIN_SQL: dict = {}
# Stand-ins for the cursor's values while a plain pull's SQL is compiled (then found in the
# parameters by value: nothing else in such a query is a negative number).
_AT_MARKER, _AT_PK = -7_777_777_777_771, -7_777_777_777_773


def _plain_pull(q: dict) -> bool:
    """No parameter but the cursor and the page size (False is a filter value: `active=false`)."""
    return all(
        value is None or value == "" or value == []
        for name, value in q.items()
        if name not in ("cursor", "page_size")
    )


def _compile_plain(keyset, queryset, size: int, with_cursor: bool):
    """(statement name, SQL with $n parameters, parameters, positions of the cursor's values)."""
    queryset, _position = keyset.apply(queryset, cursor=None, since=None)
    if with_cursor:
        queryset = keyset.after(queryset, _AT_MARKER, _AT_PK)
    sql, params = queryset[: size + 1].query.sql_with_params()
    params = list(params)
    numbered = _numbered(sql)
    name = "kompetensi_" + hashlib.blake2b(numbered.encode(), digest_size=8).hexdigest()
    if not with_cursor:
        return name, numbered, params, None, None
    return name, numbered, params, params.index(_AT_MARKER), params.index(_AT_PK)


def _numbered(sql: str) -> str:
    """Django's `%s` placeholders as PostgreSQL's `$1, $2, …` (`%%` stays: the statement is
    sent with parameters, so the driver still reads it as a literal `%`)."""
    parts, number, i = [], 0, 0
    while i < len(sql):
        if sql.startswith("%s", i):
            number += 1
            parts.append(f"${number}")
            i += 2
        elif sql.startswith("%%", i):
            parts.append("%%")
            i += 2
        else:
            parts.append(sql[i])
            i += 1
    return "".join(parts)


_PREPARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
INVALID_STATEMENT_NAME = "26000"  # PostgreSQL: the prepared statement does not exist


def _prepared_on(connection) -> set:
    """Names of the statements prepared on this database session (by the driver's connection
    object: a new session starts with none). Opens the session first: with the client's
    token and throttle read from the cache, this can be the request's first query."""
    connection.ensure_connection()
    return _PREPARED.setdefault(connection.connection, set())


def fetch_rows(queryset) -> list:
    """The rows of a `values_list()` queryset, as a list of tuples.

    On PostgreSQL the compiled SQL runs on a plain cursor and `fetchall()` hands back the
    driver's tuples: the list columns need no Django converter there (timestamps leave as
    naive UTC, decimals as float8: `kompetensi.api.columns`), and skipping the ORM's chunked
    iteration saves about a millisecond per 1,000 rows. A test compares both paths for every
    list. Elsewhere (SQLite converts dates and decimals in Python) the ORM iterates."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return list(queryset)
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # e.g. a filter on an empty list of ids
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _marker_and_id(row):
    return row[-4], row[0]
