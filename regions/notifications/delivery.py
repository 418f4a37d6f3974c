"""Delivery of recorded notifications: queue, claim, send, sweep.

- `deliveries_enqueue` queues one send task per delivery (after the recording transaction
  commits, see `service.notify`). It never raises: with the broker down the deliveries stay
  `pending` and, for a while, later calls do not even try (one outage must not make every
  notify() of a large transaction wait for its own connection timeout).
- `delivery_send` (what the task `regions.tasks.send_delivery` runs) claims a delivery with a
  compare-and-swap UPDATE (`pending`, or `sending` but stale → `sending`: only one worker can
  win), sends it through its channel and marks it `sent`, `skipped` or `failed`. A claim older
  than the stale limit (longer than the send task's hard time limit, so its worker is gone)
  may be claimed again.
- `deliveries_sweep` queues again what was never sent (the broker was down, a worker died, the
  retries gave up) in the current region; `sweep_deliveries` runs it for every active region
  (regions' periodic job "sweep", beat task `regions.tasks.sweep_deliveries`).

The send task is queued by its registered name: this module does not import the tasks module
(which imports this one).
"""

import datetime as dt
import logging
import time

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django_scopes import scope

from kompetensi.jobs import job_batch_size
from kompetensi.tasks import broker_errors, resolve_task

from ..models import NotificationDelivery
from ..selectors import active_regions
from .channels import TRANSIENT_ERRORS, SkipDelivery, get_channel

logger = logging.getLogger(__name__)

SEND_TASK = "regions.tasks.send_delivery"

# After a broker error, publishing is skipped for a while (the sweep sends later), so an outage
# does not make each notify() of a large transaction wait for its own connection timeout.
BROKER_BACKOFF_SECONDS = 30.0
_broker_down_until = 0.0

PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}


def stale_after() -> dt.timedelta:
    """A `sending` claim older than this belongs to a worker that is gone (it is longer than the
    send task's hard time limit, see regions.notifications.tasks)."""
    return dt.timedelta(seconds=getattr(settings, "KOMPETENSI_NOTIFICATION_STALE_SECONDS", 300))


def max_attempts() -> int:
    return int(getattr(settings, "KOMPETENSI_NOTIFICATION_MAX_ATTEMPTS", 8))


def deliveries_enqueue(*, delivery_ids) -> int:
    """Queue a send task per delivery. Never raises: with the broker down the deliveries stay
    pending and the sweep queues them later. Returns how many were queued."""
    global _broker_down_until
    send_delivery = resolve_task(SEND_TASK)

    eager = send_delivery.app.conf.task_always_eager
    if not eager and time.monotonic() < _broker_down_until:
        logger.info("Broker recently unavailable; %d deliveries left pending.", len(delivery_ids))
        return 0
    errors = broker_errors()
    queued = 0
    for delivery_id in delivery_ids:
        try:
            send_delivery.apply_async(
                args=[delivery_id], retry=True, retry_policy=PUBLISH_RETRY_POLICY
            )
        except errors as exc:
            _broker_down_until = time.monotonic() + BROKER_BACKOFF_SECONDS
            logger.warning(
                "Broker unavailable (%s); %d notification deliveries left pending for the sweep.",
                exc,
                len(delivery_ids) - queued,
            )
            break
        except Exception:
            # Eager mode (no broker) runs the task here; its failure is recorded on the row.
            logger.exception("Sending notification delivery %s failed", delivery_id)
        queued += 1
    return queued


def broker_backoff_reset() -> None:
    """Forget a past broker error (tests, or an operator who knows the broker is back)."""
    global _broker_down_until
    _broker_down_until = 0.0


def delivery_send(*, delivery_id: int) -> str:
    """Claim, send and mark one delivery. Returns "sent", "skipped", "failed" or "not_claimed".

    The claim is a compare-and-swap UPDATE (pending, or sending but stale → sending), so of
    two workers handed the same delivery only one sends. A transient error puts the delivery
    back to pending and re-raises (the task retries with back-off); other errors, or too many
    attempts, mark it failed.
    """
    Status = NotificationDelivery.Status
    claimed_at = timezone.now()
    claimable = Q(status=Status.PENDING) | Q(
        status=Status.SENDING, claimed_at__lt=claimed_at - stale_after()
    )
    claimed = (
        NotificationDelivery.objects.filter(pk=delivery_id)
        .filter(claimable)
        .update(status=Status.SENDING, claimed_at=claimed_at, attempts=F("attempts") + 1)
    )
    if claimed != 1:
        return "not_claimed"
    mine = NotificationDelivery.objects.filter(
        pk=delivery_id, status=Status.SENDING, claimed_at=claimed_at
    )
    delivery = NotificationDelivery.objects.select_related(
        "notification__recipient__user", "notification__region"
    ).get(pk=delivery_id)
    try:
        channel = get_channel(delivery.channel)
        channel.send(delivery)
    except SkipDelivery as exc:
        mine.update(status=Status.SKIPPED, last_error=str(exc)[:1000])
        return "skipped"
    except TRANSIENT_ERRORS as exc:
        exhausted = delivery.attempts >= max_attempts()
        mine.update(
            status=Status.FAILED if exhausted else Status.PENDING,
            last_error=f"{type(exc).__name__}: {exc}"[:1000],
        )
        if exhausted:
            logger.error("Notification delivery %s failed %s times", delivery_id, delivery.attempts)
            return "failed"
        raise
    except Exception as exc:
        logger.exception("Notification delivery %s failed", delivery_id)
        mine.update(status=Status.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:1000])
        return "failed"
    mine.update(status=Status.SENT, sent_at=timezone.now(), last_error="")
    return "sent"


def deliveries_sweep(*, now: dt.datetime | None = None, batch_size: int = 500) -> int:
    """Queue again what was never sent, in the current region scope: pending for more than a
    minute (the broker was down, or a retry gave up) and `sending` claims gone stale."""
    Status = NotificationDelivery.Status
    now = now or timezone.now()
    retry_gap = dt.timedelta(minutes=5)
    ids = list(
        NotificationDelivery.objects.filter(
            Q(
                status=Status.PENDING,
                created_at__lt=now - dt.timedelta(minutes=1),
                attempts__lt=max_attempts(),
            )
            & (Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - retry_gap))
            | Q(status=Status.SENDING, claimed_at__lt=now - stale_after())
        )
        .order_by("id")
        .values_list("id", flat=True)[:batch_size]
    )
    return deliveries_enqueue(delivery_ids=ids) if ids else 0


def sweep_deliveries(*, now=None, regions=None, batch_size=None) -> int:
    """Queue again deliveries that were never sent (broker down, a worker lost, retries gone),
    region by region (the periodic job "sweep")."""
    created = 0
    for region in active_regions(regions):
        with scope(region=region):
            created += deliveries_sweep(now=now, batch_size=job_batch_size(batch_size))
    return created
