"""Change markers: the commit-order-safe position of every row a sync client pulls.

Why not `updated_at`: a timestamp is taken when a row is written, not when its transaction
commits. A transaction that commits later than another one that wrote after it makes its rows
appear *behind* a client's cursor, and a client that already moved past them never sees them.
No safety lag fixes that for every transaction length.

The marker (`sync_marker`, a bigint on every synced table) is set by the database itself, by a
trigger, on every INSERT and UPDATE, whatever wrote it (a service, a bulk `update()`, the
Django admin, raw SQL):

- PostgreSQL: the writing transaction's id (`pg_current_xact_id()`, 64-bit, never wraps). A
  list only serves rows whose marker is below the *horizon*
  `pg_snapshot_xmin(pg_current_snapshot())`: the oldest transaction still running. Every
  transaction below it has ended, so no row can still appear with a marker below the horizon;
  a transaction that writes later always gets a larger id. A long transaction therefore delays
  the rows of the transactions after it until it ends; it never makes a client lose one.
- SQLite (the embedded default): writers are serialised, so a counter incremented by the
  writing statement (`kompetensi_sync_clock`) already follows commit order; the horizon is the
  counter + 1 as the reader sees it.

Clients page on `(sync_marker, id)` below the horizon; see `kompetensi.api.pagination`.

Joined fields: a list row may show fields of other rows (an enrolment shows its employee's
name). A `Cascade` says which rows must move when such a field changes; it is installed as a
trigger too, so the dependent rows get a new marker (and `updated_at`) in the same transaction
as the change, in one set-based UPDATE (statement-level trigger with transition tables on
PostgreSQL; row-level triggers on SQLite).

Apps register their synced tables and cascades in `AppConfig.ready()`; `sync_install()` runs
after every `migrate` (post_migrate, idempotent), so a table rebuilt by a later migration gets
its triggers back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.db import connections, models

logger = logging.getLogger(__name__)

MARKER = "sync_marker"
CLOCK_TABLE = "kompetensi_sync_clock"


class SyncedModel(models.Model):
    """Abstract base of models served by incremental sync lists.

    `sync_marker` is written by the database (see the module docstring); whatever value the
    application sends is overwritten. Give the model an index on (region, sync_marker, id).
    """

    sync_marker = models.BigIntegerField(default=0, editable=False)

    class Meta:
        abstract = True


@dataclass(frozen=True)
class Cascade:
    """When rows of `source` change, rows of `target` get a new marker and `updated_at`.

    `target_ids` is SQL selecting the ids of the target rows, reading the changed source rows
    from the relation `{rows}` (alias it, e.g. `FROM {rows} s`); `uses` names the source
    columns it reads. `watch`: the source columns whose change matters on UPDATE (empty: any
    column); `inserts` / `deletes`: whether new or deleted source rows matter too. On UPDATE
    both the old and the new version of a changed row are in `{rows}` (a session moved from
    one offering to another touches both).
    """

    name: str
    source: str
    target: str
    target_ids: str
    uses: tuple[str, ...] = ("id",)
    watch: tuple[str, ...] = ()
    inserts: bool = False
    deletes: bool = False


@dataclass
class Registry:
    tables: dict[str, str] = field(default_factory=dict)  # table -> model label
    cascades: dict[str, Cascade] = field(default_factory=dict)


registry = Registry()


def register_synced(*models_) -> None:
    for model in models_:
        registry.tables[model._meta.db_table] = model._meta.label


def register_cascades(*cascades: Cascade) -> None:
    for cascade in cascades:
        registry.cascades[cascade.name] = cascade


# --- Reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Horizon:
    """What a list may serve now: rows with a marker below `value` (every transaction below it
    has ended), plus the rows of the reading transaction itself (`own`, PostgreSQL only: a
    request that wrote before it lists, or a test inside one transaction). `epoch` changes when
    the markers are renumbered (`manage.py sync_reset`), which invalidates every cursor."""

    value: int
    own: int | None
    epoch: int

    def visible(self) -> models.Q:
        q = models.Q(**{f"{MARKER}__lt": self.value})
        if self.own is not None:
            q |= models.Q(**{MARKER: self.own})
        return q


def horizon_sql(vendor: str) -> tuple[str, str, str]:
    """SQL of the horizon, the reading transaction's own id and the epoch, as scalar
    subqueries: inside a list's own SELECT each is computed once (an InitPlan on PostgreSQL)
    from the statement's snapshot, so the page and its horizon come from one snapshot."""
    epoch = f"(SELECT epoch FROM {CLOCK_TABLE} WHERE id = 1)"
    if vendor == "postgresql":
        return (
            "(SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint)",
            "(SELECT pg_current_xact_id_if_assigned()::text::bigint)",
            epoch,
        )
    return f"(SELECT value + 1 FROM {CLOCK_TABLE} WHERE id = 1)", "(SELECT NULL)", epoch


