"""The audit trail: who created, changed, approved, verified, exported, imported, deleted or
logged in, when, from which address, with the changed fields (old → new). docs/security.md.

Why not a library: django-pghistory keeps history with PostgreSQL triggers (nothing on the
embedded SQLite default); django-auditlog works on any database but records only model
signals — not logins, exports or imports — has no region to scope by, and reads the old row
with one more query per save. This module is small and follows the same idea as auditlog:

- **Model changes** of the tracked models (`track(Model, ...)`, called by each app in its
  `ready()`): the loaded values are remembered when a row is read (`post_init`, no extra
  query), compared on `post_save`, and the changed fields are written as one event
  `{field: [old, new]}`; creation and deletion too. Writes by `QuerySet.update()` or
  `bulk_create()` send no signals: services that write in bulk record their own event with
  `record()` (one INSERT for many rows: `record_many()`).
- **Business events** (`record(action=..., ...)`): login success and failure, exports,
  imports, anonymisation, personal-data downloads.

The actor and client address come from the request being served (`AuditContextMiddleware`)
or from `acting_as(user)` in a background task. Events are scoped per region
(`AuditEvent.objects` is a django-scopes manager) and append-only: the model refuses update
and delete, and on PostgreSQL the trigger installed after every `migrate` (`install_trigger`)
refuses UPDATE and DELETE on the table, except the retention purge (`audit_purge`), which
sets a transaction-local flag the trigger checks. Retention: `KOMPETENSI_AUDIT_RETENTION_DAYS`.
"""

from __future__ import annotations

import datetime as dt
import decimal
import logging
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connections, models, transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.utils import timezone

from kompetensi.clientip import client_ip

from .models import AuditEvent

logger = logging.getLogger(__name__)

Action = AuditEvent.Action
TABLE = AuditEvent._meta.db_table
DEFAULT_RETENTION_DAYS = 5 * 365
# Fields never written to the trail (secrets, bookkeeping).
ALWAYS_EXCLUDED = {"sync_marker", "updated_at", "created_at", "secret_hash", "password"}


@dataclass(frozen=True)
class _Actor:
    user: object | None
    ip: str | None


_actor: ContextVar[_Actor | None] = ContextVar("kompetensi_audit_actor", default=None)


@dataclass
class TrackSpec:
    fields: tuple[str, ...]
    label: str
    masked: frozenset[str] = field(default_factory=frozenset)
    # How an event names the row, using loaded relations only (`cached`); default str(row).
    describe: Callable | None = None
    # Status changes recorded as a named business action: {(old or "*", new): action}.
    status_actions: dict = field(default_factory=dict)


_tracked: dict[type[models.Model], TrackSpec] = {}
_suppressed: ContextVar[bool] = ContextVar("kompetensi_audit_suppressed", default=False)


@contextmanager
def tracking_suppressed():
    """Model changes inside are not recorded (the caller records one event of its own, e.g.
    an anonymisation, whose row-by-row events would copy the erased values)."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


# --- who acts ----------------------------------------------------------------------------------


class AuditContextMiddleware:
    """Makes the request's user and client address the actor of the events it causes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _actor.set(_Actor(user=_LazyUser(request), ip=client_ip(request)))
        try:
            return self.get_response(request)
        finally:
            _actor.reset(token)


class _LazyUser:
    def __init__(self, request):
        self.request = request

    def resolve(self):
        user = getattr(self.request, "user", None)
        return user if user is not None and user.is_authenticated else None


@contextmanager
def acting_as(user, *, ip: str | None = None):
    """Run code (a background task) with `user` as the actor of its events."""
    token = _actor.set(_Actor(user=user, ip=ip))
    try:
        yield
    finally:
        _actor.reset(token)


def _current_actor() -> tuple[object | None, str | None]:
    actor = _actor.get()
    if actor is None:
        return None, None
    user = actor.user.resolve() if isinstance(actor.user, _LazyUser) else actor.user
    return user, actor.ip


def _actor_label(user) -> str:
    if user is None:
        return "sistem"
    name = (getattr(user, "first_name", "") or "").strip()
    username = user.get_username() if hasattr(user, "get_username") else str(user)
    return f"{name} ({username})"[:200] if name else username[:200]


# --- values ------------------------------------------------------------------------------------


