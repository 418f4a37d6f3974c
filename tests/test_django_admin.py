"""Integration: Django's /admin/ works for superusers across regions (scopes disabled there)."""

import pytest

pytestmark = pytest.mark.django_db

PAGES = [
    "regions/region/",
    "regions/unit/",
    "regions/employee/",
    "regions/membership/",
    "regions/apiclient/",
    "training/program/",
    "training/offering/",
    "training/enrolment/",
    "training/developmentrecord/",
    "evaluations/backgroundjob/",
]


@pytest.mark.parametrize("page", PAGES)
def test_superuser_lists_every_region(page, admin_client, employee, other_employee):
    response = admin_client.get(f"/admin/{page}")
    assert response.status_code == 200


def test_employee_change_list_shows_both_regions(admin_client, employee, other_employee):
    body = admin_client.get("/admin/regions/employee/").content.decode()
    assert employee.nip in body and other_employee.nip in body


def test_region_admin_is_not_django_staff(client, admin):
    client.force_login(admin.user)
    assert client.get("/admin/regions/employee/").status_code == 302
