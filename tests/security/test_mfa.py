"""Integration: two-factor authentication (allauth.mfa, TOTP) and its wall on admin pages."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.factories.regions import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings):
    settings.KOMPETENSI_MFA_REQUIRED_ROLES = ["admin", "national", "superuser"]


def _totp_code(secret: str) -> str:
    import time

    from allauth.mfa import app_settings

    counter = int(time.time()) // app_settings.TOTP_PERIOD
    return str(hotp_value(secret, counter)).zfill(app_settings.TOTP_DIGITS)


def _enable_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def test_admin_without_second_factor_is_sent_to_activate_it(required, region, admin, login):
    client = login(admin)
    response = client.get(reverse("region:employee_list", args=[region.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
    # Not an admin page: the admin still works as an ASN.
    assert client.get(reverse("region:profile", args=[region.slug])).status_code == 200


def test_admin_with_totp_logs_in_with_password_and_code(required, client, region, admin):
    admin.user.set_password(PASSWORD)
    admin.user.save()
    secret = _enable_totp(admin.user)
    response = client.post(reverse("account_login"), {"login": admin.nip, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    done = client.post(reverse("mfa_authenticate"), {"code": _totp_code(secret)})
    assert done.status_code == 302
    assert client.get(reverse("region:employee_list", args=[region.slug])).status_code == 200


def test_a_session_opened_before_totp_was_set_must_confirm_a_code(required, region, admin, login):
    _enable_totp(admin.user)
    client = login(admin)  # force_login: no second factor recorded in this session
    response = client.get(reverse("region:unit_list", args=[region.slug]))
    assert response["Location"].startswith(reverse("mfa_reauthenticate"))


def test_recovery_codes_are_issued_with_totp(
    required, region, admin, client, django_capture_on_commit_callbacks
):
    admin.user.set_password(PASSWORD)
    admin.user.save()
    client.post(reverse("account_login"), {"login": admin.nip, "password": PASSWORD})
    # allauth asks for the password again before a security change.
    assert client.get(reverse("mfa_activate_totp"))["Location"].startswith(
        reverse("account_reauthenticate")
    )
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200
    secret = client.session["mfa.totp.secret"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": _totp_code(secret)})
    assert response.status_code == 302
    types = set(Authenticator.objects.filter(user=admin.user).values_list("type", flat=True))
    assert types == {"totp", "recovery_codes"}
    # Activating with a valid code proves the factor: admin pages open in this session.
    assert client.get(reverse("region:employee_list", args=[region.slug])).status_code == 200


def test_asn_is_never_forced(required, region, employee, login):
    client = login(employee)
    assert client.get(reverse("region:home", args=[region.slug])).status_code == 200
    assert client.get(reverse("mfa_index")).status_code == 200  # but may turn it on


def test_national_viewer_needs_a_second_factor(required, region, client):
    client.force_login(UserFactory(is_national_viewer=True))
    response = client.get(reverse("region:home", args=[region.slug]))
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_superuser_needs_a_second_factor_for_django_admin(required, client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/admin/")["Location"].startswith(reverse("mfa_activate_totp"))


def test_roles_are_a_setting_and_another_app_can_add_one(settings, region, admin, login):
    from regions import mfa

    settings.KOMPETENSI_MFA_REQUIRED_ROLES = ["national"]
    client = login(admin)
    assert client.get(reverse("region:employee_list", args=[region.slug])).status_code == 200
    mfa.register_mfa_role("head_of_region", lambda user: user.pk == admin.user.pk)
    settings.KOMPETENSI_MFA_REQUIRED_ROLES = ["head_of_region"]
    assert mfa.mfa_required_for(admin.user)


@pytest.mark.parametrize(
    "name",
    ["dashboards:region", "dashboards:recognition", "planning:overview", "evaluations:report_list"],
)
def test_admin_pages_of_every_app_are_behind_the_wall(required, region, admin, login, name):
    """Dashboards, the yearly plan and the reports are admin pages too (not only /kelola/)."""
    response = login(admin).get(reverse(name, args=[region.slug]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
