"""End to end on the real stack: a Celery worker process on Redis and PostgreSQL.

Each test starts `celery -A kompetensi worker` as a subprocess on a queue of its own, pointed
at the test database, and talks to it through Redis. Emails go to the worker's console (its
log file), so an email sent twice would show twice there; the delivery rows say the same.

What happens to a task whose worker dies (checked below, with Redis as the broker):
- a pool *child* killed mid-task (prefork): the worker sees it die and, with acks_late and
  reject_on_worker_lost, puts the message straight back on the queue; it runs again at once;
- the whole worker killed (SIGKILL): its unacknowledged message stays in Redis' `unacked`
  hash until the visibility timeout (1 hour) has passed; meanwhile the delivery stays claimed.
In both cases the delivery's `sending` claim is what stops a second send; once the claim is
older than the stale limit (longer than the send task's hard time limit), the sweep queues it
again and it is sent, once.
"""

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.utils import timezone
from django_scopes import scope

from kompetensi.celery import app
from regions.models import Notification, NotificationDelivery
from regions.notifications import broker_backoff_reset, notify
from regions.notifications.channels import SLOW_CHANNEL_ENV
from regions.tasks import sweep_deliveries
from tests.factories.regions import EmployeeFactory
from tests.factories.training import EnrolmentFactory, OfferingFactory, SessionFactory
from training.models import Enrolment
from training.notifications import Kind
from training.tasks import session_reminders

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.real_worker,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BROKER_URL = os.environ.get("KOMPETENSI_TEST_BROKER_URL", "redis://127.0.0.1:6379/13")
PROJECT_ROOT = Path(__file__).resolve().parents[2]
Status = NotificationDelivery.Status


def _wait_for(predicate, *, timeout: float = 60, interval: float = 0.2, what: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] or ""
    if db["PASSWORD"]:
        auth += f":{db['PASSWORD']}"
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{auth}{'@' if auth else ''}{host}{port}/{db['NAME']}"


class Worker:
    """One `celery worker` subprocess; always killed by the fixture that made it."""

    def __init__(self, *, queue: str, log: Path, pool: str = "solo", env: dict | None = None):
        self.log = log
        command = [
            sys.executable, "-m", "celery", "-A", "kompetensi", "worker",
            f"--pool={pool}", "--concurrency=1", "-Q", queue,
            "-n", f"{log.stem}@%h", "--without-gossip", "--without-mingle",
            "--without-heartbeat", "-l", "INFO",
            # Tasks queued from inside the worker (deliveries) go to the same queue.
            "--", f"task.default_queue={queue}",
        ]  # fmt: skip
        self._log_file = log.open("wb")
        self.process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env={
                **os.environ,
                "DATABASE_URL": _database_url(),
                "CELERY_BROKER_URL": BROKER_URL,
                "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
                "PYTHONUNBUFFERED": "1",
                **(env or {}),
            },
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _wait_for(lambda: " ready." in self.text() or self.process.poll() is not None,
                  timeout=90, what="the worker to start")  # fmt: skip
        assert self.process.poll() is None, self.text()

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self._log_file.close()


