"""Integration (PostgreSQL): certificate numbers stay unique and without gaps per region and
year when several runs number at the same moment, and a run claimed by one worker is not
carried out by another (compare-and-swap)."""

import threading

import pytest
from django.db import connection
from django_scopes import scope

from tests.factories.regions import quick_employees
from tests.factories.training import EnrolmentFactory, OfferingFactory
from training.models import Certificate, CertificateRun, Enrolment
from training.services import certificates

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
RUNS = 4
PER_RUN = 5


def _parallel(region, jobs):
    barrier = threading.Barrier(len(jobs))
    errors, results = [], []
    lock = threading.Lock()

    def run(job):
        try:
            barrier.wait(timeout=30)
            with scope(region=region):
                outcome = job()
            with lock:
                results.append(outcome)
        except Exception as exc:  # noqa: BLE001 - reported below
            with lock:
                errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert not errors, errors
    return results


def test_concurrent_runs_number_without_duplicates_or_gaps(region, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    runs = []
    with scope(region=region):
        people = iter(quick_employees(region, RUNS * PER_RUN))
        for _i in range(RUNS):
            offering = OfferingFactory(region=region)
            for _j in range(PER_RUN):
                EnrolmentFactory(
                    region=region,
                    offering=offering,
                    employee=next(people),
                    status=Enrolment.Status.COMPLETED,
                )
            runs.append(CertificateRun.objects.create(region=region, offering=offering))
    _parallel(
        region,
        [lambda pk=run.pk: certificates.certificate_run_execute(run_id=pk) for run in runs],
    )
    with scope(region=region):
        sequences = sorted(Certificate.objects.values_list("sequence", flat=True))
        assert sequences == list(range(1, RUNS * PER_RUN + 1))
        assert set(CertificateRun.objects.values_list("status", flat=True)) == {"done"}


def test_a_run_is_carried_out_once_however_many_workers_take_it(region, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with scope(region=region):
        offering = OfferingFactory(region=region)
        for employee in quick_employees(region, 3):
            EnrolmentFactory(
                region=region, offering=offering, employee=employee, status="completed"
            )
        run = CertificateRun.objects.create(region=region, offering=offering)
    results = _parallel(
        region, [lambda: certificates.certificate_run_execute(run_id=run.pk) for _ in range(4)]
    )
    assert sum(1 for r in results if r is not None) == 1
    with scope(region=region):
        assert Certificate.objects.count() == 3
        assert CertificateRun.objects.get(pk=run.pk).attempts == 1
