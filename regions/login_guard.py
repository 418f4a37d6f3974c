"""Slowing down password guessing without locking the owner out (docs/security.md).

A fixed lockout per account ("5 wrong passwords lock the NIP for 5 minutes") lets anyone who
knows a NIP lock its owner out, again and again. Instead, failures are counted per *source*
of the attempt and per account:

- **per account and source** — the source is the client address (as `TRUSTED_PROXY_COUNT`
  decides it), or the browser's *device cookie* when it holds one for this account (a signed
  cookie set at each successful login: OWASP's "device cookies"). After `FREE_FAILURES`
  failures, each further attempt from that source must wait: `BASE_DELAY` seconds, doubled
  at every failure, at most `MAX_DELAY`. Attempts made too soon are refused before the
  password is even checked, with a message that says how long to wait and offers the
  password reset.
- **per account, from sources without its device cookie** — after `ACCOUNT_FREE_FAILURES`
  such failures (a guess spread over many addresses), the same progressive delay applies to
  every source that has no device cookie for the account. The owner's browser, which has one,
  is not slowed down by what others do.

A successful login clears its source's count; a password reset clears the account's. Counts
live in the cache (Redis in production) for `WINDOW` seconds. When the cache cannot be
reached the guard **fails open**: the attempt goes through (allauth's per-address limit still
applies) and a warning is logged — a Redis outage must not stop everyone from logging in.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompetensi.clientip import client_ip

logger = logging.getLogger(__name__)

DEVICE_COOKIE = "kompetensi_device"
DEVICE_SALT = "kompetensi.login_guard.device"
DEVICE_MAX_AGE = 365 * 24 * 3600
DEVICE_MAX_ACCOUNTS = 10

DEFAULTS = {
    "FREE_FAILURES": 5,
    "BASE_DELAY": 30,
    "MAX_DELAY": 15 * 60,
    "ACCOUNT_FREE_FAILURES": 20,
    "WINDOW": 60 * 60,
}


def _conf(name: str) -> int:
    return int(getattr(settings, "KOMPETENSI_LOGIN_GUARD", {}).get(name, DEFAULTS[name]))


def account_key(login: str) -> str:
    """A stable, non-reversible key of what was typed as the login (NIP or email)."""
    normalised = (login or "").strip().lower()
    return hashlib.sha256(f"{settings.SECRET_KEY}:{normalised}".encode()).hexdigest()[:32]


# --- device cookie -----------------------------------------------------------------------------


def _device(request) -> dict:
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return {}
    try:
        value = signing.loads(raw, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except signing.BadSignature:
        return {}
    return value if isinstance(value, dict) else {}


def trusted_device_id(request, account: str) -> str | None:
    device = _device(request)
    if account in device.get("accounts", []):
        return device.get("id")
    return None


def remember_device(request, response, login_values: list[str]) -> None:
    """Mark this browser as a trusted device of the accounts (after a successful login)."""
    device = _device(request)
    accounts = [account_key(value) for value in login_values if value]
    known = [a for a in device.get("accounts", []) if a not in accounts]
    value = {
        "id": device.get("id") or secrets.token_urlsafe(16),
        "accounts": (accounts + known)[:DEVICE_MAX_ACCOUNTS],
    }
    response.set_cookie(
        DEVICE_COOKIE,
        signing.dumps(value, salt=DEVICE_SALT),
        max_age=DEVICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# --- counting ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    account: str
    pair_key: str
    trusted: bool


def _source(request, login: str) -> _Source:
    account = account_key(login)
    device = trusted_device_id(request, account)
    source = f"device:{device}" if device else f"ip:{client_ip(request)}"
    pair = hashlib.sha256(f"{account}:{source}".encode()).hexdigest()[:32]
    return _Source(account=account, pair_key=f"login-guard:pair:{pair}", trusted=device is not None)


def _delay(failures: int, free: int) -> int:
    if failures < free:
        return 0
    return min(_conf("BASE_DELAY") * 2 ** (failures - free), _conf("MAX_DELAY"))


def _wait(record: dict | None, free: int, now: float) -> int:
    if not record:
        return 0
    delay = _delay(record.get("n", 0), free)
    return max(0, int(record.get("at", 0) + delay - now + 0.999)) if delay else 0


def wait_seconds(request, login: str) -> int:
    """How long this source must wait before it may try this login again (0: now)."""
    if not login:
        return 0
    source = _source(request, login)
    now = time.time()
    try:
        records = cache.get_many([source.pair_key, f"login-guard:acct:{source.account}"])
    except Exception:
        logger.warning("Login guard: cache unavailable, attempt allowed (fail open).")
        return 0
    wait = _wait(records.get(source.pair_key), _conf("FREE_FAILURES"), now)
    if not source.trusted:
        account = records.get(f"login-guard:acct:{source.account}")
        wait = max(wait, _wait(account, _conf("ACCOUNT_FREE_FAILURES"), now))
    return wait


def record_failure(request, login: str) -> None:
    if not login:
        return
    source = _source(request, login)
    now, window = time.time(), _conf("WINDOW")
    keys = [source.pair_key]
    if not source.trusted:
        keys.append(f"login-guard:acct:{source.account}")
    try:
        records = cache.get_many(keys)
        cache.set_many(
            {key: {"n": records.get(key, {}).get("n", 0) + 1, "at": now} for key in keys},
            timeout=window,
        )
    except Exception:
        logger.warning("Login guard: cache unavailable, failure not counted (fail open).")


def record_success(request, login: str) -> None:
    if not login:
        return
    try:
        cache.delete(_source(request, login).pair_key)
    except Exception:
        logger.warning("Login guard: cache unavailable, success not recorded.")


def clear_account(login_values: list[str]) -> None:
    """After a password reset: the account's count of failures from everywhere is cleared."""
    try:
        cache.delete_many([f"login-guard:acct:{account_key(v)}" for v in login_values if v])
    except Exception:
        logger.warning("Login guard: cache unavailable, account count not cleared.")


def wait_text(seconds: int) -> str:
    if seconds >= 60:
        minutes = (seconds + 59) // 60
        return ngettext("%(n)d menit", "%(n)d menit", minutes) % {"n": minutes}
    return ngettext("%(n)d detik", "%(n)d detik", seconds) % {"n": seconds}


def delayed_message(seconds: int) -> str:
    return _(
        "Terlalu banyak percobaan masuk yang gagal untuk akun ini. Demi keamanan, coba lagi "
        "dalam %(wait)s. Lupa kata sandi? Gunakan tautan “Lupa kata sandi?” di bawah untuk "
        "mengatur ulang kata sandi Anda."
    ) % {"wait": wait_text(seconds)}
