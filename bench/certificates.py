"""Benchmark: issuing the certificates of a batch (numbers, PDFs, notifications).

    .venv/bin/python bench/certificates.py [--sizes 30,300] [--runs 3]

Builds its own PostgreSQL database (`kompetensi_bench_certificates`, created and migrated on
first use) and a temporary MEDIA_ROOT, then for each size makes a completed batch of that many
participants (with the region's certificate settings and logo) and times
`training.services.certificates.certificate_run_execute` — what the background task
`training.tasks.issue_certificates` runs after a batch is completed: one numbering
transaction, one WeasyPrint PDF (A4 landscape, QR code) per participant, progress every 10,
and the `certificate_ready` notifications. Everything is rolled back afterwards.
Prints the median seconds for the batch, per certificate, and the queries.
Target (shared/PERFORMANCE.md): a 300-participant batch within 60 s on the 2-core machine.
Needs PostgreSQL at BENCH_PG (default postgres://postgres@127.0.0.1:5432).
"""

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("BENCH_CERTIFICATES_DB", "kompetensi_bench_certificates")
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
MEDIA = tempfile.mkdtemp(prefix="bench-certificates-")
PNG_LOGO = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99"
    b"=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _env() -> dict:
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "DJANGO_SETTINGS_MODULE": "kompetensi.settings",
        "CELERY_BROKER_URL": "",
        "REDIS_URL": "",
        "MEDIA_ROOT": MEDIA,
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


def one_run(size: int) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django_scopes import scope

    from regions.models import Employee, Region, Unit
    from training.models import Certificate, CertificateRun, Enrolment, Offering, Program
    from training.services.certificates import (
        certificate_run_execute,
        certificate_settings_update,
    )

    today = timezone.localdate()
    now = timezone.now()
    result = {}
    try:
        with transaction.atomic():
            region = Region.objects.create(
                slug=f"bench-cert-{size}",
                name="Bench",
                kind="kota",
                province="Jawa Tengah",
                agency_name="BKPP Kota Bench",
            )
            with scope(region=region):
                certificate_settings_update(
                    region=region,
                    number_pattern="800/{seq:03d}/BKPP/{year}",
                    signer_name="Drs. Yoga Pamungkas, M.Si.",
                    signer_title="Kepala BKPP Kota Bench",
                    signer_nip="197911182002041003",
                    city="Bench",
                    logo=SimpleUploadedFile("logo.png", PNG_LOGO),
                )
                unit = Unit.objects.create(region=region, code="U", name="Unit")
                people = Employee.objects.bulk_create(
                    Employee(
                        region=region,
                        nip=f"9{size:05d}{i:012d}",
                        name=f"Peserta Sertifikat Nomor {i}, S.Kom.",
                        employment_type="pns",
                        gender="1",
                        birth_date=dt.date(1985, 1, 1),
                        golongan=31,
                        position="Analis",
                        position_type="pelaksana",
                        unit=unit,
                    )
                    for i in range(size)
                )
                program = Program.objects.create(
                    region=region,
                    code="B",
                    title="Pelatihan Pelayanan Publik Prima Berbasis Digital",
                    form_id=3,
                    jp=24,
                    status="published",
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
                    status=Offering.Status.COMPLETED,
                )
                Enrolment.objects.bulk_create(
                    Enrolment(
                        region=region,
                        offering=offering,
                        employee=person,
                        status="completed",
                        source="admin",
                        requested_at=now,
                        confirmed_at=now,
                        completed_at=now,
                        jp_awarded=24,
                    )
                    for person in people
                )
                run = CertificateRun.objects.create(region=region, offering=offering)
                started = time.perf_counter()
                with CaptureQueriesContext(connection) as queries:
                    certificate_run_execute(run_id=run.pk)
                result["seconds"] = time.perf_counter() - started
                result["queries"] = len(queries)
                result["issued"] = Certificate.objects.filter(
                    enrolment__offering=offering, rendered_at__isnull=False
                ).count()
                run.refresh_from_db()
                result["status"] = run.status
            raise Rollback
    except Rollback:
        pass
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="30,300")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    ensure_database()
    os.environ.update(_env())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    print(f"{'participants':>12} {'batch s':>9} {'ms/cert':>8} {'queries':>8} {'issued':>7}")
    for size in (int(s) for s in args.sizes.split(",")):
        runs = [one_run(size) for _ in range(args.runs)]
        seconds = statistics.median(r["seconds"] for r in runs)
        issued = runs[0]["issued"]
        assert runs[0]["status"] == "done" and issued == size, runs[0]
        print(
            f"{size:>12} {seconds:>9.2f} {seconds * 1000 / size:>8.1f} "
            f"{runs[0]['queries']:>8} {issued:>7}"
        )


if __name__ == "__main__":
    main()
