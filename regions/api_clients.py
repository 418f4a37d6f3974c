"""API clients: create, rotate, revoke and authenticate (service + selectors).

A token is ``kmp_<key_id>_<secret>``. ``key_id`` (16 hex characters) is public and finds the
client with one indexed lookup; ``secret`` is 32 random bytes (URL-safe base64) and is shown
once. Only ``sha256(secret)`` is stored. A plain SHA-256 is the right tool here: the secret
has 256 bits of entropy, so there is nothing for a slow hash (argon2, PBKDF2) to protect
against, while a slow hash would cost tens of milliseconds on *every* API request. Hashes are
compared with ``hmac.compare_digest``.

``last_used_at`` is written at most once a minute per client (a conditional UPDATE), so a
client pulling thousands of pages does not turn every read into a write.

A successful authentication is remembered in the process for
``KOMPETENSI_API_AUTH_CACHE_SECONDS`` (default 2 s; 0 turns it off), keyed by the hash of the
whole token, so a client paging quickly costs one lookup every two seconds instead of one per
page. Rotating or revoking drops the entry in this process at once; other processes notice
within that window. Expiry is checked on every request.
"""

import datetime as dt
import hashlib
import hmac
import os
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import ApiClient, Region

TOKEN_PREFIX = "kmp_"
HASH_PREFIX = "sha256$"
TOUCH_INTERVAL = dt.timedelta(seconds=60)
DEFAULT_AUTH_CACHE_SECONDS = 2.0
_AUTH_CACHE: dict[str, tuple[float, ApiClient]] = {}
_AUTH_CACHE_MAX = 1000
VALID_SCOPES = tuple(ApiClient.Scope.values)


@dataclass(frozen=True)
class IssuedToken:
    """A client with its freshly issued token: the only moment the token is known."""

    client: ApiClient
    token: str


class ApiClientAuthError(Exception):
    """Authentication failed; `code` is stable (English), the message is for people."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


# --- Tokens ------------------------------------------------------------------------------------


def _hash_secret(secret: str) -> str:
    return HASH_PREFIX + hashlib.sha256(secret.encode()).hexdigest()


def _new_key_id() -> str:
    return secrets.token_hex(8)


def _new_secret() -> str:
    return secrets.token_urlsafe(32)


def _format_token(key_id: str, secret: str) -> str:
    return f"{TOKEN_PREFIX}{key_id}_{secret}"


def parse_token(token: str) -> tuple[str, str] | None:
    """(key_id, secret) of a well-formed token, else None. key_id is hex, so the first `_`
    after the prefix separates the halves even though the secret may contain `_`."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    key_id, sep, secret = token[len(TOKEN_PREFIX) :].partition("_")
    if not sep or len(key_id) != 16 or not secret or len(secret) > 100:
        return None
    if any(c not in "0123456789abcdef" for c in key_id):
        return None
    return key_id, secret


def client_status(client: ApiClient, now: dt.datetime | None = None) -> str:
    """'active', 'expired' or 'revoked' (for pages and the API's own checks)."""
    now = now or timezone.now()
    if client.revoked_at is not None:
        return "revoked"
    if client.expires_at is not None and client.expires_at <= now:
        return "expired"
    return "active"


# --- Writes ------------------------------------------------------------------------------------


def _clean_scopes(*, scopes, national: bool) -> list[str]:
    cleaned = sorted({str(s) for s in scopes or ()})
    if not cleaned:
        raise ValidationError({"scopes": _("Pilih paling sedikit satu hak akses.")})
    unknown = [s for s in cleaned if s not in VALID_SCOPES]
    if unknown:
        raise ValidationError({"scopes": _("Hak akses tidak dikenal: %(s)s.") % {"s": unknown}})
    if national and cleaned != [ApiClient.Scope.READ]:
        raise ValidationError({"scopes": _("Klien nasional hanya boleh membaca data.")})
    return cleaned


def _clean_name(*, name: str, region: Region | None, exclude_pk=None) -> str:
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Nama klien wajib diisi.")})
    if len(name) > 120:
        raise ValidationError({"name": _("Nama klien paling panjang 120 karakter.")})
    same = ApiClient.objects.filter(
        region=region, name__iexact=name, revoked_at__isnull=True
    ).exclude(pk=exclude_pk)
    if same.exists():
        raise ValidationError({"name": _("Sudah ada klien aktif dengan nama ini.")})
    return name


