"""Celery tasks of notification delivery. Thin: `send_delivery` finds the delivery's region,
runs `delivery.delivery_send` in its scope and retries transient failures with exponential
back-off; `sweep_deliveries` (beat, every 2 minutes) runs the periodic job "sweep".

Both acknowledge late and are rejected (requeued) when their worker process dies, so a killed
worker loses nothing; compare-and-swap claims make a second run harmless. They keep their
names `regions.tasks.*` (messages in the broker and beat rows carry them) and are imported by
`regions.tasks`, so Celery's autodiscovery finds them.
"""

import logging

from celery import shared_task
from django_scopes import scopes_disabled

from kompetensi.tasks import periodic_job_task, region_scope

from ..models import NotificationDelivery
from .channels import TRANSIENT_ERRORS
from .delivery import SEND_TASK, delivery_send

logger = logging.getLogger(__name__)

# A send takes seconds; the hard limit must stay below the stale-claim age
# (KOMPETENSI_NOTIFICATION_STALE_SECONDS, default 300 s) so a stale claim is always a dead one.
SEND_TIME_LIMIT = 120


def backoff(retries: int) -> int:
    """Seconds before retry number `retries + 1`: 30 s, 1 min, 2 min, … at most 30 min."""
    return min(30 * 2**retries, 30 * 60)


@shared_task(
    name=SEND_TASK,
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=6,
    time_limit=SEND_TIME_LIMIT,
    soft_time_limit=SEND_TIME_LIMIT - 20,
    ignore_result=True,
)
def send_delivery(self, delivery_id: int) -> str:
    """Send one notification delivery, exactly once (see delivery.delivery_send)."""
    try:
        with scopes_disabled():
            region_id = (
                NotificationDelivery.objects.filter(pk=delivery_id)
                .values_list("region_id", flat=True)
                .first()
            )
        with region_scope(region_id) as region:
            if region is None:
                return "missing"
            return delivery_send(delivery_id=delivery_id)
    except TRANSIENT_ERRORS as exc:
        if self.request.is_eager:
            # In-process (no broker): leave it pending; the sweep tries again later.
            logger.warning("Delivery %s left pending after %r", delivery_id, exc)
            return "pending"
        raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc


sweep_deliveries = periodic_job_task(
    "regions.tasks.sweep_deliveries",
    "sweep",
    "Queue again notification deliveries that were never sent.",
)
