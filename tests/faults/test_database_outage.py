"""Fault (integration): the database cannot be reached, or its connection breaks in the middle
of a request. Pages answer the Indonesian 503 page and the API `service_unavailable`, both with
`Retry-After`; a write broken half-way leaves nothing behind (PostgreSQL: the connection is
really terminated by the server)."""

import threading

import pytest
from django.db import OperationalError, connection, connections
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from tests.api.conftest import ApiTestClient, issue
from tests.factories.training import OfferingFactory
from training.models import Enrolment, HistoryEvent
from training.services import history

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = "tests.urls_errors"
    settings.DEBUG = False


def test_the_api_answers_503_service_unavailable_when_the_database_is_down(
    region, monkeypatch, settings
):
    settings.KOMPETENSI_API_AUTH_CACHE_SECONDS = 0
    settings.KOMPETENSI_API_THROTTLE_RATE = "off"
    api = ApiTestClient(issue(region).token, raise_request_exception=False)

    def down(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr("regions.api_auth.ApiClientAuthentication.authenticate", down)
    response = api.get("/api/v1/enrolments/")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    body = response.json()
    assert body["error"]["code"] == "service_unavailable"
    assert "Connection refused" not in response.content.decode()


def test_outside_a_drf_view_an_api_path_still_answers_json_503(failing_urls):
    response = Client(raise_request_exception=False).get("/api/uji/basis-data-mati/")
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "service_unavailable"


def _kill_own_connection():
    """Terminate this thread's PostgreSQL session from another connection (as a database
    restart or a dropped network would): the next statement of the request fails."""
    pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("through", ["api", "page"])
def test_a_connection_broken_mid_enrolment_is_503_and_writes_nothing(
    on_postgres, region, employee, monkeypatch, settings, through
):
    settings.KOMPETENSI_API_AUTH_CACHE_SECONDS = 0
    settings.KOMPETENSI_API_THROTTLE_RATE = "off"
    settings.DEBUG = False
    with scopes_disabled():
        offering = OfferingFactory(region=region, seats=5)
    real = history.history_record_many
    broken = threading.Event()

    def record_then_break(**kwargs):
        real(**kwargs)  # the enrolment row and its history are written under the lock ...
        if not broken.is_set():
            broken.set()
            _kill_own_connection()  # ... then the connection dies before the commit

    monkeypatch.setattr("training.services.enrolment.history_record_many", record_then_break)
    if through == "api":
        client = ApiTestClient(
            issue(region, scopes=("read", "enrol")).token, raise_request_exception=False
        )
        response = client.post(
            "/api/v1/enrolments/",
            {"offering": offering.pk, "nip": employee.nip},
            content_type="application/json",
        )
        assert response.json()["error"]["code"] == "service_unavailable"
    else:
        client = Client(raise_request_exception=False)
        client.force_login(employee.user)
        response = client.post(
            reverse("training:offering_enrol",
                    kwargs={"region_slug": region.slug, "offering_id": offering.pk}),
            {"idempotency_key": "c" * 32},
        )  # fmt: skip
        assert "Layanan sementara tidak tersedia" in response.content.decode()
    assert broken.is_set()
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    connection.close()  # the test's own session was the one terminated
    with scopes_disabled():
        assert not Enrolment.objects.filter(offering=offering).exists()
        assert not HistoryEvent.objects.filter(action="created").exists()
    # Recovery is automatic: the next request gets a fresh connection and succeeds.
    monkeypatch.setattr("training.services.enrolment.history_record_many", real)
    if through == "api":
        response = client.post(
            "/api/v1/enrolments/",
            {"offering": offering.pk, "nip": employee.nip},
            content_type="application/json",
        )
        assert response.status_code == 201
    else:
        response = client.post(
            reverse("training:offering_enrol",
                    kwargs={"region_slug": region.slug, "offering_id": offering.pk}),
            {"idempotency_key": "d" * 32},
        )  # fmt: skip
        assert response.status_code == 302
