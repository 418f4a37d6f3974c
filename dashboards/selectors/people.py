"""Figures of the ASN's own dashboard and of the supervisor's team dashboard."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractMonth

from regions.models import Employee, Region
from training.models import DevelopmentPlan, DevelopmentRecord, Enrolment

from . import jp

ZERO = Decimal("0")
JP_FIELD = DecimalField(max_digits=10, decimal_places=2)
S = Enrolment.Status


# --- ASN ---------------------------------------------------------------------------------------


def jp_curve(*, region: Region, employee: Employee, year: int) -> list[Decimal]:
    """The employee's verified JP of the year, cumulative at the end of each month (one grouped
    query: JP per month; the twelve running totals are added up here)."""
    rows = (
        DevelopmentRecord.objects.filter(
            jp.counts_toward_jp(year=year), region=region, employee=employee
        )
        .order_by()
        .annotate(month=ExtractMonth("end_date"))
        .values("month")
        .annotate(total=Sum("jp"))
        .values_list("month", "total")
    )
    by_month = dict(rows)
    values, running = [], ZERO
    for month in range(1, 13):
        running += Decimal(by_month.get(month) or 0)
        values.append(running)
    return values


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int
    jp: Decimal


def records_by_status(*, region: Region, employee: Employee, year: int) -> list[StatusCount]:
    """The employee's development records of the year per status, with their JP (one query)."""
    rows = (
        DevelopmentRecord.objects.filter(region=region, employee=employee, year=year)
        .order_by()
        .values("status")
        .annotate(n=Count("id"), total=Sum("jp"))
    )
    counts = {row["status"]: row for row in rows}
    return [
        StatusCount(
            status=value,
            label=str(label),
            count=counts.get(value, {}).get("n", 0),
            jp=Decimal(counts.get(value, {}).get("total") or 0),
        )
        for value, label in DevelopmentRecord.Status.choices
    ]


# --- Team --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberRow:
    employee: Employee
    verified_jp: Decimal
    pending_jp: Decimal
    benchmark: int
    is_pppk: bool
    behind: bool
    completed: int
    plan_status: str | None

    @property
    def percent(self) -> int:
        if not self.benchmark:
            return 0
        return min(100, int(self.verified_jp * 100 / self.benchmark))

    @property
    def remaining(self) -> Decimal:
        if self.is_pppk:
            return ZERO
        return max(ZERO, Decimal(self.benchmark) - self.verified_jp)

    @property
    def plan_status_display(self) -> str:
        return str(DevelopmentPlan.Status(self.plan_status).label) if self.plan_status else ""


def team_members(*, region: Region, supervisor: Employee, year: int) -> list[MemberRow]:
    """Each active direct subordinate with verified and pending JP of the year, completed
    trainings and the year's plan status; PNS below the target first (furthest behind first),
    then everyone else by name (one query)."""
    target = region.jp_target
    plan_status = DevelopmentPlan.objects.filter(
        region=region, employee=OuterRef("pk"), year=year
    ).values("status")[:1]
    completed = (
        Enrolment.objects.filter(
            employee=OuterRef("pk"), status=S.COMPLETED, offering__start_date__year=year
        )
        .order_by()
        .values("employee")
        .annotate(n=Count("id"))
        .values("n")
    )
    members = (
        Employee.objects.filter(region=region, supervisor=supervisor, is_active=True)
        .select_related("unit")
        .annotate(
            verified=jp.verified_jp(year=year),
            pending=Coalesce(
                Subquery(
                    DevelopmentRecord.objects.filter(
                        employee=OuterRef("pk"),
                        year=year,
                        status=DevelopmentRecord.Status.SUBMITTED,
                    )
                    .order_by()
                    .values("employee")
                    .annotate(t=Sum("jp"))
                    .values("t"),
                    output_field=JP_FIELD,
                ),
                Value(ZERO, output_field=JP_FIELD),
            ),
            completed=Coalesce(Subquery(completed, output_field=IntegerField()), 0),
            plan_status=Subquery(plan_status),
        )
        .annotate(
            behind=ExpressionWrapper(
                Q(employment_type=jp.PNS, verified__lt=target), output_field=BooleanField()
            ),
            behind_rank=Case(When(behind=True, then=Value(0)), default=Value(1)),
        )
        .order_by("behind_rank", Case(When(behind=True, then=F("verified"))), "name", "id")
    )
    rows = []
    for member in members:
        is_pppk = member.employment_type == jp.PPPK
        rows.append(
            MemberRow(
                employee=member,
                verified_jp=member.verified,
                pending_jp=member.pending,
                benchmark=region.pppk_jp_cap if is_pppk else target,
                is_pppk=is_pppk,
                behind=bool(member.behind),
                completed=member.completed,
                plan_status=member.plan_status,
            )
        )
    return rows


TEAM_TRAININGS_LIMIT = 50


def team_trainings(*, region: Region, supervisor: Employee, year: int) -> list[Enrolment]:
    """The team's enrolments in batches of the year (not rejected or cancelled), with test
    scores, newest batch first (one query; at most TEAM_TRAININGS_LIMIT rows)."""
    return list(
        Enrolment.objects.filter(
            region=region,
            employee__supervisor=supervisor,
            employee__is_active=True,
            status__in=Enrolment.LIVE_STATUSES,
            offering__start_date__year=year,
        )
        .select_related("employee", "offering", "offering__program")
        .order_by("-offering__start_date", "employee__name", "id")[:TEAM_TRAININGS_LIMIT]
    )


def team_training_count(*, region: Region, supervisor: Employee, year: int) -> int:
    return Enrolment.objects.filter(
        region=region,
        employee__supervisor=supervisor,
        employee__is_active=True,
        status__in=Enrolment.LIVE_STATUSES,
        offering__start_date__year=year,
    ).count()


def month_dates(year: int) -> list[dt.date]:
    return [dt.date(year, m, 1) for m in range(1, 13)]
