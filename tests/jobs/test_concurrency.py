"""Integration (PostgreSQL): two workers running the same job or the same delivery at the
same moment still record and send everything exactly once."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_scopes import scope

from regions.models import Notification, NotificationDelivery
from regions.notifications import delivery_send, notify
from tests.factories.regions import EmployeeFactory
from tests.factories.training import EnrolmentFactory, OfferingFactory, SessionFactory
from training.jobs import session_reminders
from training.notifications import Kind

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _together(target, n=2):
    """Run `target` in n threads released at the same instant; return their results."""
    barrier = threading.Barrier(n)
    results, errors = [None] * n, []

    def run(i):
        try:
            barrier.wait()
            results[i] = target()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def test_two_concurrent_runs_of_the_reminder_job_send_each_reminder_once(region, unit):
    offering = OfferingFactory(region=region)
    start = timezone.now() + dt.timedelta(hours=5)
    SessionFactory(region=region, offering=offering, starts_at=start,
                   ends_at=start + dt.timedelta(hours=2))  # fmt: skip
    for _ in range(6):
        EnrolmentFactory(region=region, offering=offering,
                         employee=EmployeeFactory(region=region, unit=unit))  # fmt: skip

    created = _together(session_reminders, n=3)

    assert sum(created) == 6
    with scope(region=region):
        assert Notification.objects.filter(kind=Kind.SESSION_REMINDER).count() == 6
        emails = NotificationDelivery.objects.filter(channel="email")
        assert emails.count() == 6
        assert set(emails.values_list("status", "attempts")) == {("sent", 1)}
    assert len(mail.outbox) == 6


def test_two_workers_handed_the_same_delivery_send_it_once(region, employee, settings):
    settings.KOMPETENSI_NOTIFICATION_CHANNELS = ["email"]
    enrolment = EnrolmentFactory(region=region, employee=employee)
    notification = notify(recipient=employee, kind=Kind.ENROLMENT_CONFIRMED, subject=enrolment,
                          dedup_key="same-delivery")  # fmt: skip
    with scope(region=region):
        delivery = NotificationDelivery.objects.get(notification=notification)
        # Back to unsent, as if the broker had lost the on-commit message.
        NotificationDelivery.objects.filter(pk=delivery.pk).update(
            status="pending", attempts=0, sent_at=None
        )
    mail.outbox.clear()

    def send():
        with scope(region=region):
            return delivery_send(delivery_id=delivery.pk)

    results = _together(send, n=4)

    assert sorted(results) == ["not_claimed"] * 3 + ["sent"]
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)


def test_the_same_event_recorded_concurrently_is_one_notification(region, employee):
    enrolment = EnrolmentFactory(region=region, employee=employee)

    def record():
        return notify(recipient=employee, kind=Kind.ENROLMENT_CONFIRMED, subject=enrolment,
                      dedup_key=f"enrolment:{enrolment.pk}:confirmed").pk  # fmt: skip

    ids = _together(record, n=4)

    assert len(set(ids)) == 1
    with scope(region=region):
        assert NotificationDelivery.objects.filter(channel="email").count() == 1
    assert len(mail.outbox) == 1
