"""Integration: enrolment services (transitions, seats, approval, waitlist, bulk) on a real DB."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from regions.models import Employee
from tests.factories.regions import UnitFactory, quick_employees
from tests.factories.training import EnrolmentFactory, OfferingFactory, ProgramFactory
from training.models import Enrolment, HistoryEvent, Offering, OfferingUnitQuota, Program
from training.selectors.history import history_for
from training.services import enrolment as services

pytestmark = pytest.mark.django_db
S = Enrolment.Status


@pytest.fixture
def offering(region):
    return OfferingFactory(region=region, seats=2)


def make_employees(region, n, unit=None):
    return quick_employees(region, n, unit=unit)


def enrol(offering, employee, **kwargs):
    kwargs.setdefault("actor", employee.user)
    return services.enrolment_create(offering=offering, employee=employee, **kwargs)


def refresh(obj):
    obj.refresh_from_db()
    return obj


def actions(enrolment):
    return [e.action for e in history_for(subject=enrolment)]


# --- Enrol -------------------------------------------------------------------------------------


def test_enrol_without_approval_confirms_and_records_history(in_region, offering, employee):
    enrolment = enrol(offering, employee, motivation="  Untuk tugas  ")
    assert enrolment.status == S.CONFIRMED
    assert enrolment.confirmed_at is not None and enrolment.reserved_unit_id is None
    assert enrolment.motivation == "Untuk tugas"
    assert actions(enrolment) == ["created", "confirmed"]
    event = history_for(subject=enrolment).last()
    assert (event.from_status, event.to_status, event.actor) == (
        S.REQUESTED,
        S.CONFIRMED,
        employee.user,
    )


def test_enrol_with_approval_is_requested_and_holds_no_seat(in_region, region, employee):
    offering = OfferingFactory(region=region, seats=1, requires_approval=True)
    enrolment = enrol(offering, employee)
    assert enrolment.status == S.REQUESTED
    # The seat is still free for someone enrolled by an admin.
    other = make_employees(region, 1)[0]
    admin_enrolled = enrol(offering, other, source=Enrolment.Source.ADMIN)
    assert admin_enrolled.status == S.CONFIRMED


def test_full_offering_waitlists_in_order(in_region, region, offering):
    people = make_employees(region, 4)
    results = [enrol(offering, p) for p in people]
    assert [e.status for e in results] == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED, S.WAITLISTED]
    assert services.waitlist_position(enrolment=results[2]) == 1
    assert services.waitlist_position(enrolment=results[3]) == 2
    assert services.waitlist_position(enrolment=results[0]) is None


def test_full_offering_without_waitlist_refuses_and_writes_nothing(in_region, region):
    offering = OfferingFactory(region=region, seats=1, has_waitlist=False)
    first, second = make_employees(region, 2)
    enrol(offering, first)
    with pytest.raises(ValidationError, match="penuh"):
        enrol(offering, second)
    assert not Enrolment.objects.filter(employee=second).exists()


def test_double_enrolment_is_refused(in_region, offering, employee):
    enrol(offering, employee)
    with pytest.raises(ValidationError, match="sudah terdaftar"):
        enrol(offering, employee)
    assert Enrolment.objects.filter(employee=employee).count() == 1


def test_database_forbids_two_live_enrolments(in_region, region, offering, employee):
    EnrolmentFactory(region=region, offering=offering, employee=employee)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnrolmentFactory(region=region, offering=offering, employee=employee)


def test_enrol_again_after_cancel_is_allowed(in_region, offering, employee):
    first = enrol(offering, employee)
    services.enrolment_cancel(enrolment=first, actor=employee.user)
    second = enrol(offering, employee)
    assert second.pk != first.pk and second.status == S.CONFIRMED


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"enrolment_opens": 3, "start": 20}, "baru dibuka"),
        ({"enrolment_closes": -1}, "sudah ditutup"),
        ({"status": Offering.Status.CANCELLED}, "dibatalkan"),
        ({"status": Offering.Status.COMPLETED}, "selesai"),
        ({"status": Offering.Status.PLANNED}, "tidak dibuka"),
        ({"status": Offering.Status.RUNNING}, "tidak dibuka"),
    ],
)
def test_enrol_refused_outside_window_or_not_open(in_region, region, employee, change, message):
    today = timezone.localdate()
    kwargs = {}
    if "start" in change:
        kwargs["start_date"] = today + dt.timedelta(days=change["start"])
    if "enrolment_opens" in change:
        kwargs["enrolment_opens"] = today + dt.timedelta(days=change["enrolment_opens"])
    if "enrolment_closes" in change:
        kwargs["enrolment_opens"] = today - dt.timedelta(days=10)
        kwargs["enrolment_closes"] = today + dt.timedelta(days=change["enrolment_closes"])
    if "status" in change:
        kwargs["status"] = change["status"]
    offering = OfferingFactory(region=region, **kwargs)
    with pytest.raises(ValidationError, match=message):
        enrol(offering, employee)
    assert not Enrolment.objects.exists()


def test_enrol_refused_for_inactive_employee(in_region, offering, employee):
    Employee.objects.filter(pk=employee.pk).update(is_active=False)
    with pytest.raises(ValidationError, match="tidak aktif"):
        enrol(offering, refresh(employee))


def test_enrol_refused_for_unpublished_programme(in_region, region, employee):
    program = ProgramFactory(region=region, status=Program.Status.DRAFT)
    offering = OfferingFactory(region=region, program=program)
    with pytest.raises(ValidationError, match="belum diterbitkan"):
        enrol(offering, employee)


def test_enrol_refused_in_other_regions_offering(region, other_region, employee):
    from django_scopes import scopes_disabled

    offering = OfferingFactory(region=other_region)
    with scopes_disabled(), pytest.raises(ValidationError, match="wilayah lain"):
        enrol(offering, employee)


def test_admin_enrolment_skips_window_and_approval(in_region, region, employee, admin):
    today = timezone.localdate()
    offering = OfferingFactory(
        region=region,
        requires_approval=True,
        status=Offering.Status.RUNNING,
        start_date=today,
        enrolment_opens=today - dt.timedelta(days=10),
        enrolment_closes=today - dt.timedelta(days=1),
    )
    enrolment = enrol(offering, employee, actor=admin.user, source=Enrolment.Source.ADMIN)
    assert enrolment.status == S.CONFIRMED and enrolment.source == Enrolment.Source.ADMIN


def test_idempotency_key_returns_first_result(in_region, offering, employee):
    first = enrol(offering, employee, idempotency_key="k-1")
    again = enrol(offering, employee, idempotency_key="k-1")
    assert again.pk == first.pk
    assert Enrolment.objects.count() == 1


def test_a_retry_whose_twin_commits_after_the_first_look_is_a_replay_not_a_conflict(
    in_region, offering, employee, monkeypatch
):
    """The race seen on PostgreSQL: the key lookup misses, the twin call commits, then the
    "already enrolled" check finds the twin's row. Same key, so it is the replay."""
    first = enrol(offering, employee, idempotency_key="k-2")
    monkeypatch.setattr(services, "_find_by_key", lambda **kwargs: None)
    again = enrol(offering, employee, idempotency_key="k-2")
    assert again.pk == first.pk and again.replayed
    with pytest.raises(ValidationError):  # another key on the same enrolment stays a duplicate
        enrol(offering, employee, idempotency_key="k-3")


