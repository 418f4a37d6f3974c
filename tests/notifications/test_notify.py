"""Integration: notify() records once, queues after commit, and each delivery is sent once."""

import datetime as dt
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from evaluations.notifications import Kind as EvaluationKind
from kompetensi.celery import app
from regions.models import Notification, NotificationDelivery
from regions.notifications import (
    broker_backoff_reset,
    deliveries_sweep,
    delivery_send,
    notify,
)
from regions.notifications import channels as notification_channels
from regions.tasks import send_delivery
from tests.factories.regions import EmployeeFactory
from tests.factories.training import EnrolmentFactory
from training.notifications import Kind

Status = NotificationDelivery.Status


@pytest.fixture
def enrolment(region, employee):
    return EnrolmentFactory(region=region, employee=employee)


def _notify(employee, enrolment, key="enrolment:1:confirmed"):
    return notify(
        recipient=employee,
        kind=Kind.ENROLMENT_CONFIRMED,
        subject=enrolment,
        context={"program": "Pelayanan Prima", "start_date": dt.date(2026, 12, 8)},
        dedup_key=key,
    )


def _deliveries(region, notification):
    with scope(region=region):
        return {
            d.channel: d for d in NotificationDelivery.objects.filter(notification=notification)
        }


def test_notify_records_one_notification_with_a_delivery_per_channel(
    region, employee, enrolment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(employee, enrolment)
    assert notification.recipient == employee
    assert notification.kind == Kind.ENROLMENT_CONFIRMED
    assert notification.subject_id == enrolment.pk
    assert notification.context["start_date"] == {"__type__": "date", "value": "2026-12-08"}
    deliveries = _deliveries(region, notification)
    assert set(deliveries) == {"email", "inapp"}
    assert deliveries["inapp"].status == Status.SENT
    assert deliveries["email"].status == Status.SENT
    assert deliveries["email"].attempts == 1
    assert deliveries["email"].sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [f"{employee.name} <{employee.email}>"]


def test_same_dedup_key_twice_sends_nothing_new(
    region, employee, enrolment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = _notify(employee, enrolment)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = _notify(employee, enrolment)
    assert second.pk == first.pk
    assert callbacks == []
    with scope(region=region):
        assert Notification.objects.filter(dedup_key="enrolment:1:confirmed").count() == 1
        assert NotificationDelivery.objects.count() == 2
    assert len(mail.outbox) == 1


def test_deliveries_are_queued_only_after_the_transaction_commits(
    region, employee, enrolment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            notification = _notify(employee, enrolment)
        assert _deliveries(region, notification)["email"].status == Status.PENDING
    assert len(callbacks) == 1
    assert mail.outbox == []
    callbacks[0]()
    assert _deliveries(region, notification)["email"].status == Status.SENT
    assert len(mail.outbox) == 1


def test_rolled_back_event_records_and_sends_nothing(
    region, employee, enrolment, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        _notify(employee, enrolment)
        raise RuntimeError("the service failed after notifying")
    assert callbacks == []
    with scope(region=region):
        assert not Notification.objects.exists()
    assert mail.outbox == []


def test_a_delivery_is_sent_once_however_often_its_task_runs(
    region, employee, enrolment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(employee, enrolment)
    email = _deliveries(region, notification)["email"]
    assert send_delivery.delay(email.pk).get() == "not_claimed"
    assert send_delivery.delay(email.pk).get() == "not_claimed"
    assert len(mail.outbox) == 1
    assert _deliveries(region, notification)["email"].attempts == 1


def test_a_fresh_sending_claim_is_not_taken_over_but_a_stale_one_is(
    region, employee, enrolment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        notification = _notify(employee, enrolment)
    email = _deliveries(region, notification)["email"]
    with scope(region=region):
        NotificationDelivery.objects.filter(pk=email.pk).update(
            status=Status.SENDING, claimed_at=timezone.now(), attempts=1
        )
        # Another worker is sending it right now: hands off.
        assert delivery_send(delivery_id=email.pk) == "not_claimed"
        assert mail.outbox == []
        # That worker died long ago (its claim is older than the stale limit).
        NotificationDelivery.objects.filter(pk=email.pk).update(
            claimed_at=timezone.now() - dt.timedelta(minutes=10)
        )
        assert delivery_send(delivery_id=email.pk) == "sent"
        email.refresh_from_db()
    assert email.status == Status.SENT
    assert email.attempts == 2
    assert len(mail.outbox) == 1


def test_smtp_failure_leaves_the_delivery_pending_for_a_retry(
    region, employee, enrolment, django_capture_on_commit_callbacks, monkeypatch
):
    def refuse(self, fail_silently=False):
        raise SMTPServerDisconnected("mail server went away")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(employee, enrolment)
    email = _deliveries(region, notification)["email"]
    assert email.status == Status.PENDING
    assert email.attempts == 1
    assert "SMTPServerDisconnected" in email.last_error
    monkeypatch.undo()
    # The sweep picks it up once the retry gap has passed.
    later = timezone.now() + dt.timedelta(minutes=10)
    with scope(region=region):
        assert deliveries_sweep(now=later) == 1
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert email.attempts == 2
    assert len(mail.outbox) == 1


def test_after_too_many_attempts_the_delivery_is_failed(
    region, employee, enrolment, django_capture_on_commit_callbacks, monkeypatch, settings
):
    settings.KOMPETENSI_NOTIFICATION_MAX_ATTEMPTS = 1

    def refuse(self, fail_silently=False):
        raise SMTPServerDisconnected("mail server went away")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(employee, enrolment)
    email = _deliveries(region, notification)["email"]
    assert email.status == Status.FAILED
    with scope(region=region):
        assert deliveries_sweep(now=timezone.now() + dt.timedelta(hours=1)) == 0


def test_employee_without_email_gets_in_app_only(region, unit, django_capture_on_commit_callbacks):
    person = EmployeeFactory(region=region, unit=unit, email="", user=None)
    enrolment = EnrolmentFactory(region=region, employee=person)
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(person, enrolment)
    deliveries = _deliveries(region, notification)
    assert deliveries["email"].status == Status.SKIPPED
    assert deliveries["inapp"].status == Status.SENT
    assert mail.outbox == []


def test_channels_come_from_settings(
    region, employee, enrolment, settings, django_capture_on_commit_callbacks
):
    settings.KOMPETENSI_NOTIFICATION_CHANNELS = ["inapp"]
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(employee, enrolment)
    assert set(_deliveries(region, notification)) == {"inapp"}
    assert mail.outbox == []


def test_an_added_channel_class_is_used(
    region, employee, enrolment, settings, django_capture_on_commit_callbacks
):
    sent = []

    class Sms(notification_channels.Channel):
        name = "sms"

        def send(self, delivery):
            sent.append(delivery.notification.recipient.phone)

    settings.KOMPETENSI_NOTIFICATION_CHANNELS = ["sms"]
    settings.KOMPETENSI_NOTIFICATION_CHANNEL_CLASSES = {"sms": Sms}
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(employee, enrolment)
    assert _deliveries(region, notification)["sms"].status == Status.SENT
    assert sent == [employee.phone]


def test_unknown_channel_fails_the_system_check(settings):
    settings.KOMPETENSI_NOTIFICATION_CHANNELS = ["email", "pigeon"]
    errors = notification_channels.check_notification_channels()
    assert [e.id for e in errors] == ["regions.E102"]


def test_unknown_kind_is_a_programming_error(region, employee):
    with pytest.raises(ValueError):
        notify(recipient=employee, kind="nonsense", dedup_key="x")


def test_empty_dedup_key_still_records(region, employee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(recipient=employee, kind=EvaluationKind.REPORT_READY)
        second = notify(recipient=employee, kind=EvaluationKind.REPORT_READY)
    assert first.pk != second.pk


def _free_port() -> int:
    """A loopback port nobody listens on (asked of the OS at run time, never a fixed one)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def broker_down(monkeypatch):
    """Point the Celery app at a port where nothing listens, as in a Redis outage. Celery reads
    CELERY_BROKER_URL from the environment before its own setting, so both point there."""
    down = f"redis://127.0.0.1:{_free_port()}/0"
    monkeypatch.setenv("CELERY_BROKER_URL", down)
    conf = app.conf
    saved = {
        key: conf[key]
        for key in (
            "broker_url",
            "task_always_eager",
            "broker_connection_retry",
            "broker_connection_max_retries",
            "broker_connection_timeout",
        )
    }
    conf.broker_url = down
    conf.task_always_eager = False
    conf.broker_connection_retry = False
    conf.broker_connection_max_retries = 0
    conf.broker_connection_timeout = 1
    _reset_connections()
    yield
    for key, value in saved.items():
        conf[key] = value
    _reset_connections()
    broker_backoff_reset()


def _reset_connections():
    """Forget cached connections and producers so the next send reads the new broker_url."""
    app._pool = None
    app.__dict__.pop("amqp", None)


def test_broker_down_notify_succeeds_and_the_sweep_sends_later(
    region, employee, enrolment, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(employee, enrolment)
    email = _deliveries(region, notification)["email"]
    assert email.status == Status.PENDING
    assert email.attempts == 0
    assert mail.outbox == []
    # The sweep while the broker is still down changes nothing and raises nothing.
    later = timezone.now() + dt.timedelta(minutes=2)
    with scope(region=region):
        assert deliveries_sweep(now=later) == 0
    email.refresh_from_db()
    assert email.status == Status.PENDING


def test_during_an_outage_later_notifications_do_not_wait_for_the_broker_again(
    region, employee, enrolment, broker_down, django_capture_on_commit_callbacks, caplog
):
    with django_capture_on_commit_callbacks(execute=True):
        _notify(employee, enrolment, key="first")
        _notify(employee, enrolment, key="second")
    assert "Broker unavailable" in caplog.text
    assert "Broker recently unavailable; 1 deliveries left pending." in caplog.text
    with scope(region=region):
        assert set(
            NotificationDelivery.objects.filter(channel="email").values_list("status", flat=True)
        ) == {Status.PENDING}


def test_sweep_sends_what_the_broker_outage_left_behind(
    region, employee, enrolment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        notification = _notify(employee, enrolment)  # queued callback never ran: broker lost it
    email = _deliveries(region, notification)["email"]
    with scope(region=region):
        # Not yet a minute old: the on-commit task may still be on its way.
        assert deliveries_sweep() == 0
        assert deliveries_sweep(now=timezone.now() + dt.timedelta(minutes=2)) == 1
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert len(mail.outbox) == 1
