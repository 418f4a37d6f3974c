"""Two-factor authentication (allauth.mfa, TOTP + recovery codes): who must use it, and the
wall in front of the pages that need it (docs/security.md).

`KOMPETENSI_MFA_REQUIRED_ROLES` (env `MFA_REQUIRED_ROLES`) names the roles that must log in
with a second factor: "admin" (a BKPSDM admin of any region), "national" (national viewer),
"superuser" by default. An app that adds a role registers how to tell it with
`register_mfa_role(name, predicate)` (e.g. a head of region), and a deployment adds the name
to the setting. ASN may turn 2FA on for themselves; it is never forced on them.

`MfaRequiredMiddleware` runs inside the region scope (after `RegionScopeMiddleware`). A
session of such a user that was not confirmed with a second factor is sent, from any admin
page of a region (a view marked admin-only or a path under `/kelola/`), from a national
viewer's region pages and from Django's `/admin/`, to the page that activates TOTP (no
authenticator yet) or asks for a code (an authenticator, but a session opened without it).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from urllib.parse import urlencode

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from .models import Membership

SESSION_FLAG = "kompetensi_mfa_verified"

_ROLES: dict[str, Callable] = {
    "superuser": lambda user: user.is_superuser,
    "national": lambda user: getattr(user, "is_national_viewer", False),
    "admin": lambda user: Membership.objects.filter(user=user, role=Membership.Role.ADMIN).exists(),
}


def register_mfa_role(name: str, predicate: Callable) -> None:
    """Let `MFA_REQUIRED_ROLES` name a role another app adds: `predicate(user) -> bool`."""
    _ROLES[name] = predicate


def required_roles() -> list[str]:
    return list(getattr(settings, "KOMPETENSI_MFA_REQUIRED_ROLES", ["admin", "national"]))


def mfa_required_for(user) -> bool:
    """Whether the user holds a role that must log in with a second factor."""
    if not user.is_authenticated:
        return False
    return any(name in _ROLES and _ROLES[name](user) for name in required_roles())


def session_has_second_factor(request) -> bool:
    if request.session.get(SESSION_FLAG):
        return True
    records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY) or []
    if any(record.get("method") == "mfa" for record in records):
        return True
    # TOTP activated in this session: activation itself asked for a valid code.
    started = min((record.get("at", 0) for record in records), default=None)
    user = getattr(request, "user", None)
    if started and user is not None and user.is_authenticated:
        from allauth.mfa.models import Authenticator

        activated = Authenticator.objects.filter(
            user=user,
            type=Authenticator.Type.TOTP,
            created_at__gte=datetime.datetime.fromtimestamp(started, tz=datetime.UTC),
        ).exists()
        if activated:
            mark_second_factor(request)
            return True
    return False


def mark_second_factor(request) -> None:
    """The session proved a second factor (e.g. it just activated TOTP with a valid code)."""
    request.session[SESSION_FLAG] = True


def second_factor_missing(request) -> bool:
    cached = getattr(request, "_kompetensi_mfa_missing", None)
    if cached is None:
        user = request.user
        cached = (
            user.is_authenticated
            and mfa_required_for(user)
            and not session_has_second_factor(request)
        )
        request._kompetensi_mfa_missing = cached
    return cached


def admin_only(view):
    """Mark a view as an admin page (`region_admin_required` does it)."""
    view.kompetensi_admin_only = True
    return view


def _guarded(request) -> bool:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    if match.app_name == "admin":
        return request.user.is_staff
    access = getattr(request, "access", None)
    if access is None:
        return False
    if access.read_only:  # a national viewer reading a region
        return True
    if access.membership is not None and access.membership.role == Membership.Role.ADMIN:
        return bool(getattr(match.func, "kompetensi_admin_only", False)) or (
            "/kelola/" in request.path_info
        )
    return False


def second_factor_url(request) -> str:
    target = "mfa_reauthenticate" if is_mfa_enabled(request.user) else "mfa_activate_totp"
    return f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"


class MfaRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            getattr(request, "user", None) is not None
            and request.user.is_authenticated
            and _guarded(request)
            and second_factor_missing(request)
        ):
            if is_mfa_enabled(request.user):
                messages.warning(
                    request,
                    _(
                        "Halaman ini memerlukan verifikasi dua langkah. Masukkan kode dari "
                        "aplikasi autentikator Anda."
                    ),
                )
            else:
                messages.warning(
                    request,
                    _(
                        "Peran Anda wajib memakai autentikasi dua faktor. Aktifkan aplikasi "
                        "autentikator (misalnya Google Authenticator atau Aegis) untuk melanjutkan."
                    ),
                )
            return redirect(second_factor_url(request))
        return self.get_response(request)
