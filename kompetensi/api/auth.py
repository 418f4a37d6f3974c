"""Bearer-token authentication, scope permission and per-client throttling."""

import os

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission

from regions.api_clients import ApiClientAuthError, api_client_authenticate, api_client_touch
from regions.models import ApiClient

from .errors import ApiError
from .throttling import GCRAThrottle

DEFAULT_RATE = "1200/min"


class ApiPrincipal:
    """`request.user` of an API request: the client, never a Django user."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_superuser = False
    is_staff = False

    def __init__(self, client: ApiClient):
        self.client = client
        self.pk = None

    def __str__(self):
        return f"api-client:{self.client.key_id}"


class ApiClientAuthentication(BaseAuthentication):
    """`Authorization: Bearer kmp_<key_id>_<secret>`. Tokens are never read from the URL."""

    keyword = "bearer"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header:
            return None
        scheme, _sep, token = header.strip().partition(" ")
        if scheme.lower() != self.keyword or not token.strip():
            raise exceptions.AuthenticationFailed(
                _("Header Authorization harus berbentuk 'Bearer <token>'."),
                code="invalid_authorization_header",
            )
        try:
            client = api_client_authenticate(token=token.strip())
        except ApiClientAuthError as exc:
            raise exceptions.AuthenticationFailed(exc.message, code=exc.code) from None
        api_client_touch(client=client)
        return ApiPrincipal(client), client

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class ClientScopePermission(BasePermission):
    """Reads need the `read` scope; writes need the view's `write_scope` and a regional client."""

    def has_permission(self, request, view):
        client = request.auth
        if not isinstance(client, ApiClient):
            return False  # DRF answers 401 (authenticators present, none succeeded)
        if not hasattr(view, request.method.lower()):
            return True  # the view answers 405 Method Not Allowed
        if request.method in SAFE_METHODS:
            needed = ApiClient.Scope.READ
        else:
            if client.is_national:
                raise ApiError(
                    403, "read_only_client", _("Klien API nasional hanya dapat membaca data.")
                )
            needed = getattr(view, "write_scope", None)
        if needed is None or needed not in (client.scopes or []):
            raise ApiError(
                403,
                "insufficient_scope",
                _("Klien API ini tidak memiliki hak akses '%(scope)s'.") % {"scope": needed},
                {"required_scope": needed},
            )
        return True


def throttle_rate() -> str | None:
    """Requests per client: `KOMPETENSI_API_THROTTLE_RATE` (setting or environment), e.g.
    '1200/min'; 'off' disables throttling."""
    rate = getattr(settings, "KOMPETENSI_API_THROTTLE_RATE", None) or os.environ.get(
        "KOMPETENSI_API_THROTTLE_RATE", DEFAULT_RATE
    )
    return None if str(rate).lower() in {"", "off", "none"} else rate


class ApiClientThrottle(GCRAThrottle):
    """A token bucket per client (not per IP: many clients may sit behind one proxy)."""

    scope = "api_client"

    def get_rate(self):
        return throttle_rate()

    def get_cache_key(self, request, view):
        client = request.auth
        if not isinstance(client, ApiClient):
            return None
        return f"throttle_api_client_{client.pk}"
