"""Admin pages for units and employees (placeholder; being built)."""

from django.http import HttpResponse

from .permissions import region_admin_required


def _stub(request, region_slug, pk=None):
    return HttpResponse("todo")


unit_list = unit_create = unit_edit = unit_toggle_active = region_admin_required(_stub)
employee_list = employee_create = employee_import = employee_edit = region_admin_required(_stub)
employee_toggle_active = employee_invite = region_admin_required(_stub)
