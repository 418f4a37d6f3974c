"""Integration: the region dashboard's people lists export at once when short and through a
background job (evaluations' BackgroundJob, its progress page and download) when longer than
KOMPETENSI_EXPORT_INLINE_MAX_ROWS; the job's params, permission, limit, region scoping,
escaping and query count."""

import csv
import io
from urllib.parse import parse_qs

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from dashboards import people
from evaluations.models import BackgroundJob
from evaluations.services import jobs
from regions.models import AuditEvent, Notification
from tests.factories.evaluations import BackgroundJobFactory
from tests.factories.regions import EmployeeFactory, make_admin

from .conftest import YEAR

pytestmark = pytest.mark.django_db
Status = BackgroundJob.Status

FORMULA_NAME = "=cmd|' /C calc'!A0"
# "No development at all" in YEAR in the `world` fixture (see its docstring).
WORLD_NONE = {"Admin Semarang", "Kepala Seksi", "Dewi Anggraini", "Fajar Nugroho", "Intan PPPK"}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def low_threshold(settings):
    settings.KOMPETENSI_EXPORT_INLINE_MAX_ROWS = 3
    return 3


@pytest.fixture
def idle(world, region):
    """Three more active ASN with no development in YEAR, one named like a formula."""
    with scopes_disabled():
        return [
            EmployeeFactory(region=region, unit=world.tugu, name=name)
            for name in (FORMULA_NAME, "Joko Santoso", "Kartika Sari")
        ]


def people_url(region, **query):
    base = reverse("dashboards:region_people", kwargs={"region_slug": region.slug})
    return base + "?" + "&".join(f"{k}={v}" for k, v in {"tahun": YEAR, **query}.items())


def same_url(a: str, b: str) -> bool:
    (path_a, _, query_a), (path_b, _, query_b) = a.partition("?"), b.partition("?")
    return path_a == path_b and parse_qs(query_a) == parse_qs(query_b)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def only_job(region) -> BackgroundJob:
    with scopes_disabled():
        (job,) = BackgroundJob.objects.filter(region=region)
    return job


def expected_none(world, idle) -> dict[str, tuple]:
    """The rows of the "no development" list, from the data the test made: name → (NIP, unit)."""
    with scopes_disabled():
        from regions.models import Employee

        admin = Employee.objects.select_related("unit").get(name="Admin Semarang")
    rows = {e.name: (e.nip, e.unit.name) for e in (world.boss, world.p4, world.p5, world.k2)}
    rows[admin.name] = (admin.nip, admin.unit.name)
    rows.update({e.name: (e.nip, world.tugu.name) for e in idle})
    return rows


# --- At or below the threshold: the download as before -----------------------------------------


