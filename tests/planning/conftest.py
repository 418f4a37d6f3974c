"""Fixtures of the regional plan: region A with two units, a planner for each, a head of
region who approves, the BKPSDM admin; region B with look-alike objects."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories.planning import make_approver, make_planner
from tests.factories.regions import EmployeeFactory, UnitFactory
from tests.factories.training import CompetencyFactory


@pytest.fixture
def dinkes(region):
    return UnitFactory(region=region, code="DINKES", name="Dinas Kesehatan")


@pytest.fixture
def disdik(region):
    return UnitFactory(region=region, code="DISDIK", name="Dinas Pendidikan")


@pytest.fixture
def planner(region, dinkes):
    employee = EmployeeFactory(region=region, unit=dinkes, name="Rina Perencana")
    make_planner(dinkes, employee)
    return employee


@pytest.fixture
def planner2(region, disdik):
    employee = EmployeeFactory(region=region, unit=disdik, name="Bayu Perencana")
    make_planner(disdik, employee)
    return employee


@pytest.fixture
def head(region, unit):
    employee = EmployeeFactory(
        region=region, unit=unit, name="Hendrar Kepala", position="Sekretaris Daerah"
    )
    make_approver(employee, title="Wali Kota Semarang")
    return employee


@pytest.fixture
def competency(region):
    return CompetencyFactory(region=region, code="T.SIMRS", name="Pengelolaan SIMRS")


@pytest.fixture
def other_competency(other_region):
    return CompetencyFactory(region=other_region, code="T.RAHASIA", name="Rahasia Binjai")


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def next_year(today):
    return today.year + 1


@pytest.fixture
def deadline(today):
    return today + dt.timedelta(days=14)
