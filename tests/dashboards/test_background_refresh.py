"""Integration: after a write the region and national dashboards answer at once with the
previous figures, marked as being recomputed, and queue exactly one background refresh; the
refresh makes the next open fresh. Without a background worker (tasks eager in the request)
the figures are recomputed in the request, as before."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from dashboards import caching
from dashboards.tasks import refresh_figures
from regions.models import User

from .conftest import YEAR, record

pytestmark = pytest.mark.django_db


def region_url(region):
    return reverse("dashboards:region", kwargs={"region_slug": region.slug}) + f"?tahun={YEAR}"


def met(response) -> int:
    data = {s.key: s.data for s in response.context["sections"]}
    return data["dashboards.region_compliance"]["compliance"].overall.met


@pytest.fixture
def queued(monkeypatch):
    """A background worker exists; queued refreshes are recorded, not run."""
    calls = []
    monkeypatch.setattr(caching, "background_refresh_available", lambda: True)
    monkeypatch.setattr(
        caching, "enqueue_on_commit", lambda task, *args: calls.append((task, args))
    )
    return calls


def test_after_a_write_the_previous_figures_show_stale_and_one_refresh_is_queued(
    client, region, world, admin, queued
):
    client.force_login(admin.user)
    first = client.get(region_url(region))
    assert met(first) == 2 and not first.context["stale"] and queued == []

    with scopes_disabled():
        record(world.p4, 25, dt.date(YEAR, 9, 9))  # Dewi reaches the target
    stale = client.get(region_url(region))
    assert met(stale) == 2 and stale.context["stale"]
    assert b'data-stale="1"' in stale.content
    assert "sedang dihitung ulang" in stale.content.decode()
    again = client.get(region_url(region))
    assert again.context["stale"]
    assert len(queued) == 1, "one refresh for any number of opens"
    task, args = queued[0]
    assert task == caching.REFRESH_TASK and args[0] == "region"

    refresh_figures(*args)  # what the worker runs
    fresh = client.get(region_url(region))
    assert met(fresh) == 3 and not fresh.context["stale"]
    assert b"data-stale" not in fresh.content


def test_without_a_background_worker_the_request_recomputes(client, region, world, admin):
    client.force_login(admin.user)
    assert met(client.get(region_url(region))) == 2
    with scopes_disabled():
        record(world.p4, 25, dt.date(YEAR, 9, 9))
    fresh = client.get(region_url(region))
    assert met(fresh) == 3 and not fresh.context["stale"]


def test_figures_too_old_are_recomputed_in_the_request(
    client, region, world, admin, queued, settings
):
    client.force_login(admin.user)
    client.get(region_url(region))
    with scopes_disabled():
        record(world.p4, 25, dt.date(YEAR, 9, 9))
    settings.KOMPETENSI_DASHBOARD_STALE_SECONDS = 0
    fresh = client.get(region_url(region))
    assert met(fresh) == 3 and not fresh.context["stale"] and queued == []


def test_a_stale_open_runs_the_queries_of_a_cached_one(client, region, world, admin, queued):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            client.get(region_url(region))
        return len(captured)

    client.force_login(admin.user)
    computed = queries()
    cached = queries()
    with scopes_disabled():
        record(world.p4, 25, dt.date(YEAR, 9, 9))
    assert queries() == cached < computed


def test_national_comparison_refreshes_in_the_background(client, region, world, queued):
    viewer = User.objects.create_user(username="nas", email="n@x.go.id", is_national_viewer=True)
    client.force_login(viewer)
    url = reverse("national:dashboard") + f"?tahun={YEAR}"
    rows = {r.region.pk: r for r in client.get(url).context["rows"]}
    before = rows[region.pk].met_rate
    with scopes_disabled():
        record(world.p4, 25, dt.date(YEAR, 9, 9))
    stale = client.get(url)
    assert stale.context["stale"]
    assert {r.region.pk: r for r in stale.context["rows"]}[region.pk].met_rate == before
    ((task, args),) = queued
    refresh_figures(*args)
    fresh = client.get(url)
    assert not fresh.context["stale"]
    assert {r.region.pk: r for r in fresh.context["rows"]}[region.pk].met_rate > before


def test_expired_figures_of_the_same_data_are_refreshed_without_a_stale_note(queued):
    from django.core.cache import cache
    from django.utils.translation import get_language

    computed = []

    def figures(version):
        return caching.cached(
            name="test",
            parts=(1,),
            version=version,
            compute=lambda: computed.append(version) or len(computed),
            refresh=caching.Refresh("region", (1, YEAR, None)),
        )

    assert figures("v1") == (1, figures("v1").computed_at, False)
    cache.delete(caching._key(f"test|1|{get_language()}|v1"))  # its lifetime ran out
    again = figures("v1")
    assert (again.value, again.stale) == (1, False) and len(queued) == 1
    changed = figures("v2")
    assert (changed.value, changed.stale) == (1, True)
    assert computed == ["v1"]  # never in the request
