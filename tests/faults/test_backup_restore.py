"""Integration (PostgreSQL): the backup documented in docs/deployment.md round-trips — a
`pg_dump -Fc` of the database restored with `pg_restore` into an empty database holds the same
rows in every table and the same JP total for every employee."""

import shutil
import subprocess
import uuid

import psycopg2
import pytest
from django.db import connection
from django_scopes import scopes_disabled

from tests.factories.regions import quick_employees
from tests.factories.training import DevelopmentRecordFactory, EnrolmentFactory, OfferingFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

JP_TOTALS = (
    "SELECT employee_id, SUM(jp) FROM training_developmentrecord "
    "GROUP BY employee_id ORDER BY employee_id"
)


def _dsn(name: str) -> str:
    db = connection.settings_dict
    parts = [f"dbname={name}", f"host={db['HOST'] or '127.0.0.1'}"]
    if db["PORT"]:
        parts.append(f"port={db['PORT']}")
    if db["USER"]:
        parts.append(f"user={db['USER']}")
    if db["PASSWORD"]:
        parts.append(f"password={db['PASSWORD']}")
    return " ".join(parts)


def _figures(dsn: str) -> tuple[dict, list]:
    with psycopg2.connect(dsn) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        counts = {}
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT count(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
        cursor.execute(JP_TOTALS)
        totals = cursor.fetchall()
    conn.close()
    return counts, totals


def _pg_env() -> dict:
    import os

    db = connection.settings_dict
    env = {**os.environ, "PGHOST": db["HOST"] or "127.0.0.1", "PGUSER": db["USER"] or ""}
    if db["PORT"]:
        env["PGPORT"] = str(db["PORT"])
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def test_pg_dump_and_pg_restore_round_trip_every_row_and_jp_total(
    on_postgres, region, unit, other_region, tmp_path
):
    assert shutil.which("pg_dump") and shutil.which("pg_restore"), "CI installs the client"
    with scopes_disabled():
        people = quick_employees(region, 6, unit=unit)
        offering = OfferingFactory(region=region, seats=10)
        for person in people[:4]:
            EnrolmentFactory(region=region, offering=offering, employee=person)
        for person in people:
            DevelopmentRecordFactory(region=region, employee=person, verified=True)
        DevelopmentRecordFactory(region=region, employee=people[0], verified=True, jp=8)
    source = connection.settings_dict["NAME"]
    dump = tmp_path / "kompetensi.dump"
    env = _pg_env()
    subprocess.run(["pg_dump", "-Fc", "-f", str(dump), source], env=env, check=True)

    target = f"{source}_restore_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", target], env=env, check=True)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-d", target, str(dump)],
            env=env,
            check=True,
        )
        before, after = _figures(_dsn(source)), _figures(_dsn(target))
    finally:
        subprocess.run(["dropdb", "--if-exists", target], env=env, check=True)
    counts, totals = after
    assert counts == before[0]
    assert totals == before[1]
    assert counts["training_enrolment"] == 4 and counts["training_developmentrecord"] == 7
    assert len(totals) == 6 and any(total == 32 for _employee, total in totals)
