"""Demo data of the apps built on regions, loaded by `manage.py load_demo_data`.

The command loads regions' own demo (regions, units, employees, logins: `regions.demo`), then,
per region, each registered loader in registration order (apps in INSTALLED_APPS order). An
app registers its loader in its `AppConfig.ready()`:

    register_demo_loader(
        DemoLoader(
            label="training",
            load="training.demo.load_training_demo",
            prepare="training.demo.ensure_reference_data",
        )
    )

`load` and `prepare` are functions or their dotted paths (imported when the command runs, so
demo code is not imported by every process at start-up).

- `load(region=..., today=...) -> dict`: the app's demo data of one region, idempotent;
  returns what it created (`{"programmes": 3}`, empty when everything existed). The command
  prints it on the region's line as `<label>: programmes +3` (or `<label>: nothing new`). A
  `ValidationError` stops the command with its message.
- `prepare()` (optional): runs once before any region, e.g. to make sure reference data the
  loader needs is there.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class DemoLoader:
    label: str
    load: Callable[..., dict] | str
    prepare: Callable[[], None] | str | None = None

    def run_prepare(self) -> None:
        if self.prepare is not None:
            _resolve(self.prepare)()

    def run_load(self, *, region, today) -> dict:
        return _resolve(self.load)(region=region, today=today)


def _resolve(func):
    return import_string(func) if isinstance(func, str) else func


_registry: dict[str, DemoLoader] = {}


def register_demo_loader(loader: DemoLoader) -> None:
    existing = _registry.get(loader.label)
    if existing is not None and existing != loader:
        raise ValueError(f"demo loader {loader.label!r} is already registered")
    _registry[loader.label] = loader


def demo_loaders() -> list[DemoLoader]:
    return list(_registry.values())
