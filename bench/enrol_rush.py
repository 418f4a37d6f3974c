"""Benchmark: an enrolment rush on one batch against the same enrolments spread over batches.

    .venv/bin/python bench/enrol_rush.py [--requests 500] [--workers 8] [--seats 5] [--runs 3]

Builds its own PostgreSQL database (`kompetensi_bench_rush`, created and migrated on first use)
with one region of `--requests` employees and `--requests + 1` open batches. Each run sends
the enrolments through `training.services.enrolment.enrolment_create` — the service the web
form and the API call — from `--workers` processes (as gunicorn's workers are), each with its own database connection:

- **one batch**: every employee enrols in the same batch of `--seats` seats (with a waitlist,
  and again without one: the rest are refused "kuota penuh");
- **spread**: every employee enrols in a batch of their own.

It prints throughput (enrolments/s) and p50/p95 latency of each, the ratio one-batch/spread
(goal ≥ 0.8: the offering's lock is not the bottleneck), and checks that no batch holds more
confirmed enrolments than seats and nobody is enrolled twice. Figures, not a test.
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
DB_NAME = os.environ.get("BENCH_RUSH_DB", "kompetensi_bench_rush")
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


def build(requests: int, seats: int):
    from django.utils import timezone
    from django_scopes import scope, scopes_disabled

    from regions.models import Employee, Region, Unit
    from training.models import Offering, Program

    today = timezone.localdate()
    with scopes_disabled():
        region = Region.objects.filter(slug="bench-rush").first()
    if region is not None:  # built by an earlier run (regions are never deleted): reuse it
        with scope(region=region):
            people = list(Employee.objects.order_by("id")[:requests])
            rush = Offering.objects.get(name="Rush")
            spread = list(Offering.objects.exclude(pk=rush.pk).order_by("id")[:requests])
            Offering.objects.filter(region=region).update(seats=seats)
        if len(people) == requests and len(spread) == requests:
            return region, people, rush, spread
        raise SystemExit(f"drop database {DB_NAME} to run with --requests {requests}")
    region = Region.objects.create(
        slug="bench-rush", name="Bench Rush", kind="kota", province="Jawa Tengah"
    )
    with scope(region=region):
        unit = Unit.objects.create(region=region, code="U", name="Unit")
        people = Employee.objects.bulk_create(
            Employee(
                region=region,
                nip=f"7{i:017d}",
                name=f"Peserta {i}",
                employment_type="pns",
                gender="1",
                birth_date=dt.date(1985, 1, 1),
                golongan=31,
                position="Analis",
                position_type="pelaksana",
                unit=unit,
            )
            for i in range(requests)
        )
        program = Program.objects.create(
            region=region, code="R", title="Rush", form_id=3, jp=24, status="published"
        )

        def offering(name, n):
            return Offering(
                region=region,
                program=program,
                name=name,
                start_date=today + dt.timedelta(days=20),
                end_date=today + dt.timedelta(days=22),
                enrolment_opens=today - dt.timedelta(days=1),
                enrolment_closes=today + dt.timedelta(days=10),
                seats=n,
                has_waitlist=True,
                requires_approval=False,
                status=Offering.Status.OPEN,
            )

        rush = Offering.objects.bulk_create([offering("Rush", seats)])[0]
        spread = Offering.objects.bulk_create(
            [offering(f"Angkatan {i}", seats) for i in range(requests)]
        )
    return region, people, rush, spread


def reset(region, rush, spread, *, waitlist: bool):
    from django_scopes import scope

    from regions.models import Notification
    from training.models import Enrolment, HistoryEvent, Offering

    with scope(region=region):
        Enrolment.objects.filter(region=region).delete()
        HistoryEvent.objects.filter(region=region).delete()
        Notification.objects.filter(region=region).delete()
        Offering.objects.filter(region=region).update(has_waitlist=waitlist)


def _worker(region, work, next_index, barrier, results):
    """One process (as a gunicorn worker is): takes the next pair until none is left."""
    from django.core.exceptions import ValidationError
    from django.db import connection
    from django_scopes import scope

    from training.services.enrolment import enrolment_create

    connection.ensure_connection()
    latencies, refused, errors = [], 0, []
    barrier.wait()
    while True:
        with next_index.get_lock():
            index = next_index.value
            next_index.value += 1
        if index >= len(work):
            break
        employee, offering = work[index]
        started = time.perf_counter()
        try:
            with scope(region=region):
                enrolment_create(offering=offering, employee=employee, actor=None)
        except ValidationError:
            refused += 1
        except Exception as exc:  # noqa: BLE001 - counted and printed
            errors.append(repr(exc))
        latencies.append(time.perf_counter() - started)
    connection.close()
    results.put((latencies, refused, errors))


def rush_run(region, pairs, workers: int) -> tuple[float, list[float], int]:
    """Enrol each (employee, offering) pair from `workers` processes, each with its own
    database connection; returns (seconds, latencies, refused)."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # never share the parent's connection with the children
    context = multiprocessing.get_context("fork")
    next_index = context.Value("i", 0)
    barrier = context.Barrier(workers + 1)
    results = context.Queue()
    pool = [
        context.Process(target=_worker, args=(region, pairs, next_index, barrier, results))
        for _ in range(workers)
    ]
    for process in pool:
        process.start()
    barrier.wait()
    started = time.perf_counter()
    latencies, refused, errors = [], 0, []
    for _ in pool:
        part, n, failed = results.get()
        latencies += part
        refused += n
        errors += failed
    seconds = time.perf_counter() - started
    for process in pool:
        process.join()
    if errors:
        print(f"  {len(errors)} errors, first: {errors[0]}")
    return seconds, latencies, refused


