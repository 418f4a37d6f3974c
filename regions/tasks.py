"""Celery tasks of notifications and periodic jobs. Thin: they load the region, run the
service in its scope, and retry transient failures with exponential back-off.

All tasks acknowledge late and are rejected (requeued) when their worker process dies, so a
killed worker loses nothing; they are idempotent (compare-and-swap claims, dedup keys), so a
task that runs again has the effect of running once.
"""

import logging

from celery import shared_task
from django.db import OperationalError
from django_scopes import scope, scopes_disabled

from . import jobs
from .models import NotificationDelivery, Region
from .notification_channels import TRANSIENT_ERRORS
from .notifications import delivery_send

logger = logging.getLogger(__name__)

# A send takes seconds; the hard limit must stay below the stale-claim age
# (KOMPETENSI_NOTIFICATION_STALE_SECONDS, default 300 s) so a stale claim is always a dead one.
SEND_TIME_LIMIT = 120
JOB_TIME_LIMIT = 30 * 60


def backoff(retries: int) -> int:
    """Seconds before retry number `retries + 1`: 30 s, 1 min, 2 min, … at most 30 min."""
    return min(30 * 2**retries, 30 * 60)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=6,
    time_limit=SEND_TIME_LIMIT,
    soft_time_limit=SEND_TIME_LIMIT - 20,
    ignore_result=True,
)
def send_delivery(self, delivery_id: int) -> str:
    """Send one notification delivery, exactly once (see regions.notifications.delivery_send)."""
    try:
        with scopes_disabled():
            region_id = (
                NotificationDelivery.objects.filter(pk=delivery_id)
                .values_list("region_id", flat=True)
                .first()
            )
        if region_id is None:
            return "missing"
        region = Region.objects.get(pk=region_id)
        with scope(region=region):
            return delivery_send(delivery_id=delivery_id)
    except TRANSIENT_ERRORS as exc:
        if self.request.is_eager:
            # In-process (no broker): leave it pending; the sweep tries again later.
            logger.warning("Delivery %s left pending after %r", delivery_id, exc)
            return "pending"
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc


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
