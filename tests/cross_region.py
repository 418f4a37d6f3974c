"""Every route under /<region_slug>/ and how to point it at region B's objects.

`tests/test_cross_region.py` walks the URL conf and fails when a region route is missing
here, then requests each one as region A's admin against region B's objects: 404 every time.
Each area keeps its own list in `tests/routes/<area>.py`: a ROUTES dict
(name -> function(leak) -> URL kwargs besides region_slug) and, if it needs region B objects,
a `build_leak(leak)` function that adds them to the `leak` namespace.
"""

import importlib
import pkgutil

from . import routes as _routes_package

ROUTES = {}
LEAK_BUILDERS = []
for _info in sorted(pkgutil.iter_modules(_routes_package.__path__), key=lambda m: m.name):
    _module = importlib.import_module(f"{_routes_package.__name__}.{_info.name}")
    overlap = set(ROUTES) & set(_module.ROUTES)
    assert not overlap, f"routes listed twice: {overlap}"
    ROUTES.update(_module.ROUTES)
    if hasattr(_module, "build_leak"):
        LEAK_BUILDERS.append(_module.build_leak)