def test_a_short_list_downloads_at_once_and_starts_no_job(client, region, world, admin, idle):
    client.force_login(admin.user)
    response = client.get(people_url(region, kategori="none", format="csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert {r[1] for r in rows[1:]} == set(expected_none(world, idle)) - {FORMULA_NAME} | {
        "'" + FORMULA_NAME
    }
    with scopes_disabled():
        assert not BackgroundJob.objects.exists()


def test_a_list_exactly_at_the_threshold_still_downloads_at_once(
    client, region, world, admin, settings
):
    settings.KOMPETENSI_EXPORT_INLINE_MAX_ROWS = len(WORLD_NONE)
    client.force_login(admin.user)
    response = client.get(people_url(region, kategori="none", format="xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(body(response))).active
    assert {row[1] for row in sheet.iter_rows(min_row=2, values_only=True)} == WORLD_NONE
    with scopes_disabled():
        assert not BackgroundJob.objects.exists()


# --- Above it: a background job -----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_long_list_goes_to_a_job_whose_file_has_exactly_the_list(
    fmt, client, region, world, admin, idle, low_threshold, django_capture_on_commit_callbacks
):
    client.force_login(admin.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(people_url(region, kategori="none", unit="", format=fmt))
    job = only_job(region)
    detail = reverse(
        "evaluations:job_detail", kwargs={"region_slug": region.slug, "job_id": job.pk}
    )
    assert response.status_code == 302
    assert response["Location"] == detail
    assert job.kind == people.PEOPLE_EXPORT
    assert job.created_by == admin.user
    assert job.status == Status.DONE, job.error
    expected = expected_none(world, idle)
    assert job.total == job.done == len(expected) == 8
    assert job.result["rows"] == len(expected)
    assert job.params["category"] == "none" and job.params["year"] == YEAR
    with scopes_disabled():  # who exported which personal data (docs/security.md)
        (event,) = AuditEvent.objects.filter(region=region, action=AuditEvent.Action.EXPORT)
    assert event.actor == admin.user and "category=none" in event.note

    with job.result_file.open("rb") as handle:
        raw = handle.read()
    if fmt == "csv":
        assert raw.startswith(b"\xef\xbb\xbf")
        table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        header, rows = table[0], table[1:]
        assert {r[1] for r in rows} == set(expected) - {FORMULA_NAME} | {"'" + FORMULA_NAME}
        by_name = {r[1].removeprefix("'"): r for r in rows}
    else:
        sheet = load_workbook(io.BytesIO(raw)).worksheets[0]
        cells = list(sheet.iter_rows())
        header = [c.value for c in cells[0]]
        rows = [[c.value for c in row] for row in cells[1:]]
        formula_cell = next(row[1] for row in cells[1:] if row[1].value == FORMULA_NAME)
        assert formula_cell.data_type == "s"  # text, never a formula
        assert formula_cell.quotePrefix
        by_name = {r[1]: r for r in rows}
    assert header == [
        "NIP",
        "Nama",
        "Status",
        "Golongan",
        "Jabatan",
        "Unit kerja",
        "JP terverifikasi",
    ]
    assert len(rows) == len(expected)
    assert {name: (str(r[0]), r[5]) for name, r in by_name.items()} == expected
    assert "Rahasia Binjai" not in raw.decode("utf-8", "ignore")

    # The progress page names the list and offers the file; the file downloads.
    page = client.get(detail)
    assert page.status_code == 200
    text = page.content.decode()
    assert "ASN tanpa pengembangan sama sekali" in text
    assert reverse("evaluations:job_download", args=[region.slug, job.pk]) in text
    assert people_url(region, kategori="none").split("?")[0] in text  # the link back
    download = client.get(reverse("evaluations:job_download", args=[region.slug, job.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == raw


def test_the_job_reports_progress_and_tells_the_requester_when_long(
    client, region, world, admin, idle, low_threshold, settings, django_capture_on_commit_callbacks
):
    settings.KOMPETENSI_JOB_NOTIFY_AFTER_SECONDS = 0  # every job counts as long here
    client.force_login(admin.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(people_url(region, kategori="all", format="csv"))
    job = only_job(region)
    assert job.status == Status.DONE
    assert job.total == job.done == 13  # 10 active ASN of the world + 3 idle ones
    with scope(region=region):
        (note,) = Notification.objects.filter(kind="report_ready", recipient=admin)
        assert note.dedup_key.endswith(f"job:{job.pk}:ready")


def test_the_job_and_its_file_are_404_to_another_region_and_another_admin(
    client,
    region,
    world,
    admin,
    other_admin,
    idle,
    low_threshold,
    django_capture_on_commit_callbacks,
):
    client.force_login(admin.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.get(people_url(region, kategori="none", format="csv"))
    job = only_job(region)
    client.force_login(other_admin.user)
    for name in ("job_detail", "job_status", "job_download"):
        assert (
            client.get(reverse(f"evaluations:{name}", args=[region.slug, job.pk])).status_code
            == 404
        )
        own = reverse(f"evaluations:{name}", args=[other_admin.region.slug, job.pk])
        assert client.get(own).status_code == 404
    # The people list itself is not theirs either.
    assert client.get(people_url(region, kategori="none", format="csv")).status_code == 404
    # Another admin of the same region does not see someone else's job either.
    with scopes_disabled():
        colleague = make_admin(region, unit=world.dinkes, name="Admin Kedua")
    client.force_login(colleague.user)
    detail = reverse("evaluations:job_detail", args=[region.slug, job.pk])
    assert client.get(detail).status_code == 404


def test_only_the_region_admin_may_export_the_list(
    client, region, world, admin, idle, low_threshold
):
    client.force_login(world.p1.user)
    assert client.get(people_url(region, kategori="none", format="csv")).status_code == 403
    with scope(region=region), pytest.raises(PermissionDenied):
        jobs.job_start(
            region=region,
            user=world.p1.user,
            kind=people.PEOPLE_EXPORT,
            params={"format": "csv", "year": YEAR, "category": "none"},
        )
    with scopes_disabled():
        assert not BackgroundJob.objects.exists()


# --- Refusals: a message, never a 500 ----------------------------------------------------------


def test_a_bad_format_goes_back_to_the_list_with_a_message(client, region, world, admin):
    client.force_login(admin.user)
    response = client.get(people_url(region, kategori="none", format="pdf"))
    assert response.status_code == 302
    assert same_url(response["Location"], people_url(region, kategori="none"))
    assert messages_of(response) == ["Pilih format berkas: CSV atau XLSX."]
    page = client.get(response["Location"])
    assert "Pilih format berkas: CSV atau XLSX." in page.content.decode()
    with scopes_disabled():
        assert not BackgroundJob.objects.exists()


def test_the_unfinished_jobs_limit_applies_with_its_message(
    client, region, world, admin, idle, low_threshold
):
    with scopes_disabled():
        for _ in range(jobs.MAX_UNFINISHED_PER_USER):
            BackgroundJobFactory(
                region=region, created_by=admin.user, status=Status.QUEUED, result_file=""
            )
    client.force_login(admin.user)
    response = client.get(people_url(region, kategori="none", format="xlsx"))
    assert response.status_code == 302
    assert same_url(response["Location"], people_url(region, kategori="none"))
    (message,) = messages_of(response)
    assert "masih memiliki 3 proses yang belum selesai" in message
    with scopes_disabled():
        assert BackgroundJob.objects.count() == jobs.MAX_UNFINISHED_PER_USER


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"format": "pdf"}, "Pilih format berkas: CSV atau XLSX."),
        ({"year": "dua ribu"}, "Tahun tidak valid."),
        ({"year": 1999}, "Tahun harus antara 2015 dan"),
        ({"category": "semua"}, "Daftar pegawai tidak dikenal."),
        ({"unit": "x"}, "Unit kerja tidak ditemukan."),
        ({"unit": "OTHER"}, "Unit kerja tidak ditemukan."),
        ({"golongan": 99}, "Golongan tidak valid."),
        ({"position_type": "raja"}, "Jenis jabatan tidak valid."),
    ],
)
def test_the_job_params_are_cleaned_with_a_message(
    params, message, region, world, admin, other_unit
):
    if params.get("unit") == "OTHER":
        params = {"unit": other_unit.pk}  # a unit of region B
    good = {"format": "csv", "year": YEAR, "category": "none"}
    with scope(region=region), pytest.raises(ValidationError) as refused:
        jobs.job_start(
            region=region, user=admin.user, kind=people.PEOPLE_EXPORT, params={**good, **params}
        )
    assert message in " ".join(refused.value.messages)
    with scopes_disabled():
        assert not BackgroundJob.objects.exists()


def test_good_params_are_kept_typed_and_nothing_else(
    region, world, admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False), scope(region=region):
        job = jobs.job_start(
            region=region,
            user=admin.user,
            kind=people.PEOPLE_EXPORT,
            params={
                "format": "xlsx",
                "year": str(YEAR),
                "category": "below",
                "unit": str(world.tugu.pk),
                "golongan": "",
                "position_type": "",
                "path": "/etc/passwd",
            },
        )
    params = {k: v for k, v in job.params.items() if k != "language"}
    assert params == {
        "format": "xlsx",
        "year": YEAR,
        "category": "below",
        "unit": world.tugu.pk,
        "golongan": None,
        "position_type": "",
    }


# --- Queries -----------------------------------------------------------------------------------


def test_the_job_runs_a_constant_number_of_queries(
    region, world, admin, django_capture_on_commit_callbacks
):
    def count_queries(n: int, fmt: str) -> int:
        with scopes_disabled():
            for i in range(n):
                EmployeeFactory(region=region, unit=world.tugu, name=f"Tambahan {fmt} {n}-{i}")
            BackgroundJob.objects.all().delete()
        with django_capture_on_commit_callbacks(execute=False), scope(region=region):
            job = jobs.job_start(
                region=region,
                user=admin.user,
                kind=people.PEOPLE_EXPORT,
                params={"format": fmt, "year": YEAR, "category": "all"},
            )
        with CaptureQueriesContext(connection) as queries:
            assert jobs.job_run(job_id=job.pk) == Status.DONE
        with scopes_disabled():
            job.refresh_from_db()
        assert job.result["rows"] >= 10 + n
        return len(queries.captured_queries)

    for fmt in ("csv", "xlsx"):
        # Claim, load, COUNT, progress total, the rows (one query), done, notification check.
        assert count_queries(1, fmt) == count_queries(12, fmt) == 10
