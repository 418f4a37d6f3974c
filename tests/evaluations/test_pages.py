"""Integration: pages of exports, the background import, jobs (progress, download) and reports,
who may see them, and their query counts."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from evaluations.models import BackgroundJob, RegionReport
from evaluations.services import jobs
from regions.models import User
from tests.factories.evaluations import BackgroundJobFactory, RegionReportFactory
from tests.factories.regions import make_admin

pytestmark = pytest.mark.django_db
Status = BackgroundJob.Status


def url(name, region, **kwargs):
    return reverse(f"evaluations:{name}", kwargs={"region_slug": region.slug, **kwargs})


@pytest.fixture
def viewer(db):
    return User.objects.create_user(
        username="peninjau", email="peninjau@example.go.id", is_national_viewer=True
    )


def only_job():
    with scopes_disabled():
        return BackgroundJob.objects.get()


# --- Exports and progress ----------------------------------------------------------------------


def test_export_page_starts_a_job_and_the_file_is_downloadable(
    region, admin, employee, other_employee, login, django_capture_on_commit_callbacks
):
    client = login(admin)
    page = client.get(url("export_start", region))
    assert page.status_code == 200
    assert "Mulai ekspor" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("export_start", region), {"kind": "export_employees", "format": "csv"}
        )
    job = only_job()
    assert response.status_code == 302
    assert response["Location"] == url("job_detail", region, job_id=job.pk)
    assert job.created_by == admin.user
    assert job.status == Status.DONE

    detail = client.get(response["Location"]).content.decode()
    assert "Berkas siap diunduh" in detail
    assert 'hx-trigger="every 1s"' not in detail  # finished: no more polling
    download = client.get(url("job_download", region, job_id=job.pk))
    assert download.status_code == 200
    assert download["Content-Type"].startswith("text/csv")
    assert "attachment" in download["Content-Disposition"]
    content = b"".join(download.streaming_content).decode("utf-8-sig")
    assert "Siti Aminah" in content and employee.nip in content
    assert "Budi Binjai" not in content


def test_export_form_errors_are_shown_not_raised(region, admin, login):
    client = login(admin)
    response = client.post(url("export_start", region), {"kind": "hapus", "format": "pdf"})
    assert response.status_code == 200
    with scopes_disabled():
        assert not BackgroundJob.objects.exists()
    assert "errorlist" in response.content.decode()


def test_too_many_unfinished_jobs_is_a_message_on_the_form(
    region, admin, login, django_capture_on_commit_callbacks
):
    with scopes_disabled():
        for _ in range(jobs.MAX_UNFINISHED_PER_USER):
            BackgroundJob.objects.create(region=region, created_by=admin.user, kind="x")
    response = login(admin).post(
        url("export_start", region), {"kind": "export_employees", "format": "xlsx"}
    )
    assert response.status_code == 200
    assert "belum selesai" in response.content.decode()


def test_status_partial_polls_every_second_until_the_job_is_finished(region, admin, login):
    with scopes_disabled():
        job = BackgroundJob.objects.create(
            region=region,
            created_by=admin.user,
            kind="export_enrolments",
            params={"format": "csv"},
            status=Status.RUNNING,
            total=8000,
            done=2000,
        )
    client = login(admin)
    partial = client.get(url("job_status", region, job_id=job.pk), HTTP_HX_REQUEST="true")
    html = partial.content.decode()
    assert partial.status_code == 200
    assert 'hx-trigger="every 1s"' in html
    assert url("job_status", region, job_id=job.pk) in html
    assert 'value="25"' in html and "2.000 dari 8.000 baris" in html
    assert "<html" not in html  # a partial, not a page
    with scopes_disabled():
        BackgroundJob.objects.filter(pk=job.pk).update(status=Status.FAILED, error="Gagal total.")
    finished = client.get(url("job_status", region, job_id=job.pk)).content.decode()
    assert "hx-trigger" not in finished
    assert "Gagal total." in finished


def test_failed_job_page_shows_its_message(region, admin, login):
    with scopes_disabled():
        job = BackgroundJob.objects.create(
            region=region, created_by=admin.user, kind="monthly_report", params={"period": "x"}
        )
    jobs.job_run(job_id=job.pk)
    response = login(admin).get(url("job_detail", region, job_id=job.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Proses gagal" in html
    assert "Terjadi kesalahan saat memproses" in html
    assert login(admin).get(url("job_download", region, job_id=job.pk)).status_code == 404


def test_another_admins_job_is_404_and_an_employee_may_not_enter(
    region, unit, admin, employee, login, media
):
    colleague = make_admin(region, unit=unit, name="Admin Lain")
    job = BackgroundJobFactory(region=region, created_by=colleague.user)
    client = login(admin)
    for name in ("job_detail", "job_status", "job_download"):
        assert client.get(url(name, region, job_id=job.pk)).status_code == 404
    assert login(colleague).get(url("job_download", region, job_id=job.pk)).status_code == 200
    staff = login(employee)
    for name in ("job_list", "export_start", "employee_import_background"):
        assert staff.get(url(name, region)).status_code == 403


def _queries(client, path) -> tuple[int, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries.captured_queries), response.content.decode()


def test_job_list_query_count_is_the_same_for_1_and_3_rows(
    region, admin, login, media, django_assert_max_num_queries
):
    with scopes_disabled():
        BackgroundJob.objects.create(
            region=region,
            created_by=admin.user,
            kind="monthly_report",
            params={"period": "2025-03-01"},
        )
    client = login(admin)
    path = url("job_list", region)
    counts = []
    for added in (1, 2):
        for _ in range(added):
            BackgroundJobFactory(region=region, created_by=admin.user)
        client.get(path)  # warm up the session
        with django_assert_max_num_queries(12):
            count, html = _queries(client, path)
        counts.append(count)
    assert counts[0] == counts[1]
    assert html.count("Ekspor data pegawai") == 3
    assert "Maret 2025" in html
    assert 'hx-trigger="every 2s"' in html  # the queued report job keeps the list fresh


def test_job_list_htmx_returns_the_table_only(region, admin, login, media):
    BackgroundJobFactory(region=region, created_by=admin.user)
    response = login(admin).get(url("job_list", region), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="job-table"' in html and "<html" not in html
    assert "hx-trigger" not in html  # nothing unfinished: no polling


# --- Background import -------------------------------------------------------------------------

HEADER = "nip,nama,status,golongan,jabatan,jenis_jabatan,kode_unit"


def test_background_import_page_shows_the_row_report(
    region, unit, admin, login, django_capture_on_commit_callbacks
):
    client = login(admin)
    page = client.get(url("employee_import_background", region)).content.decode()
    assert "kode_unit" in page and "Unggah dan proses" in page
    upload = SimpleUploadedFile(
        "pegawai.csv", f"{HEADER}\r\n123,Nama Saja,PNS,III/a,Analis,Pelaksana,BKPP\r\n".encode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("employee_import_background", region), {"file": upload})
    job = only_job()
    assert response.status_code == 302
    assert job.kind == "employee_import" and job.status == Status.FAILED
    html = client.get(response["Location"]).content.decode()
    assert "tidak ada data yang disimpan" in html
    assert "<td>2</td>" in html and ">nip</td>" in html  # row 2, column nip


def test_background_import_rejects_a_non_spreadsheet_on_the_form(region, admin, login):
    response = login(admin).post(
        url("employee_import_background", region),
        {"file": SimpleUploadedFile("foto.png", b"\x89PNG")},
    )
    assert response.status_code == 200
    assert "CSV atau Excel" in response.content.decode()
    with scopes_disabled():
        assert not BackgroundJob.objects.exists()


# --- Reports -----------------------------------------------------------------------------------


def test_reports_page_lists_reports_and_generates_on_demand(
    region, unit, admin, login, media, django_capture_on_commit_callbacks
):
    RegionReportFactory(region=region, period=dt.date(2025, 2, 1))
    client = login(admin)
    page = client.get(url("report_list", region)).content.decode()
    assert "Februari 2025" in page and "Buat sekarang" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("report_list", region), {"period": "2025-01-01"})
    # Only the two offered months can be chosen.
    assert response.status_code == 200
    form_period = page.split('name="period"')[1].split("</select>")[0]
    previous = form_period.split('value="')[1].split('"')[0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("report_list", region), {"period": previous})
    job = only_job()
    assert response.status_code == 302
    assert job.status == Status.DONE, job.error
    with scope(region=region):
        report = RegionReport.objects.get(period=previous)
    assert job.result["report_id"] == report.pk
    detail = client.get(response["Location"]).content.decode()
    assert url("report_download", region, report_id=report.pk) in detail
    pdf = client.get(url("report_download", region, report_id=report.pk) + "?unduh=1")
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_national_viewer_sees_and_downloads_reports_but_cannot_generate(
    region, viewer, client, media
):
    report = RegionReportFactory(region=region)
    client.force_login(viewer)
    page = client.get(url("report_list", region))
    assert page.status_code == 200
    assert "Buat sekarang" not in page.content.decode()
    assert client.get(url("report_download", region, report_id=report.pk)).status_code == 200
    assert client.post(url("report_list", region), {"period": "2025-03-01"}).status_code == 403
    assert client.get(url("export_start", region)).status_code == 403


def test_an_employee_may_not_see_reports(region, employee, login, media):
    report = RegionReportFactory(region=region)
    client = login(employee)
    assert client.get(url("report_list", region)).status_code == 403
    assert client.get(url("report_download", region, report_id=report.pk)).status_code == 403


def test_report_list_query_count_is_the_same_for_1_and_3_rows(
    region, admin, login, media, django_assert_max_num_queries
):
    client = login(admin)
    path = url("report_list", region)
    counts = []
    for months in ((1,), (2, 3)):
        for month in months:
            RegionReportFactory(region=region, period=dt.date(2025, month, 1))
        client.get(path)  # warm up the session
        with django_assert_max_num_queries(12):
            count, html = _queries(client, path)
        counts.append(count)
    assert counts[0] == counts[1]
    assert html.count("Unduh PDF") == 3


def test_nav_partial_links(region, admin, viewer, client):
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    with scope(region=region):
        from regions.permissions import resolve_access

        request = RequestFactory().get("/")
        admin_html = render_to_string(
            "partials/nav/admin_reports.html",
            {"current_region": region, "access": resolve_access(admin.user, region)},
            request=request,
        )
        viewer_html = render_to_string(
            "partials/nav/admin_reports.html",
            {"current_region": region, "access": resolve_access(viewer, region)},
            request=request,
        )
    assert url("job_list", region) in admin_html and url("report_list", region) in admin_html
    assert url("report_list", region) in viewer_html
    assert url("export_start", region) not in viewer_html
