"""Who may do what in a region: decided here, once, and used by every view.

`RegionAccess` is attached to the request by `RegionScopeMiddleware`. Outsiders never reach a
view (they get 404 from the middleware); inside a region, a missing role gives 403.
"""

from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import Employee, Membership, Region


@dataclass(frozen=True)
class RegionAccess:
    region: Region
    membership: Membership | None
    employee: Employee | None
    is_supervisor: bool
    is_national_viewer: bool

    @property
    def is_admin(self) -> bool:
        return self.membership is not None and self.membership.role == Membership.Role.ADMIN

    @property
    def is_member(self) -> bool:
        return self.membership is not None

    @property
    def read_only(self) -> bool:
        """A national viewer without a membership looks but never changes."""
        return self.membership is None and self.is_national_viewer

    @property
    def can_view_region_reports(self) -> bool:
        return self.is_admin or self.is_national_viewer


def resolve_access(user, region: Region) -> RegionAccess | None:
    """The user's access to the region, or None when they have none (→ 404)."""
    if not user.is_authenticated:
        return None
    membership = Membership.objects.filter(user=user, region=region).first()
    if membership is None and not user.is_national_viewer:
        return None
    employee = None
    is_supervisor = False
    if membership is not None:
        employee = Employee.objects.filter(region=region, user=user).select_related("unit").first()
        if employee is not None:
            is_supervisor = Employee.objects.filter(
                region=region, supervisor=employee, is_active=True
            ).exists()
    return RegionAccess(
        region=region,
        membership=membership,
        employee=employee,
        is_supervisor=is_supervisor,
        is_national_viewer=user.is_national_viewer,
    )


def _require(check, message):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            access = getattr(request, "access", None)
            if access is None or not check(access):
                raise PermissionDenied(message())
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


_admin_check = _require(
    lambda a: a.is_admin, lambda: _("Halaman ini hanya untuk admin BKPSDM wilayah ini.")
)


def region_admin_required(view):
    """Admin pages: 403 to other members; marked for the second-factor wall (regions.mfa)."""
    wrapped = _admin_check(view)
    wrapped.kompetensi_admin_only = True
    return wrapped


region_employee_required = _require(
    lambda a: a.employee is not None,
    lambda: _("Halaman ini hanya untuk pegawai yang terdaftar di wilayah ini."),
)
supervisor_required = _require(
    lambda a: a.is_supervisor, lambda: _("Halaman ini hanya untuk atasan langsung.")
)
