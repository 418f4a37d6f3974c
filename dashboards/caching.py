"""Figures kept in the cache under the version of the data they were computed from
(dashboards.selectors.version): served from the cache while the data do not change, for at
most KOMPETENSI_DASHBOARD_CACHE_SECONDS.

After a write the version moves. Recomputing a big region's figures takes about a second, so
when a background worker can do it (a broker, or the embedded default's task thread) the
page serves the previous figures at once, marked stale with the moment they were computed,
and queues one refresh (`dashboards.tasks.refresh_figures`); the next open shows the new
figures. Previous figures older than KOMPETENSI_DASHBOARD_STALE_SECONDS are never served:
then, and without a background worker (tasks eager in the request, as in the tests), the
figures are computed in the request as before.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from kompetensi.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)

REFRESH_TASK = "dashboards.tasks.refresh_figures"
# While a refresh is queued or running, no other is queued for the same figures.
REFRESH_LOCK_SECONDS = 120


class Figures(NamedTuple):
    value: Any
    computed_at: Any  # datetime
    stale: bool  # the previous version's figures; a refresh is on its way


@dataclass(frozen=True)
class Refresh:
    """How a background worker recomputes these figures: `kind` names a refresher of
    `dashboards.refresh` (e.g. "region"), `args` its JSON-safe arguments."""

    kind: str
    args: tuple


def _key(raw: str) -> str:
    return "dashboards:" + hashlib.sha256(raw.encode()).hexdigest()


def background_refresh_available() -> bool:
    """A worker other than this request can recompute: a broker, or the task thread of the
    embedded default. Eager tasks without it would run in the request anyway."""
    from celery import current_app

    if not current_app.conf.task_always_eager:
        return True
    return bool(getattr(settings, "KOMPETENSI_TASKS_IN_THREAD", False))


def request_refresh(refresh: Refresh) -> bool:
    """Queue one refresh of these figures unless one is already on its way. True if queued."""
    lock = _key(f"refresh|{refresh.kind}|{refresh.args}|{get_language()}")
    if not cache.add(lock, 1, REFRESH_LOCK_SECONDS):
        return False
    enqueue_on_commit(REFRESH_TASK, refresh.kind, list(refresh.args), get_language(), lock)
    return True


def release_refresh(lock: str) -> None:
    cache.delete(lock)


def cached(
    *,
    name: str,
    parts: tuple,
    version: str,
    compute: Callable[[], Any],
    refresh: Refresh | None = None,
) -> Figures:
    """`compute()`'s value for these parts and this data version, with the moment it was
    computed. With `refresh`, the previous version's value may be served (stale) while a
    background worker recomputes it (see the module docstring)."""
    lifetime = settings.KOMPETENSI_DASHBOARD_CACHE_SECONDS
    if not lifetime:
        return Figures(compute(), timezone.now(), False)
    base = "|".join(str(p) for p in (name, *parts, get_language()))
    key, latest_key = _key(f"{base}|{version}"), _key(f"{base}|latest")
    hit = cache.get(key)
    if hit is not None:
        return Figures(hit[0], hit[1], False)
    if refresh is not None and background_refresh_available():
        latest = cache.get(latest_key)
        if latest is not None:
            value, computed_at, of_version = latest
            age = (timezone.now() - computed_at).total_seconds()
            if age < settings.KOMPETENSI_DASHBOARD_STALE_SECONDS:
                request_refresh(refresh)
                # Same version: only the entry's lifetime ran out (it bounds how long a
                # deletion goes unseen), so the figures are recomputed but not called stale.
                return Figures(value, computed_at, of_version != version)
    value, moment = compute(), timezone.now()
    cache.set(key, (value, moment), lifetime)
    cache.set(latest_key, (value, moment, version), settings.KOMPETENSI_DASHBOARD_STALE_SECONDS)
    return Figures(value, moment, False)