def plain(value):
    """A JSON-friendly form of a field value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, decimal.Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if isinstance(value, dt.datetime):
        return (
            timezone.localtime(value).isoformat(timespec="seconds")
            if timezone.is_aware(value)
            else value.isoformat(timespec="seconds")
        )
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or ""
    return str(value)


def object_type(obj_or_model) -> str:
    return obj_or_model._meta.label_lower


def cached(obj, relation: str, attribute: str = "name") -> str:
    """A related object's attribute if it is loaded already, else `#id`: labels never query."""
    related = obj._state.fields_cache.get(relation)
    if related is not None:
        return str(getattr(related, attribute, related))
    related_id = getattr(obj, f"{relation}_id", None)
    return f"#{related_id}" if related_id is not None else ""


def _label(obj) -> str:
    spec = _tracked.get(type(obj))
    try:
        text = spec.describe(obj) if spec is not None and spec.describe else str(obj)
    except Exception:  # never fail the write for a label
        text = f"#{obj.pk}"
    return text[:200]


# --- recording ---------------------------------------------------------------------------------


def _region_id(obj) -> int | None:
    if obj is None:
        return None
    return getattr(obj, "region_id", None)


def _event(
    *,
    action: str,
    region_id: int | None,
    obj=None,
    object_type_: str = "",
    object_id: str = "",
    object_label: str = "",
    changes: dict | None = None,
    note: str = "",
    actor=None,
    ip: str | None = None,
    at: dt.datetime | None = None,
) -> AuditEvent:
    context_user, context_ip = _current_actor()
    user = actor if actor is not None else context_user
    return AuditEvent(
        region_id=region_id,
        at=at or timezone.now(),
        actor=user if getattr(user, "pk", None) else None,
        actor_label=_actor_label(user),
        ip=ip or context_ip,
        action=action,
        object_type=object_type_ or (object_type(obj) if obj is not None else ""),
        object_id=object_id or (str(obj.pk) if obj is not None and obj.pk is not None else ""),
        object_label=(object_label or (_label(obj) if obj is not None else ""))[:200],
        changes=changes or {},
        note=note[:300],
    )


def record(
    *,
    action: str,
    region=None,
    obj=None,
    changes: dict | None = None,
    note: str = "",
    actor=None,
    ip: str | None = None,
    object_label: str = "",
    object_type_: str = "",
    object_id: str = "",
) -> AuditEvent:
    """Write one event now (in the caller's transaction: it commits or rolls back with it)."""
    region_id = getattr(region, "pk", region) if region is not None else _region_id(obj)
    event = _event(
        action=action,
        region_id=region_id,
        obj=obj,
        changes=changes,
        note=note,
        actor=actor,
        ip=ip,
        object_label=object_label,
        object_type_=object_type_,
        object_id=object_id,
    )
    event.save()
    return event


def record_many(*, action: str, region, items: Iterable[tuple], note: str = "") -> int:
    """One event per `(object, changes)` in one INSERT (bulk writes: constant queries)."""
    region_id = getattr(region, "pk", region)
    events = [
        _event(action=action, region_id=region_id, obj=obj, note=note, changes=changes)
        for obj, changes in items
    ]
    if not events:
        return 0
    AuditEvent._base_manager.bulk_create(events)
    return len(events)


# --- model tracking ----------------------------------------------------------------------------


def track(
    model,
    *,
    exclude: Iterable[str] = (),
    masked: Iterable[str] = (),
    label: str = "",
    describe: Callable | None = None,
    status_actions: dict | None = None,
):
    """Record creation, changes (old → new) and deletion of `model`'s rows.

    `masked` fields are recorded as changed without their values (personal data that the
    trail must not copy, such as a birth date). `status_actions` names a change of the
    `status` field as a business action instead of a plain update, e.g.
    `{("submitted", "verified"): Action.VERIFY, ("*", "rejected"): Action.REJECT}`.
    """
    skip = ALWAYS_EXCLUDED | set(exclude)
    fields = tuple(
        f.attname
        for f in model._meta.concrete_fields
        if not f.primary_key and f.name not in skip and f.attname not in skip
    )
    _tracked[model] = TrackSpec(
        fields=fields,
        label=label or str(model._meta.verbose_name),
        masked=frozenset(masked),
        describe=describe,
        status_actions=dict(status_actions or {}),
    )
    uid = object_type(model)
    post_init.connect(_remember, sender=model, dispatch_uid=f"audit_init_{uid}")
    post_save.connect(_saved, sender=model, dispatch_uid=f"audit_save_{uid}")
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"audit_delete_{uid}")


