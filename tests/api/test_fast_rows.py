"""Integration: on PostgreSQL lists read their rows straight from the cursor, and the plain sync
pull reuses its compiled SQL; the JSON is the same as through the ORM's general path."""

import pytest
from django_scopes import scopes_disabled

from kompetensi.api import base
from tests.factories.regions import EmployeeFactory, TombstoneFactory, UnitFactory
from tests.factories.training import (
    DevelopmentRecordFactory,
    EnrolmentFactory,
    OfferingFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

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


@pytest.mark.postgres
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
            DevelopmentRecordFactory(verified=True, region=region, employee=employee)
            TombstoneFactory(region=region)
    direct = api.get(url)
    assert direct.status_code == 200
    monkeypatch.setattr(base, "fetch_rows", list)
    through_orm = api.get(url)
    assert direct.json() == through_orm.json()
    assert direct.json()["results"]


def _pages(api, url):
    bodies = []
    while url:
        body = api.get(url).json()
        bodies.append(body)
        url = body["next"]
    return bodies


@pytest.mark.postgres
@pytest.mark.parametrize("resource", ["enrolments", "employees", "offerings", "evaluations"])
def test_the_compiled_plain_pull_pages_like_the_general_path(api, region, monkeypatch, resource):
    """The plain sync pull reuses its compiled SQL with the cursor's values swapped in; every
    page (and cursor) equals what building the query each time gives."""
    with scopes_disabled():
        for _ in range(5):
            EnrolmentFactory(region=region, offering=OfferingFactory(region=region))
    fast = _pages(api, f"/api/v1/{resource}/?page_size=2")
    monkeypatch.setattr(base, "_plain_pull", lambda q: False)
    general = _pages(api, f"/api/v1/{resource}/?page_size=2")
    assert fast == general
    assert len(fast) >= 3


@pytest.mark.parametrize(
    "q, plain",
    [
        ({"cursor": "x", "page_size": 100, "status": [], "nip": None}, True),
        ({"cursor": None, "page_size": 100, "active": False}, False),
        ({"cursor": None, "page_size": 100, "status": ["confirmed"]}, False),
        ({"cursor": None, "page_size": 100, "updated_since": "2026-01-01"}, False),
    ],
)
def test_only_a_pull_without_filters_takes_the_compiled_path(q, plain):
    assert base._plain_pull(q) is plain


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_prepared_statement_follows_new_and_reset_database_sessions(api, region):
    from django.db import connection

    with scopes_disabled():
        EnrolmentFactory(region=region)
    first = api.get("/api/v1/enrolments/").json()
    connection.close()  # a new session: the statement is prepared again
    assert api.get("/api/v1/enrolments/").json() == first
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # e.g. a pooler's DISCARD ALL
    assert api.get("/api/v1/enrolments/").json() == first


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_prepared_statements_of_a_session_not_opened_yet(on_postgres):
    """With the token and throttle read from the cache, the pull can be the request's first
    query: the session is opened then (it was a TypeError, a 500, under load)."""
    from django.db import connection

    connection.close()
    assert connection.connection is None
    assert base._prepared_on(connection) == set()
    assert connection.connection is not None
