"""A small fixed-window rate limit on the cache (shared by all workers when the cache is
Redis), for public pages that must not be enumerated (certificate verification)."""

from django.core.cache import cache


def client_ip(request) -> str:
    """The client's address. Behind the reverse proxy (docs/deployment.md) the proxy sets
    REMOTE_ADDR correctly; X-Forwarded-For is not trusted here (it is client-controlled)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limited(key: str, *, limit: int, window: int) -> bool:
    """Count one hit of `key`; True when more than `limit` hits fell in the current window of
    `window` seconds. A cache outage never blocks (fails open)."""
    name = f"ratelimit:{key}"
    try:
        if cache.add(name, 1, timeout=window):
            return False
        return cache.incr(name) > limit
    except Exception:  # the cache is down or the key expired between add and incr
        return False