def tracked_models() -> dict:
    return dict(_tracked)


def _loaded(instance, spec: TrackSpec) -> dict:
    deferred = instance.get_deferred_fields()
    return {name: instance.__dict__.get(name) for name in spec.fields if name not in deferred}


def _remember(sender, instance, **kwargs):
    if instance.pk is not None:
        instance._audit_snapshot = _loaded(instance, _tracked[sender])


def _value(spec: TrackSpec, name: str, value):
    return "•••" if name in spec.masked and value not in (None, "") else plain(value)


def _saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    if raw or _suppressed.get():
        return
    spec = _tracked[sender]
    current = _loaded(instance, spec)
    if created:
        changes = {
            name: [None, _value(spec, name, value)]
            for name, value in current.items()
            if value not in (None, "", [], {})
        }
        action = Action.CREATE
    else:
        before = getattr(instance, "_audit_snapshot", None)
        if before is None:
            return  # never loaded from the database here: nothing to compare against
        names = (
            current
            if update_fields is None
            else {sender._meta.get_field(n).attname for n in update_fields} & set(current)
        )
        changes = {
            name: [_value(spec, name, before.get(name)), _value(spec, name, current[name])]
            for name in names
            if name in before and plain(before.get(name)) != plain(current[name])
        }
        if not changes:
            return
        action = _status_action(spec, changes.get("status")) or Action.UPDATE
    record(action=action, obj=instance, changes=_named(sender, changes))
    instance._audit_snapshot = {**getattr(instance, "_audit_snapshot", {}), **current}


def _status_action(spec: TrackSpec, status_change: list | None) -> str | None:
    if not status_change or not spec.status_actions:
        return None
    old, new = status_change
    return spec.status_actions.get((old, new)) or spec.status_actions.get(("*", new))


def _deleted(sender, instance, **kwargs):
    if _suppressed.get():
        return
    record(action=Action.DELETE, obj=instance)


def _named(model, changes: dict) -> dict:
    """attname → field name (`unit_id` → `unit`), for the page that shows the labels."""
    by_attname = {f.attname: f.name for f in model._meta.concrete_fields}
    return {by_attname.get(name, name): values for name, values in changes.items()}


def field_label(object_type_: str, name: str) -> str:
    """The verbose name of a tracked field, for the audit page."""
    for model in _tracked:
        if object_type(model) == object_type_:
            try:
                return str(model._meta.get_field(name).verbose_name)
            except Exception:
                return name
    return name


def type_label(object_type_: str) -> str:
    for model, spec in _tracked.items():
        if object_type(model) == object_type_:
            return spec.label
    return EXTRA_TYPES.get(object_type_, object_type_)


EXTRA_TYPES: dict[str, str] = {}


def register_type_label(object_type_: str, label: str) -> None:
    EXTRA_TYPES[object_type_] = label


# --- append-only on PostgreSQL, and retention -------------------------------------------------

PURGE_FLAG = "kompetensi.audit_purge"
TRIGGER_SQL = f"""
CREATE OR REPLACE FUNCTION kompetensi_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('{PURGE_FLAG}', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit trail is append-only (% refused)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS kompetensi_audit_append_only ON {TABLE};
CREATE TRIGGER kompetensi_audit_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION kompetensi_audit_append_only();
"""


def install_trigger(*, using: str = "default") -> bool:
    """(Re)install the append-only trigger (PostgreSQL only; idempotent)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    if TABLE not in connection.introspection.table_names():
        return False
    with connection.cursor() as cursor:
        cursor.execute(TRIGGER_SQL)
    return True


def install_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver (connected once, in RegionsConfig.ready)."""
    install_trigger(using=using)


def retention_days() -> int:
    return int(getattr(settings, "KOMPETENSI_AUDIT_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def audit_purge(
    *, now: dt.datetime | None = None, regions=None, using: str = "default", **kwargs
) -> int:
    """Delete events older than the retention period (the only delete the trigger allows);
    the periodic job `audit-purge`. `regions` limits it to those regions' events."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=retention_days())
    connection = connections[using]
    sql, params = f"DELETE FROM {TABLE} WHERE at < %s", [cutoff]
    if regions:
        ids = [region.pk for region in regions]
        sql += f" AND region_id IN ({', '.join(['%s'] * len(ids))})"
        params += ids
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config(%s, 'on', true)", [PURGE_FLAG])
        cursor.execute(sql, params)
        return cursor.rowcount
