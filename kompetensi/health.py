"""Health endpoints for the load balancer and docker compose.

- `GET /healthz` — liveness: the process answers. Touches nothing (no database, no cache), so
  a database outage never makes an orchestrator kill healthy web processes.
- `GET /readyz` — readiness: the database answers, every migration is applied, and the Celery
  broker is reachable (when one is configured; without one tasks run in-process). 200 with
  the checks, or 503 with `Retry-After` and the failing check named (never its message: no
  host names or credentials leak).

Both are answered by `HealthCheckMiddleware`, placed first: before the HTTPS redirect and the
host check (a load balancer probes by IP address over plain HTTP), before sessions and
authentication (nothing to look up).
"""

from __future__ import annotations

import logging

from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
BROKER_TIMEOUT_SECONDS = 2.0

_migrated = False  # once every migration is applied it stays so for this process


def check_database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_migrations() -> None:
    global _migrated
    if _migrated:
        return
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migrations not applied")
    _migrated = True


def check_broker() -> str:
    from kompetensi.celery import app

    if app.conf.task_always_eager:
        return "not configured (tasks run in-process)"
    url = app.conf.broker_url
    if url.startswith(("redis://", "rediss://")):
        import redis

        client = redis.Redis.from_url(
            url,
            socket_connect_timeout=BROKER_TIMEOUT_SECONDS,
            socket_timeout=BROKER_TIMEOUT_SECONDS,
        )
        try:
            client.ping()
        finally:
            client.close()
        return "ok"
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)
    return "ok"


def readiness() -> tuple[bool, dict[str, str]]:
    checks: dict[str, str] = {}
    ready = True
    for name, check in (
        ("database", check_database),
        ("migrations", check_migrations),
        ("broker", check_broker),
    ):
        if name == "migrations" and checks.get("database") != "ok":
            checks[name] = "unknown"
            continue
        try:
            checks[name] = check() or "ok"
        except Exception as exc:  # noqa: BLE001 - any failure makes the process not ready
            ready = False
            checks[name] = f"failed ({type(exc).__name__})"
            logger.warning("Readiness check %s failed: %s", name, exc)
    if checks.get("database", "").startswith("failed"):
        connection.close_if_unusable_or_obsolete()
    return ready, checks


def healthz(request) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def readyz(request) -> JsonResponse:
    ready, checks = readiness()
    response = JsonResponse(
        {"status": "ready" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )
    if not ready:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


ENDPOINTS = {"/healthz": healthz, "/healthz/": healthz, "/readyz": readyz, "/readyz/": readyz}


class HealthCheckMiddleware:
    """Answers /healthz and /readyz (GET or HEAD) before any other middleware runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = ENDPOINTS.get(request.path_info)
        if view is not None and request.method in ("GET", "HEAD"):
            response = view(request)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)
