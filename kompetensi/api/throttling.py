"""Rate limiting that costs one Redis round trip, and degrades instead of failing.

DRF's `SimpleRateThrottle` keeps the timestamps of every request of the window in the cache
and reads and rewrites that list on each request (two round trips and a pickled list of up to
N floats). `GCRAThrottle` keeps one number per key instead — the generic cell rate algorithm's
"theoretical arrival time" — and decides in a Lua script inside Redis, with Redis's own clock
(the same for every app server): N requests per period, bursts of up to N allowed.

Without a Redis cache (the embedded default, tests) it falls back to DRF's implementation on
whatever cache is configured. When Redis is unreachable the limit falls back to DRF's
implementation on the per-process local cache of `kompetensi.cache.ResilientRedisCache` (a
local limit: each worker counts on its own), and the cache logs one warning per outage.
"""

import logging

from rest_framework.throttling import SimpleRateThrottle

from kompetensi.cache import RETRY_SECONDS, outage, redis_unavailable

logger = logging.getLogger(__name__)

# KEYS[1]: the key. ARGV[1]: emission interval (ms) = period / N. ARGV[2]: tolerance (ms) =
# period. Returns {allowed (1/0), milliseconds to wait}.
GCRA_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local new_tat = tat + interval
local allow_at = new_tat - tolerance
if allow_at > now then
    return {0, allow_at - now}
end
redis.call('SET', KEYS[1], new_tat, 'PX', math.ceil(new_tat - now) + 1000)
return {1, 0}
"""


def _redis_cache():
    """Django's default cache when it is a RedisCache (the real backend object, not the
    `django.core.cache.cache` proxy), else None."""
    from django.core.cache import caches
    from django.core.cache.backends.redis import RedisCache

    backend = caches["default"]
    return backend if isinstance(backend, RedisCache) else None


_scripts: dict = {}


def _script(backend):
    """The registered Lua script on a client of the backend's connection pool, made once per
    pool (Django's RedisCache builds a new client object on every call; its pool is shared)."""
    pool = backend._cache._get_connection_pool(write=True)
    script = _scripts.get(id(pool))
    if script is None:
        client = backend._cache._client(connection_pool=pool)
        script = _scripts[id(pool)] = client.register_script(GCRA_LUA)
    return script


class GCRAThrottle(SimpleRateThrottle):
    """A `SimpleRateThrottle` (same rates, same `get_cache_key`) decided by one Lua call."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        backend = _redis_cache()
        if backend is None:
            return super().allow_request(request, view)
        if redis_unavailable():
            return self._local_limit(request, view)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        from redis.exceptions import RedisError

        interval_ms = self.duration * 1000 / self.num_requests
        try:
            script = _script(backend)
            allowed, wait_ms = script(
                keys=[backend.make_and_validate_key(self.key)],
                args=[interval_ms, self.duration * 1000],
            )
        except (RedisError, OSError) as exc:
            outage.failed(exc, getattr(backend, "retry_seconds", RETRY_SECONDS))
            return self._local_limit(request, view)
        outage.answered()
        self._wait = int(wait_ms) / 1000 if not allowed else None
        return bool(allowed)

    def _local_limit(self, request, view):
        """During a Redis outage: DRF's limit on the cache, which `ResilientRedisCache` answers
        from its per-process local cache; fail open if even that raises (a plain RedisCache)."""
        try:
            return super().allow_request(request, view)
        except Exception:  # noqa: BLE001 - a limit is protection, not a reason to stop serving
            return True

    def wait(self):
        wait = getattr(self, "_wait", None)
        if wait is not None:
            return wait
        return super().wait()
