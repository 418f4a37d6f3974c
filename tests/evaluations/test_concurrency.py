"""Integration (PostgreSQL): compare-and-swap claims hold under concurrent workers — a job runs
once, a report is created once and emailed once, however many workers race."""

import threading

import pytest
from django.core import mail
from django.db import connection
from django_scopes import scope, scopes_disabled

from evaluations.models import BackgroundJob, RegionReport
from evaluations.services import jobs, reports

from .conftest import PERIOD, stored_files

# serialized_rollback restores the national reference data (development forms) that the flush
# of a transactional test would wipe.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def race(target, n=4):
    """Run `target()` in n threads released together; returns their results."""
    barrier = threading.Barrier(n)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(target())
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def test_a_job_run_by_several_workers_at_once_runs_once(on_postgres, region, admin, media):
    with scopes_disabled():
        job = BackgroundJob.objects.create(
            region=region, created_by=admin.user, kind="export_employees", params={"format": "csv"}
        )
    results = race(lambda: jobs.job_run(job_id=job.pk))
    assert sorted(results) == ["done", "skipped", "skipped", "skipped"]
    assert len(stored_files(media)) == 1


def test_concurrent_generation_creates_one_report_and_one_email(
    on_postgres, report_data, region, admin, media
):
    def generate():
        with scope(region=region):
            report, _written = reports.report_generate(region=region, period=PERIOD)
            return report.pk, reports.report_email(report=report)

    results = race(generate)
    assert len({pk for pk, _sent in results}) == 1
    assert sum(sent for _pk, sent in results) == 1
    assert len(mail.outbox) == 1
    with scopes_disabled():
        assert RegionReport.objects.count() == 1
    assert len(stored_files(media)) == 1  # the losers deleted their files