def check(region, seats: int) -> tuple[int, int]:
    from django.db.models import Count
    from django_scopes import scope

    from training.models import Enrolment

    with scope(region=region):
        confirmed = Enrolment.objects.filter(status=Enrolment.Status.CONFIRMED)
        oversold = confirmed.values("offering").annotate(n=Count("id")).filter(n__gt=seats).count()
        duplicates = (
            Enrolment.objects.values("offering", "employee")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .count()
        )
    return oversold, duplicates


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--workers", type=int, default=8, help="client processes")
    parser.add_argument("--seats", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    ensure_database()
    for key, value in _env().items():
        os.environ[key] = value
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    region, people, rush, spread = build(args.requests, args.seats)
    print(
        f"{args.requests} enrolments, {args.workers} processes, {args.seats} seats a batch, "
        f"median of {args.runs} runs"
    )
    print(f"{'case':<26}{'enrol/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'refused':>9}{'ratio':>8}")
    for waitlist in (True, False):
        rates = {"one": [], "spread": []}
        figures = {}
        for _run in range(args.runs):
            for case in ("one", "spread"):
                reset(region, rush, spread, waitlist=waitlist)
                pairs = (
                    [(person, rush) for person in people]
                    if case == "one"
                    else list(zip(people, spread, strict=True))
                )
                seconds, latencies, refused = rush_run(region, pairs, args.workers)
                oversold, duplicates = check(region, args.seats)
                assert oversold == 0 and duplicates == 0, (oversold, duplicates)
                rates[case].append(len(pairs) / seconds)
                figures[case] = (latencies, refused)
        label = "waitlist" if waitlist else "no waitlist"
        one, wide = statistics.median(rates["one"]), statistics.median(rates["spread"])
        for case, rate in (("one", one), ("spread", wide)):
            latencies, refused = figures[case]
            name = f"{'one batch' if case == 'one' else 'spread'} ({label})"
            ratio = f"{one / wide:.2f}" if case == "one" else ""
            print(
                f"{name:<26}{rate:>9.0f}{pct(latencies, 50) * 1000:>9.1f}"
                f"{pct(latencies, 95) * 1000:>9.1f}{refused:>9}{ratio:>8}"
            )
    print("0 oversold, 0 duplicates")
    reset(region, rush, spread, waitlist=True)


if __name__ == "__main__":
    main()
