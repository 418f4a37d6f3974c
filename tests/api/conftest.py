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
