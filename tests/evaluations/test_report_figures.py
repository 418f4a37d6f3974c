"""Integration: the monthly report's figures on a small data set whose numbers are known
(see `report_data` in conftest), in a constant number of queries."""

import datetime as dt
from decimal import Decimal

import pytest

from evaluations import selectors
from tests.factories.regions import EmployeeFactory, UnitFactory, quick_employees
from tests.factories.training import EnrolmentFactory, OfferingFactory
from training.models import Enrolment, OfferingUnitQuota

pytestmark = pytest.mark.django_db


def test_jp_compliance_counts_verified_jp_of_the_year_up_to_the_month_per_unit(
    report_data, region, in_region
):
    compliance = selectors.report_compliance(region=region, period=report_data.period)
    assert (compliance.year, compliance.target, compliance.pppk_cap) == (2025, 20, 24)
    assert str(compliance.as_of) == "2025-03-31"
    units = {u.unit_name: u for u in compliance.units}
    anggrek, bougenvil = units["Dinas Anggrek"], units["Dinas Bougenvil"]
    # PNS: p1 meets (20), p2 below (10; submitted JP never counts).
    assert (anggrek.pns_total, anggrek.pns_met, anggrek.pns_below) == (2, 1, 1)
    assert anggrek.pns_jp == Decimal("30")
    assert anggrek.pns_rate == Decimal("50.0")
    # p3 has 16 by March (the April record is later), p4 only has last year's; p5 is inactive.
    assert (bougenvil.pns_total, bougenvil.pns_met, bougenvil.pns_below) == (2, 0, 2)
    assert bougenvil.pns_jp == Decimal("16")
    # PPPK are apart and measured against the cap, not the minimum.
    assert (anggrek.pppk_total, anggrek.pppk_with_jp, anggrek.pppk_over_cap) == (1, 1, 1)
    assert anggrek.pppk_jp == Decimal("30")
    assert (bougenvil.pppk_total, bougenvil.pppk_with_jp, bougenvil.pppk_over_cap) == (1, 0, 0)
    total = compliance.total
    assert (total.pns_total, total.pns_met, total.pns_below, total.pppk_total) == (4, 1, 3, 2)
    assert total.pns_rate == Decimal("25.0")
    assert total.pns_mean_jp == Decimal("11.50")
    # Region B's 40 JP never appears; neither does its unit.
    assert "BKPSDM Binjai" not in units


def test_participation_counts_enrolments_of_the_months_offerings_by_status(
    report_data, region, in_region
):
    participation = selectors.report_participation(
        region=region, period=report_data.period, offerings=3
    )
    counts = {s.status: s.count for s in participation.by_status}
    assert counts == {
        "requested": 1,
        "waitlisted": 1,
        "confirmed": 2,
        "rejected": 0,
        "cancelled": 1,
        "completed": 4,
        "no_show": 1,
        "failed": 0,
    }
    assert participation.total == 10
    assert participation.completed == 4
    assert participation.jp_awarded == Decimal("80")


def test_offerings_of_the_month_carry_fill_no_show_scores_and_flags(report_data, region, in_region):
    offerings = selectors.report_offerings(region=region, period=report_data.period)
    o1, o2, o3, *_ = report_data.offerings
    assert [o.id for o in offerings] == [o2.pk, o1.pk, o3.pk]  # by start date
    by_id = {o.id: o for o in offerings}
    first = by_id[o1.pk]
    assert (first.seated, first.completed, first.no_show, first.tested) == (3, 2, 1, 2)
    assert first.fill_rate == Decimal("75.0")
    assert first.no_show_rate == Decimal("33.3")
    assert (first.pre_mean, first.post_mean, first.gain_mean) == (
        Decimal("65.00"),
        Decimal("77.50"),
        Decimal("12.50"),
    )
    assert first.flags == ("no_show",)
    second = by_id[o2.pk]
    assert second.fill_rate == Decimal("30.0")
    assert second.gain_mean == Decimal("-7.50")
    assert second.flags == ("low_fill", "negative_gain")
    third = by_id[o3.pk]
    assert third.fill_rate == Decimal("50.0")  # exactly half is not below half
    assert third.flags == ()
    assert third.gain_mean is None