@transaction.atomic
def api_client_create(
    *,
    region: Region | None,
    name: str,
    scopes: list[str],
    created_by=None,
    expires_at: dt.datetime | None = None,
) -> IssuedToken:
    """Create a client of `region` (None: a national, read-only client) and issue its token."""
    national = region is None
    if national and not getattr(created_by, "is_superuser", False):
        raise ValidationError(_("Klien API nasional hanya dapat dibuat oleh superuser."))
    cleaned_scopes = _clean_scopes(scopes=scopes, national=national)
    cleaned_name = _clean_name(name=name, region=region)
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("Tanggal berlaku harus di masa depan.")})
    secret = _new_secret()
    client = ApiClient.objects.create(
        region=region,
        name=cleaned_name,
        scopes=cleaned_scopes,
        key_id=_new_key_id(),
        secret_hash=_hash_secret(secret),
        created_by=created_by if getattr(created_by, "is_authenticated", False) else None,
        expires_at=expires_at,
    )
    return IssuedToken(client=client, token=_format_token(client.key_id, secret))


@transaction.atomic
def api_client_rotate(*, client: ApiClient) -> IssuedToken:
    """Issue a new secret; the old token stops working at once."""
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at is not None:
        raise ValidationError(_("Klien yang sudah dicabut tidak dapat dirotasi."))
    secret = _new_secret()
    client.secret_hash = _hash_secret(secret)
    client.rotated_at = timezone.now()
    client.save(update_fields=["secret_hash", "rotated_at"])
    _forget(client.pk)
    return IssuedToken(client=client, token=_format_token(client.key_id, secret))


@transaction.atomic
def api_client_revoke(*, client: ApiClient) -> ApiClient:
    """Revoke for good. Revoking a revoked client changes nothing (a double submit is harmless)."""
    ApiClient.objects.filter(pk=client.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    client.refresh_from_db(fields=["revoked_at"])
    _forget(client.pk)
    return client


def api_client_touch(*, client: ApiClient, now: dt.datetime | None = None) -> None:
    """Record use, at most once per TOUCH_INTERVAL (compare-and-swap, no lock, no read)."""
    now = now or timezone.now()
    last = client.last_used_at
    if last is not None and now - last < TOUCH_INTERVAL:
        return
    ApiClient.objects.filter(pk=client.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOUCH_INTERVAL)
    ).update(last_used_at=now)
    client.last_used_at = now


def _auth_cache_seconds() -> float:
    value = getattr(settings, "KOMPETENSI_API_AUTH_CACHE_SECONDS", None)
    if value is None:
        value = os.environ.get("KOMPETENSI_API_AUTH_CACHE_SECONDS", DEFAULT_AUTH_CACHE_SECONDS)
    return float(value)


def _forget(client_pk: int) -> None:
    for key, (_until, cached) in list(_AUTH_CACHE.items()):
        if cached.pk == client_pk:
            _AUTH_CACHE.pop(key, None)


def api_client_authenticate(*, token: str) -> ApiClient:
    """The client a bearer token belongs to (with its region), or ApiClientAuthError."""
    ttl = _auth_cache_seconds()
    cache_key = hashlib.sha256(token.encode()).hexdigest() if ttl > 0 else ""
    if cache_key:
        hit = _AUTH_CACHE.get(cache_key)
        if hit is not None and hit[0] > time.monotonic():
            client = hit[1]
            if client_status(client) == "active":
                return client
        _AUTH_CACHE.pop(cache_key, None)
    client = _authenticate_in_database(token)
    if cache_key:
        if len(_AUTH_CACHE) >= _AUTH_CACHE_MAX:
            _AUTH_CACHE.clear()
        _AUTH_CACHE[cache_key] = (time.monotonic() + ttl, client)
    return client


def _authenticate_in_database(token: str) -> ApiClient:
    parsed = parse_token(token)
    if parsed is None:
        raise ApiClientAuthError("invalid_token", _("Token API tidak valid."))
    key_id, secret = parsed
    client = ApiClient.objects.select_related("region").filter(key_id=key_id).order_by().first()
    expected = client.secret_hash if client is not None else _hash_secret(_new_secret())
    if not hmac.compare_digest(expected, _hash_secret(secret)) or client is None:
        raise ApiClientAuthError("invalid_token", _("Token API tidak valid."))
    # The caller holds the real secret from here on: telling them why it fails is safe.
    status = client_status(client)
    if status == "revoked":
        raise ApiClientAuthError("token_revoked", _("Token API ini sudah dicabut."))
    if status == "expired":
        raise ApiClientAuthError("token_expired", _("Token API ini sudah kedaluwarsa."))
    if client.region_id is not None and not client.region.is_active:
        raise ApiClientAuthError("region_inactive", _("Wilayah klien API ini tidak aktif."))
    return client


# --- Reads -------------------------------------------------------------------------------------


def api_client_list(*, region: Region) -> QuerySet[ApiClient]:
    """A region's clients, live ones first (revoked at the bottom), by name."""
    return (
        ApiClient.objects.filter(region=region)
        .select_related("created_by")
        .order_by(F("revoked_at").asc(nulls_first=True), "name", "id")
    )
