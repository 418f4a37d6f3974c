"""Shared fixtures. Every fixture set has two regions, with data in the other one that could leak.

Region A (`region`) is the one the test acts in; region B (`other_region`) holds look-alike
objects that must never show up. Tests run with django-scopes active, like production.
"""

import os

import pytest
from django.db import connection
from django_scopes import scope, scopes_disabled

from tests.factories.regions import EmployeeFactory, RegionFactory, UnitFactory, make_admin

PASSWORD = "Rahasia-123!"


def pytest_collection_modifyitems(config, items):
    """Postgres-only tests are deselected (never skipped) on SQLite, and said so.

    CI runs the suite twice, the second time on PostgreSQL with REQUIRE_POSTGRES=1, where these
    tests run; on that run a non-Postgres database is an error, not a skip.
    """
    from django.conf import settings

    # Browser tests run last: Playwright keeps an event loop alive in the main thread until the
    # session ends, and Django refuses database calls from a thread with a running loop.
    items.sort(key=lambda item: bool(item.get_closest_marker("e2e")))

    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    if os.environ.get("REQUIRE_POSTGRES") and not on_postgres:
        raise pytest.UsageError("REQUIRE_POSTGRES is set but DATABASE_URL is not PostgreSQL.")
    if on_postgres:
        return
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker("postgres") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
        print(
            f"\n{len(drop)} PostgreSQL-only tests deselected on SQLite (they run in CI on Postgres)."
        )


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters (logins, API throttles) live in the cache: start each test clean."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that check hashing ask for it explicitly."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English (LocaleMiddleware) leaves the thread's language set; each test
    starts in the default language, whatever ran before it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _second_factor_not_required(settings):
    """Most tests log an admin in with `force_login` (no second factor). The two-factor wall
    has its own tests (tests/security/test_mfa.py), which set the required roles back."""
    settings.KOMPETENSI_MFA_REQUIRED_ROLES = []


@pytest.fixture
def region(db):
    return RegionFactory(slug="semarang", name="Semarang", province="Jawa Tengah")


@pytest.fixture
def other_region(db):
    return RegionFactory(slug="binjai", name="Binjai")


@pytest.fixture
def unit(region):
    return UnitFactory(region=region, code="BKPP", name="Badan Kepegawaian dan Pengembangan SDM")


@pytest.fixture
def other_unit(other_region):
    return UnitFactory(region=other_region, code="BKPP", name="BKPSDM Binjai")


@pytest.fixture
def admin(region, unit):
    """A BKPSDM admin of region A (also an employee there)."""
    return make_admin(region, unit=unit, name="Admin Semarang")


@pytest.fixture
def supervisor(region, unit):
    return EmployeeFactory(region=region, unit=unit, name="Kepala Bidang", position="Kepala Bidang")


@pytest.fixture
def employee(region, unit, supervisor):
    return EmployeeFactory(region=region, unit=unit, supervisor=supervisor, name="Siti Aminah")


@pytest.fixture
def other_admin(other_region, other_unit):
    return make_admin(other_region, unit=other_unit, name="Admin Binjai")


@pytest.fixture
def other_employee(other_region, other_unit):
    return EmployeeFactory(region=other_region, unit=other_unit, name="Budi Binjai")


@pytest.fixture
def login(client):
    """Log a user (or an employee's user) in and return the client."""

    def _login(who):
        user = getattr(who, "user", who)
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def in_region(region):
    """Run ORM code of a test inside region A's scope."""
    with scope(region=region):
        yield region


@pytest.fixture
def no_scopes():
    with scopes_disabled():
        yield


@pytest.fixture
def on_postgres():
    assert connection.vendor == "postgresql", "this test needs PostgreSQL"
    return True


@pytest.fixture(autouse=True)
def _celery_eager(request):
    """Tasks run in-process in tests, even when a broker is configured (the Postgres run).

    Tests marked `real_worker` talk to a real Celery worker instead.
    """
    from kompetensi.celery import app

    if request.node.get_closest_marker("real_worker"):
        yield
        return
    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous
