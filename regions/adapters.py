"""allauth adapters: no open sign-up, the client address, and single sign-on matching."""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scopes_disabled

from kompetensi.clientip import client_ip

from .models import Employee
from .nip import normalise_nip

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    """No open self-sign-up: admins create or import employees and invite them."""

    # allauth's messages in the portal's terms: people sign in with NIP or email.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": gettext_lazy(
            "NIP/email atau kata sandi tidak sesuai. Periksa kembali, atau gunakan "
            "“Lupa kata sandi?” untuk membuat kata sandi baru."
        ),
        "email_password_mismatch": gettext_lazy(
            "NIP/email atau kata sandi tidak sesuai. Periksa kembali, atau gunakan "
            "“Lupa kata sandi?” untuk membuat kata sandi baru."
        ),
        "account_inactive": gettext_lazy(
            "Akun ini tidak aktif. Hubungi admin BKPSDM di wilayah Anda."
        ),
        "enter_current_password": gettext_lazy("Masukkan kata sandi Anda saat ini."),
        "invalid_password_reset": gettext_lazy("Tautan atur ulang kata sandi tidak berlaku."),
    }

    def is_open_for_signup(self, request):
        return False

    def get_client_ip(self, request):
        # One decision for every consumer (allauth's rate limits included): kompetensi.clientip.
        return client_ip(request)


def user_display(user) -> str:
    """How a user is named in messages ("Berhasil masuk sebagai ..."): their name, not NIP."""
    return user.first_name or user.get_username()


def _claims(sociallogin) -> dict:
    data = sociallogin.account.extra_data or {}
    merged = {}
    for part in (data.get("id_token"), data.get("userinfo"), data):
        if isinstance(part, dict):
            merged.update({k: v for k, v in part.items() if k not in merged})
    return merged


def match_sso_user(claims: dict):
    """The existing, active login an identity provider's claims point to, or None.

    By NIP first (the claim named by `OIDC_NIP_CLAIM`), then by an email address the
    provider says it has verified. A login is matched only when it belongs to an employee
    record (or is a national viewer / superuser made by the system's operators): SSO never
    creates an account or an employee.
    """
    User = get_user_model()
    nip_claim = getattr(settings, "KOMPETENSI_OIDC_NIP_CLAIM", "nip")
    raw_nip = str(claims.get(nip_claim) or "").strip()
    with scopes_disabled():
        if raw_nip:
            employee = (
                Employee.objects.filter(nip=normalise_nip(raw_nip), is_active=True)
                .select_related("user")
                .first()
            )
            if employee is not None and employee.user is not None and employee.user.is_active:
                return employee.user
        email = str(claims.get("email") or "").strip().lower()
        if email and claims.get("email_verified") in (True, "true", "True"):
            user = User.objects.filter(email__iexact=email, is_active=True).first()
            if user is not None and (
                Employee.objects.filter(user=user, is_active=True).exists()
                or user.is_national_viewer
                or user.is_superuser
            ):
                return user
    return None


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on (OpenID Connect) for existing logins only."""

    def is_open_for_signup(self, request, sociallogin):
        return False

    def pre_social_login(self, request, sociallogin):
        if sociallogin.is_existing:
            user = sociallogin.user
            if user.is_active:
                return
        else:
            user = match_sso_user(_claims(sociallogin))
            if user is not None:
                sociallogin.connect(request, user)
                return
        logger.info(
            "SSO login without a matching employee (provider %s)", sociallogin.account.provider
        )
        raise ImmediateHttpResponse(
            render(
                request,
                "account/sso_no_match.html",
                {
                    "message": _(
                        "Akun penyedia identitas Anda tidak cocok dengan data pegawai mana pun "
                        "di portal ini (berdasarkan NIP atau email terverifikasi). Hubungi admin "
                        "BKPSDM wilayah Anda."
                    )
                },
                status=403,
            )
        )
