"""Integration (eager): each periodic job picks exactly the right people, once per period."""

import datetime as dt
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from regions import schedules as regions_schedules
from regions.models import Employee, Notification
from tests.factories.regions import EmployeeFactory
from tests.factories.training import (
    EnrolmentFactory,
    OfferingFactory,
    SessionFactory,
    development_form,
)
from training import schedules as training_schedules
from training.jobs import jp_target_alerts, pending_approvals, session_reminders, window_closing
from training.models import DevelopmentRecord, Enrolment, Offering, OfferingUnitQuota, Session
from training.notifications import Kind

S = Enrolment.Status
# Each app owns its schedules: regions the notification sweep, training its jobs.
DEFAULT_SCHEDULES = {**regions_schedules.DEFAULT_SCHEDULES, **training_schedules.DEFAULT_SCHEDULES}


def ensure_default_schedules() -> list[str]:
    return [
        *regions_schedules.ensure_default_schedules(),
        *training_schedules.ensure_default_schedules(),
    ]


def _keys(region, kind):
    with scope(region=region):
        return set(Notification.objects.filter(kind=kind).values_list("dedup_key", flat=True))


def _session_in(region, offering, delta, **kwargs):
    start = timezone.now() + delta
    return SessionFactory(
        region=region,
        offering=offering,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        **kwargs,
    )


# --- Session reminders -------------------------------------------------------------------------


def test_reminders_go_to_confirmed_participants_3_days_and_1_day_ahead(
    region, unit, other_region, other_unit
):
    offering = OfferingFactory(region=region)
    in_2_days = _session_in(region, offering, dt.timedelta(days=2, hours=12))
    tomorrow = _session_in(region, offering, dt.timedelta(hours=20))
    _session_in(region, offering, dt.timedelta(days=5))  # too far ahead
    _session_in(region, offering, -dt.timedelta(hours=3))  # already started
    _session_in(region, offering, dt.timedelta(days=2), status=Session.Status.CANCELLED)
    confirmed = EnrolmentFactory(
        region=region, offering=offering, employee=EmployeeFactory(region=region, unit=unit)
    )
    for status in (S.REQUESTED, S.WAITLISTED, S.CANCELLED, S.REJECTED):
        EnrolmentFactory(
            region=region,
            offering=offering,
            status=status,
            employee=EmployeeFactory(region=region, unit=unit),
        )
    gone = EnrolmentFactory(
        region=region,
        offering=offering,
        employee=EmployeeFactory(region=region, unit=unit, is_active=False),
    )
    cancelled_offering = OfferingFactory(region=region, status=Offering.Status.CANCELLED)
    _session_in(region, cancelled_offering, dt.timedelta(days=2))
    EnrolmentFactory(region=region, offering=cancelled_offering)
    # Region B's participants get their own reminders, in their own region.
    b_session = _session_in(
        other_region, OfferingFactory(region=other_region), dt.timedelta(days=1, hours=6)
    )
    b_enrolment = EnrolmentFactory(
        region=other_region,
        offering=b_session.offering,
        employee=EmployeeFactory(region=other_region, unit=other_unit),
    )

    assert session_reminders() == 3
    assert _keys(region, Kind.SESSION_REMINDER) == {
        f"reminder:{in_2_days.pk}:{confirmed.pk}:3d",
        f"reminder:{tomorrow.pk}:{confirmed.pk}:1d",
    }
    assert _keys(other_region, Kind.SESSION_REMINDER) == {
        f"reminder:{b_session.pk}:{b_enrolment.pk}:3d"
    }
    with scope(region=region):
        assert not Notification.objects.filter(recipient=gone.employee).exists()
        reminder = Notification.objects.get(dedup_key=f"reminder:{tomorrow.pk}:{confirmed.pk}:1d")
        assert reminder.recipient == confirmed.employee
        assert reminder.subject_id == tomorrow.pk


def test_running_reminders_again_sends_nothing_new(region):
    offering = OfferingFactory(region=region)
    _session_in(region, offering, dt.timedelta(hours=10))
    EnrolmentFactory(region=region, offering=offering)
    assert session_reminders() == 1
    assert session_reminders() == 0
    with scope(region=region):
        assert Notification.objects.count() == 1


def test_reminders_work_in_small_batches(region, unit):
    offering = OfferingFactory(region=region)
    _session_in(region, offering, dt.timedelta(hours=10))
    for _ in range(5):
        EnrolmentFactory(
            region=region, offering=offering, employee=EmployeeFactory(region=region, unit=unit)
        )
    assert session_reminders(batch_size=2) == 5


# --- Pending approvals -------------------------------------------------------------------------