# --- Reserved unit seats -----------------------------------------------------------------------


def test_reserved_seats_are_taken_first_then_general(in_region, region):
    offering = OfferingFactory(region=region, seats=1)
    special = UnitFactory(region=region)
    OfferingUnitQuota.objects.create(region=region, offering=offering, unit=special, seats=2)
    a, b, c, d = make_employees(region, 4, unit=special)
    outsider, outsider2 = make_employees(region, 2)
    ea, eb, ec = enrol(offering, a), enrol(offering, b), enrol(offering, c)
    assert (ea.reserved_unit_id, eb.reserved_unit_id) == (special.pk, special.pk)
    assert ec.status == S.CONFIRMED and ec.reserved_unit_id is None  # the general seat
    assert enrol(offering, d).status == S.WAITLISTED
    assert enrol(offering, outsider).status == S.WAITLISTED
    # The freed reserved seat goes to the unit: c moves into it, d (ahead of the outsider in
    # the queue) takes the general seat c left.
    services.enrolment_cancel(enrolment=ea, actor=a.user)
    assert refresh(ec).reserved_unit_id == special.pk
    assert Enrolment.objects.get(employee=d).status == S.CONFIRMED
    assert Enrolment.objects.get(employee=outsider).status == S.WAITLISTED
    assert Enrolment.objects.filter(status__in=Enrolment.SEAT_STATUSES).count() == 3
    # The other reserved seat frees: d moves into it and the outsider gets the general seat.
    services.enrolment_cancel(enrolment=eb, actor=b.user)
    assert Enrolment.objects.get(employee=d).reserved_unit_id == special.pk
    assert Enrolment.objects.get(employee=outsider).status == S.CONFIRMED
    assert enrol(offering, outsider2).status == S.WAITLISTED
    # A reserved seat freed with no unit member left stays reserved for the unit.
    services.enrolment_cancel(enrolment=Enrolment.objects.get(employee=d), actor=d.user)
    assert Enrolment.objects.get(employee=outsider2).status == S.WAITLISTED


