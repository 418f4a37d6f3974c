"""Integration: no route under /<region_slug>/ shows or changes another region's data."""

from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_scopes import scopes_disabled

from tests.factories.regions import EmployeeFactory

from .cross_region import LEAK_BUILDERS, ROUTES


def _region_route_names(patterns=None, namespace="", inherited=False):
    names = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        has_region = inherited or "region_slug" in str(entry.pattern)
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= _region_route_names(entry.url_patterns, ns, has_region)
        elif isinstance(entry, URLPattern) and has_region and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


@pytest.fixture
def leak(other_region, other_unit, other_admin):
    """Region B's objects, each of which could leak into region A."""
    with scopes_disabled():
        employee = EmployeeFactory(
            region=other_region, unit=other_unit, supervisor=other_admin, name="Rahasia Binjai"
        )
        leak = SimpleNamespace(
            region=other_region, unit=other_unit, employee=employee, admin=other_admin
        )
        for build in LEAK_BUILDERS:
            build(leak)
    return leak


def test_every_region_route_has_a_cross_region_case():
    missing = _region_route_names() - set(ROUTES)
    assert not missing, f"add these routes to tests/cross_region.py: {sorted(missing)}"


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_user_of_region_a_gets_404_in_region_b(name, admin, leak, login):
    client = login(admin)
    url = reverse(name, kwargs={"region_slug": leak.region.slug, **ROUTES[name](leak)})
    assert client.get(url).status_code == 404
    assert client.post(url, {}).status_code == 404


class _AnyObject:
    """Stands in for any leak object, to tell which routes take an object id."""

    pk = 0

    def __getattr__(self, name):
        return self


OBJECT_ROUTES = sorted(name for name, kwargs in ROUTES.items() if kwargs(_AnyObject()))


@pytest.mark.parametrize("name", OBJECT_ROUTES)
def test_region_b_objects_are_404_inside_region_a(name, admin, leak, login, region):
    client = login(admin)
    url = reverse(name, kwargs={"region_slug": region.slug, **ROUTES[name](leak)})
    get = client.get(url)
    assert get.status_code == 404
    assert b"Rahasia Binjai" not in get.content
    assert client.post(url, {}).status_code == 404
