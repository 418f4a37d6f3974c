"""A Redis cache that degrades to a per-process local cache while Redis is unreachable.

Everything the portal keeps in the cache is protection or a shortcut, never data: API
throttling (`kompetensi.api.throttling`), allauth's login and password-reset rate limits, the
login guard's failure counts (`regions.login_guard`), the public-page rate limit
(`kompetensi.ratelimit`). With Django's plain `RedisCache` a Redis outage made each of them
raise, so login, password reset and every API call answered 500.

`ResilientRedisCache` answers every cache call from Redis while Redis answers. When a call
fails with a connection error it:

- logs **one** warning for the outage in this process ("Redis unreachable ... local cache"),
- answers that call and every call of the next `RETRY_SECONDS` from a local in-memory cache
  (`LocMemCache`, per process: limits keep counting, each worker on its own, so the effective
  limit during an outage is the configured one times the number of worker processes),
- then tries Redis again (one call); when Redis answers, logs "Redis answers again" once and
  goes back to it. Counts made locally during the outage are not copied back (they expire).

This is a **local fallback**, not fail-open: a client hammering one worker is still limited.
Only `kompetensi.ratelimit` and the login guard also fail open when even the local cache
raises (it does not, short of running out of memory).

Connection and socket timeouts are short (`REDIS_TIMEOUT`, default 0.5 s) so a Redis that does
not answer (a dropped network, not a refused connection) costs at most that, once per
`RETRY_SECONDS`, not once per request.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

RETRY_SECONDS = 5.0


class _Outage:
    """Per-process state of the Redis outage (Django makes one cache object per thread)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down = False
        self.retry_at = 0.0

    def skip_redis(self) -> bool:
        return self.down and time.monotonic() < self.retry_at

    def failed(self, exc: BaseException, retry_seconds: float) -> None:
        with self.lock:
            self.retry_at = time.monotonic() + retry_seconds
            if self.down:
                return
            self.down = True
        logger.warning(
            "Redis unreachable (%s): cache, rate limits and throttling use a local per-process "
            "cache until it answers again.",
            exc,
        )

    def answered(self) -> None:
        if not self.down:
            return
        with self.lock:
            if not self.down:
                return
            self.down = False
        logger.warning("Redis answers again: cache, rate limits and throttling are shared again.")

    def reset(self) -> None:
        with self.lock:
            self.down = False
            self.retry_at = 0.0


outage = _Outage()


def redis_unavailable() -> bool:
    """True while this process is in a Redis outage and not yet due to retry."""
    return outage.skip_redis()


def connection_errors() -> tuple[type[BaseException], ...]:
    from redis.exceptions import ConnectionError, TimeoutError

    return (ConnectionError, TimeoutError, OSError)


def _resilient(name: str):
    def method(self, *args, **kwargs):
        if outage.skip_redis():
            return getattr(self.local, name)(*args, **kwargs)
        try:
            result = getattr(RedisCache, name)(self, *args, **kwargs)
        except connection_errors() as exc:
            outage.failed(exc, self.retry_seconds)
            return getattr(self.local, name)(*args, **kwargs)
        outage.answered()
        return result

    method.__name__ = name
    method.__doc__ = f"`RedisCache.{name}`, or the local cache while Redis is unreachable."
    return method


class ResilientRedisCache(RedisCache):
    """Django's `RedisCache`, falling back to a per-process `LocMemCache` during an outage.

    OPTIONS may hold `RETRY_SECONDS` (how long to stay local after a failure, default 5 s);
    the rest go to redis-py's connection pool as with `RedisCache`."""

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("RETRY_SECONDS", RETRY_SECONDS))
        params["OPTIONS"] = options
        super().__init__(server, params)
        # LocMemCache keeps its data per name at module level: every thread shares it.
        self.local = LocMemCache(
            f"kompetensi-redis-fallback:{server}",
            {"TIMEOUT": params.get("TIMEOUT", 300), "OPTIONS": {"MAX_ENTRIES": 100_000}},
        )

    for _name in (
        "add",
        "get",
        "set",
        "touch",
        "delete",
        "get_many",
        "has_key",
        "incr",
        "set_many",
        "delete_many",
        "clear",
    ):
        locals()[_name] = _resilient(_name)
    del _name


def redis_cache_settings(url: str, *, timeout: float = 0.5) -> dict:
    """The CACHES entry of a Redis cache with the local fallback and short timeouts."""
    return {
        "BACKEND": "kompetensi.cache.ResilientRedisCache",
        "LOCATION": url,
        "OPTIONS": {
            "socket_connect_timeout": timeout,
            "socket_timeout": timeout,
            "RETRY_SECONDS": RETRY_SECONDS,
        },
    }
