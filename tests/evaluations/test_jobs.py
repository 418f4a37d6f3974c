"""Integration: the background job runner (claims, progress, failure, idempotence), the
exporters (CSV/XLSX content, filters, region scoping) and the background employee import."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from evaluations import exports
from evaluations.models import BackgroundJob
from evaluations.services import jobs
from regions import nip as nip_rules
from regions.models import Employee, Golongan
from tests.factories.regions import EmployeeFactory
from tests.factories.training import (
    DevelopmentRecordFactory,
    EnrolmentFactory,
    OfferingFactory,
    ProgramFactory,
)
from training.models import DevelopmentRecord, Enrolment

from .conftest import stored_files

pytestmark = pytest.mark.django_db
Status = BackgroundJob.Status


def start(region, user, kind, capture, **params):
    with capture(execute=True), scope(region=region):
        job = jobs.job_start(region=region, user=user, kind=kind, params=params)
    with scopes_disabled():
        job.refresh_from_db()
    return job


def read_csv(job) -> list[list[str]]:
    with job.result_file.open("rb") as handle:
        raw = handle.read()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def read_xlsx(job) -> list[tuple]:
    with job.result_file.open("rb") as handle:
        workbook = load_workbook(io.BytesIO(handle.read()))
    return [tuple(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


@pytest.fixture
def enrolments(region, unit, other_region, other_unit):
    """Three enrolments in region A (two offerings of 2025, one of 2024) and one in region B."""
    program = ProgramFactory(region=region, code="PP-01", title="Pelayanan Prima")
    start_2025 = dt.date(2025, 5, 5)
    o1 = OfferingFactory(
        region=region,
        program=program,
        name="Angkatan I",
        start_date=start_2025,
        end_date=start_2025 + dt.timedelta(days=2),
        enrolment_opens=start_2025 - dt.timedelta(days=20),
        enrolment_closes=start_2025 - dt.timedelta(days=1),
    )
    o2 = OfferingFactory(
        region=region,
        program=program,
        name="Angkatan Lama",
        start_date=dt.date(2024, 6, 3),
        end_date=dt.date(2024, 6, 4),
        enrolment_opens=dt.date(2024, 5, 1),
        enrolment_closes=dt.date(2024, 6, 1),
    )
    ani = EmployeeFactory(region=region, unit=unit, name="Ani Widya")
    budi = EmployeeFactory(region=region, unit=unit, name='=HYPERLINK("x")')
    done = EnrolmentFactory(
        region=region,
        offering=o1,
        employee=ani,
        status=Enrolment.Status.COMPLETED,
        pre_test_score=Decimal("60.50"),
        post_test_score=Decimal("90"),
        jp_awarded=Decimal("24.00"),
        requested_at=timezone.make_aware(dt.datetime(2025, 4, 20, 9, 15)),
    )
    EnrolmentFactory(region=region, offering=o1, employee=budi, status=Enrolment.Status.CONFIRMED)
    EnrolmentFactory(region=region, offering=o2, employee=ani, status=Enrolment.Status.COMPLETED)
    secret = EmployeeFactory(region=other_region, unit=other_unit, name="Rahasia Binjai")
    EnrolmentFactory(
        region=other_region,
        offering=OfferingFactory(
            region=other_region,
            start_date=start_2025,
            end_date=start_2025,
            enrolment_opens=start_2025 - dt.timedelta(days=20),
            enrolment_closes=start_2025 - dt.timedelta(days=1),
        ),
        employee=secret,
        status=Enrolment.Status.COMPLETED,
    )
    return {"o1": o1, "o2": o2, "ani": ani, "budi": budi, "done": done}


# --- Starting and running ----------------------------------------------------------------------


def test_job_is_queued_after_commit_and_runs_once(
    region, admin, enrolments, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, scope(region=region):
        job = jobs.job_start(
            region=region, user=admin.user, kind="export_enrolments", params={"format": "csv"}
        )
    assert job.status == Status.QUEUED
    assert job.params["format"] == "csv" and job.params["language"]
    assert len(callbacks) == 1  # queued only once the transaction commits
    callbacks[0]()
    with scopes_disabled():
        job.refresh_from_db()
    assert job.status == Status.DONE
    assert (job.total, job.done, job.percent) == (3, 3, 100)
    assert job.result == {"rows": 3, "format": "csv"}
    assert job.started_at and job.finished_at
    assert job.result_file.name.startswith(f"jobs/{region.pk}/{job.pk}/pendaftaran-semarang-")

    # A second delivery of the task does nothing: the job is claimed already.
    name = job.result_file.name
    assert jobs.job_run(job_id=job.pk) == "skipped"
    with scopes_disabled():
        job.refresh_from_db()
    assert job.result_file.name == name


def test_a_running_job_is_claimed_again_only_when_its_claim_is_stale(region, admin, enrolments):
    with scopes_disabled():
        job = BackgroundJob.objects.create(
            region=region,
            created_by=admin.user,
            kind="export_employees",
            params={"format": "csv"},
            status=Status.RUNNING,
            started_at=timezone.now(),
        )
    assert jobs.job_run(job_id=job.pk) == "skipped"
    with scopes_disabled():
        BackgroundJob.objects.filter(pk=job.pk).update(
            started_at=timezone.now() - jobs.STALE_AFTER - dt.timedelta(minutes=1)
        )
    assert jobs.job_run(job_id=job.pk) == Status.DONE
    assert jobs.job_run(job_id=999_999) == "missing"


def test_a_job_whose_worker_keeps_dying_is_given_up_after_a_few_attempts(region, admin):
    stale = timezone.now() - jobs.STALE_AFTER - dt.timedelta(minutes=1)
    with scopes_disabled():
        job = BackgroundJob.objects.create(
            region=region,
            created_by=admin.user,
            kind="export_employees",
            params={"format": "csv"},
            status=Status.RUNNING,
            started_at=stale,
            result={"attempts": jobs.MAX_ATTEMPTS},
        )
    assert jobs.job_run(job_id=job.pk) == Status.FAILED
    with scopes_disabled():
        job.refresh_from_db()
    assert job.status == Status.FAILED
    assert "Terjadi kesalahan saat memproses" in job.error


def test_progress_is_written_with_one_update_every_n_rows(region, admin, enrolments):
    with scopes_disabled():
        job = BackgroundJob.objects.create(region=region, created_by=admin.user, kind="x")
    progress = jobs.Progress(job.pk, every=2)
    with scope(region=region), CaptureQueriesContext(connection) as queries:
        progress.start(5)
        for _ in range(5):
            progress.advance()
    updates = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 3  # start, after 2, after 4
    with scopes_disabled():
        job.refresh_from_db()
    assert (job.total, job.done) == (5, 4)
    assert job.percent == 80


def test_job_start_refuses_unknown_kinds_bad_params_and_too_many_unfinished(region, admin):
    with scope(region=region):
        with pytest.raises(ValidationError, match="tidak dikenal"):
            jobs.job_start(region=region, user=admin.user, kind="hapus_semua", params={})
        with pytest.raises(ValidationError, match="format"):
            jobs.job_start(
                region=region, user=admin.user, kind="export_records", params={"format": "pdf"}
            )
        future = (timezone.localdate() + dt.timedelta(days=40)).replace(day=1)
        with pytest.raises(ValidationError, match="bulan ini"):
            jobs.job_start(
                region=region,
                user=admin.user,
                kind="monthly_report",
                params={"period": future.isoformat()},
            )
        for _ in range(jobs.MAX_UNFINISHED_PER_USER):
            jobs.job_start(
                region=region, user=admin.user, kind="export_employees", params={"format": "csv"}
            )
        with pytest.raises(ValidationError, match="belum selesai"):
            jobs.job_start(
                region=region, user=admin.user, kind="export_employees", params={"format": "csv"}
            )
        assert BackgroundJob.objects.count() == jobs.MAX_UNFINISHED_PER_USER


def test_a_failing_job_is_marked_failed_with_a_message_and_no_file(region, admin, media):
    with scopes_disabled():
        job = BackgroundJob.objects.create(
            region=region,
            created_by=admin.user,
            kind="monthly_report",
            params={"period": "bukan-tanggal"},
        )
    assert jobs.job_run(job_id=job.pk) == Status.FAILED
    with scopes_disabled():
        job.refresh_from_db()
    assert job.status == Status.FAILED
    assert "Terjadi kesalahan saat memproses" in job.error
    assert not job.result_file
    assert job.finished_at is not None
    assert stored_files(media) == []
    # Failed is final: it is not run again.
    assert jobs.job_run(job_id=job.pk) == "skipped"


def test_a_long_job_tells_its_requester_when_it_is_ready(
    region, admin, employee, settings, django_capture_on_commit_callbacks
):
    from regions.models import Notification

    settings.KOMPETENSI_JOB_NOTIFY_AFTER_SECONDS = 0  # every job counts as long here
    job = start(
        region, admin.user, "export_employees", django_capture_on_commit_callbacks, format="csv"
    )
    assert job.status == Status.DONE
    with scope(region=region):
        (note,) = Notification.objects.filter(kind="report_ready")
        assert note.recipient == admin
        assert note.dedup_key.endswith(f"job:{job.pk}:ready")
        # Running the job's notice again sends nothing new.
        jobs._notify_ready(job)
        assert Notification.objects.filter(kind="report_ready").count() == 1


def test_a_short_job_sends_no_notification(
    region, admin, employee, django_capture_on_commit_callbacks
):
    from regions.models import Notification

    start(region, admin.user, "export_employees", django_capture_on_commit_callbacks, format="csv")
    with scope(region=region):
        assert not Notification.objects.filter(kind="report_ready").exists()


def test_sweep_requeues_jobs_left_queued_or_with_a_stale_claim(region, admin):
    old = timezone.now() - dt.timedelta(hours=1)
    with scopes_disabled():
        fresh = BackgroundJob.objects.create(region=region, created_by=admin.user, kind="x")
        stuck = BackgroundJob.objects.create(region=region, created_by=admin.user, kind="x")
        dead = BackgroundJob.objects.create(
            region=region, created_by=admin.user, kind="x", status=Status.RUNNING, started_at=old
        )
        BackgroundJob.objects.filter(pk=stuck.pk).update(created_at=old)
    ids = jobs.jobs_to_requeue()
    assert stuck.pk in ids and dead.pk in ids and fresh.pk not in ids


# --- Exports -----------------------------------------------------------------------------------


def test_enrolment_csv_has_the_region_rows_only(
    region, admin, enrolments, django_capture_on_commit_callbacks
):
    job = start(
        region, admin.user, "export_enrolments", django_capture_on_commit_callbacks, format="csv"
    )
    rows = read_csv(job)
    header = rows[0]
    assert header[:4] == ["ID", "NIP", "Nama", "Unit kerja"]
    assert len(rows) == 4
    by_name = {row[2]: row for row in rows[1:]}
    assert "Rahasia Binjai" not in by_name
    ani = [row for row in rows[1:] if row[2] == "Ani Widya" and row[7] == "Angkatan I"][0]
    column = dict(zip(header, ani, strict=True))
    assert column["NIP"] == enrolments["ani"].nip
    assert column["Status"] == "Selesai"
    assert column["Program"] == "Pelayanan Prima"
    assert column["Tanggal mulai"] == "2025-05-05"
    assert column["Waktu mendaftar"] == "2025-04-20 09:15"
    assert column["Nilai pre-test"] == "60.5"
    assert column["Nilai post-test"] == "90"
    assert column["JP diperoleh"] == "24"
    # A cell that a spreadsheet would run as a formula is neutralised.
    assert '\'=HYPERLINK("x")' in by_name


def test_enrolment_export_filters(region, admin, enrolments, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    by_year = start(region, admin.user, "export_enrolments", capture, format="csv", year=2024)
    assert [row[7] for row in read_csv(by_year)[1:]] == ["Angkatan Lama"]
    by_status = start(
        region, admin.user, "export_enrolments", capture, format="csv", status="confirmed"
    )
    assert [row[2] for row in read_csv(by_status)[1:]] == ['\'=HYPERLINK("x")']
    by_offering = start(
        region,
        admin.user,
        "export_enrolments",
        capture,
        format="csv",
        offering=enrolments["o2"].pk,
    )
    assert len(read_csv(by_offering)) == 2


def test_an_offering_of_another_region_exports_nothing(
    region, admin, enrolments, other_region, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        foreign = Enrolment.objects.get(region=other_region).offering_id
    job = start(
        region,
        admin.user,
        "export_enrolments",
        django_capture_on_commit_callbacks,
        format="xlsx",
        offering=foreign,
    )
    assert job.status == Status.DONE
    assert read_xlsx(job)[1:] == []


def test_employee_xlsx_has_typed_cells_and_text_nips(
    region, unit, admin, employee, other_employee, django_capture_on_commit_callbacks
):
    EmployeeFactory(region=region, unit=unit, name="Pensiun", is_active=False)
    job = start(
        region, admin.user, "export_employees", django_capture_on_commit_callbacks, format="xlsx"
    )
    assert job.result_file.name.endswith(".xlsx")
    rows = read_xlsx(job)
    header = rows[0]
    assert header[0] == "NIP / NI PPPK"
    names = {row[1] for row in rows[1:]}
    assert names == {"Admin Semarang", "Kepala Bidang", "Siti Aminah"}  # active, region A only
    siti = dict(zip(header, [r for r in rows if r[1] == "Siti Aminah"][0], strict=True))
    assert siti["NIP / NI PPPK"] == employee.nip  # text: all 18 digits kept
    assert isinstance(siti["NIP / NI PPPK"], str)
    assert siti["Golongan"] == Golongan(employee.golongan).label.split(" – ")[0]
    assert siti["NIP atasan"] == employee.supervisor.nip
    assert siti["Aktif"] == "Ya"
    with_inactive = start(
        region,
        admin.user,
        "export_employees",
        django_capture_on_commit_callbacks,
        format="csv",
        include_inactive=True,
    )
    assert "Pensiun" in {row[1] for row in read_csv(with_inactive)[1:]}


def test_record_export_filters_by_year_and_status_with_dates_as_dates(
    region, employee, other_employee, admin, django_capture_on_commit_callbacks
):
    verified = DevelopmentRecordFactory(
        region=region,
        employee=employee,
        title="Seminar Layanan",
        start_date=dt.date(2025, 2, 3),
        end_date=dt.date(2025, 2, 4),
        year=2025,
        jp=Decimal("4.50"),
        status=DevelopmentRecord.Status.VERIFIED,
    )
    DevelopmentRecordFactory(region=region, employee=employee, year=2024, title="Lama")
    DevelopmentRecordFactory(region=region, employee=employee, year=2025, title="Menunggu")
    DevelopmentRecordFactory(region=other_employee.region, employee=other_employee, year=2025)
    job = start(
        region,
        admin.user,
        "export_records",
        django_capture_on_commit_callbacks,
        format="xlsx",
        year=2025,
        status="verified",
    )
    rows = read_xlsx(job)
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["ID"] == verified.pk
    assert row["Nama kegiatan"] == "Seminar Layanan"
    assert row["Tanggal mulai"] == dt.datetime(2025, 2, 3)  # a real date cell
    assert row["JP"] == 4.5
    assert row["Status"] == "Terverifikasi"


def test_export_streams_rows_in_a_constant_number_of_queries(
    region, unit, admin, django_capture_on_commit_callbacks
):
    def count_queries(n):
        for i in range(n):
            EmployeeFactory(region=region, unit=unit, name=f"Tambahan {n}-{i}")
        with CaptureQueriesContext(connection) as queries:
            start(
                region,
                admin.user,
                "export_employees",
                django_capture_on_commit_callbacks,
                format="csv",
            )
        return len(queries.captured_queries)

    assert count_queries(1) == count_queries(4)


def test_export_filename():
    from tests.factories.regions import RegionFactory

    region = RegionFactory(slug="binjai")
    at = timezone.make_aware(dt.datetime(2026, 11, 24, 15, 30))
    assert (
        exports.export_filename(kind="export_records", fmt="csv", region=region, at=at)
        == "riwayat-jp-binjai-20261124-1530.csv"
    )


# --- Background employee import ----------------------------------------------------------------

HEADER = "nip,nama,email,status,golongan,golongan_pppk,jabatan,jenis_jabatan,jenjang,kode_unit,nip_atasan"


def _nip(n):
    return nip_rules.build_nip(
        birth_date=dt.date(1985, 3, n), appointment_year=2010, sequence=400 + n
    )


def _upload(lines, name="pegawai.csv"):
    return SimpleUploadedFile(name, ("\r\n".join([HEADER, *lines]) + "\r\n").encode())


def test_background_import_with_bad_rows_writes_nothing_and_reports_each_row(
    region, unit, admin, media, django_capture_on_commit_callbacks
):
    upload = _upload(
        [
            f"{_nip(1)},Rina Marlina,rina@example.go.id,PNS,III/b,,Analis,Pelaksana,,BKPP,",
            "12345,Tanpa NIP,,PNS,III/b,,Analis,Pelaksana,,BKPP,",
            f"{_nip(3)},Unit Salah,,PNS,III/b,,Analis,Pelaksana,,TIDAKADA,",
        ]
    )
    with django_capture_on_commit_callbacks(execute=True), scope(region=region):
        job = jobs.employee_import_start(region=region, user=admin.user, file=upload)
    with scopes_disabled():
        job.refresh_from_db()
        assert Employee.objects.filter(region=region).count() == 1  # the admin only
    assert job.status == Status.FAILED
    assert "2 kesalahan" in job.error and "tidak ada data yang disimpan" in job.error
    rows = {(e["row"], e["column"]) for e in job.result["errors"]}
    assert (3, "nip") in rows and (4, "kode_unit") in rows
    assert job.result["error_count"] == 2 and job.result["created"] == 0
    assert stored_files(media) == []  # the stored upload is deleted


def test_background_import_of_a_good_file_creates_everyone(
    region, unit, admin, media, django_capture_on_commit_callbacks
):
    upload = _upload(
        [
            f"{_nip(1)},Rina Marlina,rina@example.go.id,PNS,III/b,,Analis,Pelaksana,,BKPP,",
            f"{_nip(2)},Dodi Saputra,,PNS,II/c,,Pengadministrasi,Pelaksana,,BKPP,{_nip(1)}",
        ]
    )
    with django_capture_on_commit_callbacks(execute=True), scope(region=region):
        job = jobs.employee_import_start(region=region, user=admin.user, file=upload)
    with scopes_disabled():
        job.refresh_from_db()
        dodi = Employee.objects.get(nip=_nip(2))
    assert job.status == Status.DONE, job.error
    assert job.result["created"] == 2 and job.result["errors"] == []
    assert (job.total, job.done) == (2, 2)
    assert dodi.supervisor.nip == _nip(1)
    assert stored_files(media) == []


def test_background_import_refuses_other_file_types_before_storing(region, admin, media):
    with scope(region=region), pytest.raises(ValidationError, match="CSV atau Excel"):
        jobs.employee_import_start(
            region=region, user=admin.user, file=SimpleUploadedFile("data.pdf", b"%PDF")
        )
    assert stored_files(media) == []


def test_an_import_whose_upload_vanished_fails_with_a_message(region, admin, unit):
    with scopes_disabled():
        job = BackgroundJob.objects.create(
            region=region,
            created_by=admin.user,
            kind="employee_import",
            params={"upload": "jobs/hilang.csv", "filename": "pegawai.csv"},
        )
    assert jobs.job_run(job_id=job.pk) == Status.FAILED
    with scopes_disabled():
        job.refresh_from_db()
    assert "Unggah ulang" in job.error


# --- Formula injection: user text is never a live formula -------------------------------------

FORMULA_NAME = "=1+1"
FORMULA_TITLE = '=HYPERLINK("http://x","klik")'


@pytest.fixture
def formula_texts(region, unit):
    """User text that a spreadsheet would run: in names, titles, organiser, unit, position."""
    person = EmployeeFactory(
        region=region, unit=unit, name=FORMULA_NAME, position="+Kepala Seksi", email=""
    )
    with scopes_disabled():
        unit.name = "@Dinas Formula"
        unit.save(update_fields=["name"])
    DevelopmentRecordFactory(
        region=region,
        employee=person,
        title=FORMULA_TITLE,
        organiser="-Penyelenggara",
        year=2025,
        start_date=dt.date(2025, 2, 3),
        end_date=dt.date(2025, 2, 4),
    )
    offering = OfferingFactory(
        region=region, program=ProgramFactory(region=region, title=FORMULA_TITLE), name="=A1"
    )
    EnrolmentFactory(region=region, offering=offering, employee=person)
    return person


# Per export: the formula-like texts it must carry (so the test cannot pass vacuously).
FORMULA_CELLS = {
    "export_enrolments": {FORMULA_NAME, "@Dinas Formula", FORMULA_TITLE, "=A1"},
    "export_records": {FORMULA_NAME, "@Dinas Formula", FORMULA_TITLE, "-Penyelenggara"},
    "export_employees": {FORMULA_NAME, "+Kepala Seksi", "@Dinas Formula"},
}


@pytest.mark.parametrize("kind", sorted(FORMULA_CELLS))
def test_xlsx_writes_user_text_as_string_cells_never_formulas(
    kind, region, admin, formula_texts, django_capture_on_commit_callbacks
):
    job = start(region, admin.user, kind, django_capture_on_commit_callbacks, format="xlsx")
    assert job.status == Status.DONE
    with job.result_file.open("rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).worksheets[0]
    cells = {cell.value: cell for row in sheet.iter_rows(min_row=2) for cell in row}
    for text in FORMULA_CELLS[kind]:
        assert text in cells, text  # the value is unchanged
        assert cells[text].data_type == "s", text  # a string cell, not a formula ("f")
    assert not [c for c in cells.values() if c.data_type == "f"]


@pytest.mark.parametrize("kind", sorted(FORMULA_CELLS))
def test_csv_prefixes_user_text_that_would_start_a_formula(
    kind, region, admin, formula_texts, django_capture_on_commit_callbacks
):
    job = start(region, admin.user, kind, django_capture_on_commit_callbacks, format="csv")
    values = {value for row in read_csv(job)[1:] for value in row}
    for text in FORMULA_CELLS[kind]:
        assert "'" + text in values, text
        assert text not in values, text