def test_fill_rate_counts_the_seats_reserved_for_units(region, in_region):
    """Seats reserved for units are seats of the offering (training.seats): reserved seat
    holders fill them, so the rate is over seats + reserved seats, never above 100%."""
    unit = UnitFactory(region=region)
    people = quick_employees(region, 4, unit=unit)
    start = dt.date(2025, 6, 10)
    window = {"enrolment_opens": dt.date(2025, 5, 1), "enrolment_closes": dt.date(2025, 6, 1)}
    full = OfferingFactory(region=region, seats=2, start_date=start, end_date=start, **window)
    sparse = OfferingFactory(region=region, seats=2, start_date=start, end_date=start, **window)
    OfferingUnitQuota.objects.create(region=region, offering=full, unit=unit, seats=2)
    OfferingUnitQuota.objects.create(region=region, offering=sparse, unit=unit, seats=8)
    for i, person in enumerate(people):
        reserved = unit if i >= 2 else None
        EnrolmentFactory(region=region, offering=full, employee=person, reserved_unit=reserved)
    for person in people[:2]:
        EnrolmentFactory(region=region, offering=sparse, employee=person)
    stats = {o.id: o for o in selectors.report_offerings(region=region, period=dt.date(2025, 6, 1))}
    assert stats[full.pk].fill_rate == Decimal("100.0")
    assert stats[full.pk].flags == ()
    assert stats[sparse.pk].fill_rate == Decimal("20.0")
    assert stats[sparse.pk].flags == ("low_fill",)
    assert (stats[full.pk].seated, stats[full.pk].seats_total) == (4, 4)
    assert (stats[sparse.pk].seated, stats[sparse.pk].seats_total) == (2, 10)
    assert Enrolment.objects.filter(offering=full).count() == 4


def test_budget_per_programme_with_offerings_in_the_month(report_data, region, in_region):
    budget = selectors.report_budget(region=region, period=report_data.period)
    rows = {p.code: p for p in budget.programmes}
    assert set(rows) == {"P1", "P2"}  # P3 only has a cancelled offering, P4 is in April
    p1, p2 = rows["P1"], rows["P2"]
    assert (p1.offerings, p1.completed) == (2, 2)
    assert (p1.planned, p1.realised, p1.realised_year) == (
        Decimal("10000000"),
        Decimal("1000000"),
        Decimal("1000000"),
    )
    assert p1.absorption == Decimal("10.0")
    # P2: two completed in March at Rp 1.000.000; January's completion counts for the year.
    assert (p2.offerings, p2.completed, p2.realised, p2.realised_year) == (
        1,
        2,
        Decimal("2000000"),
        Decimal("3000000"),
    )
    assert p2.absorption == Decimal("60.0")
    assert (budget.planned, budget.realised, budget.realised_year) == (
        Decimal("15000000"),
        Decimal("3000000"),
        Decimal("4000000"),
    )


def test_evaluation_uses_pre_and_post_tests_of_completed_offerings(report_data, region, in_region):
    offerings = selectors.report_offerings(region=region, period=report_data.period)
    evaluation = selectors.report_evaluation(
        region=region, period=report_data.period, offerings=offerings
    )
    o1, o2, *_ = report_data.offerings
    assert sorted(o.id for o in evaluation.offerings) == sorted([o1.pk, o2.pk])
    assert evaluation.tested == 4
    assert (evaluation.pre_mean, evaluation.post_mean, evaluation.gain_mean) == (
        Decimal("75.00"),
        Decimal("77.50"),
        Decimal("2.50"),
    )


def test_the_whole_report_takes_five_queries_whatever_the_size(
    report_data, region, in_region, django_assert_num_queries
):
    with django_assert_num_queries(5):
        data = selectors.report_monthly_data(region=region, period=report_data.period)
    assert [o.id for o in data.flagged] == [
        report_data.offerings[1].pk,
        report_data.offerings[0].pk,
    ]
    assert data.participation.offerings == 3
    unit = report_data.units[0]
    for n in range(5):
        EmployeeFactory(region=region, unit=unit, name=f"Tambahan {n}")
    with django_assert_num_queries(5):
        bigger = selectors.report_monthly_data(region=region, period=report_data.period)
    assert bigger.compliance.total.pns_total == 9


def test_an_empty_month_gives_zeros_not_errors(region, unit, in_region):
    data = selectors.report_monthly_data(region=region, period=dt.date(2024, 2, 1))
    assert data.participation.total == 0
    assert data.budget.programmes == []
    assert data.evaluation.tested == 0
    assert data.evaluation.gain_mean is None
    assert data.flagged == []


def test_period_helpers():
    assert selectors.month_end(dt.date(2024, 2, 1)) == dt.date(2024, 2, 29)
    assert selectors.previous_month(dt.date(2025, 1, 15)) == dt.date(2024, 12, 1)
    assert selectors.next_month(dt.date(2025, 12, 1)) == dt.date(2026, 1, 1)
