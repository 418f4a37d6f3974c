"""Unit: the state sets and guards on Enrolment and Offering (no database)."""

import datetime as dt

import pytest

from training.models import Enrolment, Offering

S = Enrolment.Status
O = Offering.Status  # noqa: E741


def test_enrolment_state_sets_partition_the_statuses():
    assert set(Enrolment.SEAT_STATUSES) == {S.CONFIRMED, S.COMPLETED, S.NO_SHOW, S.FAILED}
    # Decided at the end: completed, no-show / requirements not met, not passed.
    assert set(Enrolment.FINISHED_STATUSES) == {S.COMPLETED, S.NO_SHOW, S.FAILED}
    assert set(Enrolment.LEARNING_STATUSES) == set(Enrolment.SEAT_STATUSES)
    assert set(Enrolment.WAITING_STATUSES) == {S.REQUESTED, S.WAITLISTED}
    assert set(Enrolment.ONGOING_STATUSES) == {S.REQUESTED, S.WAITLISTED, S.CONFIRMED}
    # Live = waiting or holding a seat; everything else (rejected, cancelled) is over.
    assert set(Enrolment.LIVE_STATUSES) == set(Enrolment.WAITING_STATUSES) | set(
        Enrolment.SEAT_STATUSES
    )
    assert set(S.values) - set(Enrolment.LIVE_STATUSES) == {S.REJECTED, S.CANCELLED}


def test_the_one_live_enrolment_constraint_uses_the_live_set():
    constraint = next(
        c for c in Enrolment._meta.constraints if c.name == "one_live_enrolment_per_offering"
    )
    assert constraint.condition.children == [("status__in", list(Enrolment.LIVE_STATUSES))]


@pytest.mark.parametrize(
    ("status", "live", "seat", "waiting", "ongoing"),
    [
        (S.REQUESTED, True, False, True, True),
        (S.WAITLISTED, True, False, True, True),
        (S.CONFIRMED, True, True, False, True),
        (S.COMPLETED, True, True, False, False),
        (S.NO_SHOW, True, True, False, False),
        (S.FAILED, True, True, False, False),
        (S.REJECTED, False, False, False, False),
        (S.CANCELLED, False, False, False, False),
    ],
)
def test_enrolment_guards(status, live, seat, waiting, ongoing):
    enrolment = Enrolment(status=status)
    assert enrolment.is_live is live
    assert enrolment.holds_seat is seat
    assert enrolment.is_waiting is waiting
    assert enrolment.is_ongoing is ongoing


def test_offering_state_sets_and_guards():
    assert set(Offering.ACTIVE_STATUSES) | set(Offering.CLOSED_STATUSES) == set(O.values)
    assert not set(Offering.ACTIVE_STATUSES) & set(Offering.CLOSED_STATUSES)
    assert set(Offering.ENROLLING_STATUSES) == {O.OPEN, O.RUNNING}
    assert set(Offering.SELF_ENROLLING_STATUSES) == {O.OPEN}
    assert set(Offering.UPCOMING_STATUSES) == {O.PLANNED, O.OPEN}
    for status in O.values:
        offering = Offering(status=status)
        assert offering.is_closed is (status in (O.COMPLETED, O.CANCELLED))
        assert offering.is_active is not offering.is_closed


def test_cancel_deadline_and_can_cancel():
    start = dt.date(2026, 3, 10)
    offering = Offering(status=O.OPEN, start_date=start, cancel_cutoff_days=2)
    assert offering.cancel_deadline == dt.date(2026, 3, 8)
    enrolment = Enrolment(status=S.CONFIRMED, offering=offering)
    assert enrolment.cancel_deadline == dt.date(2026, 3, 8)
    assert enrolment.is_cancellable
    assert enrolment.can_cancel(dt.date(2026, 3, 8))
    assert not enrolment.can_cancel(dt.date(2026, 3, 9))
    # Over, or in a closed offering: never cancellable, whatever the date.
    assert not Enrolment(status=S.COMPLETED, offering=offering).can_cancel(dt.date(2026, 3, 1))
    offering.status = O.CANCELLED
    assert not enrolment.is_cancellable
    assert not enrolment.can_cancel(dt.date(2026, 3, 1))
