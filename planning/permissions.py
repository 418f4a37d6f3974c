"""Who may open the planning pages (decided once; used by every view of the app).

Admins (BKPSDM) do everything but approve; a unit's planners work on their units' needs; the
plan's approvers read plans and decide. Outsiders never get here (404 from the region
middleware); members without a role get 403.
"""

from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from regions.mfa import admin_only

from .selectors import roles


@dataclass(frozen=True)
class PlanningAccess:
    is_admin: bool
    unit_ids: frozenset
    is_approver: bool
    read_only: bool

    @property
    def is_planner(self) -> bool:
        return bool(self.unit_ids)

    @property
    def any_role(self) -> bool:
        return self.is_admin or self.is_planner or self.is_approver

    def can_plan_for(self, unit_id: int) -> bool:
        return self.is_admin or unit_id in self.unit_ids

    @property
    def can_read_plans(self) -> bool:
        return self.is_admin or self.is_approver


def planning_access(request) -> PlanningAccess:
    cached = getattr(request, "_planning_access", None)
    if cached is not None:
        return cached
    access = request.access
    result = PlanningAccess(
        is_admin=access.is_admin,
        unit_ids=frozenset(roles.planner_unit_ids(region=request.region, employee=access.employee)),
        is_approver=roles.is_approver(region=request.region, employee=access.employee),
        read_only=access.read_only,
    )
    request._planning_access = result
    return result


def _require(check, message):
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if getattr(request, "access", None) is None:
                raise PermissionDenied(message())
            request.planning = planning_access(request)
            if not check(request.planning):
                raise PermissionDenied(message())
            return view(request, *args, **kwargs)

        # Every planning page shows or changes plans: an admin without the second factor is
        # sent to it first (regions.mfa; other roles are not concerned).
        return admin_only(wrapped)

    return decorator


# Any member of the region (the overview says what they may do there); not the read-only
# national viewer, who reads aggregate pages only (plans name employees).
planning_page_required = _require(
    lambda p: not p.read_only, lambda: _("Halaman ini untuk pegawai wilayah ini.")
)
planning_member_required = _require(
    lambda p: p.any_role,
    lambda: _("Halaman ini hanya untuk admin BKPSDM, perencana unit, dan penyetuju rencana."),
)
planner_required = _require(
    lambda p: p.is_admin or p.is_planner,
    lambda: _("Halaman ini hanya untuk admin BKPSDM dan perencana unit."),
)
plan_reader_required = _require(
    lambda p: p.can_read_plans,
    lambda: _("Halaman ini hanya untuk admin BKPSDM dan penyetuju rencana."),
)
approver_required = _require(
    lambda p: p.is_approver,
    lambda: _("Hanya penyetuju rencana yang ditunjuk yang dapat memutuskan rencana ini."),
)


def planning_admin_required(view):
    """Admin pages of the plan (2FA wall like every admin page)."""
    wrapped = _require(
        lambda p: p.is_admin, lambda: _("Halaman ini hanya untuk admin BKPSDM wilayah ini.")
    )(view)
    wrapped.kompetensi_admin_only = True
    return wrapped
