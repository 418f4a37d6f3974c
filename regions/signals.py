"""Receivers of authentication signals: the login guard, the device cookie, second-factor
state and the audit trail of logins (connected in RegionsConfig.ready)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_scopes import scopes_disabled

from kompetensi.logging import mask_personal_data

from . import audit, login_guard, mfa
from .models import Employee, Membership

Action = audit.Action


def _login_values(user) -> list[str]:
    return [value for value in (user.get_username(), user.email) if value]


def _home_region_id(user) -> int | None:
    with scopes_disabled():
        employee = Employee.objects.filter(user=user).values_list("region_id", flat=True).first()
        if employee is not None:
            return employee
        return Membership.objects.filter(user=user).values_list("region_id", flat=True).first()


def on_user_logged_in(sender, request, user, response=None, **kwargs):
    typed = request.POST.get("login", "") if request is not None else ""
    for value in {typed, *_login_values(user)}:
        login_guard.record_success(request, value)
    if response is not None:
        login_guard.remember_device(request, response, _login_values(user))
    method = "sso" if kwargs.get("sociallogin") is not None else "password"
    if request is not None and mfa.session_has_second_factor(request):
        method += "+2fa"
    audit.record(
        action=Action.LOGIN,
        region=_home_region_id(user),
        obj=user,
        object_label=audit._actor_label(user),
        actor=user,
        note=method,
    )


def on_user_login_failed(sender, credentials, request=None, **kwargs):
    typed = str(
        credentials.get("username") or credentials.get("email") or credentials.get("login") or ""
    ).strip()
    User = get_user_model()
    user = None
    if typed:
        lookup = {"email__iexact": typed} if "@" in typed else {"username__iexact": typed}
        user = User.objects.filter(**lookup).first()
    audit.record(
        action=Action.LOGIN_FAILED,
        region=_home_region_id(user) if user is not None else None,
        obj=user,
        object_type_="regions.user",
        object_label=audit._actor_label(user) if user else mask_personal_data(typed)[:200],
        actor=None,
        note="password",
    )


def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    if request is not None:
        mfa.mark_second_factor(request)
    audit.record(
        action=Action.MFA,
        region=_home_region_id(user),
        obj=user,
        object_label=audit._actor_label(user),
        actor=user,
        note=f"{authenticator.type}: diaktifkan",
    )


def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    audit.record(
        action=Action.MFA,
        region=_home_region_id(user),
        obj=user,
        object_label=audit._actor_label(user),
        actor=user,
        note=f"{authenticator.type}: dinonaktifkan",
    )


def on_password_reset(sender, request, user, **kwargs):
    login_guard.clear_account(_login_values(user))


def connect() -> None:
    from allauth.account import signals as account_signals
    from allauth.mfa import signals as mfa_signals
    from django.contrib.auth import signals as auth_signals

    account_signals.user_logged_in.connect(on_user_logged_in, dispatch_uid="kmp_logged_in")
    account_signals.password_reset.connect(on_password_reset, dispatch_uid="kmp_pw_reset")
    auth_signals.user_login_failed.connect(on_user_login_failed, dispatch_uid="kmp_login_failed")
    mfa_signals.authenticator_added.connect(on_authenticator_added, dispatch_uid="kmp_mfa_add")
    mfa_signals.authenticator_removed.connect(
        on_authenticator_removed, dispatch_uid="kmp_mfa_remove"
    )
