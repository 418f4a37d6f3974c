"""Training's periodic jobs: reminders and alerts that nobody triggers by hand.

Each job walks the active regions one at a time, inside `scope(region=...)`, in bounded
batches (keyset pagination on the primary key), and records each message through `notify()`
with a deduplication key per period. Running a job twice, retrying it, or two workers running
it at once therefore sends nothing twice. They are registered with `kompetensi.jobs` in
`TrainingConfig.ready()` (names: reminders, approvals, window-closing, jp-alerts); beat runs
them through `training.tasks` (default schedules: `training.schedules`); `manage.py run_jobs`
runs them in-process.

Settings (read with defaults):
- `KOMPETENSI_APPROVAL_REMINDER_DAYS` (3): a request waiting longer is reminded, weekly.
- `KOMPETENSI_WINDOW_CLOSING_DAYS` (3): alert admins this many days before a window closes.
- `KOMPETENSI_JP_ALERT_FROM_MONTH` (9): JP target alerts run monthly from this month on.
- `KOMPETENSI_JOB_BATCH_SIZE` (500).
"""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from django.db.models import (
    Count,
    F,
    Min,
)
from django.utils import timezone
from django_scopes import scope, scopes_disabled

# The shared job helpers under the names this module's code has always used.
from kompetensi.jobs import int_setting as _setting
from kompetensi.jobs import job_batch_size as _batch_size
from kompetensi.jobs import keyset as _keyset
from regions.models import Employee, Region
from regions.notifications import notify_new as _notify_new
from regions.notifications import region_path
from regions.selectors import active_regions as _regions
from regions.selectors import region_admins
from training.services.certificates import certificate_runs_requeue

from .models import Enrolment, Offering, Session
from .notifications import Kind
from .seats import with_seats
from .selectors.records import verified_jp

logger = logging.getLogger(__name__)

REMINDER_LEADS = (
    # label, window (starts_at in (now + lower, now + upper])
    ("3d", dt.timedelta(days=1), dt.timedelta(days=3)),
    ("1d", dt.timedelta(0), dt.timedelta(days=1)),
)
SUMMARY_ITEMS = 20


# --- Session reminders -------------------------------------------------------------------------


def session_reminders(*, now=None, regions=None, batch_size=None) -> int:
    """3 days and 1 day before a session, remind its offering's confirmed participants.

    A session counts for "3d" when it starts in (now + 1 day, now + 3 days] and for "1d" when
    it starts in (now, now + 1 day]; run hourly, each participant gets each reminder once.
    Cancelled sessions, cancelled offerings and enrolments that are not confirmed are skipped.
    """
    now = now or timezone.now()
    size = _batch_size(batch_size)
    created = 0
    for region in _regions(regions):
        with scope(region=region):
            for label, lower, upper in REMINDER_LEADS:
                sessions = (
                    Session.objects.filter(
                        region=region,
                        status=Session.Status.SCHEDULED,
                        starts_at__gt=now + lower,
                        starts_at__lte=now + upper,
                    )
                    .exclude(offering__status=Offering.Status.CANCELLED)
                    .select_related("offering__program")
                )
                for session_batch in _keyset(sessions, size):
                    for session in session_batch:
                        enrolments = Enrolment.objects.filter(
                            offering_id=session.offering_id,
                            status=Enrolment.Status.CONFIRMED,
                            employee__is_active=True,
                        ).select_related("employee__region")
                        for batch in _keyset(enrolments, size):
                            created += _notify_new(
                                [
                                    (
                                        f"reminder:{session.pk}:{enrolment.pk}:{label}",
                                        {
                                            "recipient": enrolment.employee,
                                            "kind": Kind.SESSION_REMINDER,
                                            "subject": session,
                                            "context": {"lead": label},
                                        },
                                    )
                                    for enrolment in batch
                                ]
                            )
    return created


# --- Pending approvals -------------------------------------------------------------------------


