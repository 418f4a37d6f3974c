"""Fault (integration): Redis stops — a redis-server of the test's own on a free port, used as
the cache *and* the Celery broker, as in a deployment — and the portal degrades, never breaks.

While it is down: login, password reset (its e-mail still goes out), the REST API (throttled
by a local per-process limit) and web enrolment answer as usual, and the cache logs one
warning for the whole outage. When it is back: the cache says so once, and the notification
the enrolment left pending is sent by the sweep.
"""

import datetime as dt
import logging
import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope

from kompetensi.cache import outage, redis_cache_settings
from kompetensi.celery import app
from regions.models import NotificationDelivery
from regions.notifications import broker_backoff_reset
from regions.notifications.delivery import deliveries_sweep
from tests.api.conftest import ApiTestClient, issue
from tests.conftest import PASSWORD
from tests.factories.training import OfferingFactory
from tests.faults.redis_server import OwnRedis
from training.models import Enrolment

pytestmark = pytest.mark.django_db
Status = NotificationDelivery.Status


@pytest.fixture
def own_redis(tmp_path, settings, monkeypatch):
    """The test's own Redis as cache and broker; tasks go through the broker (not eager)."""
    server = OwnRedis(tmp_path)
    server.start()
    settings.CACHES = {"default": redis_cache_settings(server.url)}
    settings.CACHES["default"]["OPTIONS"]["RETRY_SECONDS"] = 0.2
    monkeypatch.setenv("CELERY_BROKER_URL", server.url)  # Celery reads it over broker_url
    conf = app.conf
    saved = {k: conf[k] for k in ("broker_url", "task_always_eager", "broker_connection_timeout")}
    conf.broker_url = server.url
    conf.task_always_eager = False
    conf.broker_connection_timeout = 1
    _forget_connections()
    outage.reset()
    broker_backoff_reset()
    yield server
    server.stop()
    for key, value in saved.items():
        conf[key] = value
    _forget_connections()
    outage.reset()
    broker_backoff_reset()


def _forget_connections():
    app._pool = None
    app.__dict__.pop("amqp", None)


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def cache_log():
    """Warnings of kompetensi.cache, whatever another library does to the root logger."""
    handler = _Records()
    logger = logging.getLogger("kompetensi.cache")
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def _warnings(log, text):
    return [r for r in log.records if text in r.getMessage()]


def test_with_redis_down_login_reset_api_and_enrolment_keep_working(
    own_redis, settings, region, employee, client, cache_log, django_capture_on_commit_callbacks
):
    employee.user.set_password(PASSWORD)
    employee.user.save()
    settings.KOMPETENSI_API_THROTTLE_RATE = "100/min"
    token = issue(region, scopes=("read", "enrol")).token
    offering = OfferingFactory(region=region, seats=5)
    own_redis.stop()

    response = client.post(reverse("account_login"), {"login": employee.nip, "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    assert "_auth_user_id" in client.session

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("training:offering_enrol",
                    kwargs={"region_slug": region.slug, "offering_id": offering.pk}),
            {"idempotency_key": "b" * 32},
        )  # fmt: skip
    assert response.status_code == 302
    client.logout()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": employee.user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1  # sent in the request: no broker to queue it on
    assert "/akun/password/reset/key/" in mail.outbox[0].body

    api = ApiTestClient(token)
    for _ in range(3):
        assert api.get("/api/v1/enrolments/").status_code == 200

    assert len(_warnings(cache_log, "Redis unreachable")) == 1
    with scope(region=region):
        enrolment = Enrolment.objects.get(offering=offering, employee=employee)
        assert enrolment.status == Enrolment.Status.CONFIRMED
        email = NotificationDelivery.objects.get(channel="email")
        assert email.status == Status.PENDING  # waiting for the sweep, not lost

    own_redis.start()
    time.sleep(0.3)  # past the cache's retry interval
    broker_backoff_reset()
    assert ApiTestClient(token).get("/api/v1/me/").status_code == 200
    assert len(_warnings(cache_log, "Redis answers again")) == 1
    # The sweep sends what the outage left pending (tasks in-process here, as with a worker).
    app.conf.task_always_eager = True
    with scope(region=region):
        assert deliveries_sweep(now=timezone.now() + dt.timedelta(minutes=2)) == 1
    email.refresh_from_db()
    assert email.status == Status.SENT
    assert len(mail.outbox) == 2


def test_with_redis_down_the_api_limit_still_counts_per_process(
    own_redis, settings, region, cache_log
):
    settings.KOMPETENSI_API_THROTTLE_RATE = "2/min"
    api = ApiTestClient(issue(region).token)
    own_redis.stop()
    codes = [api.get("/api/v1/me/").status_code for _ in range(4)]
    assert codes == [200, 200, 429, 429]  # a local limit, not fail-open
    assert len(_warnings(cache_log, "Redis unreachable")) == 1
