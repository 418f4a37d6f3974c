"""Celery tasks of notifications and periodic jobs. Thin: they load the region, run the
service in its scope, and retry transient failures with exponential back-off.

All tasks acknowledge late and are rejected (requeued) when their worker process dies, so a
killed worker loses nothing; they are idempotent (compare-and-swap claims, dedup keys), so a
task that runs again has the effect of running once.
"""

from celery import shared_task
from django.db import OperationalError

from . import jobs
from .notifications.tasks import send_delivery

__all__ = ["send_delivery"]

JOB_TIME_LIMIT = 30 * 60


def _job_task(name: str, job: str, doc: str):
    def run(self) -> int:
        return jobs.run_job(job)

    run.__doc__ = doc
    run.__name__ = run.__qualname__ = name
    return shared_task(
        name=f"regions.tasks.{name}",
        bind=True,
        acks_late=True,
        reject_on_worker_lost=True,
        autoretry_for=(OperationalError,),
        retry_backoff=30,
        retry_backoff_max=30 * 60,
        retry_jitter=True,
        max_retries=5,
        time_limit=JOB_TIME_LIMIT,
        soft_time_limit=JOB_TIME_LIMIT - 60,
        ignore_result=True,
    )(run)


session_reminders = _job_task(
    "session_reminders", "reminders", "Remind confirmed participants 3 days and 1 day ahead."
)
pending_approvals = _job_task(
    "pending_approvals", "approvals", "Remind supervisors of enrolment requests left waiting."
)
window_closing = _job_task(
    "window_closing", "window-closing", "Tell admins of windows closing with seats left."
)
jp_target_alerts = _job_task(
    "jp_target_alerts", "jp-alerts", "Monthly JP target alerts to PNS, supervisors and admins."
)
sweep_deliveries = _job_task(
    "sweep_deliveries", "sweep", "Queue again notification deliveries that were never sent."
)