def pending_approvals(*, now=None, regions=None, batch_size=None) -> int:
    """Supervisors with enrolment requests waiting longer than N days get one reminder a week
    listing them (oldest first)."""
    now = now or timezone.now()
    size = _batch_size(batch_size)
    days = _setting("KOMPETENSI_APPROVAL_REMINDER_DAYS", 3)
    cutoff = now - dt.timedelta(days=days)
    iso = timezone.localdate(now).isocalendar()
    period = f"{iso.year}-W{iso.week:02d}"
    created = 0
    for region in _regions(regions):
        with scope(region=region):
            waiting = Enrolment.objects.filter(
                region=region,
                status=Enrolment.Status.REQUESTED,
                requested_at__lt=cutoff,
                employee__supervisor__isnull=False,
                employee__supervisor__is_active=True,
            ).exclude(offering__status__in=Offering.CLOSED_STATUSES)
            groups = (
                waiting.values(supervisor=F("employee__supervisor_id"))
                .annotate(count=Count("id"), oldest=Min("requested_at"))
                .order_by()
            )
            for batch in _keyset(groups, size, key="supervisor"):
                ids = [row["supervisor"] for row in batch]
                supervisors = Employee.objects.select_related("region").in_bulk(ids)
                items = defaultdict(list)
                for enrolment in (
                    waiting.filter(employee__supervisor_id__in=ids)
                    .select_related("employee", "offering__program")
                    .order_by("requested_at", "pk")
                ):
                    bucket = items[enrolment.employee.supervisor_id]
                    if len(bucket) < SUMMARY_ITEMS:
                        bucket.append(
                            {
                                "employee": enrolment.employee.name,
                                "program": enrolment.offering.program.title,
                                "offering": enrolment.offering.name,
                                "requested_at": enrolment.requested_at,
                            }
                        )
                created += _notify_new(
                    [
                        (
                            f"approval-pending:{row['supervisor']}:{period}",
                            {
                                "recipient": supervisors[row["supervisor"]],
                                "kind": Kind.APPROVAL_PENDING,
                                "subject": supervisors[row["supervisor"]],
                                "context": {
                                    "count": row["count"],
                                    "oldest": row["oldest"],
                                    "days": days,
                                    "items": items[row["supervisor"]],
                                },
                            },
                        )
                        for row in batch
                        if row["supervisor"] in supervisors
                    ]
                )
    return created


# --- Enrolment windows closing -----------------------------------------------------------------


def window_closing(*, now=None, regions=None, batch_size=None) -> int:
    """Tell a region's admins, once per offering, that an open offering's enrolment window
    closes within N days while seats are still free."""
    today = timezone.localdate(now or timezone.now())
    size = _batch_size(batch_size)
    days = _setting("KOMPETENSI_WINDOW_CLOSING_DAYS", 3)
    created = 0
    for region in _regions(regions):
        with scope(region=region):
            admins = list(region_admins(region))
            if not admins:
                continue
            offerings = with_seats(
                Offering.objects.filter(
                    region=region,
                    status=Offering.Status.OPEN,
                    enrolment_closes__gte=today,
                    enrolment_closes__lte=today + dt.timedelta(days=days),
                )
            )
            offerings = offerings.select_related("program").filter(seats_left__gt=0)
            for batch in _keyset(offerings, size):
                created += _notify_new(
                    [
                        (
                            f"window-closing:{offering.pk}:{admin.pk}",
                            {
                                "recipient": admin,
                                "kind": Kind.WINDOW_CLOSING,
                                "subject": offering,
                                "context": {
                                    "closes": offering.enrolment_closes,
                                    "seats_left": offering.seats_left,
                                    "capacity": offering.seats_total,
                                    "taken": offering.seats_taken,
                                },
                            },
                        )
                        for offering in batch
                        for admin in admins
                    ]
                )
    return created


# --- JP target alerts --------------------------------------------------------------------------


def jp_behind(*, region: Region, year: int, batch_size: int | None = None) -> Iterator[list[dict]]:
    """Active PNS of the region whose verified JP of `year` is below the region's target, in
    batches; one grouped query per batch. PPPK are not measured against the PNS minimum."""
    rows = (
        Employee.objects.filter(
            region=region, is_active=True, employment_type=Employee.EmploymentType.PNS
        )
        .annotate(jp=verified_jp(year=year))
        .filter(jp__lt=region.jp_target)
        .values("pk", "name", "nip", "supervisor_id", "jp")
    )
    yield from _keyset(rows, _batch_size(batch_size))


