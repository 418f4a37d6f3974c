"""Integration: every list endpoint runs the same number of queries at 1 and at 3 rows
(and whatever the page size)."""

import datetime as dt

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from regions.models import ApiClient
from tests.factories.regions import EmployeeFactory, TombstoneFactory, UnitFactory
from tests.factories.training import (
    DevelopmentRecordFactory,
    EnrolmentFactory,
    OfferingFactory,
    ProgramFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

# 1 = the client lookup (authentication); then the list's own queries (its sync horizon comes
# with the page's rows; only an empty page reads it on its own).
ENDPOINTS = {
    "/api/v1/enrolments/": 2,
    "/api/v1/programmes/": 2,
    "/api/v1/offerings/": 3,  # + the page's sessions
    "/api/v1/employees/": 2,
    "/api/v1/units/": 2,
    "/api/v1/development-records/": 2,
    "/api/v1/development-records/siasn/": 2,
    "/api/v1/evaluations/": 2,
    "/api/v1/deleted/?resource=development-records": 2,
    "/api/v1/regions/": 2,
    "/api/v1/me/": 1,
}


def _make(region, n):
    with scopes_disabled():
        for _ in range(n):
            unit = UnitFactory(region=region)
            employee = EmployeeFactory(region=region, unit=unit)
            offering = OfferingFactory(region=region, program=ProgramFactory(region=region))
            SessionFactory(region=region, offering=offering)
            SessionFactory(region=region, offering=offering)
            EnrolmentFactory(region=region, offering=offering, employee=employee)
            DevelopmentRecordFactory(verified=True, region=region, employee=employee)
            TombstoneFactory(
                region=region, deleted_at=dt.datetime(2026, 1, 1) + dt.timedelta(hours=_)
            )


@pytest.fixture
def fresh_client(issued):
    # last_used_at is recent: no UPDATE during the measured requests.
    ApiClient.objects.filter(pk=issued.client.pk).update(last_used_at=timezone.now())
    return issued


@pytest.mark.parametrize("url", sorted(ENDPOINTS))
@pytest.mark.parametrize("rows", [1, 3])
def test_list_query_count_is_constant(
    api, fresh_client, region, django_assert_num_queries, url, rows
):
    _make(region, rows)
    with django_assert_num_queries(ENDPOINTS[url]):
        response = api.get(url)
    assert response.status_code == 200
    body = response.json()
    results = body if isinstance(body, list) else body.get("results")
    if results is not None and "regions" not in url:
        assert len(results) >= rows


@pytest.mark.parametrize("size", [1, 2, 1000])
def test_page_size_does_not_change_the_count(
    api, fresh_client, region, django_assert_num_queries, size
):
    _make(region, 3)
    with django_assert_num_queries(3):
        api.get(f"/api/v1/offerings/?page_size={size}")
    with django_assert_num_queries(2):
        api.get(f"/api/v1/enrolments/?page_size={size}")


@pytest.mark.parametrize(
    "resource", ["enrolments", "programmes", "employees", "units", "development-records"]
)
def test_single_resources_take_two_queries(
    api, fresh_client, region, django_assert_num_queries, resource
):
    _make(region, 1)
    first = api.get(f"/api/v1/{resource}/").json()["results"][0]["id"]
    with django_assert_num_queries(2):
        assert api.get(f"/api/v1/{resource}/{first}/").status_code == 200
