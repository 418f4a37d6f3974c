"""Sections other apps add to the region home page (regions/home.html).

regions renders the page frame (welcome, region summary, team) and knows nothing of the
apps built on it: an app registers its widgets in its `AppConfig.ready()`:

    register_home_section(
        HomeSection(key="training.employee", slot="main",
                    template="training/home/_employee.html", context=home_context)
    )

- `slot` says where the partial goes: `main` (below the welcome line), `admin` (below the
  region summary that admins and national viewers see), `admin_actions` (the first buttons of
  the admin's action row).
- `context(request) -> dict` adds what the partial needs to the page context (so tests and
  templates see it as before). Sections that share one context function share one call: it
  runs once per page however many sections use it.

Sections of a slot render in registration order (apps in INSTALLED_APPS order).
"""

from collections.abc import Callable
from dataclasses import dataclass

SLOTS = ("main", "admin", "admin_actions")


@dataclass(frozen=True)
class HomeSection:
    key: str
    slot: str
    template: str
    context: Callable[..., dict] | None = None


_registry: dict[str, HomeSection] = {}


def register_home_section(section: HomeSection) -> None:
    if section.slot not in SLOTS:
        raise ValueError(f"home section {section.key!r}: unknown slot {section.slot!r}")
    existing = _registry.get(section.key)
    if existing is not None and existing != section:
        raise ValueError(f"home section {section.key!r} is already registered")
    _registry[section.key] = section


def home_sections() -> dict[str, list[HomeSection]]:
    """The registered sections by slot (every slot present, maybe empty)."""
    slots: dict[str, list[HomeSection]] = {slot: [] for slot in SLOTS}
    for section in _registry.values():
        slots[section.slot].append(section)
    return slots


def home_sections_context(request) -> dict:
    """What the sections' context functions add, each function called once."""
    context: dict = {}
    called = []
    for section in _registry.values():
        if section.context is None or section.context in called:
            continue
        called.append(section.context)
        context.update(section.context(request) or {})
    return context