def jp_target_alerts(*, now=None, regions=None, batch_size=None) -> int:
    """From month N of the year on (default September), once a month: each PNS below the
    region's yearly JP target is told how far behind they are, each supervisor gets the list
    of their team members who are behind, and the region's admins a summary."""
    today = timezone.localdate(now or timezone.now())
    from_month = _setting("KOMPETENSI_JP_ALERT_FROM_MONTH", 9)
    if today.month < from_month:
        return 0
    year = today.year
    period = f"{year}-{today.month:02d}"
    created = 0
    for region in _regions(regions):
        with scope(region=region):
            target = Decimal(region.jp_target)
            links = {
                "self": region_path("training:my_jp", region.slug),
                "team": region_path("training:team_jp", region.slug),
                "region": region_path("evaluations:report_list", region.slug),
            }
            teams: dict[int, list[dict]] = defaultdict(list)
            behind_count = 0
            total_shortfall = Decimal(0)
            worst: list[dict] = []
            for batch in jp_behind(region=region, year=year, batch_size=batch_size):
                people = Employee.objects.select_related("region").in_bulk(
                    [row["pk"] for row in batch]
                )
                items = []
                for row in batch:
                    shortfall = target - row["jp"]
                    entry = {
                        "employee": row["name"],
                        "nip": row["nip"],
                        "jp": row["jp"],
                        "shortfall": shortfall,
                    }
                    behind_count += 1
                    total_shortfall += shortfall
                    worst.append(entry)
                    if row["supervisor_id"]:
                        teams[row["supervisor_id"]].append(entry)
                    items.append(
                        (
                            f"jp-alert:{row['pk']}:{period}",
                            {
                                "recipient": people[row["pk"]],
                                "kind": Kind.JP_TARGET_ALERT,
                                "subject": people[row["pk"]],
                                "context": {
                                    "audience": "self",
                                    "url": links["self"],
                                    "year": year,
                                    "jp": row["jp"],
                                    "target": target,
                                    "shortfall": shortfall,
                                },
                            },
                        )
                    )
                worst = sorted(worst, key=lambda e: (-e["shortfall"], e["employee"]))[
                    :SUMMARY_ITEMS
                ]
                created += _notify_new(items)
            supervisor_ids = sorted(teams)
            for start in range(0, len(supervisor_ids), _batch_size(batch_size)):
                ids = supervisor_ids[start : start + _batch_size(batch_size)]
                supervisors = Employee.objects.filter(pk__in=ids, is_active=True).select_related(
                    "region"
                )
                created += _notify_new(
                    [
                        (
                            f"jp-alert-team:{supervisor.pk}:{period}",
                            {
                                "recipient": supervisor,
                                "kind": Kind.JP_TARGET_ALERT,
                                "subject": supervisor,
                                "context": {
                                    "audience": "team",
                                    "url": links["team"],
                                    "year": year,
                                    "target": target,
                                    "count": len(teams[supervisor.pk]),
                                    "items": sorted(
                                        teams[supervisor.pk],
                                        key=lambda e: (-e["shortfall"], e["employee"]),
                                    ),
                                },
                            },
                        )
                        for supervisor in supervisors.order_by("pk")
                    ]
                )
            if behind_count:
                created += _notify_new(
                    [
                        (
                            f"jp-alert-region:{admin.pk}:{period}",
                            {
                                "recipient": admin,
                                "kind": Kind.JP_TARGET_ALERT,
                                "subject": admin,
                                "context": {
                                    "audience": "region",
                                    "url": links["region"],
                                    "year": year,
                                    "target": target,
                                    "count": behind_count,
                                    "shortfall_total": total_shortfall,
                                    "items": worst,
                                },
                            },
                        )
                        for admin in region_admins(region)
                    ]
                )
    return created


def certificate_runs(*, now=None, regions=None, batch_size=None) -> int:
    """Queue again certificate runs left queued (broker outage) or held by a dead worker."""

    with scopes_disabled():
        return certificate_runs_requeue()
