"""Who plans and who approves (reads). The roles are planning's own rows, so the regions app
(and its migrations) know nothing of them:

- a unit's planner: an employee the BKPSDM admin names for the unit (`UnitPlanner`); the
  region's admins act for every unit;
- the plan's approver: an employee named by the admin (`PlanApprover`) who approves or
  returns the plan for the head of the region; they cannot edit it.
"""

from django.db.models import QuerySet

from regions.models import Employee, Membership, Region, Unit

from ..models import PlanApprover, UnitPlanner


def planner_unit_ids(*, region: Region, employee: Employee | None) -> set[int]:
    """Units the employee plans for (one query)."""
    if employee is None:
        return set()
    return set(
        UnitPlanner.objects.filter(region=region, employee=employee).values_list(
            "unit_id", flat=True
        )
    )


def is_region_admin(*, region: Region, employee: Employee | None) -> bool:
    if employee is None or employee.user_id is None:
        return False
    return Membership.objects.filter(
        region=region, user_id=employee.user_id, role=Membership.Role.ADMIN
    ).exists()


def is_approver(*, region: Region, employee: Employee | None) -> bool:
    return approver_for(region=region, employee=employee) is not None


def approver_for(*, region: Region, employee: Employee | None) -> PlanApprover | None:
    """The employee's approver role, if they hold it. A BKPSDM admin never approves the plan
    the BKPSDM drafts (separation of duties), even if named."""
    if employee is None or not employee.is_active:
        return None
    approver = PlanApprover.objects.filter(region=region, employee=employee).first()
    if approver is None or is_region_admin(region=region, employee=employee):
        return None
    return approver


def planner_list(*, region: Region) -> QuerySet[UnitPlanner]:
    return UnitPlanner.objects.filter(region=region).select_related("unit", "employee")


def approver_list(*, region: Region) -> QuerySet[PlanApprover]:
    return PlanApprover.objects.filter(region=region).select_related("employee")


def approver_employees(*, region: Region) -> QuerySet[Employee]:
    """Active approvers, as employees (notification recipients)."""
    return (
        Employee.objects.filter(
            region=region,
            is_active=True,
            pk__in=PlanApprover.objects.filter(region=region).values("employee_id"),
        )
        .select_related("region")
        .order_by("pk")
    )


def planners_of(*, region: Region, unit_ids) -> dict[int, list[Employee]]:
    """unit id → its active planners (one query)."""
    result: dict[int, list[Employee]] = {}
    rows = (
        UnitPlanner.objects.filter(region=region, unit_id__in=list(unit_ids))
        .filter(employee__is_active=True)
        .select_related("employee__region")
        .order_by("unit_id", "employee_id")
    )
    for row in rows:
        result.setdefault(row.unit_id, []).append(row.employee)
    return result


def unit_choices(*, region: Region) -> QuerySet[Unit]:
    return Unit.objects.filter(region=region, is_active=True).order_by("name")


def user_is_approver(user) -> bool:
    """Whether the login approves a plan in any region (the two-factor wall's role
    "plan_approver", `regions.mfa`); read across regions, like the wall itself."""
    from django_scopes import scopes_disabled

    with scopes_disabled():
        return PlanApprover.objects.filter(employee__user=user, employee__is_active=True).exists()