def test_supervisors_are_reminded_of_requests_waiting_too_long(region, unit, supervisor, employee):
    old = timezone.now() - dt.timedelta(days=4)
    offering = OfferingFactory(region=region, requires_approval=True)
    EnrolmentFactory(
        region=region,
        offering=offering,
        employee=employee,
        status=S.REQUESTED,
        requested_at=old,
        confirmed_at=None,
    )
    colleague = EmployeeFactory(region=region, unit=unit, supervisor=supervisor)
    EnrolmentFactory(
        region=region,
        employee=colleague,
        status=S.REQUESTED,
        requested_at=old - dt.timedelta(days=1),
        confirmed_at=None,
    )
    fresh = EmployeeFactory(region=region, unit=unit, supervisor=supervisor)
    EnrolmentFactory(
        region=region,
        employee=fresh,
        status=S.REQUESTED,
        requested_at=timezone.now() - dt.timedelta(days=1),
        confirmed_at=None,
    )
    orphan = EmployeeFactory(region=region, unit=unit)  # no supervisor: nobody to remind
    EnrolmentFactory(
        region=region, employee=orphan, status=S.REQUESTED, requested_at=old, confirmed_at=None
    )

    assert pending_approvals() == 1
    assert pending_approvals() == 0
    with scope(region=region):
        (reminder,) = Notification.objects.filter(kind=Kind.APPROVAL_PENDING)
    assert reminder.recipient == supervisor
    assert reminder.context["count"] == 2
    assert [i["employee"] for i in reminder.context["items"]] == [colleague.name, employee.name]


# --- Enrolment windows closing -----------------------------------------------------------------


def test_admins_hear_of_windows_closing_with_seats_left(region, unit, admin, other_admin):
    today = timezone.localdate()
    second_admin = EmployeeFactory(region=region, unit=unit, membership="admin")
    closing = OfferingFactory(
        region=region,
        seats=2,
        start_date=today + dt.timedelta(days=5),
        enrolment_closes=today + dt.timedelta(days=2),
    )
    EnrolmentFactory(region=region, offering=closing)
    full = OfferingFactory(
        region=region,
        seats=1,
        start_date=today + dt.timedelta(days=5),
        enrolment_closes=today + dt.timedelta(days=1),
    )
    EnrolmentFactory(region=region, offering=full)
    with scopes_disabled():
        # A unit's reserved seats still count as seats left.
        OfferingUnitQuota.objects.create(region=region, offering=full, unit=unit, seats=1)
    full_no_quota = OfferingFactory(
        region=region,
        seats=1,
        start_date=today + dt.timedelta(days=5),
        enrolment_closes=today + dt.timedelta(days=1),
    )
    EnrolmentFactory(region=region, offering=full_no_quota)
    OfferingFactory(
        region=region,
        enrolment_closes=today + dt.timedelta(days=10),
        start_date=today + dt.timedelta(days=12),
    )
    OfferingFactory(
        region=region,
        status=Offering.Status.PLANNED,
        enrolment_closes=today + dt.timedelta(days=1),
        start_date=today + dt.timedelta(days=5),
    )

    assert window_closing() == 4
    assert window_closing() == 0
    assert _keys(region, Kind.WINDOW_CLOSING) == {
        f"window-closing:{closing.pk}:{admin.pk}",
        f"window-closing:{closing.pk}:{second_admin.pk}",
        f"window-closing:{full.pk}:{admin.pk}",
        f"window-closing:{full.pk}:{second_admin.pk}",
    }
    with scope(region=region):
        notification = Notification.objects.get(dedup_key=f"window-closing:{closing.pk}:{admin.pk}")
    assert notification.context["seats_left"] == 1


# --- JP target alerts --------------------------------------------------------------------------


def _record(employee, jp, *, year=2026, status=DevelopmentRecord.Status.VERIFIED):
    with scopes_disabled():
        DevelopmentRecord.objects.create(
            region=employee.region,
            employee=employee,
            year=year,
            source="external",
            title="Pelatihan",
            form=development_form(),
            organiser="BPSDM",
            start_date=dt.date(year, 3, 1),
            end_date=dt.date(year, 3, 2),
            jp=Decimal(jp),
            status=status,
        )


SEPTEMBER = timezone.make_aware(dt.datetime(2026, 9, 15, 9, 0))


@pytest.fixture
def team(region, unit, supervisor, admin):
    """Region target 20 JP: who is behind, who is not, who is not measured."""

    def person(name, **kwargs):
        return EmployeeFactory(region=region, unit=unit, supervisor=supervisor, name=name, **kwargs)

    people = {
        "behind": person("Andi Kurang"),
        "nothing": person("Beni Nol"),
        "exact": person("Citra Pas"),
        "above": person("Dedi Lebih"),
        "pppk": person("Eka PPPK", employment_type=Employee.EmploymentType.PPPK),
        "inactive": person("Fajar Nonaktif", is_active=False),
    }
    _record(people["behind"], "12.5")
    _record(people["behind"], "6", status=DevelopmentRecord.Status.SUBMITTED)  # not verified
    _record(people["behind"], "10", year=2025)  # last year
    _record(people["exact"], "20")
    _record(people["above"], "15")
    _record(people["above"], "9")
    _record(supervisor, "20")
    _record(admin, "24")
    return people


