"""Integration: the seat engine (training.seats) counts the same in SQL and in Python, in a
constant number of queries, and gives the numbers the older per-module formulas gave."""

import pytest
from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.test.utils import CaptureQueriesContext

from tests.factories.regions import UnitFactory, quick_employees
from tests.factories.training import EnrolmentFactory, OfferingFactory
from training import seats
from training.models import Enrolment, Offering, OfferingUnitQuota

pytestmark = pytest.mark.django_db
S = Enrolment.Status


def _quota(offering, unit, n):
    return OfferingUnitQuota.objects.create(
        region=offering.region, offering=offering, unit=unit, seats=n
    )


def _enrol(offering, employee, status=S.CONFIRMED, reserved_unit=None):
    return EnrolmentFactory(
        region=offering.region,
        offering=offering,
        employee=employee,
        status=status,
        reserved_unit=reserved_unit,
    )


@pytest.fixture
def offerings(in_region, region):
    """Offerings covering the cases: empty, quotas only, general seats in use, reserved seats in
    use, full, statuses that hold no seat, and another region's offering that must not count."""
    unit_a = UnitFactory(region=region, name="Dinas A")
    unit_b = UnitFactory(region=region, name="Dinas B")
    people_a = quick_employees(region, 6, unit=unit_a)
    people_b = quick_employees(region, 4, unit=unit_b)
    cases = {}
    cases["empty"] = OfferingFactory(region=region, seats=5)
    cases["quotas_only"] = OfferingFactory(region=region, seats=3)
    _quota(cases["quotas_only"], unit_a, 2)
    _quota(cases["quotas_only"], unit_b, 1)
    cases["general"] = OfferingFactory(region=region, seats=4)
    _enrol(cases["general"], people_a[0])
    _enrol(cases["general"], people_a[1], status=S.COMPLETED)
    _enrol(cases["general"], people_a[2], status=S.NO_SHOW)
    _enrol(cases["general"], people_b[0], status=S.REQUESTED)
    _enrol(cases["general"], people_b[1], status=S.WAITLISTED)
    _enrol(cases["general"], people_b[2], status=S.REJECTED)
    _enrol(cases["general"], people_b[2], status=S.CANCELLED)
    cases["reserved"] = OfferingFactory(region=region, seats=2)
    _quota(cases["reserved"], unit_a, 3)
    _quota(cases["reserved"], unit_b, 2)
    _enrol(cases["reserved"], people_a[0], reserved_unit=unit_a)
    _enrol(cases["reserved"], people_a[1], reserved_unit=unit_a)
    _enrol(cases["reserved"], people_b[0])
    cases["full"] = OfferingFactory(region=region, seats=2)
    _quota(cases["full"], unit_b, 1)
    _enrol(cases["full"], people_a[0])
    _enrol(cases["full"], people_a[1])
    _enrol(cases["full"], people_b[1], reserved_unit=unit_b)
    _enrol(cases["full"], people_a[2], status=S.WAITLISTED)
    cases["general_full_reserved_free"] = OfferingFactory(region=region, seats=1)
    _quota(cases["general_full_reserved_free"], unit_a, 2)
    _enrol(cases["general_full_reserved_free"], people_b[2])
    return cases


EXPECTED = {  # seats, reserved, taken, left
    "empty": (5, 0, 0, 5),
    "quotas_only": (3, 3, 0, 6),
    "general": (4, 0, 3, 1),
    "reserved": (2, 5, 3, 4),
    "full": (2, 1, 3, 0),
    "general_full_reserved_free": (1, 2, 1, 2),
}


def _old_api_and_window_closing_formulas(queryset):
    """The formulas `training/api.py` (`_seats_taken`, `_reserved_seats`, seats_left in
    build()) and `regions/jobs.py` (`window_closing`) used, copied here as the reference."""
    taken = (
        Enrolment.objects.filter(offering_id=OuterRef("pk"), status__in=Enrolment.SEAT_STATUSES)
        .order_by()
        .values("offering_id")
        .annotate(n=Count("id"))
        .values("n")[:1]
    )
    reserved = (
        OfferingUnitQuota.objects.filter(offering_id=OuterRef("pk"))
        .order_by()
        .values("offering_id")
        .annotate(n=Sum("seats"))
        .values("n")[:1]
    )
    return queryset.annotate(
        old_taken=Coalesce(Subquery(taken, output_field=IntegerField()), 0),
        old_reserved=Coalesce(Subquery(reserved, output_field=IntegerField()), 0),
    ).annotate(
        old_capacity=F("seats") + F("old_reserved"),
        old_window_left=F("seats") + F("old_reserved") - F("old_taken"),
    )