def test_freed_reserved_seat_with_no_unit_waiter_moves_general_holder(in_region, region):
    """A unit member on a general seat moves into a freed reserved seat, so the general seat
    goes to the first outsider on the waitlist."""
    offering = OfferingFactory(region=region, seats=1)
    special = UnitFactory(region=region)
    OfferingUnitQuota.objects.create(region=region, offering=offering, unit=special, seats=1)
    a, b = make_employees(region, 2, unit=special)
    outsider = make_employees(region, 1)[0]
    ea, eb = enrol(offering, a), enrol(offering, b)
    assert (ea.reserved_unit_id, eb.reserved_unit_id) == (special.pk, None)
    eo = enrol(offering, outsider)
    assert eo.status == S.WAITLISTED
    services.enrolment_cancel(enrolment=ea, actor=a.user)
    assert refresh(eb).reserved_unit_id == special.pk
    assert refresh(eo).status == S.CONFIRMED and eo.reserved_unit_id is None


# --- Approval ----------------------------------------------------------------------------------


@pytest.fixture
def approval_offering(region):
    return OfferingFactory(region=region, seats=1, requires_approval=True)


def test_supervisor_approves_and_seat_is_taken_at_approval(
    in_region, approval_offering, employee, supervisor
):
    enrolment = enrol(approval_offering, employee)
    services.enrolment_approve(enrolment=enrolment, actor=supervisor.user, reason="Silakan")
    assert enrolment.status == S.CONFIRMED
    assert enrolment.decided_by == supervisor.user and enrolment.decided_at is not None
    assert actions(enrolment) == ["created", "approved"]


def test_approval_when_full_waitlists(in_region, region, approval_offering, employee, supervisor):
    rival = make_employees(region, 1)[0]
    enrol(approval_offering, rival, source=Enrolment.Source.ADMIN)
    enrolment = enrol(approval_offering, employee)
    services.enrolment_approve(enrolment=enrolment, actor=supervisor.user)
    assert enrolment.status == S.WAITLISTED and enrolment.waitlisted_at is not None


def test_approval_when_full_without_waitlist_rejects_kuota_penuh(
    in_region, region, employee, supervisor
):
    offering = OfferingFactory(region=region, seats=1, requires_approval=True, has_waitlist=False)
    enrol(offering, make_employees(region, 1)[0], source=Enrolment.Source.ADMIN)
    enrolment = enrol(offering, employee)
    services.enrolment_approve(enrolment=enrolment, actor=supervisor.user)
    assert enrolment.status == S.REJECTED and enrolment.decision_reason == "kuota penuh"


