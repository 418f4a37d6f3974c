"""Every route under /<region_slug>/ and how to point it at region B's objects.

`tests/test_cross_region.py` walks the URL conf and fails when a region route is missing
here, then requests each one as region A's admin against region B's objects: 404 every time.
A feature that adds a route adds a line here (and, if it needs one, an object to `leak`).
"""

ROUTES = {
    # name: function(leak) -> kwargs besides region_slug; leak holds region B's objects
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
