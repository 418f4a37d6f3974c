"""Integration: the region home shows each role its work, in a constant number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_scopes import scopes_disabled

from tests.factories.training import (
    EnrolmentFactory,
    OfferingFactory,
    SessionFactory,
    development_form,
)
from training.models import DevelopmentRecord, Enrolment

pytestmark = pytest.mark.django_db


def _confirmed_with_session(employee, n):
    with scopes_disabled():
        for i in range(n):
            offering = OfferingFactory(region=employee.region, name=f"Angkatan Rumah {i}")
            SessionFactory(region=employee.region, offering=offering, title=f"Sesi Rumah {i}")
            EnrolmentFactory(region=employee.region, offering=offering, employee=employee)


def _verified_record(employee, jp):
    with scopes_disabled():
        DevelopmentRecord.objects.create(
            region=employee.region,
            employee=employee,
            year=timezone.localdate().year,
            source=DevelopmentRecord.Source.EXTERNAL,
            title="Seminar Nasional Pelayanan Publik",
            form=development_form(9),
            organiser="LAN RI",
            start_date=timezone.localdate() - dt.timedelta(days=30),
            end_date=timezone.localdate() - dt.timedelta(days=30),
            jp=jp,
            status=DevelopmentRecord.Status.VERIFIED,
        )


def test_employee_home_shows_jp_progress_and_upcoming_sessions(employee, login):
    _verified_record(employee, 8)
    _confirmed_with_session(employee, 2)
    response = login(employee).get("/semarang/")
    home = response.context["home"]
    assert home.jp.verified_jp == 8 and home.jp.benchmark == 20
    assert [s.title for s in home.upcoming_sessions] == ["Sesi Rumah 0", "Sesi Rumah 1"]
    assert home.live_enrolments == 2
    assert "Kurang 12 JP lagi" in response.content.decode()


def test_other_regions_sessions_never_reach_the_home(employee, other_employee, login):
    _confirmed_with_session(other_employee, 1)
    home = login(employee).get("/semarang/").context["home"]
    assert home.upcoming_sessions == [] and home.live_enrolments == 0


def test_supervisor_home_counts_pending_requests(supervisor, employee, login):
    with scopes_disabled():
        EnrolmentFactory(
            region=employee.region, employee=employee, status=Enrolment.Status.REQUESTED
        )
    response = login(supervisor).get("/semarang/")
    assert response.context["home"].pending_approvals == 1
    assert "menunggu keputusan" in response.content.decode()


def test_admin_home_counts_work_waiting(admin, employee, other_employee, login):
    with scopes_disabled():
        EnrolmentFactory(
            region=employee.region, employee=employee, status=Enrolment.Status.REQUESTED
        )
        EnrolmentFactory(
            region=other_employee.region, employee=other_employee, status=Enrolment.Status.REQUESTED
        )
    counts = login(admin).get("/semarang/").context["home"].admin
    assert counts["requested_enrolments"] == 1
    assert counts["open"] == 1


@pytest.mark.parametrize("who", ["employee", "supervisor", "admin"])
def test_home_query_count_does_not_grow_with_data(who, request, employee, supervisor, admin, login):
    person = request.getfixturevalue(who)
    client = login(person)
    _confirmed_with_session(person, 1)
    client.get("/semarang/")
    with CaptureQueriesContext(connection) as one:
        client.get("/semarang/")
    _confirmed_with_session(person, 3)
    _verified_record(person, 4)
    with CaptureQueriesContext(connection) as more:
        client.get("/semarang/")
    assert len(more) == len(one)
