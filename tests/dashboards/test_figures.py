"""Integration: the dashboard figures equal what the test data say (worked out by hand in
`conftest.world`), and region B's rows never count."""

import datetime as dt
from decimal import Decimal

import pytest
from django_scopes import scope

from dashboards.selectors import jp as jp_selectors
from dashboards.selectors import people as people_selectors
from dashboards.selectors import region as region_selectors
from regions.models import Golongan, PositionType

from .conftest import YEAR, record

pytestmark = pytest.mark.django_db


def test_compliance_overall_by_unit_golongan_and_position(world, region):
    with scope(region=region):
        result = region_selectors.compliance(region=region, year=YEAR)
    assert (result.overall.pns, result.overall.met, result.overall.below) == (8, 2, 6)
    assert result.overall.rate == Decimal("25.0")
    assert result.overall.mean_jp == Decimal("7.5")
    assert (result.overall.asn, result.overall.none) == (10, 5)
    units = {s.label: (s.pns, s.met, s.none) for s in result.by_unit}
    assert units == {
        "Dinas Kesehatan": (4, 1, 1),
        "Kecamatan Tugu": (3, 1, 3),
        "Badan Kepegawaian dan Pengembangan SDM": (1, 0, 1),
    }
    # Lowest share first.
    assert result.by_unit[0].label == "Badan Kepegawaian dan Pengembangan SDM"
    assert {s.key: (s.pns, s.met) for s in result.by_golongan} == {
        Golongan.III_A: (7, 1),
        Golongan.IV_A: (1, 1),
    }
    assert {s.key: (s.pns, s.met) for s in result.by_position} == {
        PositionType.ADMINISTRATOR: (1, 1),
        PositionType.PELAKSANA: (7, 1),
    }
    assert (result.pppk.asn, result.pppk.none) == (2, 1)


def test_compliance_filtered_by_unit(world, region):
    with scope(region=region):
        result = region_selectors.compliance(region=region, year=YEAR, unit_id=world.tugu.pk)
    assert (result.overall.pns, result.overall.met, result.overall.none) == (3, 1, 3)


def test_trend_counts_pns_reaching_the_target_by_month(world, region):
    with scope(region=region):
        months = jp_selectors.reach_months(region=region, years=[YEAR - 1, YEAR])
    # Agus reaches 20 JP on 15 March, Eko on 5 May; last year Gita on 20 January.
    assert months[YEAR] == [0, 0, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2]
    assert months[YEAR - 1] == [1] * 12


def test_people_behind_each_figure(world, region, admin):
    with scope(region=region):
        below = set(jp_selectors.people(region=region, year=YEAR, category="below"))
        met = set(jp_selectors.people(region=region, year=YEAR, category="met"))
        none = set(jp_selectors.people(region=region, year=YEAR, category="none"))
        tugu_below = set(
            jp_selectors.people(region=region, year=YEAR, category="below", unit_id=world.tugu.pk)
        )
    assert met == {world.p1, world.p3}
    assert below == {admin, world.boss, world.p2, world.p4, world.p5, world.p6}
    assert none == {admin, world.boss, world.p4, world.p5, world.k2}
    assert tugu_below == {world.p4, world.p5}


def test_participation_forms_and_budget(world, region):
    with scope(region=region):
        months = region_selectors.participation(region=region, year=YEAR)
        forms = region_selectors.forms(region=region, year=YEAR)
        budget = region_selectors.budget(region=region, year=YEAR)
    assert months[10].enrolled == 1  # November
    assert sum(m.enrolled for m in months) == 1
    assert sum(f.offerings for f in forms.by_kind) == 1
    assert [p.program_id for p in budget.programmes] == [world.batch.program_id]


def test_team_behind_first_furthest_first(world, region):
    with scope(region=region):
        rows = people_selectors.team_members(region=region, supervisor=world.boss, year=YEAR)
    assert [r.employee.name for r in rows] == [
        "Dewi Anggraini",  # 0 JP
        "Citra Lestari",  # 8 JP
        "Agus Salim",  # met
        "Bambang PPPK",  # PPPK: never "behind"
    ]
    assert [r.behind for r in rows] == [True, True, False, False]
    citra = rows[1]
    assert (citra.verified_jp, citra.pending_jp, citra.remaining) == (
        Decimal("8"),
        Decimal("20"),
        Decimal("12"),
    )


def test_asn_curve_is_cumulative_by_month(world, region):
    with scope(region=region):
        curve = people_selectors.jp_curve(region=region, employee=world.p1, year=YEAR)
        # A record of another year and a submitted one do not move the curve.
        record(world.p1, 5, dt.date(YEAR, 6, 1), status="submitted")
        again = people_selectors.jp_curve(region=region, employee=world.p1, year=YEAR)
    assert curve == [0, 12, 22, 22, 22, 22, 22, 22, 22, 22, 22, 22]
    assert again == curve
