"""Celery building blocks for the apps' `tasks.py` (kompetensi is the leaf: it imports no app).

- `RegionTask`: base class of a task about one region. It is called with the region's id as
  its first argument; the body receives the region and runs inside `scope(region=...)`.
- `region_scope(region_id)`: the same as a context manager, for a task that finds its region
  some other way (e.g. from the row it works on).
- `enqueue_on_commit(task, *args, **kwargs)`: queue a task once the current transaction
  commits; a broker outage is logged, never raised (each app's sweep queues the work again).
  `task` may be the registered task name, so a service can queue a task without importing
  the module that defines it (tasks import services, never the other way round).
- `enqueue_or_run_on_commit(...)`: the same, but the task runs in-process when the broker is
  unreachable (for small work no sweep finds again, such as a password-reset e-mail).
- `periodic_job_task(name, job)`: the beat task of a periodic job of `kompetensi.jobs`.

The tenant model is `settings.KOMPETENSI_TENANT_MODEL` (default `"regions.Region"`), resolved
through the app registry, never imported.
"""

import logging
import threading
from contextlib import contextmanager

from celery import Task, current_app, shared_task
from django.apps import apps
from django.conf import settings
from django.db import OperationalError, connections, transaction
from django_scopes import scope

from .jobs import run_job

logger = logging.getLogger(__name__)

JOB_TIME_LIMIT = 30 * 60


def tenant_model():
    return apps.get_model(getattr(settings, "KOMPETENSI_TENANT_MODEL", "regions.Region"))


def load_region(region_id, *, active_only: bool = False):
    """The region with this id, or None (gone, or inactive when `active_only`)."""
    if region_id is None:
        return None
    regions = tenant_model()._default_manager.filter(pk=region_id)
    if active_only:
        regions = regions.filter(is_active=True)
    return regions.first()


@contextmanager
def region_scope(region_id, *, active_only: bool = False):
    """Load the region and run the block inside its scope. Yields the region, or None (and
    no scope) when there is no such region."""
    region = load_region(region_id, active_only=active_only)
    if region is None:
        yield None
        return
    with scope(region=region):
        yield region


class RegionTask(Task):
    """Base of a task about one region (pretix's `EventTask`, for our tenant).

        @shared_task(base=RegionTask, name="evaluations.tasks.generate_region_report", ...)
        def generate_region_report(region, period): ...

        generate_region_report.delay(region.pk, "2025-03-01")

    The message carries the region's id (JSON-safe); the body receives the region and runs
    inside `scope(region=region)`. A region that no longer exists, or that is inactive (unless
    the task sets `active_only = False`), makes the call a no-op that returns None. A retry
    re-sends the original message, so it loads the region again.
    """

    active_only = True

    def __call__(self, region_id, *args, **kwargs):
        # The worker (and eager apply) pushed this call's request already; calling `run`
        # directly keeps it (Task.__call__ would push a second, empty one over it).
        with region_scope(region_id, active_only=self.active_only) as region:
            if region is None:
                logger.info("%s: no active region %s, nothing to do", self.name, region_id)
                return None
            return self.run(region, *args, **kwargs)


def resolve_task(task):
    """A task object from a task or its registered name. A name not registered yet in this
    process (its module not imported) triggers Celery's autodiscovery of the apps' tasks."""
    if not isinstance(task, str):
        return task
    if task not in current_app.tasks:
        current_app.loader.import_default_modules()
    return current_app.tasks[task]


def broker_errors() -> tuple[type[BaseException], ...]:
    """The exceptions a publish raises when the broker is unreachable."""
    from kombu.exceptions import KombuError

    errors: list[type[BaseException]] = [KombuError, OSError]
    try:
        from redis.exceptions import RedisError

        errors.append(RedisError)
    except ImportError:  # pragma: no cover - redis is a dependency of celery[redis]
        pass
    return tuple(errors)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Queue `task` (a task or its registered name) with these arguments once the current
    transaction commits (at once outside a transaction). Never raises: a broker outage or a
    failing eager run is logged, and the work stays where the app's sweep finds it."""
    _enqueue_on_commit(task, args, kwargs, run_here_if_broker_down=False)


def enqueue_or_run_on_commit(task, *args, **kwargs) -> None:
    """`enqueue_on_commit` for small work that no sweep finds again (a password-reset e-mail):
    when the broker is unreachable the task runs here, in the request, instead of being lost."""
    _enqueue_on_commit(task, args, kwargs, run_here_if_broker_down=True)


def _enqueue_on_commit(task, args, kwargs, *, run_here_if_broker_down: bool) -> None:
    name = task if isinstance(task, str) else task.name

    def send() -> None:
        try:
            resolve_task(task).apply_async(args=args, kwargs=kwargs)
        except broker_errors() as exc:
            if not run_here_if_broker_down:
                logger.warning("Broker unavailable (%s); %s%r not queued.", exc, name, args)
                return
            logger.warning("Broker unavailable (%s); %s runs in this process.", exc, name)
            try:
                resolve_task(task).run(*args, **kwargs)
            except Exception:
                logger.exception("Running %s%r in process failed", name, args)
        except Exception:
            # Eager mode (no broker) runs the task here; its own failure is recorded by it.
            logger.exception("Queueing %s%r failed", name, args)

    transaction.on_commit(_in_background(send) if _tasks_in_thread() else send, robust=True)


def _tasks_in_thread() -> bool:
    """The embedded default (no broker, tasks eager) runs tasks in a thread of the web
    process when `KOMPETENSI_TASKS_IN_THREAD` is set (scripts/dev.sh sets it), so a long task
    never holds the request: the page answers at once and its progress bar tells the truth."""
    return bool(getattr(settings, "KOMPETENSI_TASKS_IN_THREAD", False)) and bool(
        getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
    )


def _in_background(send):
    def run() -> None:
        try:
            send()
        finally:
            connections.close_all()  # this thread's own connections

    return lambda: threading.Thread(target=run, name="kompetensi-task", daemon=True).start()


def periodic_job_task(name: str, job: str, doc: str):
    """The Celery task `name` that runs the registered periodic job `job` (kompetensi.jobs).

    Jobs are idempotent, so the task acknowledges late (a killed worker's run is redelivered)
    and retries a database outage with back-off."""

    def run(self) -> int:
        return run_job(job)

    run.__doc__ = doc
    run.__name__ = run.__qualname__ = name.rsplit(".", 1)[-1]
    return shared_task(
        name=name,
        bind=True,
        acks_late=True,
        reject_on_worker_lost=True,
        autoretry_for=(OperationalError,),
        retry_backoff=30,
        retry_backoff_max=30 * 60,
        retry_jitter=True,
        max_retries=5,
        time_limit=JOB_TIME_LIMIT,
        soft_time_limit=JOB_TIME_LIMIT - 60,
        ignore_result=True,
    )(run)
