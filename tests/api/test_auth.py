"""Integration: bearer-token authentication, scopes, expiry/rotation/revocation, throttling,
last-used tracking, and the error shape of every refusal."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_scopes import scopes_disabled

from regions import api_clients
from regions.models import ApiClient

from .conftest import ApiTestClient, issue

pytestmark = pytest.mark.django_db


def _error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)
    return body["error"]


def test_token_is_shown_once_and_only_its_sha256_is_stored(region):
    issued = issue(region)
    client = ApiClient.objects.get(pk=issued.client.pk)
    assert issued.token.startswith(f"kmp_{client.key_id}_")
    secret = issued.token.split("_", 2)[2]
    assert len(secret) >= 43  # 32 random bytes, URL-safe base64
    assert secret not in client.secret_hash
    assert client.secret_hash.startswith("sha256$") and len(client.secret_hash) == 71


def test_valid_token_reads(api):
    response = api.get("/api/v1/me/")
    assert response.status_code == 200
    assert response.json()["region"]["slug"] == "semarang"


def test_missing_token_is_401_with_bearer_challenge(anon_api, region):
    error = _error(anon_api.get("/api/v1/enrolments/"), 401, "not_authenticated")
    assert "Authorization" in error["message"]
    assert anon_api.get("/api/v1/enrolments/")["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header, code",
    [
        ("Basic dXNlcjpwYXNz", "invalid_authorization_header"),
        ("Bearer", "invalid_authorization_header"),
        ("Bearer kmp_nothex_secret", "invalid_token"),
        ("Bearer kmp_0123456789abcdef_wrong-secret", "invalid_token"),
        ("Token abc", "invalid_authorization_header"),
    ],
)
def test_malformed_or_unknown_tokens_are_401(anon_api, region, header, code):
    _error(anon_api.get("/api/v1/enrolments/", HTTP_AUTHORIZATION=header), 401, code)


def test_right_key_wrong_secret_is_401(issued, anon_api):
    key_id = issued.client.key_id
    bad = f"kmp_{key_id}_{'x' * 43}"
    _error(anon_api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {bad}"), 401, "invalid_token")


def test_token_in_the_url_is_never_accepted(issued, anon_api):
    response = anon_api.get(f"/api/v1/me/?token={issued.token}")
    _error(response, 401, "not_authenticated")
    response = ApiTestClient(issued.token).get(f"/api/v1/enrolments/?access_token={issued.token}")
    _error(response, 400, "unknown_parameter")


def test_revoked_token_is_refused_and_says_so(issued):
    api_clients.api_client_revoke(client=issued.client)
    _error(ApiTestClient(issued.token).get("/api/v1/me/"), 401, "token_revoked")
    # Revoking twice changes nothing.
    first = ApiClient.objects.get(pk=issued.client.pk).revoked_at
    api_clients.api_client_revoke(client=issued.client)
    assert ApiClient.objects.get(pk=issued.client.pk).revoked_at == first


def test_expired_token_is_refused(issued):
    ApiClient.objects.filter(pk=issued.client.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    _error(ApiTestClient(issued.token).get("/api/v1/me/"), 401, "token_expired")


def test_rotation_replaces_the_secret_at_once(issued):
    rotated = api_clients.api_client_rotate(client=issued.client)
    assert rotated.token != issued.token
    assert rotated.client.rotated_at is not None
    _error(ApiTestClient(issued.token).get("/api/v1/me/"), 401, "invalid_token")
    assert ApiTestClient(rotated.token).get("/api/v1/me/").status_code == 200


def test_revoked_client_cannot_be_rotated(issued):
    api_clients.api_client_revoke(client=issued.client)
    with pytest.raises(ValidationError):
        api_clients.api_client_rotate(client=issued.client)


def test_inactive_region_locks_its_clients_out(issued, region):
    region.is_active = False
    region.save()
    _error(ApiTestClient(issued.token).get("/api/v1/me/"), 401, "region_inactive")


def test_last_used_is_written_at_most_once_a_minute(issued, django_assert_num_queries):
    api = ApiTestClient(issued.token)
    assert ApiClient.objects.get(pk=issued.client.pk).last_used_at is None
    api.get("/api/v1/me/")
    first = ApiClient.objects.get(pk=issued.client.pk).last_used_at
    assert first is not None
    with django_assert_num_queries(1):  # the client lookup only: no UPDATE
        api.get("/api/v1/me/")
    assert ApiClient.objects.get(pk=issued.client.pk).last_used_at == first
    ApiClient.objects.filter(pk=issued.client.pk).update(
        last_used_at=timezone.now() - dt.timedelta(seconds=61)
    )
    api.get("/api/v1/me/")
    assert ApiClient.objects.get(pk=issued.client.pk).last_used_at > first


def test_read_scope_is_needed_to_read(region):
    enrol_only = ApiTestClient(issue(region, scopes=("enrol",)).token)
    error = _error(enrol_only.get("/api/v1/enrolments/"), 403, "insufficient_scope")
    assert error["details"] == {"required_scope": "read"}


def test_enrol_scope_is_needed_to_write(region):
    read_only = ApiTestClient(issue(region, scopes=("read",)).token)
    response = read_only.post(
        "/api/v1/enrolments/", {"offering": 1, "nip": "1"}, content_type="application/json"
    )
    _error(response, 403, "insufficient_scope")


def test_throttling_is_per_client_with_retry_after(settings, region, issued):
    settings.KOMPETENSI_API_THROTTLE_RATE = "3/min"
    from django.core.cache import cache

    cache.clear()
    api = ApiTestClient(issued.token)
    other = ApiTestClient(issue(region, name="Klien kedua").token)
    for _ in range(3):
        assert api.get("/api/v1/me/").status_code == 200
    response = api.get("/api/v1/me/")
    error = _error(response, 429, "throttled")
    assert int(response["Retry-After"]) >= 1
    assert error["details"]["retry_after"] >= 1
    assert other.get("/api/v1/me/").status_code == 200  # another client has its own budget
    cache.clear()


def test_client_creation_rules(region, admin):
    with pytest.raises(ValidationError) as exc:
        api_clients.api_client_create(region=region, name=" ", scopes=["read"])
    assert "name" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        api_clients.api_client_create(region=region, name="X", scopes=[])
    assert "scopes" in exc.value.message_dict
    with pytest.raises(ValidationError):
        api_clients.api_client_create(region=region, name="X", scopes=["admin"])
    with pytest.raises(ValidationError):
        api_clients.api_client_create(
            region=region, name="X", scopes=["read"], expires_at=timezone.now()
        )
    api_clients.api_client_create(region=region, name="SIMPEG", scopes=["read"])
    with pytest.raises(ValidationError):
        api_clients.api_client_create(region=region, name="simpeg", scopes=["read"])
    # National clients: superusers only, read only.
    with pytest.raises(ValidationError):
        api_clients.api_client_create(region=None, name="Nasional", scopes=["read"])
    admin.user.is_superuser = True
    with pytest.raises(ValidationError):
        api_clients.api_client_create(
            region=None, name="Nasional", scopes=["read", "enrol"], created_by=admin.user
        )
    with scopes_disabled():
        issued = api_clients.api_client_create(
            region=None, name="Nasional", scopes=["read"], created_by=admin.user
        )
    assert issued.client.is_national


def test_auth_cache_saves_lookups_but_not_revocations(settings, issued, django_assert_num_queries):
    from regions.api_clients import _AUTH_CACHE

    settings.KOMPETENSI_API_AUTH_CACHE_SECONDS = 60
    _AUTH_CACHE.clear()
    api = ApiTestClient(issued.token)
    api.get("/api/v1/me/")  # looks the client up (and records its use)
    with django_assert_num_queries(0):
        assert api.get("/api/v1/me/").status_code == 200
    # A wrong secret for the same key is never served from the cache.
    bad = ApiTestClient(f"kmp_{issued.client.key_id}_{'x' * 43}")
    assert bad.get("/api/v1/me/").status_code == 401
    # Revoking (or rotating) drops the cached entry at once.
    api_clients.api_client_revoke(client=issued.client)
    _error(api.get("/api/v1/me/"), 401, "token_revoked")
    # Expiry is checked on every request, cached or not.
    fresh = issue(issued.client.region, name="Klien cache")
    api = ApiTestClient(fresh.token)
    api.get("/api/v1/me/")
    past = timezone.now() - dt.timedelta(seconds=1)
    ApiClient.objects.filter(pk=fresh.client.pk).update(expires_at=past)
    for _key, (_until, client) in _AUTH_CACHE.items():
        client.expires_at = past  # as time passing would make it
    _error(api.get("/api/v1/me/"), 401, "token_expired")
    _AUTH_CACHE.clear()


def _redis_cache_settings(settings, location):
    import uuid

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }


def test_on_redis_the_throttle_keeps_one_number_per_client(settings, region, issued):
    """One Lua call per request (GCRA), not DRF's read-modify-write of a timestamp list."""
    import redis
    from django.core.cache import caches

    _redis_cache_settings(settings, "redis://127.0.0.1:6379/15")
    settings.KOMPETENSI_API_THROTTLE_RATE = "3/min"
    api = ApiTestClient(issued.token)
    for _ in range(3):
        assert api.get("/api/v1/me/").status_code == 200
    response = api.get("/api/v1/me/")
    _error(response, 429, "throttled")
    assert 1 <= int(response["Retry-After"]) <= 20  # the next request fits in 20 s (60 s / 3)
    backend = caches["default"]
    key = backend.make_and_validate_key(f"throttle_api_client_{issued.client.pk}")
    stored = redis.Redis.from_url("redis://127.0.0.1:6379/15").get(key)
    assert float(stored) > 0  # a plain number (the theoretical arrival time), not a pickle
    backend.clear()


def test_with_redis_unreachable_the_api_keeps_answering_with_a_local_limit(
    settings, region, issued, caplog
):
    """The production cache (kompetensi.cache.ResilientRedisCache) on a Redis that is down:
    every request is answered, the limit keeps counting in this process, one warning."""
    import socket

    from kompetensi.cache import outage, redis_cache_settings

    outage.reset()
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {"default": redis_cache_settings(f"redis://127.0.0.1:{port}/0")}
    settings.KOMPETENSI_API_THROTTLE_RATE = "3/min"
    api = ApiTestClient(issued.token)
    with caplog.at_level("WARNING", logger="kompetensi.cache"):
        codes = [api.get("/api/v1/me/").status_code for _ in range(5)]
    outage.reset()
    assert codes == [200, 200, 200, 429, 429]
    warnings = [r for r in caplog.records if "Redis unreachable" in r.getMessage()]
    assert len(warnings) == 1  # once, not per request
