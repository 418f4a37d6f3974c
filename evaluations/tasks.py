"""Celery tasks of reports and background jobs. Thin: they take ids, load the region, and call
a service in its scope (`kompetensi.tasks.RegionTask`). Every task is idempotent
(compare-and-swap claims, the unique report row, `emailed_at`), so a retry or a second delivery
has the effect of one run. Tasks import services, never the other way round: a service queues
a task by its name (`kompetensi.tasks.enqueue_on_commit`).
"""

import datetime as dt
import logging

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from kompetensi.tasks import RegionTask, periodic_job_task
from regions.models import Region

from . import selectors
from .services import jobs, reports

logger = logging.getLogger(__name__)

evaluation_surveys = periodic_job_task(
    "evaluations.tasks.evaluation_surveys",
    "surveys",
    "Open the reaction surveys of batches that ended; remind before they close.",
)
l3_assessments = periodic_job_task(
    "evaluations.tasks.l3_assessments",
    "l3",
    "Make post-training (L3) assessments due and remind supervisors weekly.",
)

REPORT_TIME_LIMIT = 10 * 60
JOB_TIME_LIMIT = 20 * 60  # shorter than services.jobs.STALE_AFTER


@shared_task(
    name="evaluations.tasks.run_job",
    acks_late=True,
    reject_on_worker_lost=True,
    time_limit=JOB_TIME_LIMIT,
    soft_time_limit=JOB_TIME_LIMIT - 30,
    ignore_result=True,
)
def run_job(job_id: int) -> str:
    """Run one background job (export, import, report); a job already claimed is skipped."""
    return jobs.job_run(job_id=job_id)


@shared_task(name="evaluations.tasks.requeue_jobs", ignore_result=True)
def requeue_jobs() -> int:
    """Queue again the jobs a broker outage or a dead worker left behind."""
    job_ids = jobs.jobs_to_requeue()
    for job_id in job_ids:
        run_job.delay(job_id)
    if job_ids:
        logger.info("Requeued %d background jobs", len(job_ids))
    return len(job_ids)


@shared_task(name="evaluations.tasks.generate_monthly_reports", ignore_result=True)
def generate_monthly_reports(period: str | None = None) -> int:
    """Queue the monthly report of the previous month (or `period`, YYYY-MM-DD) for every
    active region. Safe to run as often as wanted: a region whose final report exists and was
    emailed gets nothing new."""
    month = (
        dt.date.fromisoformat(period).replace(day=1)
        if period
        else selectors.previous_month(timezone.localdate())
    )
    region_ids = list(Region.objects.filter(is_active=True).values_list("pk", flat=True))
    for region_id in region_ids:
        generate_region_report.delay(region_id, month.isoformat())
    return len(region_ids)


@shared_task(
    name="evaluations.tasks.generate_region_report",
    base=RegionTask,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, OSError),
    retry_backoff=60,
    retry_backoff_max=60 * 60,
    retry_jitter=True,
    max_retries=5,
    time_limit=REPORT_TIME_LIMIT,
    soft_time_limit=REPORT_TIME_LIMIT - 30,
    ignore_result=True,
)
def generate_region_report(region: Region, period: str) -> int | None:
    """Make (if needed) and email (once) one region's monthly report. Called with the region's
    id; an inactive or deleted region is skipped (RegionTask)."""
    report = reports.monthly_report_run(region=region, period=dt.date.fromisoformat(period))
    return report.pk
