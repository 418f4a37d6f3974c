"""What the region home shows each role: a constant number of queries per role."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from regions.models import Region
from regions.permissions import RegionAccess
from training.models import Enrolment, Offering, Session
from training.selectors.competencies import recommended_programs
from training.selectors.enrolment import approvals_pending_count
from training.selectors.records import JpProgress, record_pending_count, record_year_summary


@dataclass
class HomeSummary:
    jp: JpProgress | None = None
    upcoming_sessions: list = field(default_factory=list)
    live_enrolments: int = 0
    recommended: list = field(default_factory=list)
    pending_approvals: int = 0
    admin: dict | None = None


def upcoming_sessions_for_employee(*, employee, limit: int = 5) -> list[Session]:
    """The employee's next scheduled sessions of confirmed enrolments (one query)."""
    return list(
        Session.objects.filter(
            region_id=employee.region_id,
            status=Session.Status.SCHEDULED,
            ends_at__gte=timezone.now(),
            offering__enrolments__employee=employee,
            offering__enrolments__status=Enrolment.Status.CONFIRMED,
        )
        .select_related("offering", "offering__program")
        .order_by("starts_at", "id")[:limit]
    )


def admin_counts(*, region: Region) -> dict:
    """Work waiting for the BKPSDM admin (three queries)."""
    offerings = Offering.objects.filter(region=region).aggregate(
        open=Count("id", filter=Q(status=Offering.Status.OPEN)),
        running=Count("id", filter=Q(status=Offering.Status.RUNNING)),
        planned=Count("id", filter=Q(status=Offering.Status.PLANNED)),
    )
    requested = Enrolment.objects.filter(region=region, status=Enrolment.Status.REQUESTED).count()
    return {
        **offerings,
        "requested_enrolments": requested,
        "pending_records": record_pending_count(region=region),
    }


def home_summary(*, access: RegionAccess) -> HomeSummary:
    summary = HomeSummary()
    employee = access.employee
    if employee is not None:
        summary.jp = record_year_summary(
            region=access.region, employee=employee, year=timezone.localdate().year
        )
        summary.upcoming_sessions = upcoming_sessions_for_employee(employee=employee)
        summary.live_enrolments = Enrolment.objects.filter(
            region=access.region,
            employee=employee,
            status__in=Enrolment.ONGOING_STATUSES,
        ).count()
        summary.recommended = recommended_programs(employee=employee, limit=3)
        if access.is_supervisor:
            summary.pending_approvals = approvals_pending_count(supervisor=employee)
    if access.is_admin:
        summary.admin = admin_counts(region=access.region)
    return summary