def test_only_the_recorded_supervisor_may_decide(in_region, region, approval_offering, employee):
    stranger = make_employees(region, 1)[0]
    enrolment = enrol(approval_offering, employee)
    with pytest.raises(ValidationError, match="atasan langsung"):
        services.enrolment_approve(enrolment=enrolment, actor=stranger.user)
    with pytest.raises(ValidationError, match="atasan langsung"):
        services.enrolment_reject(enrolment=enrolment, actor=employee.user, reason="tidak")
    assert refresh(enrolment).status == S.REQUESTED


def test_admin_may_decide(in_region, approval_offering, employee, admin):
    enrolment = enrol(approval_offering, employee)
    services.enrolment_approve(enrolment=enrolment, actor=admin.user, by_admin=True)
    assert enrolment.status == S.CONFIRMED


def test_reject_needs_a_reason(in_region, approval_offering, employee, supervisor):
    enrolment = enrol(approval_offering, employee)
    with pytest.raises(ValidationError) as exc:
        services.enrolment_reject(enrolment=enrolment, actor=supervisor.user, reason="  ")
    assert "reason" in exc.value.message_dict
    services.enrolment_reject(enrolment=enrolment, actor=supervisor.user, reason="Beban kerja")
    assert enrolment.status == S.REJECTED and enrolment.decision_reason == "Beban kerja"
    event = history_for(subject=enrolment).last()
    assert (event.action, event.reason, event.actor) == ("rejected", "Beban kerja", supervisor.user)


@pytest.mark.parametrize("status", [S.CONFIRMED, S.WAITLISTED, S.REJECTED, S.CANCELLED])
def test_approve_is_illegal_unless_requested(in_region, region, employee, supervisor, status):
    enrolment = EnrolmentFactory(region=region, employee=employee, status=status)
    with pytest.raises(ValidationError, match="tidak dapat disetujui"):
        services.enrolment_approve(enrolment=enrolment, actor=supervisor.user)


@pytest.mark.parametrize("status", [S.CONFIRMED, S.WAITLISTED, S.COMPLETED, S.CANCELLED])
def test_supervisor_reject_is_illegal_unless_requested(
    in_region, region, employee, supervisor, status
):
    enrolment = EnrolmentFactory(region=region, employee=employee, status=status)
    with pytest.raises(ValidationError, match="tidak dapat ditolak"):
        services.enrolment_reject(enrolment=enrolment, actor=supervisor.user, reason="x")


def test_approve_refused_when_offering_cancelled(
    in_region, approval_offering, employee, supervisor
):
    enrolment = enrol(approval_offering, employee)
    Offering.objects.filter(pk=approval_offering.pk).update(status=Offering.Status.CANCELLED)
    with pytest.raises(ValidationError, match="dibatalkan"):
        services.enrolment_approve(enrolment=enrolment, actor=supervisor.user)


# --- Cancel and promotion ----------------------------------------------------------------------


def test_cancel_promotes_first_waitlisted(in_region, region, offering):
    people = make_employees(region, 4)
    e1, _e2, e3, e4 = [enrol(offering, p) for p in people]
    services.enrolment_cancel(enrolment=e1, actor=people[0].user, reason="Sakit")
    assert e1.status == S.CANCELLED and e1.cancelled_at is not None
    assert refresh(e3).status == S.CONFIRMED
    assert refresh(e4).status == S.WAITLISTED
    assert services.waitlist_position(enrolment=e4) == 1
    assert actions(e3) == ["created", "waitlisted", "promoted"]


def test_admin_reject_of_confirmed_promotes(in_region, region, offering, admin):
    people = make_employees(region, 3)
    e1, _e2, e3 = [enrol(offering, p) for p in people]
    services.enrolment_reject(enrolment=e1, actor=admin.user, reason="Tidak sesuai", by_admin=True)
    assert refresh(e3).status == S.CONFIRMED


