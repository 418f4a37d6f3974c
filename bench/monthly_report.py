"""Benchmark: the monthly region report of a big city (15,000 ASN, ~150,000 enrolments).

    .venv/bin/python bench/monthly_report.py [--employees 15000] [--enrolments 150000]
                                             [--period 2025-10] [--runs 3] [--rebuild]

What it does:
1. Uses DATABASE_URL when given (e.g. postgres://postgres@127.0.0.1:5432/kompetensi_bench —
   use a database of its own: it migrates it and adds a region), else a SQLite file in the
   temporary folder (BENCH_SQLITE overrides the path). Builds once with bulk_create, reused afterwards: one region
   with 80 units, `--employees` employees (two thirds PNS, one third PPPK), 60 programmes,
   offerings over 2024–2025 and `--enrolments` enrolments, the JP records of every completed
   enrolment plus external records, then ANALYZE.
2. Generates the report of `--period` `--runs` times — figures (the SQL aggregates) and the PDF
   (WeasyPrint), exactly what the background task does before storing the file — and prints
   each run, the median, the query count and the PDF's size and pages.

Figures, not a test: run it on an otherwise idle machine and quote the median.
"""

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SQLITE = os.environ.get(
    "BENCH_SQLITE", str(Path(tempfile.gettempdir()) / "kompetensi-bench-monthly-report.sqlite3")
)
os.environ.setdefault("DATABASE_URL", f"sqlite:///{SQLITE}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompetensi.settings")
os.environ.setdefault("DEBUG", "false")  # no query log kept in memory while building
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ["CELERY_BROKER_URL"] = ""
os.environ["REDIS_URL"] = ""

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_scopes import scope, scopes_disabled  # noqa: E402

from evaluations import selectors  # noqa: E402
from evaluations.services import reports  # noqa: E402
from regions import nip as nip_rules  # noqa: E402
from regions.models import Employee, Golongan, PositionType, Region, Unit  # noqa: E402
from training.models import (  # noqa: E402
    CompetencyType,
    DeliveryMode,
    DevelopmentForm,
    DevelopmentRecord,
    Enrolment,
    Offering,
    Program,
)

SLUG = "bench-laporan"
BATCH = 5000
PER_OFFERING = 50
GOLONGAN = [g.value for g in Golongan]


