"""Integration: attendance per session and completion of an offering (JP and verified records)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories.regions import quick_employees
from tests.factories.training import (
    EnrolmentFactory,
    OfferingFactory,
    ProgramFactory,
    ProviderFactory,
    SessionFactory,
)
from training.models import Attendance, DevelopmentRecord, Enrolment, Offering, Session
from training.selectors.history import history_for
from training.services import completion

pytestmark = pytest.mark.django_db
S = Enrolment.Status


@pytest.fixture
def started(region):
    """An offering that started two days ago and ends today, 80% attendance required."""
    today = timezone.localdate()
    return OfferingFactory(
        region=region,
        start_date=today - dt.timedelta(days=2),
        end_date=today,
        enrolment_opens=today - dt.timedelta(days=20),
        enrolment_closes=today - dt.timedelta(days=2),
        status=Offering.Status.RUNNING,
        min_attendance_percent=80,
    )


def _enrol(region, offering, people, status=S.CONFIRMED):
    return [
        EnrolmentFactory(region=region, offering=offering, employee=p, status=status)
        for p in people
    ]


def test_attendance_is_saved_in_one_post_and_upserted(in_region, region, started, admin):
    session = SessionFactory(region=region, offering=started)
    a, b, c = _enrol(region, started, quick_employees(region, 3))
    cancelled = _enrol(region, started, quick_employees(region, 1), status=S.CANCELLED)[0]
    n = completion.attendance_save(
        session=session, present_ids=[a.pk, b.pk, cancelled.pk], actor=admin.user
    )
    assert n == 2
    assert dict(Attendance.objects.values_list("enrolment_id", "present")) == {
        a.pk: True,
        b.pk: True,
        c.pk: False,
    }
    # Saving again changes the rows in place.
    completion.attendance_save(session=session, present_ids=[c.pk], actor=admin.user)
    assert Attendance.objects.count() == 3
    assert set(Attendance.objects.filter(present=True).values_list("enrolment_id", flat=True)) == {
        c.pk
    }
    assert Attendance.objects.filter(marked_by=admin.user).count() == 3


def test_attendance_refused_for_cancelled_session_or_completed_offering(
    in_region, region, started, admin
):
    session = SessionFactory(region=region, offering=started, status=Session.Status.CANCELLED)
    with pytest.raises(ValidationError, match="dibatalkan"):
        completion.attendance_save(session=session, present_ids=[], actor=admin.user)
    live = SessionFactory(region=region, offering=started)
    Offering.objects.filter(pk=started.pk).update(status=Offering.Status.COMPLETED)
    with pytest.raises(ValidationError, match="tidak dapat diubah"):
        completion.attendance_save(session=live, present_ids=[], actor=admin.user)


def test_completion_awards_jp_by_attendance_and_is_idempotent(in_region, region, admin):
    provider = ProviderFactory(region=region, name="Universitas Diponegoro")
    program = ProgramFactory(region=region, jp=32, provider=provider)
    today = timezone.localdate()
    offering = OfferingFactory(
        region=region,
        program=program,
        start_date=today - dt.timedelta(days=4),
        end_date=today,
        enrolment_opens=today - dt.timedelta(days=20),
        enrolment_closes=today - dt.timedelta(days=5),
        status=Offering.Status.RUNNING,
        min_attendance_percent=75,
    )
    sessions = [SessionFactory(region=region, offering=offering) for _ in range(4)]
    SessionFactory(region=region, offering=offering, status=Session.Status.CANCELLED)
    good, border, poor = _enrol(region, offering, quick_employees(region, 3))
    requested = _enrol(region, offering, quick_employees(region, 1), status=S.REQUESTED)[0]
    waiting = _enrol(region, offering, quick_employees(region, 1), status=S.WAITLISTED)[0]
    for i, session in enumerate(sessions):
        present = [good.pk]
        if i < 3:
            present.append(border.pk)  # 3 of 4 = 75%
        if i < 2:
            present.append(poor.pk)  # 2 of 4 = 50%
        completion.attendance_save(session=session, present_ids=present, actor=admin.user)

    result = completion.offering_complete(offering=offering, actor=admin.user)

    assert (result.completed, result.no_show, result.cancelled, result.records_created) == (
        2,
        1,
        2,
        2,
    )
    offering.refresh_from_db()
    assert offering.status == Offering.Status.COMPLETED and offering.completed_at is not None
    for e in (good, border, poor, requested, waiting):
        e.refresh_from_db()
    assert (good.status, good.attendance_rate, good.jp_awarded) == (
        S.COMPLETED,
        Decimal("100.00"),
        Decimal(32),
    )
    assert (border.status, border.attendance_rate) == (S.COMPLETED, Decimal("75.00"))
    assert (poor.status, poor.attendance_rate, poor.jp_awarded) == (
        S.NO_SHOW,
        Decimal("50.00"),
        None,
    )
    assert requested.status == waiting.status == S.CANCELLED
    assert history_for(subject=waiting).last().reason == "angkatan selesai"

    records = DevelopmentRecord.objects.order_by("employee_id")
    assert records.count() == 2
    record = DevelopmentRecord.objects.get(enrolment=good)
    assert record.status == DevelopmentRecord.Status.VERIFIED
    assert record.source == DevelopmentRecord.Source.ENROLMENT
    assert (record.year, record.jp, record.form_id) == (today.year, Decimal(32), program.form_id)
    assert (record.title, record.organiser) == (program.title, "Universitas Diponegoro")
    assert (record.start_date, record.end_date) == (offering.start_date, offering.end_date)
    assert record.employee_id == good.employee_id and record.verified_by == admin.user

    again = completion.offering_complete(offering=offering, actor=admin.user)
    assert again.already_completed and again.records_created == 0
    assert DevelopmentRecord.objects.count() == 2


def test_completion_without_sessions_counts_everyone_attended(in_region, region, started, admin):
    people = _enrol(region, started, quick_employees(region, 2))
    result = completion.offering_complete(offering=started, actor=admin.user)
    assert result.completed == 2 and result.no_show == 0
    assert DevelopmentRecord.objects.filter(enrolment__in=people).count() == 2
    record = DevelopmentRecord.objects.first()
    assert record.organiser == region.agency_name  # no provider: the region's agency
    assert record.year == started.end_date.year


def test_completion_refused_before_the_last_day_or_when_cancelled(in_region, region, admin):
    offering = OfferingFactory(region=region)  # starts in two weeks
    with pytest.raises(ValidationError, match="hari terakhir"):
        completion.offering_complete(offering=offering, actor=admin.user)
    today = timezone.localdate()
    Offering.objects.filter(pk=offering.pk).update(
        start_date=today - dt.timedelta(days=1),
        end_date=today + dt.timedelta(days=1),
        enrolment_opens=today - dt.timedelta(days=3),
        enrolment_closes=today - dt.timedelta(days=2),
        status=Offering.Status.RUNNING,
    )
    offering.refresh_from_db()
    with pytest.raises(ValidationError, match="hari terakhir"):
        completion.offering_complete(offering=offering, actor=admin.user)
    Offering.objects.filter(pk=offering.pk).update(status=Offering.Status.CANCELLED)
    with pytest.raises(ValidationError, match="dibatalkan"):
        completion.offering_complete(offering=offering, actor=admin.user)
    assert not DevelopmentRecord.objects.exists()


def test_completion_rerun_fills_a_missing_record_only(in_region, region, started, admin):
    (enrolment,) = _enrol(region, started, quick_employees(region, 1))
    completion.offering_complete(offering=started, actor=admin.user)
    DevelopmentRecord.objects.all().delete()
    again = completion.offering_complete(offering=started, actor=admin.user)
    assert again.records_created == 1
    assert DevelopmentRecord.objects.get().enrolment_id == enrolment.pk


# --- Bulk writes in a constant number of queries ----------------------------------------------


def _batch(region, offering, admin, n):
    """n confirmed participants over two sessions (every third missed both), plus n // 3
    still waiting (requested or waitlisted)."""
    sessions = [SessionFactory(region=region, offering=offering) for _ in range(2)]
    people = _enrol(region, offering, quick_employees(region, n))
    present = [e.pk for i, e in enumerate(people) if i % 3]
    for session in sessions:
        completion.attendance_save(session=session, present_ids=present, actor=admin.user)
    waiting = quick_employees(region, n // 3)
    _enrol(region, offering, waiting[: len(waiting) // 2], status=S.REQUESTED)
    _enrol(region, offering, waiting[len(waiting) // 2 :], status=S.WAITLISTED)
    return people, present


@pytest.mark.parametrize("participants", [3, 30])
def test_completing_a_batch_takes_the_same_queries_at_any_size(
    in_region, region, started, admin, django_assert_num_queries, participants
):
    """lock, sessions count, the batch's course (required lessons, post-test), attendance and
    lessons done, UPDATEs of the completed, the no-shows and their rates and reasons,
    leftovers read and cancelled, records to write and their INSERT, history INSERT, dedup
    keys read, notification and delivery INSERTs, the audit trail's INSERT for every
    participant and one for the offering's own change, the offering's UPDATE, the certificate
    run's INSERT, and 4 savepoints: 23, the same at 3 and at 30 participants (it was ~15 per
    participant: 2,558 queries for 150)."""
    from django.contrib.contenttypes.models import ContentType

    people, present = _batch(region, started, admin, participants)
    ContentType.objects.get_for_models(Enrolment, DevelopmentRecord)  # a per-process cache
    with django_assert_num_queries(23):
        result = completion.offering_complete(offering=started, actor=admin.user)
    assert result.completed == len(present)
    assert result.no_show == len(people) - len(present)
    assert result.cancelled == participants // 3
    assert DevelopmentRecord.objects.filter(enrolment__offering=started).count() == len(present)
    from regions.models import Notification

    kinds = Notification.objects.values_list("kind", flat=True)
    assert list(kinds).count("enrolment_completed") == len(present)
    assert list(kinds).count("enrolment_cancelled") == participants // 3
    # Every transition has its history event.
    for enrolment in Enrolment.objects.filter(offering=started):
        assert [e.to_status for e in history_for(subject=enrolment)][-1] == enrolment.status


def test_completing_again_sends_nothing_twice(in_region, region, started, admin):
    _batch(region, started, admin, 6)
    completion.offering_complete(offering=started, actor=admin.user)
    from regions.models import Notification

    before = Notification.objects.count()
    again = completion.offering_complete(offering=started, actor=admin.user)
    assert again.already_completed and again.records_created == 0
    assert Notification.objects.count() == before
