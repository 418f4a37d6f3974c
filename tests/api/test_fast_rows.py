"""Integration (PostgreSQL): lists read their rows straight from the cursor on PostgreSQL; the
JSON is the same as through the ORM's iteration, for every list."""

import pytest
from django_scopes import scopes_disabled

from kompetensi.api import base
from tests.factories import EmployeeFactory, UnitFactory
from tests.factories_api import RecordFactory, TombstoneFactory
from tests.factories_training import EnrolmentFactory, OfferingFactory, SessionFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

LISTS = [
    "/api/v1/enrolments/",
    "/api/v1/programmes/",
    "/api/v1/offerings/",
    "/api/v1/employees/",
    "/api/v1/units/",
    "/api/v1/development-records/",
    "/api/v1/development-records/siasn/",
    "/api/v1/evaluations/",
]


@pytest.mark.parametrize("url", LISTS)
def test_the_direct_fetch_gives_what_the_orm_gives(api, region, monkeypatch, url):
    with scopes_disabled():
        unit = UnitFactory(region=region)
        for _ in range(3):
            employee = EmployeeFactory(region=region, unit=unit)
            offering = OfferingFactory(region=region)
            SessionFactory(region=region, offering=offering)
            EnrolmentFactory(
                region=region, offering=offering, employee=employee, pre_test_score=61.5
            )
            RecordFactory(region=region, employee=employee)
            TombstoneFactory(region=region)
    direct = api.get(url)
    assert direct.status_code == 200
    monkeypatch.setattr(base, "fetch_rows", list)
    through_orm = api.get(url)
    assert direct.json() == through_orm.json()
    assert direct.json()["results"]
