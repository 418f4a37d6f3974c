"""Benchmark: completing a batch (offering_complete) at 30, 300 and 1,000 participants.

    .venv/bin/python bench/batch_completion.py [--sizes 30,300,1000] [--runs 3]

Builds its own PostgreSQL database (`kompetensi_bench_batch`, created and migrated on first
use), then for each size makes a fresh running batch that ends today with two sessions and
attendance (every third participant missed both), plus waiting requests, and times
`training.services.completion.offering_complete` — the service the admin's "Selesaikan
angkatan" button calls — inside a transaction that is rolled back afterwards. Prints the
median time and the number of queries per size: the count must not grow with the size.
Figures, not a test (shared/PERFORMANCE.md: measured 2026-12, 2,558 queries and ~27 s for 150).
Needs PostgreSQL at BENCH_PG (default postgres://postgres@127.0.0.1:5432).
"""

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("BENCH_BATCH_DB", "kompetensi_bench_batch")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")


def _env() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "DJANGO_SETTINGS_MODULE": "kompetensi.settings",
        "CELERY_BROKER_URL": "",
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
    }


def ensure_database() -> None:
    import psycopg2

    conn = psycopg2.connect(f"{PG}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,))
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{DB_NAME}"')
    conn.close()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=_env(), check=True
    )


class Rollback(Exception):
    pass


def one_run(size: int) -> tuple[float, int, int]:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django_scopes import scope

    from regions.models import Employee, Region, Unit
    from training.models import Attendance, Enrolment, Offering, Program, Session
    from training.services.completion import offering_complete

    today = timezone.localdate()
    now = timezone.now()
    result = {}
    try:
        with transaction.atomic():
            region = Region.objects.create(
                slug=f"bench-batch-{size}", name="Bench", kind="kota", province="Jawa Tengah"
            )
            with scope(region=region):
                unit = Unit.objects.create(region=region, code="U", name="Unit")
                people = Employee.objects.bulk_create(
                    Employee(
                        region=region,
                        nip=f"8{size:05d}{i:012d}",
                        name=f"Peserta {i}",
                        employment_type="pns",
                        gender="1",
                        birth_date=dt.date(1985, 1, 1),
                        golongan=31,
                        position="Analis",
                        position_type="pelaksana",
                        unit=unit,
                    )
                    for i in range(size + size // 3)
                )
                program = Program.objects.create(
                    region=region, code="B", title="Bench", form_id=3, jp=24, status="published"
                )
                offering = Offering.objects.create(
                    region=region,
                    program=program,
                    name="Angkatan I",
                    start_date=today - dt.timedelta(days=2),
                    end_date=today,
                    enrolment_opens=today - dt.timedelta(days=30),
                    enrolment_closes=today - dt.timedelta(days=3),
                    seats=size,
                    status=Offering.Status.RUNNING,
                )
                sessions = [
                    Session.objects.create(
                        region=region,
                        offering=offering,
                        title=f"Sesi {k}",
                        starts_at=now - dt.timedelta(days=2 - k),
                        ends_at=now - dt.timedelta(days=2 - k) + dt.timedelta(hours=3),
                    )
                    for k in range(2)
                ]
                enrolments = Enrolment.objects.bulk_create(
                    Enrolment(
                        region=region,
                        offering=offering,
                        employee=person,
                        status="confirmed" if i < size else "requested",
                        source="self",
                        requested_at=now,
                        confirmed_at=now if i < size else None,
                    )
                    for i, person in enumerate(people)
                )
                Attendance.objects.bulk_create(
                    Attendance(
                        region=region, session=session, enrolment=enrolment, present=bool(i % 3)
                    )
                    for session in sessions
                    for i, enrolment in enumerate(enrolments[:size])
                )
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    outcome = offering_complete(offering=offering, actor=None)
                result["seconds"] = time.perf_counter() - started
                result["queries"] = len(queries)
                result["completed"] = outcome.completed
            raise Rollback
    except Rollback:
        pass
    return result["seconds"], result["queries"], result["completed"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="30,300,1000")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ensure_database()
    os.environ.update(_env())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    print(f"{'participants':>12} {'median s':>9} {'queries':>8} {'completed':>10}")
    for size in (int(s) for s in args.sizes.split(",")):
        runs = [one_run(size) for _ in range(args.runs)]
        seconds = statistics.median(r[0] for r in runs)
        print(f"{size:>12} {seconds:>9.3f} {runs[0][1]:>8} {runs[0][2]:>10}")


if __name__ == "__main__":
    main()
