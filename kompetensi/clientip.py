"""The client's address, decided in one place for every consumer: rate limits (allauth and
the login guard), the audit trail and the logs.

Behind a reverse proxy every request comes from the proxy's address. The proxy appends the
address it saw to `X-Forwarded-For`; a client can put anything *before* it, never after. So
with `TRUSTED_PROXY_COUNT = n` (the number of proxies of our own in front of the app) the
client is the n-th address from the right; with 0 (the default: no proxy) it is the TCP peer
(`REMOTE_ADDR`) and `X-Forwarded-For` is ignored, so nobody can pick their own address.
docs/security.md and docs/deployment.md say how to set it.
"""

from __future__ import annotations

import ipaddress
import logging
from contextvars import ContextVar

from django.conf import settings

logger = logging.getLogger(__name__)

_current: ContextVar[str] = ContextVar("kompetensi_client_ip", default="-")


def _clean(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [v6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # v4:port
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's address as the trusted-proxy setting decides it (never None)."""
    cached = getattr(request, "_kompetensi_client_ip", None)
    if cached:
        return cached
    count = int(getattr(settings, "KOMPETENSI_TRUSTED_PROXY_COUNT", 0) or 0)
    remote = request.META.get("REMOTE_ADDR", "") or ""
    address = None
    if count > 0:
        hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop]
        if len(hops) >= count:
            address = _clean(hops[-count])
        elif hops or remote:
            # Fewer hops than proxies: the request did not come through all of them.
            logger.warning(
                "X-Forwarded-For has %d address(es), TRUSTED_PROXY_COUNT is %d",
                len(hops),
                count,
            )
    address = address or _clean(remote) or "0.0.0.0"
    request._kompetensi_client_ip = address
    return address


def current_client_ip() -> str:
    """The address of the request being served in this context ("-" outside a request)."""
    return _current.get()


class ClientIpMiddleware:
    """Decides the client's address once per request, for the views and the logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.client_ip = client_ip(request)
        token = _current.set(request.client_ip)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