@pytest.fixture
def stack(tmp_path, settings, monkeypatch):
    """A unique queue on the test broker, this process publishing to it, and a way to start
    workers; every worker and every message of the queue is removed afterwards.

    Celery reads CELERY_BROKER_URL from the environment before its own `broker_url` setting,
    so a deployment-style environment (REDIS_URL and CELERY_BROKER_URL both set) would make this
    process publish to another broker than the worker listens on: both point at the test
    broker here."""
    monkeypatch.setenv("CELERY_BROKER_URL", BROKER_URL)
    broker = redis.Redis.from_url(BROKER_URL)
    broker.ping()  # fail loudly: the Postgres run needs Redis
    queue = f"kompetensi-test-{uuid.uuid4().hex[:10]}"
    conf = app.conf
    saved = {k: conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")}
    conf.broker_url = BROKER_URL
    conf.task_always_eager = False
    conf.task_default_queue = queue
    _forget_connections()
    broker_backoff_reset()
    workers: list[Worker] = []

    def start(name: str, **kwargs) -> Worker:
        worker = Worker(queue=queue, log=tmp_path / f"{name}.log", **kwargs)
        workers.append(worker)
        return worker

    start.queue = queue
    start.broker = broker
    try:
        yield start
    finally:
        for worker in workers:
            worker.kill()
        for key, value in saved.items():
            conf[key] = value
        _forget_connections()
        _purge(broker, queue)
        # Let the flush at teardown run without the workers' database sessions.
        connection.close()


def _forget_connections():
    app._pool = None
    app.__dict__.pop("amqp", None)


def _purge(broker, queue: str) -> None:
    """Delete the queue, its bindings and its entries in kombu's unacked bookkeeping."""
    broker.delete(queue, *broker.scan_iter(match=f"_kombu.*{queue}*"))
    for member in broker.zrange("_kombu.binding_deadlines", 0, -1):
        if queue in member.decode(errors="replace"):
            broker.zrem("_kombu.binding_deadlines", member)
    for tag, raw in broker.hgetall("unacked").items():
        try:
            _message, exchange, routing_key = json.loads(raw)
        except (ValueError, TypeError):
            continue
        if queue in (exchange, routing_key):
            broker.hdel("unacked", tag)
            broker.zrem("unacked_index", tag)


def _unacked_for(broker, queue: str) -> int:
    count = 0
    for raw in broker.hgetall("unacked").values():
        _message, exchange, routing_key = json.loads(raw)
        count += queue in (exchange, routing_key)
    return count


def _emails_in(*workers: Worker, notification_id: int) -> int:
    header = f"X-Kompetensi-Notification: {notification_id}\n"
    return sum(worker.text().count(header) for worker in workers)


def _succeeded(worker: Worker, task: str) -> int:
    text = worker.text()
    return sum(1 for line in text.splitlines() if f"Task {task}[" in line and " succeeded " in line)


def _deliveries(region, **filters):
    with scope(region=region):
        return list(NotificationDelivery.objects.filter(**filters).order_by("pk"))


def test_reminder_job_runs_end_to_end_and_a_second_run_sends_nothing(region, unit, stack):
    offering = OfferingFactory(region=region)
    start = timezone.now() + dt.timedelta(hours=6)
    session = SessionFactory(region=region, offering=offering, starts_at=start,
                             ends_at=start + dt.timedelta(hours=3))  # fmt: skip
    confirmed = [
        EnrolmentFactory(
            region=region, offering=offering, employee=EmployeeFactory(region=region, unit=unit)
        )  # fmt: skip
        for _ in range(2)
    ]
    EnrolmentFactory(region=region, offering=offering, status=Enrolment.Status.WAITLISTED,
                     employee=EmployeeFactory(region=region, unit=unit))  # fmt: skip
    worker = stack("reminders")

    session_reminders.apply_async()
    _wait_for(lambda: len(_deliveries(region, channel="email", status=Status.SENT)) == 2,
              what="two reminder emails sent")  # fmt: skip
    with scope(region=region):
        notifications = list(Notification.objects.order_by("pk"))
    assert [n.dedup_key for n in notifications] == [
        f"reminder:{session.pk}:{enrolment.pk}:1d" for enrolment in confirmed
    ]
    for notification in notifications:
        assert _emails_in(worker, notification_id=notification.pk) == 1
    assert {(d.channel, d.status, d.attempts) for d in _deliveries(region)} == {
        ("email", Status.SENT, 1),
        ("inapp", Status.SENT, 1),
    }

    # The same job again (beat firing twice, a retry, a second worker): nothing new.
    session_reminders.apply_async()
    _wait_for(lambda: _succeeded(worker, session_reminders.name) == 2, what="the second run")
    time.sleep(1)  # let any (wrongly) queued delivery task reach the worker
    with scope(region=region):
        assert Notification.objects.count() == 2
    assert [(d.status, d.attempts) for d in _deliveries(region, channel="email")] == [
        (Status.SENT, 1),
        (Status.SENT, 1),
    ]
    for notification in notifications:
        assert _emails_in(worker, notification_id=notification.pk) == 1


def _slow_notification(region, employee, settings, monkeypatch):
    """A notification whose only delivery takes a while to send (the test channel)."""
    monkeypatch.setenv(SLOW_CHANNEL_ENV, "1")
    settings.KOMPETENSI_NOTIFICATION_CHANNELS = ["slow-email"]
    enrolment = EnrolmentFactory(region=region, employee=employee)
    notification = notify(recipient=employee, kind=Kind.ENROLMENT_CONFIRMED, subject=enrolment,
                          dedup_key=f"enrolment:{enrolment.pk}:confirmed")  # fmt: skip
    (delivery,) = _deliveries(region, notification=notification)
    return notification, delivery


def _claimed(region, delivery):
    delivery.refresh_from_db()
    return delivery.status == Status.SENDING


def _age_claim(region, delivery, minutes=10):
    """What the clock does in production: the dead worker's claim grows stale."""
    with scope(region=region):
        NotificationDelivery.objects.filter(pk=delivery.pk).update(
            claimed_at=timezone.now() - dt.timedelta(minutes=minutes)
        )


def test_killed_worker_loses_nothing_and_the_email_goes_out_once(
    region, employee, stack, settings, monkeypatch
):
    doomed = stack("doomed", env={SLOW_CHANNEL_ENV: "60"})
    notification, delivery = _slow_notification(region, employee, settings, monkeypatch)
    _wait_for(lambda: _claimed(region, delivery), what="the worker to claim the delivery")
    doomed.kill()  # SIGKILL in the middle of sending

    # The message is held in Redis' unacked set (until the 1 h visibility timeout), not lost.
    assert _unacked_for(stack.broker, stack.queue) == 1
    survivor = stack("survivor", env={SLOW_CHANNEL_ENV: "0.1"})
    time.sleep(2)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.SENDING, 1)
    assert _emails_in(doomed, survivor, notification_id=notification.pk) == 0

    # Minutes later the claim is stale; the periodic sweep queues the delivery again.
    _age_claim(region, delivery)
    sweep_deliveries.apply_async()
    _wait_for(lambda: (delivery.refresh_from_db(), delivery.status == Status.SENT)[1],
              what="the delivery to be sent by the surviving worker")  # fmt: skip
    assert delivery.attempts == 2
    assert delivery.sent_at is not None
    assert _emails_in(doomed, survivor, notification_id=notification.pk) == 1

    # Another sweep, and the job's own retries, send nothing more.
    sweep_deliveries.apply_async()
    _wait_for(lambda: _succeeded(survivor, sweep_deliveries.name) == 2, what="second sweep")
    time.sleep(1)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.SENT, 2)
    assert _emails_in(doomed, survivor, notification_id=notification.pk) == 1


