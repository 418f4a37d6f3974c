"""Benchmark: a full pull of a big region through /api/v1/enrolments/ vs the paged raw floor.

    .venv/bin/python bench/api_pull.py [--rows 150000] [--runs 5] [--page-size 1000]

What it does (shared/PERFORMANCE.md, "API full sync"):
1. Builds (once; reused afterwards) a PostgreSQL database `kompetensi_bench` with one region of
   15,000 employees and `--rows` enrolments spread over 1,000 offerings, written in 1,000
   transactions (so sync positions spread like real writes, with ties), then VACUUM ANALYZE.
2. Starts gunicorn twice with the command line and settings docker-compose uses for `web`
   (DEBUG off, Redis as cache — so the API throttle runs on Redis at its production rate —,
   persistent database connections, an access log, `--worker-tmp-dir /dev/shm`,
   WEB_CONCURRENCY workers): once serving the Django app, once serving the "paged raw floor"
   defined below — a tiny WSGI app doing the same keyset pages `(sync_marker, id) > (…)`
   below the same horizon, over the same rows, joins and columns, with psycopg2 + orjson.
3. Pulls every enrolment page by page (a client that parses each page with orjson), the API
   and the floor interleaved page by page (so load from elsewhere hits both alike), `--runs`
   times, and prints rows/s of each per run, the medians and the ratio.

It uses an API client of its own, made for the run and revoked afterwards: it never rotates or
revokes a token another run may be using. Figures, not a test: run it on an otherwise idle
machine and quote medians and the ratio. Needs PostgreSQL at BENCH_PG (default
postgres://postgres@127.0.0.1:5432) and Redis at BENCH_REDIS (default redis://127.0.0.1:6379/9).
"""

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("BENCH_DB", "kompetensi_bench")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/9")
WORKERS = os.environ.get("WEB_CONCURRENCY", "3")  # docker-compose's default
REGION_SLUG = "bench"
API_PORT, FLOOR_PORT = 8765, 8766

# The floor reads exactly the API's columns (same joins, decimals as float8).
FLOOR_SQL = """
SELECT e.id, e.status, e.source, e.offering_id, o.name, o.start_date, o.end_date,
       o.program_id, p.code, p.title, p.jp, p.form_id, f.name,
       e.employee_id, emp.nip, emp.name, emp.unit_id, u.code, u.name,
       e.requested_at, e.decided_at, e.confirmed_at, e.waitlisted_at, e.cancelled_at,
       e.completed_at, e.attendance_rate::float8, e.pre_test_score::float8,
       e.post_test_score::float8, e.jp_awarded::float8, e.certificate_number,
       e.created_at, e.updated_at, e.sync_marker
FROM training_enrolment e
JOIN training_offering o ON o.id = e.offering_id
JOIN training_program p ON p.id = o.program_id
JOIN training_developmentform f ON f.id = p.form_id
JOIN regions_employee emp ON emp.id = e.employee_id
JOIN regions_unit u ON u.id = emp.unit_id
WHERE e.region_id = %s
  AND e.sync_marker < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
  AND (e.sync_marker, e.id) > (%s, %s)
ORDER BY e.sync_marker, e.id
LIMIT %s
"""
FLOOR_COLUMNS = [
    *("id", "status", "source", "offering_id", "offering_name", "offering_start_date"),
    *("offering_end_date", "programme_id", "programme_code", "programme_title", "programme_jp"),
    *("form_id", "form_name", "employee_id", "employee_nip", "employee_name", "unit_id"),
    *("unit_code", "unit_name", "requested_at", "decided_at", "confirmed_at", "waitlisted_at"),
    *("cancelled_at", "completed_at", "attendance_rate", "pre_test_score", "post_test_score"),
    *("jp_awarded", "certificate_number", "created_at", "updated_at"),
]


# --- The paged raw floor (served by gunicorn: `api_pull:floor_app`) ---------------------------

_floor_conn = None


