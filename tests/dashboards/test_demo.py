"""Integration: the dashboards' demo data make every figure meaningful, and load once."""

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from dashboards.demo import load_dashboards_demo
from dashboards.selectors import people as people_selectors
from dashboards.selectors import region as region_selectors
from tests.factories.regions import EmployeeFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_demo_has_pns_above_and_below_and_some_without_development(region, admin):
    with scopes_disabled():
        unit = UnitFactory(region=region)
        boss = EmployeeFactory(region=region, unit=unit)
        for _ in range(20):
            EmployeeFactory(region=region, unit=unit, supervisor=boss)
    today = timezone.localdate()
    assert load_dashboards_demo(region=region, today=today)["records"] > 0
    assert load_dashboards_demo(region=region, today=today) == {}  # idempotent
    with scope(region=region):
        result = region_selectors.compliance(region=region, year=today.year)
        team = people_selectors.team_members(region=region, supervisor=boss, year=today.year)
    assert 0 < result.overall.met < result.overall.pns
    assert result.overall.none > 0
    assert any(member.behind for member in team)
    assert any(not member.behind for member in team)
