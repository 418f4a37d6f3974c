"""Integration: the monthly report PDF, its storage, the scheduled run (idempotent, emailed
once), and the default beat schedule."""

import datetime as dt

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask
from django_scopes import scope, scopes_disabled
from weasyprint import HTML

from evaluations import schedules, selectors, tasks
from evaluations.models import RegionReport
from evaluations.services import reports
from tests.factories.regions import EmployeeFactory, make_admin

from .conftest import PERIOD, stored_files

pytestmark = pytest.mark.django_db


def _texts(box):
    """Text of a WeasyPrint layout box and its children (text extraction without a PDF tool)."""
    text = getattr(box, "text", None)
    if text:
        yield text
    for child in getattr(box, "children", ()):
        yield from _texts(child)


def test_report_pdf_holds_the_region_and_its_figures(report_data, region, in_region):
    data = selectors.report_monthly_data(region=region, period=PERIOD)
    generated = timezone.make_aware(dt.datetime(2025, 4, 1, 2, 0))
    html = reports.report_render_html(data=data, generated_at=generated)
    assert region.agency_name in html
    assert "<svg" in html and "Dinas Anggrek" in html
    assert "pre-test dan post-test" in html  # the footnote on the evaluation module
    assert "Rahasia Binjai" not in html
    document = HTML(string=html).render()
    assert len(document.pages) >= 2
    text = " ".join(t for page in document.pages for t in _texts(page._page_box))
    assert region.agency_name in text
    assert "Maret 2025" in text
    assert "Pelayanan Prima" in text

    pdf = reports.report_render_pdf(data=data, generated_at=generated)
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 5_000


def test_chart_coordinates_use_a_dot_whatever_the_language(report_data, region, in_region):
    from django.utils import translation

    data = selectors.report_monthly_data(region=region, period=PERIOD)
    with translation.override("id"):
        charts = reports.report_charts(data)
    bar = charts["budget"].rows[0].bars[0]
    assert "," not in bar.width and "," not in bar.x
    # Texts are localised: millions of rupiah with a decimal comma.
    assert charts["budget"].rows[0].bars[0].text.startswith("Rp ")


def test_generate_stores_the_report_once(report_data, region, in_region, media):
    report, written = reports.report_generate(region=region, period=PERIOD)
    assert written
    assert report.period == PERIOD
    assert report.file.name.endswith(".pdf")
    with report.file.open("rb") as handle:
        assert handle.read(4) == b"%PDF"
    assert reports.report_is_final(report)
    files = stored_files(media)

    again, written_again = reports.report_generate(region=region, period=PERIOD)
    assert not written_again
    assert again.pk == report.pk
    assert RegionReport.objects.filter(region=region).count() == 1
    assert stored_files(media) == files


def test_a_provisional_report_is_replaced_and_regenerate_replaces_the_file(
    region, unit, in_region, media
):
    this_month = selectors.month_start(timezone.localdate())
    report, _ = reports.report_generate(region=region, period=this_month)
    assert not reports.report_is_final(report)  # made before its month ended
    old_name = report.file.name
    # A scheduled run finds it provisional and makes it again (the file is replaced).
    RegionReport.objects.filter(pk=report.pk).update(
        generated_at=timezone.now() - dt.timedelta(days=40)
    )
    report.refresh_from_db()
    assert not reports.report_is_final(report)
    replaced, written = reports.report_generate(region=region, period=this_month)
    assert written and replaced.pk == report.pk
    assert replaced.file.name != old_name
    assert len(stored_files(media)) == 1
    # On demand, even a final report is made again.
    previous = selectors.previous_month(timezone.localdate())
    final, _ = reports.report_generate(region=region, period=previous)
    again, written = reports.report_generate(region=region, period=previous, regenerate=True)
    assert written and again.pk == final.pk
    assert RegionReport.objects.count() == 2
    assert len(stored_files(media)) == 2


def test_scheduled_run_is_idempotent_and_emails_the_admins_once(
    report_data, region, other_region, admin, other_admin, media
):
    second_admin = make_admin(region, unit=report_data.units[0], name="Admin Kedua")
    EmployeeFactory(region=region, unit=report_data.units[0], name="Bukan Admin")
    assert tasks.generate_monthly_reports(period=PERIOD.isoformat()) == 2  # both regions
    with scopes_disabled():
        assert RegionReport.objects.count() == 2
        report = RegionReport.objects.get(region=region)
        assert report.emailed_at is not None
    to_a = [m for m in mail.outbox if admin.user.email in m.to]
    assert len(to_a) == 1
    message = to_a[0]
    assert sorted(message.to) == sorted([admin.user.email, second_admin.user.email])
    assert other_admin.user.email not in message.to
    assert "Maret 2025" in message.subject
    assert region.agency_name in message.subject
    (name, content, content_type), *_ = message.attachments
    assert name == "laporan-bulanan-semarang-2025-03.pdf"
    assert content.startswith(b"%PDF") and content_type == "application/pdf"
    assert f"/{region.slug}/laporan/" in message.body
    files = stored_files(media)

    tasks.generate_monthly_reports(period=PERIOD.isoformat())
    tasks.generate_region_report(region.pk, PERIOD.isoformat())
    assert len(mail.outbox) == 2  # one per region, still
    with scopes_disabled():
        assert RegionReport.objects.count() == 2
    assert stored_files(media) == files


def test_scheduled_run_defaults_to_the_previous_month_and_skips_inactive_regions(
    region, other_region, unit, admin
):
    other_region.is_active = False
    other_region.save()
    assert tasks.generate_monthly_reports() == 1
    with scopes_disabled():
        (report,) = RegionReport.objects.all()
    assert report.region == region
    assert report.period == selectors.previous_month(timezone.localdate())


class FailingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("SMTP down")


def test_a_failed_send_releases_the_claim_so_a_retry_sends(report_data, region, admin, settings):
    with scope(region=region):
        report, _ = reports.report_generate(region=region, period=PERIOD)
        settings.EMAIL_BACKEND = "tests.evaluations.test_reports.FailingBackend"
        with pytest.raises(ConnectionRefusedError):
            reports.report_email(report=report)
        report.refresh_from_db()
        assert report.emailed_at is None
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        assert reports.report_email(report=report) is True
        assert reports.report_email(report=report) is False
    assert len(mail.outbox) == 1


def test_no_admin_email_sends_nothing_and_keeps_the_report_unsent(region, unit, in_region):
    report, _ = reports.report_generate(region=region, period=dt.date(2025, 1, 1))
    assert reports.report_email(report=report) is False
    report.refresh_from_db()
    assert report.emailed_at is None
    assert mail.outbox == []


def test_default_schedule_is_created_once_and_never_overwritten():
    # post_migrate already ran for the test database: the tasks exist.
    task = PeriodicTask.objects.get(task="evaluations.tasks.generate_monthly_reports")
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_month) == ("0", "2", "1-7")
    assert PeriodicTask.objects.filter(task="evaluations.tasks.requeue_jobs").count() == 1
    # A superuser's edits stay.
    edited = CrontabSchedule.objects.create(minute="30", hour="5", timezone="Asia/Jakarta")
    task.crontab = edited
    task.enabled = False
    task.save()
    assert schedules.ensure_default_schedules() == []
    task.refresh_from_db()
    assert (task.crontab_id, task.enabled) == (edited.pk, False)
    # A deleted one comes back, once.
    PeriodicTask.objects.filter(task="evaluations.tasks.requeue_jobs").delete()
    assert schedules.ensure_default_schedules() == ["evaluations.tasks.requeue_jobs"]
    assert schedules.ensure_default_schedules() == []