def _nip(i: int, employment_type: str) -> str:
    """A valid, unique NIP / NI PPPK for employee number i."""
    birth = dt.date(1965, 1, 1) + dt.timedelta(days=i // 900)
    return nip_rules.build_nip(
        birth_date=birth,
        appointment_year=birth.year + 25,
        appointment_month=1 + i % 12,
        gender=nip_rules.MALE if i % 2 else nip_rules.FEMALE,
        sequence=i % 900 + 1,
        employment_type=employment_type,
        contract_code=50,  # never a month, so never equal to a PNS NIP
    )


def build(*, employees: int, enrolments: int) -> Region:
    rng = random.Random(20251024)
    now = timezone.now()
    print(f"building region {SLUG!r}: {employees} employees, ~{enrolments} enrolments …")
    started = time.perf_counter()
    with scopes_disabled():
        region = Region.objects.create(
            slug=SLUG,
            name="Kota Uji Beban",
            kind=Region.Kind.KOTA,
            province="Jawa Tengah",
            agency_name="BKPP Kota Uji Beban",
        )
        units = Unit.objects.bulk_create(
            Unit(region=region, code=f"OPD{n:03d}", name=f"Perangkat Daerah {n:03d}")
            for n in range(80)
        )
        people = []
        for i in range(employees):
            is_pns = i % 3 != 2
            kind = Employee.EmploymentType.PNS if is_pns else Employee.EmploymentType.PPPK
            nip = _nip(i, kind)
            parsed = nip_rules.parse_nip(nip, kind)
            people.append(
                Employee(
                    region=region,
                    nip=nip,
                    name=f"Pegawai Uji {i:05d}",
                    employment_type=kind,
                    gender=parsed.gender,
                    birth_date=parsed.birth_date,
                    golongan=rng.choice(GOLONGAN) if is_pns else None,
                    pppk_grade=None if is_pns else rng.randint(1, 17),
                    position="Analis",
                    position_type=PositionType.PELAKSANA,
                    unit=units[i % len(units)],
                )
            )
        people = Employee.objects.bulk_create(people, batch_size=BATCH)
        forms = list(DevelopmentForm.objects.filter(pk__in=[2, 3, 4, 8, 11, 16]))
        programs = Program.objects.bulk_create(
            Program(
                region=region,
                code=f"PRG{n:03d}",
                title=f"Pelatihan Uji {n:03d}",
                form=forms[n % len(forms)],
                competency_type=CompetencyType.TEKNIS,
                jp=rng.choice([8, 12, 16, 24, 32, 40]),
                delivery_mode=DeliveryMode.TATAP_MUKA,
                planned_budget=Decimal(rng.randint(50, 900) * 1_000_000),
                status=Program.Status.PUBLISHED,
            )
            for n in range(60)
        )
        n_offerings = max(1, enrolments // PER_OFFERING)
        first, span = dt.date(2024, 1, 1), 730
        offerings = []
        for n in range(n_offerings):
            start = first + dt.timedelta(days=rng.randrange(span - 5))
            end = start + dt.timedelta(days=rng.choice([0, 1, 2, 4]))
            offerings.append(
                Offering(
                    region=region,
                    program=programs[n % len(programs)],
                    name=f"Angkatan {n:04d}",
                    start_date=start,
                    end_date=end,
                    enrolment_opens=start - dt.timedelta(days=30),
                    enrolment_closes=start - dt.timedelta(days=2),
                    seats=rng.choice([40, 50, 60, 100]),
                    requires_approval=False,
                    cost_per_participant=Decimal(rng.choice([250, 500, 750, 1500]) * 1000),
                    status=Offering.Status.COMPLETED
                    if end < dt.date(2025, 11, 1)
                    else Offering.Status.OPEN,
                )
            )
        offerings = Offering.objects.bulk_create(offerings, batch_size=BATCH)
        print(f"  {len(people)} employees, {len(offerings)} offerings")

        program_jp = {p.pk: p.jp for p in programs}
        program_form = {p.pk: p.form_id for p in programs}
        rows, done = [], []
        for offering in offerings:
            completed = offering.status == Offering.Status.COMPLETED
            for person in rng.sample(people, PER_OFFERING):
                roll = rng.random()
                if completed:
                    status = (
                        "completed"
                        if roll < 0.8
                        else "no_show"
                        if roll < 0.88
                        else "cancelled"
                        if roll < 0.95
                        else "rejected"
                    )
                else:
                    status = (
                        "confirmed"
                        if roll < 0.7
                        else "requested"
                        if roll < 0.8
                        else "waitlisted"
                        if roll < 0.9
                        else "cancelled"
                    )
                pre = post = jp = None
                if status == "completed":
                    pre = Decimal(rng.randint(40, 85))
                    post = min(Decimal(100), max(Decimal(0), pre + rng.randint(-10, 30)))
                    jp = Decimal(program_jp[offering.program_id])
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
                done += _flush(rows)
                rows = []
        done += _flush(rows)
        print(f"  {Enrolment.objects.filter(region=region).count()} enrolments")

        offering_by_id = {o.pk: o for o in offerings}
        records = []
        for enrolment in done:
            offering = offering_by_id[enrolment.offering_id]
            records.append(
                DevelopmentRecord(
                    region=region,
                    employee_id=enrolment.employee_id,
                    year=offering.end_date.year,
                    source=DevelopmentRecord.Source.ENROLMENT,
                    enrolment=enrolment,
                    program_id=offering.program_id,
                    title=offering.name,
                    form_id=program_form[offering.program_id],
                    organiser=region.agency_name,
                    start_date=offering.start_date,
                    end_date=offering.end_date,
                    jp=enrolment.jp_awarded,
                    status=DevelopmentRecord.Status.VERIFIED,
                    verified_at=now,
                )
            )
        for i in range(employees // 3):  # external records, some still waiting
            person = rng.choice(people)
            day = first + dt.timedelta(days=rng.randrange(span))
            records.append(
                DevelopmentRecord(
                    region=region,
                    employee=person,
                    year=day.year,
                    source=DevelopmentRecord.Source.EXTERNAL,
                    title=f"Seminar luar {i}",
                    form_id=9,
                    organiser="BPSDM Provinsi",
                    start_date=day,
                    end_date=day,
                    jp=Decimal(rng.choice([2, 4, 6, 8])),
                    status=DevelopmentRecord.Status.VERIFIED
                    if rng.random() < 0.7
                    else DevelopmentRecord.Status.SUBMITTED,
                )
            )
        DevelopmentRecord.objects.bulk_create(records, batch_size=BATCH)
        print(f"  {len(records)} development records")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"  built in {time.perf_counter() - started:.1f} s")
    return region


def _flush(rows: list) -> list:
    created = Enrolment.objects.bulk_create(rows, batch_size=BATCH)
    return [e for e in created if e.status == "completed"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=15_000)
    parser.add_argument("--enrolments", type=int, default=150_000)
    parser.add_argument("--period", default="2025-10", help="YYYY-MM")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rebuild", action="store_true", help="drop and build the region again")
    args = parser.parse_args()

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    with scopes_disabled():
        region = Region.objects.filter(slug=SLUG).first()
        if region is not None and args.rebuild:
            print("dropping the benchmark region …")
            for model in (DevelopmentRecord, Enrolment, Offering, Program, Employee, Unit):
                model.objects.filter(region=region).delete()
            region.delete()
            region = None
        if region is None:
            region = build(employees=args.employees, enrolments=args.enrolments)
        else:
            print(f"reusing region {SLUG!r} (use --rebuild to build it again)")
        employees = Employee.objects.filter(region=region).count()
        enrolments = Enrolment.objects.filter(region=region).count()
    print(f"region: {employees} employees, {enrolments} enrolments")

    period = dt.date.fromisoformat(f"{args.period}-01")
    totals, figures, renders = [], [], []
    with scope(region=region):
        for run in range(1, args.runs + 1):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                data = selectors.report_monthly_data(region=region, period=period)
            computed = time.perf_counter()
            pdf = reports.report_render_pdf(data=data, generated_at=timezone.now())
            finished = time.perf_counter()
            totals.append(finished - started)
            figures.append(computed - started)
            renders.append(finished - computed)
            print(
                f"run {run}: {finished - started:.2f} s "
                f"(figures {computed - started:.2f} s in {len(queries.captured_queries)} queries, "
                f"PDF {finished - computed:.2f} s, {len(pdf) / 1024:.0f} KiB)"
            )
    from weasyprint import HTML

    html = reports.report_render_html(data=data, generated_at=timezone.now())
    pages = len(HTML(string=html).render().pages)
    print(
        f"period {period:%Y-%m}: {data.participation.offerings} offerings, "
        f"{data.participation.total} enrolments, {data.compliance.total.pns_total} PNS, "
        f"{len(data.flagged)} flagged; PDF {pages} pages"
    )
    print(
        f"median of {args.runs}: {statistics.median(totals):.2f} s "
        f"(figures {statistics.median(figures):.2f} s, PDF {statistics.median(renders):.2f} s)"
    )


if __name__ == "__main__":
    main()