def test_killed_pool_child_task_is_requeued_and_never_sends_twice(
    region, employee, stack, settings, monkeypatch
):
    worker = stack("prefork", pool="prefork", env={SLOW_CHANNEL_ENV: "10"})
    notification, delivery = _slow_notification(region, employee, settings, monkeypatch)
    _wait_for(lambda: _claimed(region, delivery), what="the child to claim the delivery")
    (child,) = worker.children()
    os.kill(child, signal.SIGKILL)

    # reject_on_worker_lost: the message goes back to the queue and runs again at once, and
    # that run finds the delivery claimed, so it does not send a second email.
    _wait_for(lambda: "not_claimed" in worker.text(), timeout=90,
              what="the requeued task to run again")  # fmt: skip
    received = [
        line for line in worker.text().splitlines()
        if "regions.tasks.send_delivery[" in line and line.endswith("] received")
    ]  # fmt: skip
    assert len(received) == 2
    assert "WorkerLostError" in worker.text()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.SENDING, 1)

    _age_claim(region, delivery)
    sweep_deliveries.apply_async()
    _wait_for(lambda: (delivery.refresh_from_db(), delivery.status == Status.SENT)[1],
              timeout=90, what="the delivery to be sent after the sweep")  # fmt: skip
    assert delivery.attempts == 2
    assert _emails_in(worker, notification_id=notification.pk) == 1
