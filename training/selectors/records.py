"""Reads of the JP ledger: an employee's year, the verification queue, a team's JP.

Verified JP per year is defined here once (`counts_toward_jp`) and read through
`verified_jp()` (an annotation for Employee querysets) or `verified_jp_by_employee()` (one
grouped query, also the inner query of the monthly report's SQL).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import Employee, Region
from training.models import DevelopmentPlan, DevelopmentRecord, VerifiedJpYear
from training.selectors.history import history_for

Status = DevelopmentRecord.Status
ZERO = Decimal("0")
JP_FIELD = DecimalField(max_digits=10, decimal_places=2)


def _jp_sum(condition: Q):
    return Coalesce(Sum("jp", filter=condition), Value(ZERO, output_field=JP_FIELD))


# --- Verified JP per year: the one rule --------------------------------------------------------


def counts_toward_jp(*, year: int, until: dt.date | None = None, prefix: str = "") -> Q:
    """The development records that count toward an employee's JP of `year`: verified, of that
    year and, given `until`, ended on or before that day (submitted or rejected records never
    count). `prefix` names the relation when filtering from another model, e.g.
    "development_records__"."""
    condition = Q(**{f"{prefix}status": Status.VERIFIED, f"{prefix}year": year})
    if until is not None:
        condition &= Q(**{f"{prefix}end_date__lte": until})
    return condition


def _jp_per_employee(records: QuerySet) -> Coalesce:
    """For Employee querysets: Σ JP of the employee's `records` (0 without any), as a
    correlated subquery (no join, so other annotations are never multiplied)."""
    total = (
        records.filter(employee=OuterRef("pk"))
        .order_by()
        .values("employee")
        .annotate(total=Sum("jp"))
        .values("total")
    )
    return Coalesce(Subquery(total, output_field=JP_FIELD), Value(ZERO, output_field=JP_FIELD))


def verified_jp(*, year: int, until: dt.date | None = None) -> Coalesce:
    """For Employee querysets: the employee's verified JP of `year` (up to `until`), 0 without
    any. `Employee.objects.annotate(jp=verified_jp(year=2025)).filter(jp__lt=20)`.

    The whole year's JP is read from the sums the database keeps (`VerifiedJpYear`, one row
    per employee and year: `training.jp_summary`); up to a day, from the records."""
    if until is None:
        total = VerifiedJpYear.objects.filter(employee=OuterRef("pk"), year=year).values("jp")
        return Coalesce(
            Subquery(total[:1], output_field=JP_FIELD), Value(ZERO, output_field=JP_FIELD)
        )
    return _jp_per_employee(
        DevelopmentRecord.objects.filter(counts_toward_jp(year=year, until=until))
    )


def verified_jp_by_employee(*, region: Region, year: int, until: dt.date | None = None) -> QuerySet:
    """Verified JP of `year` (up to `until`) per employee of the region, in one query: rows of
    `employee_id` and `total`; employees without verified JP have no row. The whole year's
    comes from the kept sums (see `verified_jp`), a part of it from the records."""
    if until is None:
        return verified_jp_year_rows(region=region, year=year)
    return (
        DevelopmentRecord.objects.filter(counts_toward_jp(year=year, until=until), region=region)
        .order_by()
        .values("employee_id")
        .annotate(total=Sum("jp"))
    )


def verified_jp_year_rows(*, year: int, region: Region | None = None) -> QuerySet:
    """The whole year's verified JP per employee from the kept sums, one row per employee with
    any verified record: `employee_id`, `total` (JP) and `activities` (verified records). Of
    one region, or of every region (`region=None`, for national roll-ups run without a scope)."""
    rows = VerifiedJpYear.objects.filter(year=year, records__gt=0)
    if region is not None:
        rows = rows.filter(region=region)
    return rows.order_by().values("employee_id").annotate(total=F("jp"), activities=F("records"))


@dataclass(frozen=True)
class JpProgress:
    """Verified JP of one employee in one year, measured against what applies to them.

    PNS are measured against the region's yearly target (a minimum). PPPK are not held to that
    minimum: their JP is shown against the PPPK cap, an upper bound.
    """

    year: int
    verified_jp: Decimal
    pending_jp: Decimal
    benchmark: int
    is_pppk: bool
    record_count: int = 0
    rejected_count: int = 0

    @property
    def percent(self) -> int:
        if not self.benchmark:
            return 0
        return min(100, int(self.verified_jp * 100 / self.benchmark))

    @property
    def remaining(self) -> Decimal:
        """JP still needed to reach the PNS target (0 for PPPK and when reached)."""
        if self.is_pppk:
            return ZERO
        return max(ZERO, Decimal(self.benchmark) - self.verified_jp)

    @property
    def target_met(self) -> bool:
        return not self.is_pppk and self.verified_jp >= self.benchmark

    @property
    def over_cap(self) -> bool:
        return self.is_pppk and self.verified_jp > self.benchmark


def jp_benchmark(*, region: Region, employee: Employee) -> tuple[int, bool]:
    """(benchmark, is_pppk): the PNS target, or the PPPK cap for PPPK."""
    is_pppk = employee.employment_type == Employee.EmploymentType.PPPK
    return (region.pppk_jp_cap if is_pppk else region.jp_target), is_pppk


def record_year_summary(*, region: Region, employee: Employee, year: int) -> JpProgress:
    """JP of one employee's year in one aggregate query: only verified records count."""
    totals = DevelopmentRecord.objects.filter(
        region=region, employee=employee, year=year
    ).aggregate(
        verified_jp=_jp_sum(counts_toward_jp(year=year)),
        pending_jp=_jp_sum(Q(status=Status.SUBMITTED)),
        record_count=Count("id"),
        rejected_count=Count("id", filter=Q(status=Status.REJECTED)),
    )
    benchmark, is_pppk = jp_benchmark(region=region, employee=employee)
    return JpProgress(year=year, benchmark=benchmark, is_pppk=is_pppk, **totals)


