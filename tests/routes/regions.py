"""Region routes of the regions app (units, employees, home, profile)."""

ROUTES = {
    "region:home": lambda leak: {},
    "region:profile": lambda leak: {},
    "region:unit_list": lambda leak: {},
    "region:unit_create": lambda leak: {},
    "region:unit_edit": lambda leak: {"pk": leak.unit.pk},
    "region:unit_toggle": lambda leak: {"pk": leak.unit.pk},
    "region:employee_list": lambda leak: {},
    "region:employee_create": lambda leak: {},
    "region:employee_import": lambda leak: {},
    "region:employee_edit": lambda leak: {"pk": leak.employee.pk},
    "region:employee_toggle": lambda leak: {"pk": leak.employee.pk},
    "region:employee_invite": lambda leak: {"pk": leak.employee.pk},
}
