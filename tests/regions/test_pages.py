"""Integration: landing, region home, profile, login by NIP or email, roles and scoping."""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from django_scopes.exceptions import ScopeError

from regions.models import Employee

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_landing_lists_regions_for_anonymous(client, region, other_region):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Semarang" in response.content and b"Binjai" in response.content


def test_landing_sends_member_to_their_region(employee, login):
    response = login(employee).get("/")
    assert response.status_code == 302
    assert response.url == reverse("region:home", kwargs={"region_slug": "semarang"})


def test_region_home_asks_anonymous_to_log_in(client, region):
    response = client.get("/semarang/")
    assert response.status_code == 302
    assert reverse("account_login") in response.url


def test_unknown_region_is_404(employee, login):
    assert login(employee).get("/tidak-ada/").status_code == 404


def test_region_home_greets_employee_and_shows_no_admin_summary(employee, login):
    response = login(employee).get("/semarang/")
    assert response.status_code == 200
    assert "Siti Aminah" in response.content.decode()
    assert "summary" not in response.context or response.context["summary"] is None


def test_admin_sees_region_summary(admin, employee, other_employee, login):
    response = login(admin).get("/semarang/")
    summary = response.context["summary"]
    # admin, supervisor, employee in Semarang; Binjai's employee is not counted
    assert summary["active"] == 3


def test_supervisor_sees_team_on_home(supervisor, employee, login):
    response = login(supervisor).get("/semarang/")
    assert [e.name for e in response.context["subordinates"]] == ["Siti Aminah"]


def test_profile_shows_own_data(employee, login):
    response = login(employee).get("/semarang/profil/")
    body = response.content.decode()
    assert employee.nip in body and "Kepala Bidang" in body


def test_national_viewer_reads_every_region_but_cannot_post(client, region, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", "viewer@example.go.id", PASSWORD)
    viewer.is_national_viewer = True
    viewer.save()
    client.force_login(viewer)
    assert client.get("/semarang/").status_code == 200
    assert client.post("/semarang/").status_code == 403


def test_non_admin_gets_403_on_admin_pages(employee, login):
    assert login(employee).get("/semarang/kelola/pegawai/").status_code == 403


@pytest.mark.parametrize("login_field", ["nip", "email"])
def test_login_by_nip_or_email(client, employee, login_field):
    with scopes_disabled():
        user = employee.user
    user.set_password(PASSWORD)
    user.save()
    value = employee.nip if login_field == "nip" else employee.email.upper()
    response = client.post(reverse("account_login"), {"login": value, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/semarang/").status_code == 200


def test_login_accepts_nip_typed_with_spaces(client, employee):
    employee.user.set_password(PASSWORD)
    employee.user.save()
    spaced = f"{employee.nip[:8]} {employee.nip[8:14]} {employee.nip[14]} {employee.nip[15:]}"
    response = client.post(reverse("account_login"), {"login": spaced, "password": PASSWORD})
    assert response.status_code == 302


def test_failed_logins_are_throttled(client, employee):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": employee.nip, "password": "salah"})
    employee.user.set_password(PASSWORD)
    employee.user.save()
    response = client.post(reverse("account_login"), {"login": employee.nip, "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_sign_up_is_closed(client, db):
    response = client.get(reverse("account_signup"))
    assert response.status_code == 200
    assert b"signup" not in response.content.lower() or response.templates
    response = client.post(
        reverse("account_signup"),
        {"email": "x@example.com", "username": "x", "password1": PASSWORD, "password2": PASSWORD},
    )
    from regions.models import User

    assert not User.objects.filter(username="x").exists()


def test_query_outside_region_scope_fails_loudly(employee):
    with pytest.raises(ScopeError):
        list(Employee.objects.all())


def test_passwords_are_hashed_with_argon2(employee, settings):
    from kompetensi import settings as project_settings

    # Tests swap in a fast hasher; put the project's own list back for this one.
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    employee.user.set_password(PASSWORD)
    assert employee.user.password.startswith("argon2")
