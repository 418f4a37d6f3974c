"""Periodic jobs: a registry the apps fill in their `AppConfig.ready()`, and batching helpers.

A job is a function `job(*, now=None, regions=None, batch_size=None) -> int` (how many
messages it recorded) that walks the active regions one at a time, inside the region's scope,
in bounded batches, and records each message with a deduplication key, so running it twice or
concurrently has the effect of running it once. Each app owns its jobs and registers them:

| name | job | registered in |
| --- | --- | --- |
| reminders, approvals, window-closing, jp-alerts | `training.jobs` | `TrainingConfig.ready()` |
| sweep | `regions.notifications.delivery.sweep_deliveries` | `RegionsConfig.ready()` |

`manage.py run_jobs` runs jobs by name in this process; each app's beat tasks
(`kompetensi.tasks.periodic_job_task`) run them in a worker. Default beat schedules live in
each app's `schedules.py`.

kompetensi is the leaf library: this module imports no app.
"""

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[..., int]
    # Jobs run (`run_jobs all`) and are listed by `order`, then in registration order.
    order: int = 0


_registry: dict[str, Job] = {}


def register_job(name: str, func: Callable[..., int], *, order: int = 0) -> None:
    """Register a periodic job under `name` (what `run_jobs` and the beat task call it).

    Registering the same function again is harmless; another function under a taken name is
    a programming error."""
    existing = _registry.get(name)
    if existing is not None and existing.func is not func:
        raise ValueError(f"periodic job {name!r} is already registered ({existing.func!r})")
    _registry[name] = Job(name=name, func=func, order=order)


def registered_jobs() -> dict[str, Callable[..., int]]:
    """The registered jobs by name, in run order."""
    ordered = sorted(_registry.values(), key=lambda job: job.order)
    return {job.name: job.func for job in ordered}


def run_job(name: str, **kwargs) -> int:
    """Run one registered job now, in this process (KeyError for an unknown name)."""
    result = _registry[name].func(**kwargs)
    logger.info("job %s: %s", name, result)
    return result


# --- Helpers for the jobs ------------------------------------------------------------------------


def int_setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def job_batch_size(size: int | None = None) -> int:
    """`size`, else `KOMPETENSI_JOB_BATCH_SIZE` (500)."""
    return size or int_setting("KOMPETENSI_JOB_BATCH_SIZE", 500)


def keyset(qs, size: int, key: str = "pk") -> Iterator[list]:
    """Batches of a queryset ordered by `key`, each one query, never the whole table."""
    last = None
    while True:
        page = qs if last is None else qs.filter(**{f"{key}__gt": last})
        batch = list(page.order_by(key)[:size])
        if not batch:
            return
        yield batch
        last = batch[-1][key] if isinstance(batch[-1], dict) else getattr(batch[-1], key)
        if len(batch) < size:
            return
