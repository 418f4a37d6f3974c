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
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractMonth

from regions.models import Employee, Region
from training.models import Competency, DevelopmentPlan, DevelopmentRecord, Enrolment
from training.selectors.competencies import GapRow, gap_rows_of

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


def team_queryset(*, region: Region, supervisor: Employee) -> QuerySet[Employee]:
    """The supervisor's team: their active direct subordinates (every team section's rows)."""
    return Employee.objects.filter(region=region, supervisor=supervisor, is_active=True)


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
        team_queryset(region=region, supervisor=supervisor)
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


# --- Team: competency gaps (heat map) ----------------------------------------------------------

HEATMAP_COLUMNS = 12  # competencies shown; the export has them all


def gap_severity(gap: int | None) -> str:
    """The heat map's class of a gap: not assessed, met (≤ 0), 1, 2, or 3 and more."""
    if gap is None:
        return "unassessed"
    if gap <= 0:
        return "met"
    return {1: "low", 2: "medium"}.get(gap, "high")


@dataclass(frozen=True)
class HeatCell:
    """One person × competency: their gap row, or None when their standard does not require
    the competency."""

    row: GapRow | None

    @property
    def gap(self) -> int | None:
        return self.row.gap if self.row else None

    @property
    def required(self) -> bool:
        return self.row is not None

    @property
    def severity(self) -> str:
        return gap_severity(self.gap) if self.row else "none"


@dataclass(frozen=True)
class HeatRow:
    employee: Employee
    cells: list[HeatCell]  # one per competency of the matrix, all of them (shown or not)
    gap_count: int  # required competencies with a positive gap
    gap_total: int
    unassessed: int


@dataclass(frozen=True)
class CompetencyColumn:
    competency: Competency
    with_gap: int  # people of the team with a positive gap
    gap_total: int
    required_by: int


@dataclass(frozen=True)
class HeatMatrix:
    columns: list[CompetencyColumn]  # every competency required of someone in the team
    rows: list[HeatRow]
    shown: int  # the first `shown` columns are drawn on the page

    @property
    def shown_columns(self) -> list[CompetencyColumn]:
        return self.columns[: self.shown]

    @property
    def hidden_count(self) -> int:
        return len(self.columns) - self.shown

    def shown_cells(self, row: HeatRow) -> list[tuple[CompetencyColumn, HeatCell]]:
        return list(zip(self.shown_columns, row.cells[: self.shown], strict=True))


def team_gap_matrix(
    *, region: Region, supervisor: Employee, max_columns: int | None = None
) -> HeatMatrix:
    """The team's competency gaps, person × competency. The gaps are each person's profile
    (`training.selectors.competencies.gap_rows_of`: their standard, their latest assessments).

    Columns: the competencies any member's standard requires, most people with a gap first
    (then the larger total gap, then dictionary order); `max_columns` of them are shown
    (default HEATMAP_COLUMNS).
    Rows: most competencies with a gap first, then the larger total gap, then by name.
    Constant queries: the team (1) and the profiles (4)."""
    members = list(team_queryset(region=region, supervisor=supervisor).order_by("name", "id"))
    profiles = gap_rows_of(region=region, employees=members)
    columns: dict[int, CompetencyColumn] = {}
    for rows in profiles.values():
        for row in rows:
            column = columns.get(row.competency.pk) or CompetencyColumn(row.competency, 0, 0, 0)
            columns[row.competency.pk] = CompetencyColumn(
                competency=row.competency,
                with_gap=column.with_gap + (1 if row.has_need else 0),
                gap_total=column.gap_total + (row.gap if row.has_need else 0),
                required_by=column.required_by + 1,
            )
    ordered = sorted(
        columns.values(),
        key=lambda c: (
            -c.with_gap,
            -c.gap_total,
            -c.required_by,
            c.competency.type,
            c.competency.code,
            c.competency.pk,
        ),
    )
    heat_rows = []
    for member in members:
        by_competency = {row.competency.pk: row for row in profiles.get(member.pk, [])}
        needs = [row.gap for row in by_competency.values() if row.has_need]
        heat_rows.append(
            HeatRow(
                employee=member,
                cells=[HeatCell(by_competency.get(c.competency.pk)) for c in ordered],
                gap_count=len(needs),
                gap_total=sum(needs),
                unassessed=sum(1 for row in by_competency.values() if row.gap is None),
            )
        )
    heat_rows.sort(key=lambda r: (-r.gap_count, -r.gap_total, r.employee.name, r.employee.pk))
    limit = HEATMAP_COLUMNS if max_columns is None else max_columns
    return HeatMatrix(columns=ordered, rows=heat_rows, shown=min(len(ordered), max(0, limit)))


def month_dates(year: int) -> list[dt.date]:
    return [dt.date(year, m, 1) for m in range(1, 13)]
