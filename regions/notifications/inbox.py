"""Reads and writes of the portal's notification pages: one employee's own notifications."""

from django.utils import timezone

from ..models import Notification


def notification_list(*, recipient, unread_only: bool = False):
    qs = Notification.objects.filter(region_id=recipient.region_id, recipient=recipient)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def notification_unread_count(*, recipient) -> int:
    return notification_list(recipient=recipient, unread_only=True).count()


def notification_mark_read(*, notification) -> None:
    """Idempotent: a notification read twice keeps its first read time."""
    now = timezone.now()
    updated = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=now
    )
    if updated:
        notification.read_at = now


def notification_mark_all_read(*, recipient) -> int:
    return notification_list(recipient=recipient, unread_only=True).update(read_at=timezone.now())
