"""The planning roles, named by the region's BKPSDM admin: unit planners and plan approvers."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from regions.models import Employee, Region, Unit

from ..models import PlanApprover, UnitPlanner
from ..selectors.roles import is_region_admin


def _check_employee(region: Region, employee: Employee | None, field: str) -> None:
    if employee is None or employee.region_id != region.pk:
        raise ValidationError({field: [_("Pegawai tidak ditemukan.")]})
    if not employee.is_active:
        raise ValidationError({field: [_("Pegawai ini sudah tidak aktif.")]})
    if employee.user_id is None:
        raise ValidationError(
            {field: [_("Pegawai ini belum memiliki akun untuk masuk ke portal.")]}
        )


@transaction.atomic
def planner_add(
    *, region: Region, unit: Unit | None, employee: Employee | None, user
) -> UnitPlanner:
    if unit is None or unit.region_id != region.pk:
        raise ValidationError({"unit": [_("Unit tidak ditemukan.")]})
    _check_employee(region, employee, "employee")
    planner, created = UnitPlanner.objects.get_or_create(
        region=region, unit=unit, employee=employee
    )
    if not created:
        raise ValidationError(
            {"employee": [_("Pegawai ini sudah menjadi perencana unit tersebut.")]}
        )
    return planner


@transaction.atomic
def planner_remove(*, planner: UnitPlanner, user) -> None:
    planner.delete()


@transaction.atomic
def approver_add(*, region: Region, employee: Employee | None, title: str, user) -> PlanApprover:
    _check_employee(region, employee, "employee")
    if is_region_admin(region=region, employee=employee):
        raise ValidationError(
            {"employee": [_("Admin BKPSDM menyusun rencana dan tidak dapat menjadi penyetujunya.")]}
        )
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": [_("Jabatan penanda tangan wajib diisi.")]})
    if len(title) > 150:
        raise ValidationError({"title": [_("Jabatan paling banyak 150 karakter.")]})
    approver, created = PlanApprover.objects.get_or_create(
        region=region, employee=employee, defaults={"title": title}
    )
    if not created:
        raise ValidationError({"employee": [_("Pegawai ini sudah menjadi penyetuju rencana.")]})
    return approver


@transaction.atomic
def approver_remove(*, approver: PlanApprover, user) -> None:
    approver.delete()
