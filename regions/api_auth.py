"""The region-aware base of the REST API: who the client is, what it may do, which region.

- `ApiClientAuthentication`: `Authorization: Bearer kmp_<key_id>_<secret>` (never a token in
  the URL), checked by `regions.api_clients.api_client_authenticate`.
- `ClientScopePermission`: reads need the `read` scope; writes need the view's `write_scope`
  and a regional client (national clients only read).
- `ApiClientThrottle`: a budget per client, not per IP (`KOMPETENSI_API_THROTTLE_RATE`).
- `request_region`: a regional client's own region; a national client names one with
  `?region=<slug>`. Another region's slug, an unknown or a malformed one answers 404.
- `RegionApiView` / `RegionResourceView`: the bases every API view of every app subclasses.
  `enter_scope()` (the hook of `kompetensi.api.base.ApiView`) resolves the region and enters
  `django_scopes.scope(region=...)`, which stays open until the response is rendered.
"""

import os
import re

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission

from kompetensi.api.base import ApiView, ResourceView
from kompetensi.api.errors import ApiError
from kompetensi.api.throttling import GCRAThrottle

from .api_clients import ApiClientAuthError, api_client_authenticate, api_client_touch
from .models import ApiClient, Region

DEFAULT_RATE = "1200/min"
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,60}")


# --- Authentication ----------------------------------------------------------------------------


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


class ApiClientAuthenticationScheme(OpenApiAuthenticationExtension):
    """The bearer scheme in the OpenAPI schema (registered with drf-spectacular on import)."""

    target_class = "regions.api_auth.ApiClientAuthentication"
    name = "bearerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "kmp_<key_id>_<secret>",
            "description": str(
                gettext_lazy(
                    "Token klien API dari halaman Kelola → Klien API. Kirim sebagai header "
                    "`Authorization: Bearer <token>`; jangan pernah di URL."
                )
            ),
        }


# --- Permission and throttling -----------------------------------------------------------------


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


# --- The region of a request -------------------------------------------------------------------


def _region_not_found() -> ApiError:
    return ApiError(404, "not_found", _("Wilayah tidak ditemukan."))


def request_region(*, client: ApiClient, slug: str | None, required: bool) -> Region | None:
    """The region an authenticated client's request reads: its own, or for a national
    client the one named by `slug` (`?region=`). 404 for a malformed, unknown, inactive or
    foreign slug; 400 `region_required` when a national client names none and the view
    reads tenant data (`required`)."""
    if slug is not None and not _SLUG.fullmatch(slug):
        raise _region_not_found()
    if client.is_national:
        if slug:
            region = Region.objects.filter(slug=slug, is_active=True).first()
            if region is None:
                raise _region_not_found()
            return region
        if required:
            raise ApiError(
                400,
                "region_required",
                _("Klien nasional wajib menyebut wilayah dengan parameter ?region=<slug>."),
                {"region": [_("wajib diisi untuk klien nasional.")]},
            )
        return None
    region = client.region
    if slug and slug != region.slug:
        raise _region_not_found()
    return region


# --- The base views ----------------------------------------------------------------------------


# No docstrings on these two bases: drf-spectacular shows the nearest docstring of a view's
# classes as the description of its operations, and they must stay as they are.


class RegionApiView(ApiView):
    # An API view of one region's data, for an authenticated client within its scope and
    # rate. `self.region` is the region of the request (None only for a national client on
    # a view with `requires_region = False`).

    authentication_classes = [ApiClientAuthentication]
    permission_classes = [ClientScopePermission]
    throttle_classes = [ApiClientThrottle]
    # False for views that do not read tenant data (e.g. /me/, /regions/).
    requires_region = True
    # The client scope a write (POST) needs; None: the view does not write.
    write_scope: str | None = None

    region: Region | None = None

    def enter_scope(self, request):
        self.region = request_region(
            client=request.auth,
            slug=request.query_params.get("region"),
            required=self.requires_region,
        )
        if self.region is None:
            return None
        self.tenant_key = self.region.pk
        return scope(region=self.region)


class RegionResourceView(RegionApiView, ResourceView):
    # A keyset list or single resource (`kompetensi.api.base.ResourceView`) of one region.
    pass
