"""Reads of individual development plans: the ASN's plan, the supervisor's and admin's lists."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from regions.models import Employee, Region
from training.models import Competency, DevelopmentPlan, DevelopmentPlanItem, Program
from training.selectors.history import history_for
from training.selectors.records import labelled_history

Status = DevelopmentPlan.Status


def _items_prefetch() -> Prefetch:
    return Prefetch(
        "items",
        queryset=DevelopmentPlanItem.objects.select_related(
            "competency", "program", "form"
        ).order_by("planned_month", "id"),
    )


def _with_totals(plans: QuerySet) -> QuerySet:
    return plans.annotate(total_jp=Coalesce(Sum("items__planned_jp"), 0), item_count=Count("items"))


def plan_for_employee(*, region: Region, employee: Employee, year: int) -> DevelopmentPlan | None:
    """The employee's plan of `year` with its items (two queries), or None."""
    return (
        DevelopmentPlan.objects.filter(region=region, employee=employee, year=year)
        .select_related("employee", "decided_by")
        .prefetch_related(_items_prefetch())
        .first()
    )


def plan_items(*, plan: DevelopmentPlan) -> list[DevelopmentPlanItem]:
    """The plan's (prefetched) items, each with `month_name` for display."""
    items = list(plan.items.all())
    for item in items:
        item.month_name = MONTHS.get(item.planned_month, "") if item.planned_month else ""
    return items


def plan_years_for_employee(*, region: Region, employee: Employee) -> list[int]:
    years = set(
        DevelopmentPlan.objects.filter(region=region, employee=employee).values_list(
            "year", flat=True
        )
    )
    today = timezone.localdate()
    years.update({today.year, today.year + 1})
    return sorted(years, reverse=True)


def plan_get_for_owner(*, region: Region, employee: Employee, plan_id: int):
    return (
        DevelopmentPlan.objects.filter(region=region, employee=employee, pk=plan_id)
        .select_related("employee")
        .first()
    )


def plan_item_get_for_owner(*, region: Region, employee: Employee, plan_id: int, item_id: int):
    return (
        DevelopmentPlanItem.objects.filter(
            region=region, plan_id=plan_id, plan__employee=employee, pk=item_id
        )
        .select_related("plan", "competency", "program", "form")
        .first()
    )


def plan_get_for_supervisor(*, region: Region, supervisor: Employee, plan_id: int):
    """A plan of one of the supervisor's direct subordinates (None for anyone else's)."""
    return (
        DevelopmentPlan.objects.filter(region=region, employee__supervisor=supervisor, pk=plan_id)
        .select_related("employee", "employee__unit", "decided_by")
        .prefetch_related(_items_prefetch())
        .first()
    )


def plan_get_for_admin(*, region: Region, plan_id: int):
    return (
        DevelopmentPlan.objects.filter(region=region, pk=plan_id)
        .select_related("employee", "employee__unit", "employee__supervisor", "decided_by")
        .prefetch_related(_items_prefetch())
        .first()
    )


PLAN_ACTION_LABELS = {
    "created": _("Rencana dibuat"),
    "submitted": _("Diajukan kepada atasan"),
    "resubmitted": _("Diperbaiki dan diajukan kembali"),
    "approved": _("Disetujui atasan"),
    "returned": _("Dikembalikan untuk diperbaiki"),
}


def plan_history(*, plan: DevelopmentPlan) -> list:
    return labelled_history(
        history_for(subject=plan).filter(created_at__gte=plan.created_at), PLAN_ACTION_LABELS
    )


def plan_team_list(
    *, region: Region, supervisor: Employee, status: str | None = Status.SUBMITTED, year=None
) -> QuerySet:
    """Plans of the supervisor's direct subordinates, waiting ones oldest first."""
    plans = DevelopmentPlan.objects.filter(region=region, employee__supervisor=supervisor)
    # A supervisor never sees drafts: they are the employee's own until submitted.
    plans = plans.filter(status=status) if status else plans.exclude(status=Status.DRAFT)
    if year:
        plans = plans.filter(year=year)
    return _with_totals(plans.select_related("employee", "employee__unit")).order_by(
        "submitted_at", "id"
    )


def plan_admin_list(
    *, region: Region, status: str | None = None, year=None, unit_id=None, search: str = ""
) -> QuerySet:
    plans = DevelopmentPlan.objects.filter(region=region)
    if status:
        plans = plans.filter(status=status)
    if year:
        plans = plans.filter(year=year)
    if unit_id:
        plans = plans.filter(employee__unit_id=unit_id)
    if search:
        plans = plans.filter(
            Q(employee__name__icontains=search) | Q(employee__nip__startswith=search)
        )
    return _with_totals(plans.select_related("employee", "employee__unit")).order_by(
        "-year", "employee__name", "id"
    )


def plan_admin_years(*, region: Region) -> list[int]:
    years = set(DevelopmentPlan.objects.filter(region=region).values_list("year", flat=True))
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


@dataclass(frozen=True)
class PlanSummary:
    """Planned JP of a plan against what applies to its employee.

    PNS: the region's yearly target is a minimum (a plan below it gets a hint). PPPK are not
    held to that minimum; planning above the PPPK cap gets a warning.
    """

    total_jp: int
    benchmark: int
    is_pppk: bool

    @property
    def over_pppk_cap(self) -> bool:
        return self.is_pppk and self.total_jp > self.benchmark

    @property
    def below_target(self) -> bool:
        return not self.is_pppk and self.total_jp < self.benchmark


def plan_summary(*, plan: DevelopmentPlan, region: Region) -> PlanSummary:
    """Totals of a plan (uses its prefetched items when there are)."""
    items = plan.items.all()
    is_pppk = plan.employee.employment_type == Employee.EmploymentType.PPPK
    return PlanSummary(
        total_jp=sum(item.planned_jp for item in items),
        benchmark=region.pppk_jp_cap if is_pppk else region.jp_target,
        is_pppk=is_pppk,
    )


# --- Choices for the plan item form ------------------------------------------------------------


def plan_competency_choices(*, region: Region) -> QuerySet:
    """Active competencies of the national dictionaries and the region's own."""
    return Competency.objects.filter(
        Q(region=region) | Q(region__isnull=True), is_active=True
    ).order_by("type", "code")


def plan_program_choices(*, region: Region) -> QuerySet:
    return Program.objects.filter(region=region, status=Program.Status.PUBLISHED).order_by("title")


def plan_gap_competency_ids(*, employee: Employee) -> list[int]:
    """Competencies where the employee has a positive gap, biggest first ([] when the gap
    analysis is not available)."""
    try:
        from training.selectors import competencies as competency_selectors
    except ImportError:  # pragma: no cover - the competency area is optional here
        return []
    gaps = getattr(competency_selectors, "employee_gaps", None)
    if gaps is not None:
        ids = []
        for row in gaps(employee=employee):
            competency_id = getattr(row, "competency_id", None)
            if competency_id is None and getattr(row, "competency", None) is not None:
                competency_id = row.competency.pk
            if competency_id is not None:
                ids.append(competency_id)
        return ids
    profile = getattr(competency_selectors, "competency_profile", None)
    if profile is not None:
        needs = profile(employee=employee).needs
        return sorted(needs, key=lambda pk: -needs[pk])
    return []