def horizon(using: str = "default") -> Horizon:
    """The horizon as of now (one query). Read it *before* the rows it bounds."""
    connection = connections[using]
    value, own, epoch = horizon_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {value}, {own}, {epoch}")
        value, own, epoch = cursor.fetchone()
    return Horizon(value=int(value), own=None if own is None else int(own), epoch=int(epoch or 0))


# --- Installing the triggers ------------------------------------------------------------------


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _columns(connection, table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def _clock_statements() -> list[str]:
    """One row: the counter (SQLite's markers) and the epoch of the markers (both vendors)."""
    return [
        f"CREATE TABLE IF NOT EXISTS {CLOCK_TABLE} (id integer PRIMARY KEY CHECK (id = 1), "
        "value bigint NOT NULL DEFAULT 0, epoch integer NOT NULL DEFAULT 0)",
        f"INSERT INTO {CLOCK_TABLE} (id, value, epoch) VALUES (1, 0, 0) ON CONFLICT DO NOTHING",
    ]


def _pg_statements(tables: list[str], cascades: list[Cascade]) -> list[str]:
    sql = [
        *_clock_statements(),
        """
        CREATE OR REPLACE FUNCTION kompetensi_sync_mark() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            NEW.sync_marker := pg_current_xact_id()::text::bigint;
            RETURN NEW;
        END $$
        """,
    ]
    for table in tables:
        sql.append(
            f"CREATE OR REPLACE TRIGGER kompetensi_sync_mark BEFORE INSERT OR UPDATE "
            f"ON {_q(table)} FOR EACH ROW EXECUTE FUNCTION kompetensi_sync_mark()"
        )
    for c in cascades:
        if c.watch:
            differs = " OR ".join(f"n.{_q(col)} IS DISTINCT FROM o.{_q(col)}" for col in c.watch)
        else:
            differs = "n IS DISTINCT FROM o"
        cols = ", ".join(_q(col) for col in c.uses)
        pairs = "kompetensi_new n JOIN kompetensi_old o ON o.id = n.id"
        changed = (
            "(SELECT " + ", ".join(f"n.{_q(col)}" for col in c.uses) + f" FROM {pairs} "
            f"WHERE {differs} UNION ALL "
            "SELECT " + ", ".join(f"o.{_q(col)}" for col in c.uses) + f" FROM {pairs} "
            f"WHERE {differs})"
        )
        events = [("UPDATE", "OLD TABLE AS kompetensi_old NEW TABLE AS kompetensi_new", changed)]
        if c.inserts:
            events.append(
                ("INSERT", "NEW TABLE AS kompetensi_new", f"(SELECT {cols} FROM kompetensi_new)")
            )
        if c.deletes:
            events.append(
                ("DELETE", "OLD TABLE AS kompetensi_old", f"(SELECT {cols} FROM kompetensi_old)")
            )
        for event, referencing, rows in events:
            function = f"kompetensi_sync_{c.name}_{event.lower()}"
            sql.append(
                f"""
                CREATE OR REPLACE FUNCTION {function}() RETURNS trigger
                LANGUAGE plpgsql AS $$
                BEGIN
                    -- A statement trigger fires even when no row changed: touching nothing
                    -- must not run an UPDATE, or two cascades would fire each other forever.
                    IF EXISTS (SELECT 1 FROM {rows} s) THEN
                        UPDATE {_q(c.target)} SET updated_at = now()
                        WHERE id IN ({c.target_ids.format(rows=rows)});
                    END IF;
                    RETURN NULL;
                END $$
                """
            )
            sql.append(
                f"CREATE OR REPLACE TRIGGER {function} AFTER {event} ON {_q(c.source)} "
                f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}()"
            )
    return sql


