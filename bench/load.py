"""Load bench: the portal under gunicorn on PostgreSQL, driven by many clients on loopback.

    .venv/bin/python bench/load.py                       # short run (~3 minutes)
    .venv/bin/python bench/load.py --asn 15000 --small 1500 --clients 25 --duration 300 \\
        --rush 500                                        # the full size (issue 15)

Builds its own database (`kompetensi_bench_load`, created and migrated on first use; data
built once and reused) with a big region of `--asn` ASN and three smaller ones of `--small`,
starts gunicorn (`--workers`, default 4) on a free loopback port with the Redis cache and
broker (`BENCH_REDIS`, default redis://127.0.0.1:6379/14, flushed at the end; no Celery
worker runs: notification e-mails wait in the queue, as in a broker outage), then:

1. **Mix** — `--clients` processes for `--duration` seconds, each logged in as an ASN or an
   admin of a random region, request a realistic mix: catalogue and programme pages, the home
   page, my enrolments and my JP, dashboards (the region's for admins, the ASN's own),
   admin lists (employees, batches), API pulls (enrolments, 100 a page) and API enrolments
   into open batches.
2. **Rush** — `--rush` concurrent API enrolments (Idempotency-Key each) on *one* batch of 5
   seats with a waitlist, then the same number spread over as many batches, side by side:
   throughput ratio one/spread (goal ≥ 0.8).
3. **Arrival** — `--rush` enrolments arriving evenly over 10 s on one fresh batch: p95
   (goal < 1 s).

Prints throughput, p50/p95/p99 and errors per kind, and checks in the database that no batch
holds more confirmed enrolments than seats and nobody is enrolled twice. Figures, not a test
(docs/performance.md). Needs PostgreSQL at BENCH_PG (default postgres://postgres@127.0.0.1:5432).
"""

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("BENCH_LOAD_DB", "kompetensi_bench_load")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/14")
SEATS = 5


def _env() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "DJANGO_SETTINGS_MODULE": "kompetensi.settings",
        "REDIS_URL": REDIS,
        "CELERY_BROKER_URL": REDIS,
        "DEBUG": "false",
        "SECRET_KEY": "bench-load-not-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "MFA_REQUIRED_ROLES": "none",
        "KOMPETENSI_API_THROTTLE_RATE": "100000/min",
        "LOG_LEVEL": "WARNING",
        # DEBUG=false serves hashed static files from a manifest: collected once, here.
        "STATIC_ROOT": os.environ.get("BENCH_STATIC_ROOT", "/tmp/kompetensi-bench-static"),
    }


def ensure_database() -> None:
    import psycopg2

    conn = psycopg2.connect(f"{PG}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB_NAME,))
        if cur.fetchone() is None:
            cur.execute(f'CREATE DATABASE "{DB_NAME}"')
        cur.execute(f'ALTER DATABASE "{DB_NAME}" SET jit = off')  # as docker-compose.yml runs it
    conn.close()
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=_env(), check=True)


# --- Data ----------------------------------------------------------------------------------------


def _region(slug, name, size, today):
    from django.contrib.auth.hashers import make_password
    from django_scopes import scope

    from regions.models import Employee, Membership, Region, Unit, User
    from training.models import Offering, Program

    region = Region.objects.create(slug=slug, name=name, kind="kota", province="Jawa Tengah")
    with scope(region=region):
        units = Unit.objects.bulk_create(
            Unit(region=region, code=f"U{i}", name=f"Dinas {i}") for i in range(20)
        )
        password = make_password(None)
        users = User.objects.bulk_create(
            User(username=f"{slug}-{i}", password=password) for i in range(size)
        )
        Employee.objects.bulk_create(
            Employee(
                region=region,
                user=user,
                nip=f"{abs(hash(slug)) % 9 + 1}{len(slug):02d}{i:015d}",
                name=f"Pegawai {i}",
                employment_type="pns",
                gender="1",
                birth_date=dt.date(1985, 1, 1),
                golongan=31,
                position="Analis",
                position_type="pelaksana",
                unit=units[i % len(units)],
            )
            for i, user in enumerate(users)
        )
        Membership.objects.bulk_create(
            Membership(user=user, region=region, role="admin" if i < 3 else "member")
            for i, user in enumerate(users)
        )
        programs = Program.objects.bulk_create(
            Program(
                region=region,
                code=f"P{i}",
                title=f"Pelatihan {i}",
                form_id=3,
                jp=24,
                status="published",
            )
            for i in range(30)
        )
        Offering.objects.bulk_create(
            Offering(
                region=region,
                program=programs[i % len(programs)],
                name=f"Angkatan {i}",
                start_date=today + dt.timedelta(days=30),
                end_date=today + dt.timedelta(days=32),
                enrolment_opens=today - dt.timedelta(days=1),
                enrolment_closes=today + dt.timedelta(days=20),
                seats=40,
                has_waitlist=True,
                status=Offering.Status.OPEN,
            )
            for i in range(60)
        )
    return region