def record_list_for_employee(*, region: Region, employee: Employee, year: int) -> QuerySet:
    return (
        DevelopmentRecord.objects.filter(region=region, employee=employee, year=year)
        .select_related("form")
        .order_by("-start_date", "-id")
    )


def record_years_for_employee(*, region: Region, employee: Employee) -> list[int]:
    """Years with records, plus the current year, newest first."""
    years = set(
        DevelopmentRecord.objects.filter(region=region, employee=employee)
        .values_list("year", flat=True)
        .distinct()
    )
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def record_get_for_owner(*, region: Region, employee: Employee, record_id: int):
    return (
        DevelopmentRecord.objects.select_related("form", "employee", "verified_by")
        .filter(region=region, employee=employee, pk=record_id)
        .first()
    )


def record_get_for_admin(*, region: Region, record_id: int):
    return (
        DevelopmentRecord.objects.select_related(
            "form", "employee", "employee__unit", "verified_by", "submitted_by", "enrolment"
        )
        .filter(region=region, pk=record_id)
        .first()
    )


RECORD_ACTION_LABELS = {
    "submitted": _("Diajukan untuk verifikasi"),
    "updated": _("Diperbarui oleh pegawai"),
    "resubmitted": _("Diperbaiki dan diajukan kembali"),
    "verified": _("Diverifikasi"),
    "rejected": _("Ditolak"),
    "withdrawn": _("Ditarik oleh pegawai"),
}


def labelled_history(events, labels: dict) -> list:
    """Events with a `label` for people (the raw action when it has no label)."""
    events = list(events)
    for event in events:
        event.label = labels.get(event.action, event.action)
    return events


def record_history(*, record: DevelopmentRecord) -> list:
    """The record's history, oldest first, labelled (events of an earlier object with a
    reused id are left out)."""
    return labelled_history(
        history_for(subject=record).filter(created_at__gte=record.created_at),
        RECORD_ACTION_LABELS,
    )


def record_verification_queue(
    *,
    region: Region,
    status: str | None = Status.SUBMITTED,
    unit_id: int | None = None,
    year: int | None = None,
    search: str = "",
) -> QuerySet:
    """External records for admins, oldest first, filtered by status, unit and year."""
    records = DevelopmentRecord.objects.filter(
        region=region, source=DevelopmentRecord.Source.EXTERNAL
    ).select_related("employee", "employee__unit", "form")
    if status:
        records = records.filter(status=status)
    if unit_id:
        records = records.filter(employee__unit_id=unit_id)
    if year:
        records = records.filter(year=year)
    if search:
        records = records.filter(
            Q(employee__name__icontains=search)
            | Q(employee__nip__startswith=search)
            | Q(title__icontains=search)
        )
    return records.order_by("created_at", "id")


def record_queue_years(*, region: Region) -> list[int]:
    """Years with external records plus the last five years, newest first."""
    years = set(
        DevelopmentRecord.objects.filter(region=region, source=DevelopmentRecord.Source.EXTERNAL)
        .values_list("year", flat=True)
        .distinct()
    )
    current = timezone.localdate().year
    years.update(range(current - 4, current + 1))
    return sorted(years, reverse=True)


def record_pending_count(*, region: Region) -> int:
    return DevelopmentRecord.objects.filter(
        region=region, source=DevelopmentRecord.Source.EXTERNAL, status=Status.SUBMITTED
    ).count()


@dataclass(frozen=True)
class TeamMemberJp:
    employee: Employee
    progress: JpProgress
    plan_status: str | None

    @property
    def plan_status_display(self) -> str:
        if not self.plan_status:
            return ""
        return DevelopmentPlan.Status(self.plan_status).label


def team_jp_overview(*, region: Region, supervisor: Employee, year: int) -> list[TeamMemberJp]:
    """Each active direct subordinate's verified and pending JP of the year and plan status,
    in one query."""
    plan_status = DevelopmentPlan.objects.filter(
        region=region, employee=OuterRef("pk"), year=year
    ).values("status")[:1]
    members = (
        Employee.objects.filter(region=region, supervisor=supervisor, is_active=True)
        .select_related("unit")
        .annotate(
            verified_jp=verified_jp(year=year),
            pending_jp=_jp_per_employee(
                DevelopmentRecord.objects.filter(year=year, status=Status.SUBMITTED)
            ),
            plan_status=Subquery(plan_status),
        )
        .order_by("name", "id")
    )
    rows = []
    for member in members:
        benchmark, is_pppk = jp_benchmark(region=region, employee=member)
        rows.append(
            TeamMemberJp(
                employee=member,
                progress=JpProgress(
                    year=year,
                    verified_jp=member.verified_jp,
                    pending_jp=member.pending_jp,
                    benchmark=benchmark,
                    is_pppk=is_pppk,
                ),
                plan_status=member.plan_status,
            )
        )
    return rows