def floor_app(environ, start_response):
    """Keyset pages with psycopg2 + orjson: `?region=<id>&after=<marker>,<id>&size=<n>`."""
    global _floor_conn
    import psycopg2

    if _floor_conn is None:
        _floor_conn = psycopg2.connect(f"{PG}/{DB_NAME}")
        _floor_conn.autocommit = True
    query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
    region = int(query["region"][0])
    size = int(query.get("size", ["1000"])[0])
    after_marker, after_id = query.get("after", ["0,0"])[0].split(",")
    with _floor_conn.cursor() as cur:
        cur.execute(FLOOR_SQL, (region, int(after_marker), int(after_id), size))
        rows = cur.fetchall()
    results = [dict(zip(FLOOR_COLUMNS, row)) for row in rows]  # noqa: B905 - marker dropped
    after = f"{rows[-1][-1]},{rows[-1][0]}" if rows else None
    body = orjson.dumps({"results": results, "after": after, "has_more": len(rows) == size})
    start_response("200 OK", [("Content-Type", "application/json")])
    return [body]


# --- Data set ----------------------------------------------------------------------------------


def _django_env() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "DJANGO_SETTINGS_MODULE": "kompetensi.settings",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "LOG_LEVEL": "INFO",
        "REDIS_URL": REDIS,
        "CONN_MAX_AGE": "60",
        "WEB_CONCURRENCY": WORKERS,
    }


def ensure_database() -> None:
    import psycopg2

    conn = psycopg2.connect(f"{PG}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,))
        if cur.fetchone() is None:
            print(f"creating database {DB_NAME}")
            cur.execute(f'CREATE DATABASE "{DB_NAME}"')
    conn.close()
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=_django_env(), check=True
    )


