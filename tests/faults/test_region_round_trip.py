"""Integration (PostgreSQL): a region exports to one JSON Lines file (`export_region`) and
loads (`import_region`) into an empty, migrated database with every table's row count and every
employee's JP total equal — and nothing of the other region."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection
from django_scopes import scopes_disabled

from regions.region_export import _tenant_models
from tests.factories.regions import quick_employees
from tests.factories.training import DevelopmentRecordFactory, EnrolmentFactory, OfferingFactory
from training.services import enrolment as services

from .test_backup_restore import JP_TOTALS, _dsn, _pg_env

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
ROOT = Path(__file__).resolve().parents[2]


def _region_counts(dsn: str, region_id: int) -> dict[str, int]:
    counts = {}
    with psycopg2.connect(dsn) as conn, conn.cursor() as cursor:
        for model in _tenant_models():
            cursor.execute(
                f'SELECT count(*) FROM "{model._meta.db_table}" WHERE region_id = %s', [region_id]
            )
            counts[model._meta.label] = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM regions_region WHERE id = %s", [region_id])
        counts["region"] = cursor.fetchone()[0]
        cursor.execute(JP_TOTALS.replace("GROUP BY", "WHERE region_id = %s GROUP BY"), [region_id])
        counts["jp_totals"] = cursor.fetchall()
    conn.close()
    return counts


def test_a_region_exports_to_json_lines_and_loads_into_an_empty_database_equal(
    on_postgres, region, unit, admin, other_region, other_employee, tmp_path
):
    with scopes_disabled():
        people = quick_employees(region, 5, unit=unit)
        offering = OfferingFactory(region=region, seats=2, has_waitlist=True)
    for person in people[:4]:  # through the service: history, notifications, audit rows
        with scopes_disabled():
            services.enrolment_create(offering=offering, employee=person, actor=admin.user)
    with scopes_disabled():
        EnrolmentFactory(region=other_region, employee=other_employee)
        for person in people:
            DevelopmentRecordFactory(region=region, employee=person, verified=True)
        DevelopmentRecordFactory(region=region, employee=people[1], verified=True, jp=6)
        DevelopmentRecordFactory(region=other_region, employee=other_employee, verified=True)
    export = tmp_path / "semarang.jsonl"
    call_command("export_region", region.slug, output=str(export))
    assert export.read_text().count("\n") > 20

    source = connection.settings_dict["NAME"]
    target = f"{source}_region_{uuid.uuid4().hex[:8]}"
    env = _pg_env()
    subprocess.run(["createdb", target], env=env, check=True)
    try:
        db = connection.settings_dict
        url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{target}"
        app_env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": "", "CELERY_BROKER_URL": ""}
        for command in (["migrate", "-v0"], ["import_region", str(export), "-v0"]):
            subprocess.run(
                [sys.executable, "manage.py", *command], cwd=ROOT, env=app_env, check=True
            )
        before = _region_counts(_dsn(source), region.pk)
        after = _region_counts(_dsn(target), region.pk)
        with psycopg2.connect(_dsn(target)) as conn, conn.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM regions_region WHERE id = %s", [other_region.pk])
            other_regions = cursor.fetchone()[0]
        conn.close()
    finally:
        subprocess.run(["dropdb", "--if-exists", target], env=env, check=True)
    assert after == before
    assert before["training.Enrolment"] == 4 and before["regions.Notification"] >= 4
    assert len(before["jp_totals"]) == 5
    assert other_regions == 0