def test_jp_alerts_wait_for_the_configured_month(region, team, settings):
    settings.KOMPETENSI_JP_ALERT_FROM_MONTH = 10
    assert jp_target_alerts(now=SEPTEMBER) == 0
    settings.KOMPETENSI_JP_ALERT_FROM_MONTH = 9
    assert jp_target_alerts(now=SEPTEMBER) > 0


def test_jp_alerts_reach_exactly_the_pns_below_target_their_supervisor_and_admins(
    region, supervisor, admin, team, other_region, other_unit, django_assert_max_num_queries
):
    EmployeeFactory(region=other_region, unit=other_unit, name="Binjai Kurang")
    created = jp_target_alerts(now=SEPTEMBER, regions=[region])
    with scope(region=region):
        alerts = {n.dedup_key: n for n in Notification.objects.filter(kind=Kind.JP_TARGET_ALERT)}
    behind, nothing = team["behind"], team["nothing"]
    assert set(alerts) == {
        f"jp-alert:{behind.pk}:2026-09",
        f"jp-alert:{nothing.pk}:2026-09",
        f"jp-alert-team:{supervisor.pk}:2026-09",
        f"jp-alert-region:{admin.pk}:2026-09",
    }
    assert created == 4
    own = alerts[f"jp-alert:{behind.pk}:2026-09"].context
    assert own["audience"] == "self"
    assert Decimal(own["jp"]["value"]) == Decimal("12.5")
    assert Decimal(own["shortfall"]["value"]) == Decimal("7.5")
    team_alert = alerts[f"jp-alert-team:{supervisor.pk}:2026-09"]
    assert team_alert.recipient == supervisor
    assert [i["employee"] for i in team_alert.context["items"]] == ["Beni Nol", "Andi Kurang"]
    region_alert = alerts[f"jp-alert-region:{admin.pk}:2026-09"]
    assert region_alert.context["count"] == 2
    assert Decimal(region_alert.context["shortfall_total"]["value"]) == Decimal("27.5")
    # Once a month, however often the job runs.
    assert jp_target_alerts(now=SEPTEMBER, regions=[region]) == 0
    assert jp_target_alerts(now=SEPTEMBER + dt.timedelta(days=30), regions=[region]) == 4
    # Region B is walked in its own scope: its PNS below target hears of it, nobody else.
    assert jp_target_alerts(now=SEPTEMBER) == 1
    with scope(region=other_region):
        (b_alert,) = Notification.objects.filter(kind=Kind.JP_TARGET_ALERT)
    assert b_alert.recipient.name == "Binjai Kurang"


def test_jp_alert_selection_is_one_grouped_query_per_batch(region, team, django_assert_num_queries):
    from training.jobs import jp_behind

    with scope(region=region), django_assert_num_queries(1):
        rows = [row for batch in jp_behind(region=region, year=2026) for row in batch]
    assert {row["name"] for row in rows} == {"Andi Kurang", "Beni Nol"}


# --- run_jobs and schedules --------------------------------------------------------------------


def test_run_jobs_command_runs_one_or_all(region):
    offering = OfferingFactory(region=region)
    _session_in(region, offering, dt.timedelta(hours=10))
    EnrolmentFactory(region=region, offering=offering)
    out = StringIO()
    call_command("run_jobs", "reminders", stdout=out)
    assert "reminders: 1" in out.getvalue()
    out = StringIO()
    call_command("run_jobs", "all", stdout=out)
    for name in ("reminders: 0", "approvals:", "window-closing:", "jp-alerts:", "sweep:"):
        assert name in out.getvalue()
    with pytest.raises(CommandError):
        call_command("run_jobs", "nonsense")


def test_default_schedules_exist_and_are_never_overwritten(db):
    from django_celery_beat.models import PeriodicTask

    assert set(PeriodicTask.objects.values_list("task", flat=True)) >= set(DEFAULT_SCHEDULES)
    reminders = PeriodicTask.objects.get(task="training.tasks.session_reminders")
    reminders.enabled = False
    reminders.name = "Pengingat sesi (diubah superuser)"
    reminders.save()
    assert ensure_default_schedules() == []
    reminders.refresh_from_db()
    assert reminders.enabled is False
    assert PeriodicTask.objects.filter(task="training.tasks.session_reminders").count() == 1
    assert str(reminders.crontab.timezone) == "Asia/Jakarta"


def test_beat_tasks_are_registered():
    from kompetensi.celery import app

    app.loader.import_default_modules()
    for task in DEFAULT_SCHEDULES:
        assert task in app.tasks
    assert "regions.tasks.send_delivery" in app.tasks