def test_cancelling_a_waitlisted_entry_promotes_nobody(in_region, region, offering):
    people = make_employees(region, 4)
    _e1, _e2, e3, e4 = [enrol(offering, p) for p in people]
    services.enrolment_cancel(enrolment=e3, actor=people[2].user)
    assert refresh(e4).status == S.WAITLISTED
    assert services.waitlist_position(enrolment=e4) == 1


def test_fill_from_waitlist_after_seats_raised_is_idempotent(in_region, region, offering, admin):
    people = make_employees(region, 5)
    results = [enrol(offering, p) for p in people]
    Offering.objects.filter(pk=offering.pk).update(seats=4)
    promoted = services.offering_fill_from_waitlist(offering=offering, actor=admin.user)
    assert [e.pk for e in promoted] == [results[2].pk, results[3].pk]
    assert services.offering_fill_from_waitlist(offering=offering, actor=admin.user) == []
    assert Enrolment.objects.filter(status=S.CONFIRMED).count() == 4
    assert refresh(results[4]).status == S.WAITLISTED


def test_asn_cancel_allowed_until_cutoff_then_refused(in_region, region, employee):
    today = timezone.localdate()
    offering = OfferingFactory(
        region=region,
        start_date=today + dt.timedelta(days=3),
        enrolment_opens=today - dt.timedelta(days=5),
        enrolment_closes=today + dt.timedelta(days=2),
        cancel_cutoff_days=3,
    )
    enrolment = enrol(offering, employee)
    assert services.cancel_deadline(offering=offering) == today
    Offering.objects.filter(pk=offering.pk).update(cancel_cutoff_days=4)
    with pytest.raises(ValidationError, match="Batas pembatalan sudah lewat"):
        services.enrolment_cancel(enrolment=enrolment, actor=employee.user)
    Offering.objects.filter(pk=offering.pk).update(cancel_cutoff_days=3)
    services.enrolment_cancel(enrolment=enrolment, actor=employee.user)
    assert enrolment.status == S.CANCELLED


def test_admin_cancel_ignores_cutoff_but_needs_reason(in_region, region, employee, admin):
    today = timezone.localdate()
    offering = OfferingFactory(
        region=region,
        start_date=today,
        enrolment_opens=today - dt.timedelta(days=5),
        enrolment_closes=today,
    )
    enrolment = EnrolmentFactory(region=region, offering=offering, employee=employee)
    with pytest.raises(ValidationError):
        services.enrolment_cancel(enrolment=enrolment, actor=admin.user, by_admin=True)
    services.enrolment_cancel(enrolment=enrolment, actor=admin.user, reason="Mutasi", by_admin=True)
    assert enrolment.status == S.CANCELLED
    assert actions(enrolment) == ["cancelled_by_admin"]


def test_asn_cannot_cancel_someone_elses_enrolment(in_region, region, offering, employee):
    enrolment = enrol(offering, employee)
    other = make_employees(region, 1)[0]
    with pytest.raises(ValidationError, match="sendiri"):
        services.enrolment_cancel(enrolment=enrolment, actor=other.user)


@pytest.mark.parametrize("status", [S.CANCELLED, S.REJECTED, S.COMPLETED, S.NO_SHOW])
def test_cancel_is_illegal_from_final_states(in_region, region, employee, admin, status):
    enrolment = EnrolmentFactory(region=region, employee=employee, status=status)
    with pytest.raises(ValidationError, match="tidak dapat dibatalkan"):
        services.enrolment_cancel(enrolment=enrolment, actor=admin.user, reason="x", by_admin=True)
    assert not HistoryEvent.objects.exists()


def test_promotion_skips_inactive_employee(in_region, region, offering):
    people = make_employees(region, 4)
    e1, _e2, e3, e4 = [enrol(offering, p) for p in people]
    Employee.objects.filter(pk=people[2].pk).update(is_active=False)
    services.enrolment_cancel(enrolment=e1, actor=people[0].user)
    assert refresh(e3).status == S.WAITLISTED
    assert refresh(e4).status == S.CONFIRMED