def setup_django() -> None:
    os.environ.update(_django_env())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build_data(rows: int) -> tuple[int, str]:
    """(region id, token): builds the data set unless it is already there."""
    import datetime as dt

    from django.db import connection
    from django_scopes import scopes_disabled

    from regions.api_clients import api_client_create
    from regions.models import Employee, Region, Unit
    from training.models import Enrolment, Offering, Program

    with scopes_disabled():
        region, _ = Region.objects.get_or_create(
            slug=REGION_SLUG,
            defaults={
                "name": "Bench",
                "kind": Region.Kind.KOTA,
                "province": "Jawa Tengah",
                "agency_name": "BKPSDM Kota Bench",
            },
        )
        have = Enrolment.objects.filter(region=region).count()
        if have != rows:
            print(f"building {rows:,} enrolments (found {have:,}) …", flush=True)
            started = time.perf_counter()
            Enrolment.objects.filter(region=region).delete()
            Offering.objects.filter(region=region).delete()
            Program.objects.filter(region=region).delete()
            Employee.objects.filter(region=region).delete()
            Unit.objects.filter(region=region).delete()
            units = Unit.objects.bulk_create(
                Unit(region=region, code=f"U{i:03d}", name=f"Dinas Bench {i}") for i in range(60)
            )
            n_employees = 15_000
            employees = Employee.objects.bulk_create(
                (
                    Employee(
                        region=region,
                        nip=f"9{i:017d}",
                        name=f"Pegawai Bench {i}",
                        employment_type="pns",
                        gender="1",
                        birth_date=dt.date(1980, 1, 1),
                        golongan=31,
                        position="Analis",
                        position_type="pelaksana",
                        unit=units[i % len(units)],
                    )
                    for i in range(n_employees)
                ),
                batch_size=5000,
            )
            programs = Program.objects.bulk_create(
                Program(
                    region=region,
                    code=f"B-{i:03d}",
                    title=f"Pelatihan Bench {i}",
                    form_id=1 + i % 25,
                    competency_type="teknis",
                    jp=24,
                    delivery_mode="tatap_muka",
                    status="published",
                )
                for i in range(100)
            )
            n_offerings = 1000
            per_offering = -(-rows // n_offerings)
            start = dt.date(2026, 1, 5)
            offerings = Offering.objects.bulk_create(
                Offering(
                    region=region,
                    program=programs[i % len(programs)],
                    name=f"Angkatan {i}",
                    start_date=start + dt.timedelta(days=i % 300),
                    end_date=start + dt.timedelta(days=i % 300 + 2),
                    enrolment_opens=start - dt.timedelta(days=30),
                    enrolment_closes=start + dt.timedelta(days=i % 300 - 1),
                    seats=per_offering + 10,
                    status="completed",
                )
                for i in range(n_offerings)
            )
            now = dt.datetime.now(dt.UTC)
            batch, made = [], 0
            for k, offering in enumerate(offerings):
                for j in range(per_offering):
                    if made == rows:
                        break
                    employee = employees[(k * per_offering + j) % n_employees]
                    done = j % 5 != 0
                    batch.append(
                        Enrolment(
                            region=region,
                            offering=offering,
                            employee=employee,
                            status="completed" if done else "confirmed",
                            source="self",
                            requested_at=now,
                            confirmed_at=now,
                            completed_at=now if done else None,
                            attendance_rate=100 if done else None,
                            pre_test_score=55.5 if done else None,
                            post_test_score=82.25 if done else None,
                            jp_awarded=24 if done else None,
                            certificate_number=f"BENCH/2026/{made:06d}" if done else "",
                        )
                    )
                    made += 1
                    if len(batch) == 10_000:
                        Enrolment.objects.bulk_create(batch)
                        batch = []
            Enrolment.objects.bulk_create(batch)
            with connection.cursor() as cur:
                # A year of changes, whole seconds (many ties on updated_at), written offering
                # by offering in separate transactions: the sync positions spread like real
                # writes (autocommit: one transaction per statement).
                for offering in offerings:
                    cur.execute(
                        "UPDATE training_enrolment SET updated_at = date_trunc('second', "
                        "now() - interval '1 hour' - random() * interval '365 days') "
                        "WHERE offering_id = %s",
                        [offering.id],
                    )
                cur.execute("VACUUM ANALYZE")
            print(f"built in {time.perf_counter() - started:.0f} s", flush=True)
        # A client of this run only (another run may be using its own right now).
        issued = api_client_create(
            region=region, name=f"bench {os.getpid()} {time.time():.0f}", scopes=["read"]
        )
    return region.id, issued.client.pk, issued.token


def revoke(client_id: int) -> None:
    from django_scopes import scopes_disabled

    from regions.api_clients import api_client_revoke
    from regions.models import ApiClient

    with scopes_disabled():
        api_client_revoke(client=ApiClient.objects.get(pk=client_id))


# --- Servers and client ------------------------------------------------------------------------


def start_gunicorn(
    app: str, port: int, chdir: Path, probe: str, access_log: str
) -> subprocess.Popen:
    """gunicorn as docker-compose starts `web` (workers from WEB_CONCURRENCY)."""
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            app,
            "--chdir",
            str(chdir),
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            access_log,
            "--worker-tmp-dir",
            "/dev/shm",
            "--timeout",
            "60",
        ],
        env=_django_env(),
    )
    for _ in range(100):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", probe)
            conn.getresponse().read()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError(f"gunicorn on port {port} did not start")


def _get(port: int, path: str, headers: dict) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: {response.status} {body[:300]!r}")
    return orjson.loads(body)


def api_pages(token: str, page_size: int):
    """Pull every enrolment through the API; yields (rows, id checksum, seconds) per page."""
    headers = {"Authorization": f"Bearer {token}"}
    path = f"/api/v1/enrolments/?page_size={page_size}"
    while path:
        started = time.perf_counter()
        page = _get(API_PORT, path, headers)
        rows = page["results"]
        nxt = page["next"]
        path = urllib.parse.urlsplit(nxt)._replace(scheme="", netloc="").geturl() if nxt else None
        yield len(rows), sum(row["id"] for row in rows), time.perf_counter() - started


