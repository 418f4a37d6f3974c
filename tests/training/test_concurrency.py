"""Integration (PostgreSQL): concurrent enrolments never oversell an offering's seats.

Each thread has its own database connection and races for the last seats; the offering row
lock (SELECT ... FOR UPDATE) serialises them, so the counts are exact.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_scopes import scope, scopes_disabled

from tests.factories.regions import UnitFactory, UserFactory, quick_employees
from tests.factories.training import OfferingFactory
from training.models import Enrolment, Offering, OfferingUnitQuota
from training.services import enrolment as services

# serialized_rollback restores the national reference data (development forms) the flush of a
# transactional test would otherwise remove for the tests that run after this module.
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
S = Enrolment.Status
RACERS = 40
SEATS = 5


def _race(region, jobs):
    """Run each job in its own thread (own connection), all released at once."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [], []
    lock = threading.Lock()

    def run(job):
        try:
            barrier.wait(timeout=30)
            with scope(region=region):
                outcome = job()
            with lock:
                results.append(outcome)
        except ValidationError as exc:
            with lock:
                results.append(("refused", exc.messages))
        except Exception as exc:  # noqa: BLE001 - reported below, never swallowed
            with lock:
                errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert len(results) == len(jobs)
    return results


def _setup(region_name, seats, **offering_kwargs):
    with scopes_disabled():
        from tests.factories.regions import RegionFactory

        region = RegionFactory(slug=region_name)
        unit = UnitFactory(region=region)
        offering = OfferingFactory(region=region, seats=seats, **offering_kwargs)
        people = quick_employees(region, RACERS, unit=unit)
    return region, offering, people


def _counts(offering):
    with scopes_disabled():
        return {
            status: Enrolment.objects.filter(offering=offering, status=status).count()
            for status in S.values
        }


@pytest.mark.parametrize("has_waitlist", [True, False])
def test_forty_employees_race_for_five_seats(on_postgres, has_waitlist):
    region, offering, people = _setup("balapan", SEATS, has_waitlist=has_waitlist)

    def job_for(person):
        def job():
            return services.enrolment_create(
                offering=offering, employee=person, actor=person.user
            ).status

        return job

    results = _race(region, [job_for(p) for p in people])
    counts = _counts(offering)
    assert counts[S.CONFIRMED] == SEATS
    assert results.count(S.CONFIRMED) == SEATS
    if has_waitlist:
        assert counts[S.WAITLISTED] == RACERS - SEATS
        assert results.count(S.WAITLISTED) == RACERS - SEATS
        # FCFS positions are a gap-free 1..35.
        with scope(region=region):
            positions = sorted(
                services.waitlist_position(enrolment=e)
                for e in Enrolment.objects.filter(offering=offering, status=S.WAITLISTED)
            )
        assert positions == list(range(1, RACERS - SEATS + 1))
    else:
        refused = [r for r in results if isinstance(r, tuple)]
        assert len(refused) == RACERS - SEATS
        assert all("penuh" in " ".join(messages) for _, messages in refused)
        assert sum(counts.values()) == SEATS


def test_same_employee_racing_twice_gets_one_enrolment(on_postgres):
    region, offering, people = _setup("ganda", SEATS)
    person = people[0]

    def job():
        return services.enrolment_create(
            offering=offering, employee=person, actor=person.user
        ).status

    results = _race(region, [job] * 8)
    assert results.count(S.CONFIRMED) == 1
    assert sum(1 for r in results if isinstance(r, tuple)) == 7
    assert _counts(offering)[S.CONFIRMED] == 1


def test_concurrent_approvals_and_reserved_seats_never_oversell(on_postgres):
    """Admins approving 40 requests at once, with 2 seats reserved for one unit on top."""
    region, offering, people = _setup("setuju", SEATS, requires_approval=True)
    with scopes_disabled():
        special = UnitFactory(region=region)
        OfferingUnitQuota.objects.create(region=region, offering=offering, unit=special, seats=2)
        for person in people[:10]:
            person.unit = special
            person.save(update_fields=["unit"])
        with scope(region=region):
            requests = [
                services.enrolment_create(offering=offering, employee=p, actor=p.user)
                for p in people
            ]
        # The deciding admin is nobody among the applicants (no one decides their own request).
        admin_user = UserFactory(username="admin-setuju")

    def job_for(enrolment):
        def job():
            return services.enrolment_approve(
                enrolment=enrolment, actor=admin_user, by_admin=True
            ).status

        return job

    _race(region, [job_for(e) for e in requests])
    counts = _counts(offering)
    assert counts[S.CONFIRMED] == SEATS + 2
    assert counts[S.WAITLISTED] == RACERS - SEATS - 2
    with scopes_disabled():
        confirmed = Enrolment.objects.filter(offering=offering, status=S.CONFIRMED)
        assert confirmed.filter(reserved_unit=special).count() == 2
        assert confirmed.filter(reserved_unit__isnull=True).count() == SEATS
        assert Offering.objects.get(pk=offering.pk).seats == SEATS


def test_concurrent_cancellations_promote_each_waiter_once(on_postgres):
    region, offering, people = _setup("batal", SEATS)
    with scope(region=region):
        enrolments = [
            services.enrolment_create(offering=offering, employee=p, actor=p.user) for p in people
        ]
    confirmed = [e for e in enrolments if e.status == S.CONFIRMED]

    def job_for(enrolment):
        def job():
            return services.enrolment_cancel(
                enrolment=enrolment, actor=enrolment.employee.user
            ).status

        return job

    jobs = [job_for(e) for e in confirmed]
    jobs += [lambda: len(services.offering_fill_from_waitlist(offering=offering, actor=None))] * 5
    _race(region, jobs)
    counts = _counts(offering)
    assert counts[S.CONFIRMED] == SEATS
    assert counts[S.CANCELLED] == SEATS
    assert counts[S.WAITLISTED] == RACERS - 2 * SEATS
    with scopes_disabled():
        promoted = set(
            Enrolment.objects.filter(offering=offering, status=S.CONFIRMED).values_list(
                "employee_id", flat=True
            )
        )
    # FCFS: exactly the first five of the waitlist were promoted.
    assert promoted == {e.employee_id for e in enrolments[SEATS : 2 * SEATS]}
