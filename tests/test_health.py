"""Integration: /healthz (liveness, touches nothing) and /readyz (database, migrations, broker)
for the load balancer — answered before the HTTPS redirect and the host check."""

import pytest
from django.test import Client

from kompetensi import health
from kompetensi.celery import app
from tests.faults.redis_server import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_like(settings):
    """HTTPS redirect on and a host list without the address a load balancer probes."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["kompetensi.example.go.id"]


@pytest.fixture
def probe():
    return Client(HTTP_HOST="10.0.0.7:8000")


def test_healthz_answers_without_touching_the_database(
    production_like, probe, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = probe.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_readyz_is_200_when_database_migrations_and_broker_answer(production_like, probe):
    response = probe.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["migrations"] == "ok"


@pytest.fixture
def broker_at(monkeypatch):
    conf = app.conf
    saved = conf.broker_url, conf.task_always_eager

    def point(url):
        monkeypatch.setenv("CELERY_BROKER_URL", url)  # Celery reads it over broker_url
        conf.broker_url = url
        conf.task_always_eager = False

    yield point
    conf.broker_url, conf.task_always_eager = saved


def test_readyz_is_503_when_the_broker_is_unreachable(production_like, probe, broker_at):
    broker_at(f"redis://:secret@127.0.0.1:{free_port()}/0")
    response = probe.get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"].startswith("failed")
    assert body["checks"]["database"] == "ok"
    assert "secret" not in response.content.decode()


def test_readyz_is_200_with_a_reachable_broker(production_like, probe, broker_at, tmp_path):
    from tests.faults.redis_server import OwnRedis

    server = OwnRedis(tmp_path)
    server.start()
    try:
        broker_at(server.url)
        response = probe.get("/readyz")
    finally:
        server.stop()
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"


def test_readyz_is_503_while_migrations_are_missing(production_like, probe, monkeypatch):
    monkeypatch.setattr(health, "_migrated", False)

    def missing():
        raise RuntimeError("3 migrations not applied")

    monkeypatch.setattr(health, "check_migrations", missing)
    response = probe.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == "failed (RuntimeError)"


def test_readyz_is_503_when_the_database_is_down(production_like, probe, monkeypatch):
    from django.db import OperationalError

    def down():
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(health, "check_database", down)
    response = probe.get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == "failed (OperationalError)"
    assert checks["migrations"] == "unknown"
    assert "Connection refused" not in response.content.decode()
