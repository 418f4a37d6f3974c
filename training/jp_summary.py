"""Verified JP per employee and year (`VerifiedJpYear`), kept exact by the database.

Triggers on the development records' table add each verified record's JP to its employee's
year and take it away when the record stops counting (rejected, deleted, its JP, year or
employee changed). They live in the database, so every write path keeps the sum exact:
services, `QuerySet.update()`, bulk_create, imports, cascading deletes.

- PostgreSQL: statement-level triggers with transition tables: one grouped upsert per
  statement (a batch completion writing 300 records makes one), rows taken in employee order so
  two concurrent statements lock them in the same order.
- SQLite: row-level triggers.

Locks: a statement takes the sums it changes in employee order, so statements never deadlock
on them; a transaction that writes records of several employees in several statements should
write them in one statement (or in employee order).

`install()` runs after every `migrate` (post_migrate, idempotent; SQLite drops a table's
triggers when a migration rebuilds it). `rebuild()` recomputes every sum from the records
(the migration's backfill, and `manage.py rebuild_jp_summary` after restoring a table by hand).
"""

from __future__ import annotations

from django.db import connections

RECORDS = "training_developmentrecord"
SUMMARY = "training_verifiedjpyear"
VERIFIED = "verified"
PG_FUNCTION = "kompetensi_jp_year"
SQLITE_TRIGGERS = ("kompetensi_jp_year_ins", "kompetensi_jp_year_del", "kompetensi_jp_year_upd")

_PG_UPSERT = f"""
INSERT INTO {SUMMARY} AS s (region_id, employee_id, year, jp, records)
SELECT region_id, employee_id, year, SUM(jp), SUM(n) FROM ({{deltas}}) d
GROUP BY region_id, employee_id, year
ORDER BY employee_id, year
ON CONFLICT (employee_id, year)
DO UPDATE SET jp = s.jp + EXCLUDED.jp, records = s.records + EXCLUDED.records
"""
_PLUS = f"SELECT region_id, employee_id, year, jp, 1 AS n FROM kompetensi_new WHERE status = '{VERIFIED}'"
_MINUS = f"SELECT region_id, employee_id, year, -jp AS jp, -1 AS n FROM kompetensi_old WHERE status = '{VERIFIED}'"


def _pg_statements() -> list[str]:
    function = f"""
    CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            {_PG_UPSERT.format(deltas=_PLUS)};
        ELSIF TG_OP = 'DELETE' THEN
            {_PG_UPSERT.format(deltas=_MINUS)};
        ELSE
            {_PG_UPSERT.format(deltas=_PLUS + " UNION ALL " + _MINUS)};
        END IF;
        RETURN NULL;
    END $$
    """
    events = {
        "INSERT": "NEW TABLE AS kompetensi_new",
        "DELETE": "OLD TABLE AS kompetensi_old",
        "UPDATE": "OLD TABLE AS kompetensi_old NEW TABLE AS kompetensi_new",
    }
    return [function] + [
        f"CREATE OR REPLACE TRIGGER {PG_FUNCTION}_{event.lower()} AFTER {event} ON {RECORDS} "
        f"REFERENCING {tables} FOR EACH STATEMENT EXECUTE FUNCTION {PG_FUNCTION}()"
        for event, tables in events.items()
    ]


def _sqlite_statements() -> list[str]:
    def add(row: str) -> str:
        return (
            f"INSERT INTO {SUMMARY} (region_id, employee_id, year, jp, records) "
            f"SELECT {row}.region_id, {row}.employee_id, {row}.year, {row}.jp, 1 "
            f"WHERE {row}.status = '{VERIFIED}' "
            "ON CONFLICT (employee_id, year) "
            "DO UPDATE SET jp = jp + excluded.jp, records = records + 1;"
        )

    def take(row: str) -> str:
        return (
            f"UPDATE {SUMMARY} SET jp = jp - {row}.jp, records = records - 1 "
            f"WHERE employee_id = {row}.employee_id AND year = {row}.year "
            f"AND {row}.status = '{VERIFIED}';"
        )

    ins, delete, upd = SQLITE_TRIGGERS
    return [
        *(f"DROP TRIGGER IF EXISTS {name}" for name in SQLITE_TRIGGERS),
        f"CREATE TRIGGER {ins} AFTER INSERT ON {RECORDS} BEGIN {add('NEW')} END",
        f"CREATE TRIGGER {delete} AFTER DELETE ON {RECORDS} BEGIN {take('OLD')} END",
        f"CREATE TRIGGER {upd} AFTER UPDATE OF status, jp, year, employee_id, region_id "
        f"ON {RECORDS} BEGIN {take('OLD')} {add('NEW')} END",
    ]


def install(using: str = "default") -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        statements = _pg_statements()
    elif connection.vendor == "sqlite":
        statements = _sqlite_statements()
    else:  # pragma: no cover - the portal runs on these two
        raise NotImplementedError(connection.vendor)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def rebuild(using: str = "default") -> None:
    """Recompute every sum from the records (in one transaction)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {SUMMARY}")
        cursor.execute(
            f"INSERT INTO {SUMMARY} (region_id, employee_id, year, jp, records) "
            f"SELECT region_id, employee_id, year, SUM(jp), COUNT(*) FROM {RECORDS} "
            f"WHERE status = '{VERIFIED}' GROUP BY region_id, employee_id, year"
        )


def install_after_migrate(sender, using="default", **kwargs) -> None:
    """post_migrate receiver (connected in TrainingConfig.ready)."""
    install(using)
