"""A region's admin manages its employees' logins, but never an account that reaches further.

Editing an employee rewrites the linked login's email. If that login is also a member of
another region, a national viewer or staff, the admin could point the email at an address
they control, send the invitation (a password-reset link) and take the account over.
"""

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from regions.models import Employee, Membership

from .test_admin_employees import edit_data

pytestmark = pytest.mark.django_db


def _edit(client, region, employee, **changes):
    url = reverse("region:employee_edit", kwargs={"region_slug": region.slug, "pk": employee.pk})
    return client.post(url, edit_data(employee, **changes))


def _user_email(employee):
    with scopes_disabled():
        return Employee.objects.select_related("user").get(pk=employee.pk).user.email


def test_admin_cannot_change_email_of_a_login_that_is_also_admin_elsewhere(
    admin, region, employee, other_region, login
):
    Membership.objects.create(user=employee.user, region=other_region, role=Membership.Role.ADMIN)
    before = _user_email(employee)
    response = _edit(login(admin), region, employee, email="penyerang@example.com")
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert _user_email(employee) == before


@pytest.mark.parametrize("flag", ["is_national_viewer", "is_staff", "is_superuser"])
def test_admin_cannot_change_email_of_a_privileged_login(admin, region, employee, login, flag):
    user = employee.user
    setattr(user, flag, True)
    user.save()
    before = _user_email(employee)
    response = _edit(login(admin), region, employee, email="penyerang@example.com")
    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert _user_email(employee) == before


def test_other_edits_of_such_an_employee_still_save(admin, region, employee, other_region, login):
    Membership.objects.create(user=employee.user, region=other_region)
    response = _edit(login(admin), region, employee, name="Nama Baru")
    assert response.status_code == 302
    with scopes_disabled():
        assert Employee.objects.get(pk=employee.pk).name == "Nama Baru"


def test_plain_employee_email_change_still_works(admin, region, employee, login):
    response = _edit(login(admin), region, employee, email="baru@example.go.id")
    assert response.status_code == 302
    assert _user_email(employee) == "baru@example.go.id"


def _toggle(client, region, employee, active):
    url = reverse("region:employee_toggle", kwargs={"region_slug": region.slug, "pk": employee.pk})
    return client.post(url, {"active": "1" if active else "0"})


def test_deactivating_only_ends_this_regions_access_of_a_login_used_elsewhere(
    admin, region, employee, other_region, client
):
    """Region A's admin must not lock the person out of region B (or the national view)."""
    Membership.objects.create(user=employee.user, region=other_region, role=Membership.Role.ADMIN)
    client.force_login(admin.user)
    assert _toggle(client, region, employee, active=False).status_code == 302
    employee.user.refresh_from_db()
    assert employee.user.is_active
    assert Membership.objects.filter(user=employee.user, region=other_region).exists()
    assert not Membership.objects.filter(user=employee.user, region=region).exists()
    client.force_login(employee.user)
    home = reverse("region:home", kwargs={"region_slug": region.slug})
    assert client.get(home).status_code == 404

    client.force_login(admin.user)
    assert _toggle(client, region, employee, active=True).status_code == 302
    membership = Membership.objects.get(user=employee.user, region=region)
    assert membership.role == Membership.Role.MEMBER


def test_editing_a_deactivated_employee_used_elsewhere_keeps_login_and_membership_state(
    admin, region, employee, other_region, client
):
    Membership.objects.create(user=employee.user, region=other_region)
    client.force_login(admin.user)
    _toggle(client, region, employee, active=False)
    with scopes_disabled():
        employee = Employee.objects.get(pk=employee.pk)
    assert _edit(client, region, employee, name="Nama Baru").status_code == 302
    employee.user.refresh_from_db()
    assert employee.user.is_active
    assert not Membership.objects.filter(user=employee.user, region=region).exists()