def test_with_seats_gives_each_case_its_numbers(offerings):
    annotated = {o.pk: o for o in seats.with_seats(Offering.objects.all())}
    for name, (n_seats, reserved, taken, left) in EXPECTED.items():
        o = annotated[offerings[name].pk]
        got = (o.seats, o.reserved_seats, o.seats_taken, o.seats_left)
        assert got == (n_seats, reserved, taken, left), name
        assert o.seats_total == n_seats + reserved, name


def test_with_seats_replaces_the_api_and_window_closing_formulas_exactly(offerings):
    rows = _old_api_and_window_closing_formulas(seats.with_seats(Offering.objects.all()))
    assert len(rows) == len(EXPECTED)
    for o in rows:
        assert o.seats_taken == o.old_taken
        assert o.reserved_seats == o.old_reserved
        assert o.seats_total == o.old_capacity
        # training/api.py: max(seats + reserved - taken, 0); regions/jobs.py: capacity - taken.
        assert o.seats_left == max(o.old_capacity - o.old_taken, 0)
        assert o.seats_left == o.old_window_left


def test_seat_state_in_python_agrees_with_the_sql(offerings):
    annotated = {o.pk: o for o in seats.with_seats(Offering.objects.all())}
    for name, offering in offerings.items():
        state = seats.seat_state(offering=offering)
        o = annotated[offering.pk]
        assert (state.reserved_seats, state.taken, state.seats_left) == (
            o.reserved_seats,
            o.seats_taken,
            o.seats_left,
        ), name
        assert state.total_seats == o.seats_total
        assert state.general_used == seats.general_seats_taken(offering=offering)


def test_reserved_seats_go_first_and_left_for_counts_the_unit(offerings):
    offering = offerings["general_full_reserved_free"]
    state = seats.seat_state(offering=offering, with_units=True)
    (unit_id,) = state.quotas
    assert state.units[unit_id].name == "Dinas A"
    assert state.general_free == 0
    assert state.left_for(unit_id) == 2
    assert state.left_for(None) == 0
    assert state.pick(None) == (False, None)
    assert state.pick(unit_id) == (True, unit_id)
    state.take(unit_id)
    state.take(unit_id)
    assert not state.any_free
    assert seats.unit_seats_taken(offering=offering, unit_id=unit_id) == 0  # nothing written


def test_constant_queries_whatever_the_number_of_offerings(offerings, region):
    def count(run):
        with CaptureQueriesContext(connection) as queries:
            run()
        return len(queries)

    one = Offering.objects.filter(pk=offerings["reserved"].pk)
    many = Offering.objects.all()
    assert count(lambda: list(seats.with_seats(one))) == 1
    assert count(lambda: list(seats.with_seats(many))) == 1
    one, many = list(one), list(many)
    assert count(lambda: seats.seat_states(offerings=one)) == 2
    assert count(lambda: seats.seat_states(offerings=many)) == 2
    assert count(lambda: seats.seat_states(offerings=many, with_units=True)) == 2
    assert seats.seat_states(offerings=[]) == {}


def test_seats_taken_count_for_grouped_queries(offerings):
    rows = dict(
        Offering.objects.order_by()
        .values("pk")
        .annotate(n=seats.seats_taken_count("enrolments"))
        .values_list("pk", "n")
    )
    for name, (_seats, _reserved, taken, _left) in EXPECTED.items():
        assert rows[offerings[name].pk] == taken, name


def test_lock_offering_returns_the_offering_with_programme_and_region(offerings):
    offering = offerings["empty"]
    with CaptureQueriesContext(connection) as queries:
        locked = seats.lock_offering(offering_id=offering.pk)
        assert locked.program.title and locked.region.slug == "semarang"
    assert len(queries) == 1
