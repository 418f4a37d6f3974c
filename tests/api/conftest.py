"""Fixtures of the API tests: a token for region A (and B), a client that sends it, and fast
settings (quick password hashes, no auth cache, no throttle)."""

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from regions.api_clients import api_client_create


@pytest.fixture(autouse=True)
def _fast_api(settings):
    # Users made by the factories get a fast hash: argon2 would cost ~0.1 s per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests change clients in the database directly; the auth cache has its own test.
    settings.KOMPETENSI_API_AUTH_CACHE_SECONDS = 0
    settings.KOMPETENSI_API_THROTTLE_RATE = "off"


def issue(region, *, scopes=("read",), name=None, by=None):
    with scopes_disabled():
        return api_client_create(
            region=region,
            name=name or f"Klien {region.slug if region else 'nasional'} {'+'.join(scopes)}",
            scopes=list(scopes),
            created_by=by,
        )


class ApiTestClient(Client):
    """Django's test client with a bearer token on every request; `.json(...)` helpers."""

    def __init__(self, token: str | None, **kwargs):
        super().__init__(**kwargs)
        self.token = token

    def request(self, **request):
        if self.token and "HTTP_AUTHORIZATION" not in request:
            request["HTTP_AUTHORIZATION"] = f"Bearer {self.token}"
        return super().request(**request)


@pytest.fixture
def issued(region):
    return issue(region, scopes=("read", "enrol"))


@pytest.fixture
def api(issued):
    return ApiTestClient(issued.token)


@pytest.fixture
def other_api(other_region):
    return ApiTestClient(issue(other_region).token)


@pytest.fixture
def anon_api():
    return ApiTestClient(None)


def settle(timeout: float = 180.0) -> None:
    """Wait until every transaction that began before now has ended, so the sync horizon has
    passed this test's committed writes ("once writes stop"). On PostgreSQL the horizon is the
    whole cluster's oldest running transaction: another database's tests holding a transaction
    delay it (never longer than they run). For tests with real commits (transaction=True)."""
    import time

    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_xact_id()::text::bigint")
        (now,) = cursor.fetchone()
        deadline = time.monotonic() + timeout
        while True:
            cursor.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
            if cursor.fetchone()[0] > now:
                return
            assert time.monotonic() < deadline, "a transaction elsewhere held the horizon back"
            time.sleep(0.05)