# --- Bulk --------------------------------------------------------------------------------------


def test_bulk_enrolment_reports_each_row(in_region, region, admin):
    offering = OfferingFactory(region=region, seats=2, requires_approval=True)
    people = make_employees(region, 3)
    inactive = make_employees(region, 1)[0]
    Employee.objects.filter(pk=inactive.pk).update(is_active=False)
    inactive.refresh_from_db()
    enrol(offering, people[0], source=Enrolment.Source.ADMIN)
    outcomes = services.enrolment_bulk_create(
        offering=offering,
        employees=[people[0], people[1], people[2], inactive],
        actor=admin.user,
        unknown=["123"],
    )
    by_label = {o.label: o for o in outcomes}
    assert by_label["123"].status == "refused" and "tidak ditemukan" in by_label["123"].message
    assert by_label[people[0].nip].status == "refused"
    assert "sudah terdaftar" in by_label[people[0].nip].message
    assert by_label[people[1].nip].status == S.CONFIRMED  # admin: no supervisor approval
    assert by_label[people[2].nip].status == S.WAITLISTED
    assert by_label[inactive.nip].status == "refused"
    assert Enrolment.objects.filter(status=S.CONFIRMED).count() == 2


def test_bulk_enrolment_without_waitlist_refuses_overflow(in_region, region, admin):
    offering = OfferingFactory(region=region, seats=1, has_waitlist=False)
    people = make_employees(region, 3)
    outcomes = services.enrolment_bulk_create(offering=offering, employees=people, actor=admin.user)
    assert [o.status for o in outcomes] == [S.CONFIRMED, "refused", "refused"]
    assert Enrolment.objects.count() == 1


@pytest.mark.parametrize("size", [3, 30])
def test_bulk_enrolment_takes_the_same_queries_at_any_size(
    in_region, region, admin, django_assert_num_queries, size
):
    """lock, live enrolments, seat counts (2), waitlist length, the enrolments' INSERT, the
    history INSERT, dedup keys read, notification and delivery INSERTs, and 4 savepoint
    statements: 14 whatever the number of people (it was a transaction of ~12 queries per
    person)."""
    from django.contrib.contenttypes.models import ContentType

    offering = OfferingFactory(region=region, seats=size // 2, has_waitlist=True)
    people = make_employees(region, size)
    ContentType.objects.get_for_models(Enrolment)  # a per-process cache
    with django_assert_num_queries(14):
        outcomes = services.enrolment_bulk_create(
            offering=offering, employees=people, actor=admin.user
        )
    assert [o.status for o in outcomes].count(S.CONFIRMED) == size // 2
    assert [o.status for o in outcomes].count(S.WAITLISTED) == size - size // 2
    waitlisted = Enrolment.objects.filter(status=S.WAITLISTED).order_by("id")
    assert [services.waitlist_position(enrolment=e) for e in waitlisted] == list(
        range(1, size - size // 2 + 1)
    )


@pytest.mark.parametrize("size", [3, 30])
def test_the_attendance_grid_takes_the_same_queries_at_any_size(
    in_region, region, admin, django_assert_num_queries, size
):
    from tests.factories.training import SessionFactory
    from training.services import completion

    offering = OfferingFactory(region=region, seats=size)
    session = SessionFactory(region=region, offering=offering)
    services.enrolment_bulk_create(
        offering=offering, employees=make_employees(region, size), actor=admin.user
    )
    # The session is under way (attendance opens on the session's day).
    session.starts_at = timezone.now() - dt.timedelta(hours=1)
    session.save(update_fields=["starts_at"])
    ids = list(Enrolment.objects.values_list("id", flat=True))
    with django_assert_num_queries(6):
        completion.attendance_save(session=session, present_ids=ids[::2], actor=admin.user)
