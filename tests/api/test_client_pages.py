"""Integration: the admin pages for API clients (create shows the token once; rotate; revoke;
last use shown) and the management command for national clients."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from regions.models import ApiClient

from .conftest import ApiTestClient, issue

pytestmark = pytest.mark.django_db


def _url(name, region, **kwargs):
    return reverse(f"api_clients:{name}", kwargs={"region_slug": region.slug, **kwargs})


def test_admin_creates_a_client_and_sees_the_token_once(login, admin, region):
    client = login(admin)
    page = client.get(_url("create", region))
    assert page.status_code == 200
    response = client.post(
        _url("create", region), {"name": "SIMPEG Kota", "scopes": ["read"], "expires_on": ""}
    )
    assert response.status_code == 200
    token = response.context["token"]
    assert token.startswith("kmp_") and token in response.content.decode()
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    created = ApiClient.objects.get(name="SIMPEG Kota")
    assert created.region == region and created.created_by == admin.user
    assert token.split("_", 2)[2] not in created.secret_hash
    # The token works, and the list shows the client without the token.
    assert ApiTestClient(token).get("/api/v1/me/").status_code == 200
    listing = client.get(_url("list", region)).content.decode()
    assert "SIMPEG Kota" in listing and token not in listing
    assert created.key_id in listing


def test_create_form_errors_stay_on_the_form(login, admin, region):
    client = login(admin)
    response = client.post(
        _url("create", region), {"name": "", "scopes": [], "expires_on": "2000-01-01"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert {"name", "scopes", "expires_on"} <= set(form.errors)
    assert not ApiClient.objects.exists()


def test_rotate_shows_a_new_token_and_kills_the_old(login, admin, region):
    issued = issue(region)
    client = login(admin)
    assert client.get(_url("rotate", region, pk=issued.client.pk)).status_code == 200
    response = client.post(_url("rotate", region, pk=issued.client.pk))
    new_token = response.context["token"]
    assert new_token != issued.token
    assert ApiTestClient(issued.token).get("/api/v1/me/").status_code == 401
    assert ApiTestClient(new_token).get("/api/v1/me/").status_code == 200


def test_revoke_stops_the_client(login, admin, region):
    issued = issue(region)
    client = login(admin)
    response = client.post(_url("revoke", region, pk=issued.client.pk))
    assert response.status_code == 302
    assert ApiTestClient(issued.token).get("/api/v1/me/").status_code == 401
    assert "Dicabut" in client.get(_url("list", region)).content.decode()


def test_list_shows_last_use(login, admin, region):
    issued = issue(region)
    ApiClient.objects.filter(pk=issued.client.pk).update(last_used_at=timezone.now())
    page = login(admin).get(_url("list", region)).content.decode()
    assert "Belum pernah" not in page


def test_non_admins_may_not_manage_clients(login, employee, region):
    issued = issue(region)
    client = login(employee)
    assert client.get(_url("list", region)).status_code == 403
    assert client.post(_url("revoke", region, pk=issued.client.pk)).status_code == 403
    assert ApiClient.objects.get(pk=issued.client.pk).revoked_at is None


def test_management_command_creates_a_national_client(admin, region):
    admin.user.is_superuser = True
    admin.user.save()
    out = io.StringIO()
    call_command(
        "create_national_api_client", "Dashboard Nasional", by=admin.user.username, stdout=out
    )
    token = out.getvalue().strip().splitlines()[-1]
    client = ApiClient.objects.get(name="Dashboard Nasional")
    assert client.is_national and client.scopes == ["read"]
    response = ApiTestClient(token).get(f"/api/v1/enrolments/?region={region.slug}")
    assert response.status_code == 200


def test_management_command_needs_a_superuser(admin):
    with pytest.raises(CommandError):
        call_command("create_national_api_client", "X", by=admin.user.username)
