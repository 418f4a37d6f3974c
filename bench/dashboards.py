"""Benchmark: every dashboard at growing region sizes (server time and queries).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kompetensi_dash_bench \\
        .venv/bin/python bench/dashboards.py [--full] [--sizes 1500,15000] [--per-employee 4]
                                             [--runs 5] [--rebuild]

What it does:
1. Uses DATABASE_URL (PostgreSQL: use a database of its own, the bench migrates it and adds
   regions; without DATABASE_URL a SQLite file in the temporary folder). For each size builds
   once, with bulk_create, a region `bench-dash-<size>` of that many employees in 80 units
   (two thirds PNS), a supervisor with 12 direct reports, 60 programmes, batches over last
   year and this year, about `--per-employee` enrolments and as many development records per
   employee (JP spread so that some PNS meet the target and some do not; 8 % have nothing this
   year), plus three small regions of 500 employees for the national comparison; then ANALYZE.
   Built regions are reused on the next run (`--rebuild` builds them again).
2. Opens each dashboard through Django's test client (URL routing, middleware, the region
   scope, the view, the template: the server's work, without the network) `--runs` times and
   prints, for each size, the median server time and the query count, and the ratio of the
   times between sizes, so the growth curve is visible.

Default: two sizes (1,500 and 15,000 employees) with 4 enrolments and 4 records each: a few
minutes on a 2-core machine. `--full`: 1,500, 15,000 and 150,000 employees with 10 of each
(the issue's sizes; building the largest takes a while). Figures, not a test: quote medians.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SQLITE = os.environ.get(
    "BENCH_SQLITE", str(Path(tempfile.gettempdir()) / "kompetensi-bench-dashboards.sqlite3")
)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{SQLITE}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompetensi.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["MFA_REQUIRED_ROLES"] = "none"  # the bench logs in with force_login
os.environ["CELERY_BROKER_URL"] = ""
# The production cache: Redis (a database of the bench's own; `cache.clear()` empties it).
os.environ["REDIS_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

django.setup()
# Pages link static files by name; the bench has no collectstatic manifest.
settings.STORAGES = {
    **settings.STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The background refresh after a write runs in a thread of this process (a worker's stand-in).
settings.KOMPETENSI_TASKS_IN_THREAD = True

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scopes_disabled  # noqa: E402

from regions import nip as nip_rules  # noqa: E402
from regions.models import (  # noqa: E402
    Employee,
    Golongan,
    Membership,
    PositionType,
    Region,
    Unit,
    User,
)
from training.models import (  # noqa: E402
    CompetencyType,
    DeliveryMode,
    DevelopmentForm,
    DevelopmentRecord,
    Enrolment,
    Offering,
    Program,
)

BATCH = 5000
PER_OFFERING = 40
GOLONGAN = [g.value for g in Golongan]
POSITIONS = [p.value for p in PositionType]
NATIONAL_SMALL = 500


def _nip(i: int, employment_type: str) -> str:
    """A valid NIP / NI PPPK, unique for every i (regions use disjoint ranges of i)."""
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=i // 900)
    return nip_rules.build_nip(
        birth_date=birth,
        appointment_year=birth.year + 25,
        appointment_month=1 + i % 12,
        gender=nip_rules.MALE if i % 2 else nip_rules.FEMALE,
        sequence=i % 900 + 1,
        employment_type=employment_type,
        contract_code=50,
    )


def _user(username: str, **kwargs) -> User:
    user, _created = User.objects.get_or_create(username=username, defaults=kwargs)
    return user


def build(*, slug: str, employees: int, per_employee: int, nip_offset: int, today: dt.date):
    rng = random.Random(slug)
    now = timezone.now()
    this_year = today.year
    started = time.perf_counter()
    print(f"building {slug!r}: {employees} employees, ~{per_employee} enrolments/records each …")
    region = Region.objects.create(
        slug=slug,
        name=f"Kota Uji {employees} ({per_employee} per ASN)",
        kind=Region.Kind.KOTA,
        province="Jawa Tengah",
        agency_name=f"BKPSDM Kota Uji {employees}",
    )
    units = Unit.objects.bulk_create(
        Unit(region=region, code=f"OPD{n:03d}", name=f"Perangkat Daerah {n:03d}") for n in range(80)
    )
    people = []
    for i in range(employees):
        is_pns = i % 3 != 2
        kind = Employee.EmploymentType.PNS if is_pns else Employee.EmploymentType.PPPK
        nip = _nip(nip_offset + i, kind)
        parsed = nip_rules.parse_nip(nip, kind)
        people.append(
            Employee(
                region=region,
                nip=nip,
                name=f"Pegawai Uji {i:06d}",
                employment_type=kind,
                gender=parsed.gender,
                birth_date=parsed.birth_date,
                golongan=rng.choice(GOLONGAN) if is_pns else None,
                pppk_grade=None if is_pns else rng.randint(1, 17),
                position="Analis",
                position_type=rng.choice(POSITIONS),
                unit=units[i % len(units)],
            )
        )
    people = Employee.objects.bulk_create(people, batch_size=BATCH)
    # Logins: an admin, a supervisor of 12 and an ASN (the first three employees).
    admin, boss, asn = people[0], people[1], people[2]
    Employee.objects.filter(pk__in=[admin.pk, boss.pk, asn.pk]).update(
        position_type=PositionType.PELAKSANA
    )
    for employee, role in ((admin, "admin"), (boss, "member"), (asn, "member")):
        user = _user(f"{slug}-{role}-{employee.pk}", email=None)
        Employee.objects.filter(pk=employee.pk).update(user=user)
        Membership.objects.get_or_create(user=user, region=region, defaults={"role": role})
    Employee.objects.filter(pk__in=[p.pk for p in people[3:15]]).update(supervisor=boss)

    forms = list(DevelopmentForm.objects.filter(pk__in=[2, 3, 4, 8, 9, 11, 16, 22]))
    programs = Program.objects.bulk_create(
        Program(
            region=region,
            code=f"PRG{n:03d}",
            title=f"Pelatihan Uji {n:03d}",
            form=forms[n % len(forms)],
            competency_type=[CompetencyType.TEKNIS, CompetencyType.MANAJERIAL][n % 2],
            jp=rng.choice([4, 8, 12, 16, 24]),
            delivery_mode=DeliveryMode.TATAP_MUKA,
            planned_budget=Decimal(rng.randint(50, 900) * 1_000_000),
            status=Program.Status.PUBLISHED,
        )
        for n in range(60)
    )
    n_offerings = max(2, employees * per_employee // PER_OFFERING)
    first = dt.date(this_year - 1, 1, 1)
    span = (today - first).days + 60
    offerings = []
    for n in range(n_offerings):
        start = first + dt.timedelta(days=rng.randrange(span))
        end = start + dt.timedelta(days=rng.choice([0, 1, 2, 4]))
        offerings.append(
            Offering(
                region=region,
                program=programs[n % len(programs)],
                name=f"Angkatan {n:05d}",
                start_date=start,
                end_date=end,
                enrolment_opens=start - dt.timedelta(days=30),
                enrolment_closes=start - dt.timedelta(days=2),
                seats=PER_OFFERING + 10,
                requires_approval=True,
                cost_per_participant=Decimal(rng.choice([250, 500, 750, 1500]) * 1000),
                status=Offering.Status.COMPLETED if end < today else Offering.Status.OPEN,
            )
        )
    offerings = Offering.objects.bulk_create(offerings, batch_size=BATCH)
    rows, completed = [], []
    for offering in offerings:
        done = offering.status == Offering.Status.COMPLETED
        for person in rng.sample(people, min(PER_OFFERING, len(people))):
            roll = rng.random()
            if done:
                status = "completed" if roll < 0.8 else "no_show" if roll < 0.9 else "cancelled"
            else:
                status = "confirmed" if roll < 0.7 else "requested" if roll < 0.9 else "waitlisted"
            pre = post = jp = None
            if status == "completed":
                pre = Decimal(rng.randint(40, 85))
                post = min(Decimal(100), pre + rng.randint(-10, 30))
                jp = Decimal(rng.choice([2, 4, 6]))
            rows.append(
                Enrolment(
                    region=region,
                    offering=offering,
                    employee=person,
                    status=status,
                    source=Enrolment.Source.SELF,
                    requested_at=now,
                    completed_at=now if status == "completed" else None,
                    pre_test_score=pre,
                    post_test_score=post,
                    jp_awarded=jp,
                )
            )
        if len(rows) >= BATCH:
            completed += [e for e in Enrolment.objects.bulk_create(rows) if e.jp_awarded]
            rows = []
    completed += [e for e in Enrolment.objects.bulk_create(rows, batch_size=BATCH) if e.jp_awarded]
    by_id = {o.pk: o for o in offerings}
    records = []
    for enrolment in completed:
        offering = by_id[enrolment.offering_id]
        records.append(
            DevelopmentRecord(
                region=region,
                employee_id=enrolment.employee_id,
                year=offering.end_date.year,
                source=DevelopmentRecord.Source.ENROLMENT,
                enrolment=enrolment,
                program_id=offering.program_id,
                title=offering.name,
                form_id=offering.program.form_id,
                organiser=region.agency_name,
                start_date=offering.start_date,
                end_date=offering.end_date,
                jp=enrolment.jp_awarded,
                status=DevelopmentRecord.Status.VERIFIED,
                verified_at=now,
            )
        )
    # External records: about `per_employee` a head, none for 8 % of people this year.
    this_year_days = max(1, (today - dt.date(this_year, 1, 1)).days)
    for i, person in enumerate(people):
        if i % 25 in (1, 2):
            continue
        for n in range(max(0, per_employee - 1)):
            year = this_year if n % 2 == 0 else this_year - 1
            day = (
                dt.date(this_year, 1, 1) + dt.timedelta(days=rng.randrange(this_year_days))
                if year == this_year
                else dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
            )
            records.append(
                DevelopmentRecord(
                    region=region,
                    employee=person,
                    year=year,
                    source=DevelopmentRecord.Source.EXTERNAL,
                    title=f"Kegiatan luar {i}-{n}",
                    form_id=9,
                    organiser="BPSDM Provinsi",
                    start_date=day,
                    end_date=day,
                    jp=Decimal(rng.choice([2, 4, 6, 8, 10, 12])),
                    status=DevelopmentRecord.Status.VERIFIED
                    if rng.random() < 0.85
                    else DevelopmentRecord.Status.SUBMITTED,
                )
            )
    DevelopmentRecord.objects.bulk_create(records, batch_size=BATCH)
    print(
        f"  {len(people)} employees, {len(offerings)} batches, "
        f"{Enrolment.objects.filter(region=region).count()} enrolments, "
        f"{len(records)} records in {time.perf_counter() - started:.0f} s"
    )
    return region


def ensure(*, slug, employees, per_employee, nip_offset, rebuild, today):
    region = Region.objects.filter(slug=slug).first()
    if region is not None and f"({per_employee} per ASN)" not in region.name:
        rebuild = True  # built with another number of rows per employee
    if region is not None and rebuild:
        print(f"dropping {slug!r} …")
        for model in (DevelopmentRecord, Enrolment, Offering, Program):
            model.objects.filter(region=region).delete()
        Membership.objects.filter(region=region).delete()
        User.objects.filter(username__startswith=f"{slug}-").delete()
        Employee.objects.filter(region=region).delete()
        Unit.objects.filter(region=region).delete()
        region.delete()
        region = None
    if region is None:
        region = build(
            slug=slug,
            employees=employees,
            per_employee=per_employee,
            nip_offset=nip_offset,
            today=today,
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return region


def logins(region) -> dict:
    people = list(Employee.objects.filter(region=region).order_by("id")[:3])
    return {"admin": people[0].user, "team": people[1].user, "asn": people[2].user}


def _open(client, url) -> tuple[float, int]:
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
        elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise SystemExit(f"{url}: HTTP {response.status_code}")
    return elapsed * 1000, len(captured.captured_queries)


def _wait_for_background_tasks() -> None:
    for thread in threading.enumerate():
        if thread.name == "kompetensi-task":
            thread.join()


def time_page(client, url, runs, write=None) -> dict:
    """`first`: the first open (every figure computed); `again`: the median of `runs` more
    while the data do not change (the figures come from the cache). With `write` (a function
    that changes the region's data): `stale`, the open right after it (the previous figures,
    a background refresh queued), and `fresh`, the open after that refresh finished."""
    cache.clear()
    result = {"first": _open(client, url)}
    again = [_open(client, url) for _run in range(runs)]
    result["again"] = (statistics.median(t for t, _q in again), again[-1][1])
    if write is not None:
        stale = []
        for _run in range(runs):
            write()
            stale.append(_open(client, url))
            _wait_for_background_tasks()
        result["stale"] = (statistics.median(t for t, _q in stale), stale[-1][1])
        result["fresh"] = _open(client, url)
    return result


def touch(region):
    """A write to the region's data: one development record saved again (its marker moves)."""

    def write():
        with scopes_disabled():
            DevelopmentRecord.objects.filter(
                pk=DevelopmentRecord.objects.filter(region=region).order_by("pk").values("pk")[:1]
            ).update(jp=F("jp"))

    return write


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="1.5k, 15k and 150k, 10 rows each")
    parser.add_argument("--sizes", default="", help="comma-separated employee counts")
    parser.add_argument("--per-employee", type=int, default=0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    sizes = [1500, 15000, 150000] if args.full else [1500, 15000]
    if args.sizes:
        sizes = [int(s) for s in args.sizes.split(",")]
    per_employee = args.per_employee or (10 if args.full else 4)
    today = timezone.localdate()

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    if connection.vendor != "postgresql":
        print("note: the targets are for PostgreSQL; SQLite figures are for trying it out")
    call_command("migrate", verbosity=0)
    if connection.vendor == "postgresql":  # as docker-compose.yml runs PostgreSQL
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER DATABASE {connection.settings_dict['NAME']} SET jit = off")
        connection.close()
    with scopes_disabled():
        regions = {}
        for size in sizes:
            regions[size] = ensure(
                slug=f"bench-dash-{size}",
                employees=size,
                per_employee=per_employee,
                # Disjoint NIP ranges per size (birth dates stay plausible).
                nip_offset={1500: 0, 15000: 10_000, 150000: 30_000}.get(size, 200_000),
                rebuild=args.rebuild,
                today=today,
            )
        for n in range(3):
            ensure(
                slug=f"bench-dash-kecil-{n}",
                employees=NATIONAL_SMALL,
                per_employee=4,
                nip_offset=400_000 + 1_000 * n,
                rebuild=args.rebuild,
                today=today,
            )
        viewer = _user("bench-nasional", email=None, is_national_viewer=True)
        people = {size: logins(region) for size, region in regions.items()}

    client = Client()
    pages = [
        ("ASN", "asn", "dashboards:asn", "", False),
        ("tim (atasan)", "team", "dashboards:team", "", False),
        ("wilayah (admin)", "admin", "dashboards:region", "", True),
        ("daftar di bawah target", "admin", "dashboards:region_people", "?kategori=below", False),
        ("tanpa pengembangan", "admin", "dashboards:region_people", "?kategori=none", False),
        ("penghargaan (pratinjau)", "admin", "dashboards:recognition", "", False),
    ]
    results: dict[str, dict[int, dict]] = {}
    for label, who, name, query, refreshed in pages:
        for size, region in regions.items():
            client.force_login(people[size][who])
            url = reverse(name, kwargs={"region_slug": region.slug}) + query
            write = touch(region) if refreshed else None
            results.setdefault(label, {})[size] = time_page(client, url, args.runs, write)
    client.force_login(viewer)
    national = time_page(
        client, reverse("national:dashboard"), args.runs, touch(regions[sizes[-1]])
    )

    def cell(result, kind):
        if kind not in result:
            return f"{'':>16}"
        ms, queries = result[kind]
        return f"{f'{ms:.0f} ms / {queries} q':>16}"

    kinds = ("first", "again", "stale", "fresh")
    print()
    print(
        f"server time and queries; {per_employee} enrolments and records per employee. "
        f"first: every figure computed; again: median of {args.runs} more opens; "
        f"stale: median of {args.runs} opens each right after a write (previous figures shown, "
        "a background refresh queued); fresh: the open after that refresh"
    )
    for size in sizes:
        print()
        header = f"{f'{size:,} employees':<26}" + "".join(f"{k:>16}" for k in kinds)
        print(header)
        print("-" * len(header))
        for label, by_size in results.items():
            print(f"{label:<26}" + "".join(cell(by_size[size], k) for k in kinds))
    print()
    print(
        f"{'nasional (all regions)':<26}"
        + "".join(cell(national, k) for k in kinds)
        + f"   ({Region.objects.count()} regions)"
    )
    if len(sizes) > 1:
        print()
        print("growth of the first open's server time between sizes (data ×10 each step):")
        for label, by_size in results.items():
            steps = ", ".join(
                f"×{by_size[b]['first'][0] / by_size[a]['first'][0]:.1f}"
                for a, b in zip(sizes, sizes[1:], strict=False)
            )
            print(f"  {label:<26}{steps}")


if __name__ == "__main__":
    main()
