"""The Celery task that sends one notification delivery. Thin: it finds the delivery's region,
runs `delivery.delivery_send` in its scope, and retries transient failures with exponential
back-off.

It acknowledges late and is rejected (requeued) when its worker process dies, so a killed
worker loses nothing; the compare-and-swap claim makes a second run harmless. It keeps its
name `regions.tasks.send_delivery` (messages in the broker carry it) and is imported by
`regions.tasks`, so Celery's autodiscovery finds it.
"""

import logging

from celery import shared_task
from django_scopes import scopes_disabled

from kompetensi.tasks import region_scope

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