def build(asn: int, small: int) -> None:
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from regions.models import Region

    with scopes_disabled():
        if Region.objects.filter(slug="kota-besar").exists():
            return
    today = timezone.localdate()
    print(f"building data: {asn} + 3 × {small} ASN ...", flush=True)
    _region("kota-besar", "Kota Besar", asn, today)
    for slug in ("kab-satu", "kab-dua", "kota-tiga"):
        _region(slug, slug.replace("-", " ").title(), small, today)


def prepare(rush: int) -> dict:
    """Sessions, an API token per region and fresh rush batches for this run."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone
    from django_scopes import scope, scopes_disabled

    from regions.api_clients import api_client_create
    from regions.models import Employee, Membership, Region
    from training.models import Offering, Program

    today = timezone.localdate()
    plan = {"regions": [], "run": uuid.uuid4().hex[:8]}
    with scopes_disabled():
        regions = list(
            Region.objects.filter(slug__in=["kota-besar", "kab-satu", "kab-dua", "kota-tiga"])
        )
    for region in regions:
        with scope(region=region):
            members = list(
                Employee.objects.filter(user__isnull=False)
                .select_related("user")
                .order_by("id")[:200]
            )
            admins = set(Membership.objects.filter(role="admin").values_list("user_id", flat=True))
            sessions = []
            for employee in members[:40]:
                store = SessionStore()
                store[SESSION_KEY] = str(employee.user.pk)
                store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
                store[HASH_SESSION_KEY] = employee.user.get_session_auth_hash()
                store.create()
                sessions.append((store.session_key, employee.user_id in admins))
            client = api_client_create(
                region=region,
                name=f"bench {plan['run']}",
                scopes=["read", "enrol"],
            )
            offerings = list(
                Offering.objects.filter(name__startswith="Angkatan").values_list("id", flat=True)
            )
            programs = list(Program.objects.values_list("id", flat=True))
            nips = list(Employee.objects.order_by("id").values_list("nip", flat=True))
            plan["regions"].append(
                {
                    "slug": region.slug,
                    "sessions": sessions,
                    "token": client.token,
                    "offerings": offerings,
                    "programs": programs,
                    "nips": nips,
                }
            )
    big = next(r for r in regions if r.slug == "kota-besar")
    with scope(region=big):
        program = Program.objects.first()

        def batch(name, seats):
            return Offering(
                region=big,
                program=program,
                name=name,
                start_date=today + dt.timedelta(days=40),
                end_date=today + dt.timedelta(days=41),
                enrolment_opens=today - dt.timedelta(days=1),
                enrolment_closes=today + dt.timedelta(days=30),
                seats=seats,
                has_waitlist=True,
                status=Offering.Status.OPEN,
            )

        run = plan["run"]
        one = Offering.objects.bulk_create([batch(f"Rush {run}", SEATS)])[0]
        spread = Offering.objects.bulk_create(
            [batch(f"Rush {run} {i}", SEATS) for i in range(rush)]
        )
        arrival = Offering.objects.bulk_create([batch(f"Arrival {run}", SEATS)])[0]
    plan["rush"] = {"one": one.pk, "spread": [o.pk for o in spread], "arrival": arrival.pk}
    return plan


# --- Clients -------------------------------------------------------------------------------------


class Http:
    def __init__(self, port):
        import http.client

        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def request(self, method, path, *, headers=None, body=None):
        import http.client

        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                response.read()
                return response.status
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
                if attempt:
                    return 599
        return 599


def _mix_client(port, plan, deadline, seed, out):
    rng = random.Random(seed)
    http = Http(port)
    region = rng.choice(plan["regions"])
    session, is_admin = rng.choice(region["sessions"])
    cookie = {"Cookie": f"sessionid={session}"}
    api = {"Authorization": f"Bearer {region['token']}"}
    slug = region["slug"]
    kinds = [
        ("catalogue", 20), ("programme", 15), ("home", 10), ("my_enrolments", 8), ("my_jp", 8),
        ("admin_employees", 5), ("admin_batches", 5), ("api_pull", 15), ("api_enrol", 14),
        ("dashboard", 8),
    ]  # fmt: skip
    names, weights = zip(*kinds, strict=True)
    samples = []
    while time.monotonic() < deadline:
        kind = rng.choices(names, weights)[0]
        started = time.perf_counter()
        if kind == "catalogue":
            status = http.request("GET", f"/{slug}/katalog/", headers=cookie)
        elif kind == "programme":
            pk = rng.choice(region["programs"])
            status = http.request("GET", f"/{slug}/katalog/program/{pk}/", headers=cookie)
        elif kind == "home":
            status = http.request("GET", f"/{slug}/", headers=cookie)
        elif kind == "my_enrolments":
            status = http.request("GET", f"/{slug}/pendaftaran-saya/", headers=cookie)
        elif kind == "my_jp":
            status = http.request("GET", f"/{slug}/jp-saya/", headers=cookie)
        elif kind == "admin_employees":
            status = http.request("GET", f"/{slug}/kelola/pegawai/", headers=cookie)
            status = 200 if status == 403 and not is_admin else status
        elif kind == "admin_batches":
            status = http.request("GET", f"/{slug}/kelola/angkatan/", headers=cookie)
            status = 200 if status == 403 and not is_admin else status
        elif kind == "dashboard":  # the region's for an admin, the ASN's own otherwise
            path = f"/{slug}/dasbor/wilayah/" if is_admin else f"/{slug}/dasbor/"
            status = http.request("GET", path, headers=cookie)
        elif kind == "api_pull":
            status = http.request("GET", "/api/v1/enrolments/?page_size=100", headers=api)
        else:
            body = json.dumps(
                {"offering": rng.choice(region["offerings"]), "nip": rng.choice(region["nips"])}
            )
            status = http.request(
                "POST",
                "/api/v1/enrolments/",
                headers={**api, "Content-Type": "application/json"},
                body=body,
            )
            status = 200 if status in (400, 409) else status  # refusals are answers
        samples.append((kind, time.perf_counter() - started, status))
    out.put(samples)


def _enrol_client(port, token, jobs, start_at, out):
    http = Http(port)
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    samples = []
    for offset, offering, nip in jobs:
        wait = start_at + offset - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        started = time.perf_counter()
        status = http.request(
            "POST",
            "/api/v1/enrolments/",
            headers={**headers, "Idempotency-Key": uuid.uuid4().hex},
            body=json.dumps({"offering": offering, "nip": nip}),
        )
        samples.append(("enrol", time.perf_counter() - started, status))
    out.put(samples)


def _run(target, argsets):
    context = multiprocessing.get_context("fork")
    out = context.Queue()
    processes = [context.Process(target=target, args=(*args, out)) for args in argsets]
    for process in processes:
        process.start()
    samples = []
    for _ in processes:
        samples += out.get()
    for process in processes:
        process.join()
    return samples


def _enrolments(port, token, pairs, clients, *, spread_over=0.0):
    """Send (offering, nip) pairs from `clients` processes; all at once, or evenly over
    `spread_over` seconds. Returns (seconds, samples)."""
    jobs = [
        (spread_over * i / max(len(pairs), 1), offering, nip)
        for i, (offering, nip) in enumerate(pairs)
    ]
    start_at = time.monotonic() + 1.0
    argsets = [(port, token, jobs[i::clients], start_at) for i in range(clients)]
    samples = _run(_enrol_client, argsets)
    return time.monotonic() - start_at, samples


# --- Report --------------------------------------------------------------------------------------


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def table(title, samples, seconds):
    print(f"\n{title}")
    print(
        f"{'kind':<18}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>8}"
    )
    kinds = sorted({kind for kind, _t, _s in samples})
    for kind in [*kinds, "all"]:
        rows = [s for s in samples if kind == "all" or s[0] == kind]
        times = [t for _k, t, _s in rows]
        errors = sum(1 for _k, _t, status in rows if status >= 500 or status in (401, 403, 404))
        print(
            f"{kind:<18}{len(rows):>9}{len(rows) / seconds:>8.1f}{pct(times, 50) * 1000:>9.0f}"
            f"{pct(times, 95) * 1000:>9.0f}{pct(times, 99) * 1000:>9.0f}{errors:>8}"
        )


def check_database() -> tuple[int, int]:
    from django.db.models import Count, F
    from django_scopes import scopes_disabled

    from training.models import Enrolment

    with scopes_disabled():
        confirmed = (
            Enrolment.objects.filter(status=Enrolment.Status.CONFIRMED)
            .values("offering", "offering__seats")
            .annotate(n=Count("id"))
        )
        oversold = confirmed.filter(n__gt=F("offering__seats")).count()
        duplicates = (
            Enrolment.objects.filter(status__in=Enrolment.LIVE_STATUSES)
            .values("offering", "employee")
            .annotate(n=Count("id"))
            .filter(n__gt=1)
            .count()
        )
    return oversold, duplicates


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--asn", type=int, default=3000, help="ASN of the big region")
    parser.add_argument("--small", type=int, default=300, help="ASN of each smaller region")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--duration", type=int, default=60, help="seconds of the mix")
    parser.add_argument("--rush", type=int, default=200, help="enrolments of each rush")
    args = parser.parse_args()

    ensure_database()
    os.environ.update(_env())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connections

    build(args.asn, args.small)
    plan = prepare(args.rush)
    connections.close_all()

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "kompetensi.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(args.workers), "--timeout", "120",
         "--log-level", "warning"],
        cwd=ROOT, env=_env(), start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if Http(port).request("GET", "/healthz") == 200:
                    break
            except OSError:
                pass
            time.sleep(0.5)
        print(
            f"gunicorn {args.workers} workers, {args.clients} clients, big region {args.asn} "
            f"ASN + 3 × {args.small}, {os.cpu_count()} CPUs"
        )
        started = time.monotonic()
        deadline = started + args.duration
        samples = _run(_mix_client, [(port, plan, deadline, seed) for seed in range(args.clients)])
        table(f"mix, {args.duration} s", samples, time.monotonic() - started)

        big = next(r for r in plan["regions"] if r["slug"] == "kota-besar")
        nips = big["nips"][: args.rush]
        rush = plan["rush"]
        clients = max(args.clients, 8)
        one_s, one = _enrolments(port, big["token"], [(rush["one"], n) for n in nips], clients)
        wide_s, wide = _enrolments(
            port, big["token"], list(zip(rush["spread"], nips, strict=False)), clients
        )
        table(f"rush: {len(nips)} enrolments on one batch of {SEATS} seats", one, one_s)
        table(f"spread: the same {len(nips)} over {len(nips)} batches", wide, wide_s)
        ratio = (len(one) / one_s) / (len(wide) / wide_s)
        arrival_s, arrival = _enrolments(
            port, big["token"], [(rush["arrival"], n) for n in nips], clients, spread_over=10.0
        )
        table(f"arrival: {len(nips)} enrolments over 10 s on one batch", arrival, arrival_s)
        p95 = pct([t for _k, t, _s in arrival], 95)
        oversold, duplicates = check_database()
        print(
            f"\nrush throughput ratio one/spread: {ratio:.2f} (goal ≥ 0.8); "
            f"arrival p95: {p95 * 1000:.0f} ms (goal < 1000); "
            f"oversold batches: {oversold}; duplicate enrolments: {duplicates}"
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        import redis

        redis.Redis.from_url(REDIS).flushdb()  # the bench's own Redis database only


if __name__ == "__main__":
    main()
