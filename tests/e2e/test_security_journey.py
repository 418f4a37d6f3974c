"""End-to-end: an admin logs in with TOTP, an ASN through single sign-on (OpenID Connect
against a provider on loopback), both in Chromium; the audit page shows the change."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from tests.factories.regions import EmployeeFactory, RegionFactory, UnitFactory, make_admin
from tests.security.oidc_provider import OidcProvider
from tests.security.test_mfa import _totp_code

from ..conftest import PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def people(transactional_db):
    with scopes_disabled():
        region = RegionFactory(slug="semarang", name="Semarang", province="Jawa Tengah")
        unit = UnitFactory(region=region, code="BKPP", name="BKPP Kota Semarang")
        admin = make_admin(region, unit=unit, name="Dewi Admin")
        asn = EmployeeFactory(region=region, unit=unit, name="Joko Kurniawan", supervisor=admin)
    return region, admin, asn


def test_admin_logs_in_with_totp_and_sees_a_change_in_the_audit_trail(new_page, people, settings):
    settings.KOMPETENSI_MFA_REQUIRED_ROLES = ["admin"]
    region, admin, asn = people
    secret = generate_totp_secret()
    TOTP.activate(admin.user, secret)

    page = new_page()
    page.goto(reverse("account_login"))
    page.locator("input[name='login']").fill(admin.nip)
    page.locator("input[name='password']").fill(PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(reverse("mfa_authenticate"))))
    page.locator("input[name='code']").fill(_totp_code(secret))
    page.locator("form button[type='submit']").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Selamat datang, Dewi Admin")

    # An admin page opens in this session (second factor passed) and a change is recorded.
    page.goto(reverse("region:employee_edit", args=[region.slug, asn.pk]))
    page.locator("input[name='position']").fill("Analis SDM Aparatur")
    with page.expect_navigation():
        page.get_by_role("button", name="Simpan").click()
    page.goto(reverse("region:audit_list", args=[region.slug]) + "?type=regions.employee")
    table = page.locator("table")
    expect(table).to_contain_text("Analis SDM Aparatur")
    expect(table).to_contain_text("Dewi Admin")
    expect(page.get_by_role("button", name=re.compile("Hapus|Ubah"))).to_have_count(0)


def test_asn_logs_in_through_the_identity_provider(new_page, people, settings):
    region, admin, asn = people
    with OidcProvider() as idp:
        settings.SOCIALACCOUNT_PROVIDERS = {
            "openid_connect": {
                "APPS": [
                    {
                        "provider_id": "idp-prov",
                        "name": "SSO Provinsi",
                        "client_id": idp.client_id,
                        "secret": idp.secret,
                        "settings": {"server_url": idp.url, "oauth_pkce_enabled": True},
                    }
                ]
            }
        }
        # settings.py lets forms post on to the providers configured from the environment.
        for name in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"):
            policy = getattr(settings, name)
            if policy:
                directives = dict(policy["DIRECTIVES"])
                directives["form-action"] = [*directives["form-action"], idp.url]
                setattr(settings, name, {**policy, "DIRECTIVES": directives})
        idp.claims = {"sub": "joko-1", "nip": asn.nip, "name": asn.name}
        page = new_page()
        page.goto(reverse("account_login"))
        page.get_by_role("button", name="Masuk dengan SSO Provinsi").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Selamat datang, Joko Kurniawan")