def _sqlite_statements(connection, tables: list[str], cascades: list[Cascade]) -> list[str]:
    sql = _clock_statements()
    tick = f"UPDATE {CLOCK_TABLE} SET value = value + 1 WHERE id = 1;"
    now = "strftime('%Y-%m-%d %H:%M:%f', 'now')"
    for table in tables:
        for event in ("INSERT", "UPDATE"):
            name = f"kompetensi_sync_mark_{table}_{event.lower()}"
            sql.append(f"DROP TRIGGER IF EXISTS {name}")
            sql.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {_q(table)} BEGIN {tick} "
                f"UPDATE {_q(table)} SET {MARKER} = (SELECT value FROM {CLOCK_TABLE} WHERE id = 1) "
                f"WHERE id = NEW.id; END"
            )
    for c in cascades:
        # Every column but the marker: the marker triggers' own UPDATE must not fire cascades.
        watched = c.watch or tuple(col for col in _columns(connection, c.source) if col != MARKER)
        events = []

        def rows(*versions, uses=c.uses):
            selects = [
                "SELECT " + ", ".join(f"{v}.{_q(col)} AS {_q(col)}" for col in uses)
                for v in versions
            ]
            return "(" + " UNION ALL ".join(selects) + ")"

        of = ", ".join(_q(col) for col in watched)
        differs = " OR ".join(f"OLD.{_q(col)} IS NOT NEW.{_q(col)}" for col in watched)
        events.append(("update", f"UPDATE OF {of}", f"WHEN {differs}", rows("NEW", "OLD")))
        if c.inserts:
            events.append(("insert", "INSERT", "", rows("NEW")))
        if c.deletes:
            events.append(("delete", "DELETE", "", rows("OLD")))
        for suffix, event, when, relation in events:
            name = f"kompetensi_sync_{c.name}_{suffix}"
            touch = (
                f"UPDATE {_q(c.target)} SET updated_at = {now} "
                f"WHERE id IN ({c.target_ids.format(rows=relation)});"
            )
            sql.append(f"DROP TRIGGER IF EXISTS {name}")
            sql.append(
                f"CREATE TRIGGER {name} AFTER {event} ON {_q(c.source)} {when} BEGIN {touch} END"
            )
    return sql


def sync_install(*, using: str = "default") -> int:
    """Create or replace the marker and cascade triggers of every registered table whose
    tables exist. Idempotent; returns the number of statements run."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    tables = sorted(t for t in registry.tables if t in existing)
    cascades = [
        c for c in registry.cascades.values() if c.source in existing and c.target in existing
    ]
    if connection.vendor == "postgresql":
        statements = _pg_statements(tables, cascades)
    elif connection.vendor == "sqlite":
        statements = _sqlite_statements(connection, tables, cascades)
    else:  # pragma: no cover - only PostgreSQL and SQLite are supported
        raise NotImplementedError(f"sync markers are not implemented for {connection.vendor}")
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
    return len(statements)


def sync_installed_triggers(*, using: str = "default") -> set[str]:
    """Names of the sync triggers present in the database (for checks and tests)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT DISTINCT tgname FROM pg_trigger WHERE tgname LIKE 'kompetensi_sync%%'"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'kompetensi_sync%'"
            )
        return {row[0] for row in cursor.fetchall()}


def install_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver (connected once, in RegionsConfig.ready)."""
    sync_install(using=using)


def sync_reset(*, using: str = "default") -> int:
    """Give every synced row a new marker and start a new epoch (every cursor handed out so far
    is refused; clients pull once from the start). Needed after restoring the database into
    another PostgreSQL cluster, whose transaction ids restart below the markers stored in the
    rows. Returns the number of rows re-marked."""
    from django.db import transaction

    sync_install(using=using)
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    marked = 0
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {CLOCK_TABLE} SET epoch = epoch + 1 WHERE id = 1")
        for table in sorted(t for t in registry.tables if t in existing):
            cursor.execute(f"UPDATE {_q(table)} SET {MARKER} = 0")
            marked += cursor.rowcount
    return marked
