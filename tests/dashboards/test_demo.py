"""Integration: the dashboards' demo data make every figure meaningful, and load once."""

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from dashboards.demo import load_dashboards_demo
from dashboards.selectors import people as people_selectors
from dashboards.selectors import region as region_selectors
from tests.factories.regions import EmployeeFactory, UnitFactory
from tests.factories.training import national, standard

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


def test_demo_gives_the_demo_supervisors_team_a_heat_map_with_gaps(region, admin):
    standard(region, items=[(national(code), 3) for code in ("M.01", "M.02", "M.03", "M.04")])
    with scopes_disabled():
        unit = UnitFactory(region=region)
        boss = EmployeeFactory(region=region, unit=unit)  # a demo login (usable password)
        for _ in range(4):
            EmployeeFactory(region=region, unit=unit, supervisor=boss)
    today = timezone.localdate()
    first = load_dashboards_demo(region=region, today=today)
    assert first["assessments"] > 0
    assert "assessments" not in load_dashboards_demo(region=region, today=today)  # idempotent
    with scope(region=region):
        matrix = people_selectors.team_gap_matrix(region=region, supervisor=boss)
    cells = [cell for row in matrix.rows for cell in row.cells]
    severities = {cell.severity for cell in cells}
    assert "met" in severities and severities & {"low", "medium", "high"}
    assert matrix.rows[0].gap_count > 0
