"""Figures kept in the cache under the version of the data they were computed from
(dashboards.selectors.version): recomputed after any write, served from the cache until then,
for at most KOMPETENSI_DASHBOARD_CACHE_SECONDS."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language


def cached(*, name: str, parts: tuple, version: str, compute: Callable[[], Any]):
    """(value, computed_at): `compute()`'s value for these parts and this data version."""
    lifetime = settings.KOMPETENSI_DASHBOARD_CACHE_SECONDS
    if not lifetime:
        return compute(), timezone.now()
    raw = "|".join(str(p) for p in (name, *parts, get_language(), version))
    key = "dashboards:" + hashlib.sha256(raw.encode()).hexdigest()
    hit = cache.get(key)
    if hit is None:
        hit = (compute(), timezone.now())
        cache.set(key, hit, lifetime)
    return hit