def floor_pages(region_id: int, page_size: int):
    """Pull every enrolment through the floor app; yields like `api_pages`."""
    after = None
    while True:
        started = time.perf_counter()
        path = f"/?region={region_id}&size={page_size}"
        if after:
            path += "&after=" + urllib.parse.quote(after)
        page = _get(FLOOR_PORT, path, {})
        rows = page["results"]
        after = page["after"]
        yield len(rows), sum(row["id"] for row in rows), time.perf_counter() - started
        if not page["has_more"]:
            break


def side_by_side(token: str, region_id: int, page_size: int) -> dict:
    """One run: both pulls interleaved page by page (API page, floor page, …), so a burst of
    load from elsewhere on the machine hits both alike. Returns totals per side."""
    totals = {"api": [0, 0, 0.0], "floor": [0, 0, 0.0]}
    pulls = {"api": api_pages(token, page_size), "floor": floor_pages(region_id, page_size)}
    while pulls:
        for side in list(pulls):
            try:
                n, checksum, seconds = next(pulls[side])
            except StopIteration:
                del pulls[side]
                continue
            totals[side][0] += n
            totals[side][1] += checksum
            totals[side][2] += seconds
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=150_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--page-size", type=int, default=1000)
    args = parser.parse_args()

    ensure_database()
    setup_django()
    region_id, client_id, token = build_data(args.rows)
    from django.conf import settings
    from django.db import connections

    connections.close_all()
    from regions.api_auth import throttle_rate

    print(
        f"production settings: DEBUG={settings.DEBUG}, cache "
        f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}, API throttle "
        f"{throttle_rate()} per client, {WORKERS} gunicorn workers, access log on"
    )
    logs = tempfile.mkdtemp(prefix="api_pull_")
    api = start_gunicorn(
        "kompetensi.wsgi:application", API_PORT, ROOT, "/api/v1/me/", f"{logs}/api.log"
    )
    floor = start_gunicorn(
        "api_pull:floor_app",
        FLOOR_PORT,
        ROOT / "bench",
        f"/?region={region_id}&size=1",
        f"{logs}/floor.log",
    )
    try:
        side_by_side(token, region_id, args.page_size)  # warm-up: workers, caches
        api_rates, floor_rates, ratios = [], [], []
        print(f"\n{'run':>4} {'api rows/s':>12} {'floor rows/s':>13} {'ratio':>7}")
        for run in range(1, args.runs + 1):
            totals = side_by_side(token, region_id, args.page_size)
            (n_api, sum_api, t_api), (n_floor, sum_floor, t_floor) = (
                totals["api"],
                totals["floor"],
            )
            assert (n_api, sum_api) == (n_floor, sum_floor), "API and floor disagree on rows"
            assert n_api == args.rows, f"pulled {n_api} rows, expected {args.rows}"
            api_rates.append(n_api / t_api)
            floor_rates.append(n_floor / t_floor)
            ratios.append(t_api / t_floor)
            print(f"{run:>4} {api_rates[-1]:>12,.0f} {floor_rates[-1]:>13,.0f} {ratios[-1]:>7.2f}")
        api_median = statistics.median(api_rates)
        floor_median = statistics.median(floor_rates)
        print(
            f"\nrows per pull: {args.rows:,}; page size {args.page_size}; "
            f"gunicorn {WORKERS} sync workers"
        )
        print(f"median API   : {api_median:>10,.0f} rows/s")
        print(f"median floor : {floor_median:>10,.0f} rows/s")
        print(
            f"ratio (floor/API medians): {floor_median / api_median:.2f}x  "
            f"(median of per-run ratios {statistics.median(ratios):.2f}x; target <= 1.10x)"
        )
    finally:
        for proc in (api, floor):
            proc.terminate()
            proc.wait(timeout=30)
        revoke(client_id)


if __name__ == "__main__":
    main()
