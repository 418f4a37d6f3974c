"""Integration: single sign-on through OpenID Connect against a provider the test starts on
loopback (tests/security/oidc_provider.py): matched by NIP or verified email, never created."""

from urllib.parse import urlparse

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django_scopes import scopes_disabled

from regions.models import Employee, User

from .oidc_provider import OidcProvider

pytestmark = pytest.mark.django_db


@pytest.fixture
def idp(settings):
    with OidcProvider() as provider:
        settings.SOCIALACCOUNT_PROVIDERS = {
            "openid_connect": {
                "OAUTH_PKCE_ENABLED": True,
                "APPS": [
                    {
                        "provider_id": "idp-prov",
                        "name": "IdP Provinsi",
                        "client_id": provider.client_id,
                        "secret": provider.secret,
                        "settings": {
                            "server_url": provider.url,
                            "token_auth_method": "client_secret_post",
                            "oauth_pkce_enabled": True,
                        },
                    }
                ],
            }
        }
        yield provider


def sso_login(client, idp):
    """Run the browser's part of the flow: portal → provider → portal callback."""
    start = client.post("/akun/oidc/idp-prov/login/")
    assert start.status_code == 302, start.content
    assert start["Location"].startswith(idp.url + "/authorize")
    answer = requests.get(start["Location"], allow_redirects=False, timeout=5)
    callback = urlparse(answer.headers["Location"])
    return client.get(f"{callback.path}?{callback.query}")


def test_login_page_offers_the_configured_provider(client, idp):
    page = client.get("/akun/login/").content.decode()
    assert "Masuk dengan IdP Provinsi" in page


def test_asn_logs_in_by_nip(client, idp, employee):
    idp.claims = {"sub": "u-1", "nip": employee.nip, "name": "Siti", "email": "lain@x.id"}
    response = sso_login(client, idp)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(employee.user_id)
    assert SocialAccount.objects.filter(user=employee.user, uid="u-1").exists()
    # The next login finds the linked account directly.
    client.logout()
    idp.claims = {"sub": "u-1"}
    sso_login(client, idp)
    assert client.session["_auth_user_id"] == str(employee.user_id)


def test_asn_logs_in_by_verified_email(client, idp, employee):
    idp.claims = {"sub": "u-2", "email": employee.user.email.upper(), "email_verified": True}
    sso_login(client, idp)
    assert client.session["_auth_user_id"] == str(employee.user_id)


def test_an_unverified_email_is_not_enough(client, idp, employee):
    idp.claims = {"sub": "u-3", "email": employee.user.email, "email_verified": False}
    response = sso_login(client, idp)
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session
    assert "tidak cocok dengan data pegawai" in response.content.decode()


def test_no_account_is_created_without_an_employee_record(client, idp, region):
    users_before = User.objects.count()
    idp.claims = {"sub": "u-4", "nip": "199001012015031999", "email": "baru@x.id",
                  "email_verified": True}  # fmt: skip
    response = sso_login(client, idp)
    assert response.status_code == 403
    assert User.objects.count() == users_before
    with scopes_disabled():
        assert not Employee.objects.filter(nip="199001012015031999").exists()
    assert not SocialAccount.objects.exists()


def test_an_inactive_employee_cannot_log_in(client, idp, employee, admin):
    from regions import services

    with scopes_disabled():
        services.employee_set_active(employee=employee, active=False)
    idp.claims = {"sub": "u-5", "nip": employee.nip}
    assert sso_login(client, idp).status_code == 403
    assert "_auth_user_id" not in client.session
