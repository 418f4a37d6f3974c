"""Integration: every dashboard runs the same number of queries at two data sizes (pinned)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from regions.models import Employee, User
from tests.factories.regions import EmployeeFactory, UnitFactory
from tests.factories.training import (
    EnrolmentFactory,
    OfferingFactory,
    assess,
    national,
    standard,
    technical,
)
from training.models import Enrolment, PositionStandard

from .conftest import YEAR, record

pytestmark = pytest.mark.django_db

# Queries of each page, whatever the data size (session, user, region, access included).
PINNED = {
    "asn": 20,
    "team": 18,
    "team_export": 15,
    "region": 29,
    "region_cached": 16,  # evaluation figures cached too (one version query)
    "region_people": 11,
    "region_export": 14,
    "recognition": 16,
    "national": 9,
    "national_cached": 4,
}


def competency_standard(region) -> list:
    """The region's pelaksana standard (made once): the competencies it requires."""
    with scopes_disabled():
        existing = PositionStandard.objects.filter(region=region).first()
        if existing is not None:
            return [item.competency for item in existing.items.all()]
    required = [national("M.01"), national("M.02"), technical(region, f"TK.{region.pk:02d}")]
    standard(region, items=[(c, 3) for c in required])
    return required


def grow(region, boss, n=12):
    """n more employees (half under `boss`) with records, enrolments, batches and competency
    assessments (the team's heat map)."""
    required = competency_standard(region)
    with scopes_disabled():
        unit = UnitFactory(region=region)
        batches = [
            OfferingFactory(
                region=region,
                start_date=dt.date(YEAR, month, 2),
                end_date=dt.date(YEAR, month, 4),
                enrolment_opens=dt.date(YEAR, month - 1, 1),
                enrolment_closes=dt.date(YEAR, month, 1),
            )
            for month in (3, 6, 9)
        ]
        for i in range(n):
            employee = EmployeeFactory(
                region=region,
                unit=unit,
                supervisor=boss if i % 2 else None,
                employment_type=Employee.EmploymentType.PPPK if i % 5 == 0 else "pns",
            )
            record(employee, 6 + i, dt.date(YEAR, 1 + i % 12, 10))
            record(employee, 8, dt.date(YEAR, 1 + (i + 3) % 12, 12))
            EnrolmentFactory(
                region=region,
                offering=batches[i % 3],
                employee=employee,
                status=[Enrolment.Status.COMPLETED, Enrolment.Status.REQUESTED][i % 2],
                pre_test_score=50,
                post_test_score=70,
            )
            for k, competency in enumerate(required[: 1 + i % 3]):
                assess(employee, competency, 1 + (i + k) % 4, on=dt.date(YEAR, 1, 5))


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def urls(region):
    def url(name, **query):
        base = reverse(f"dashboards:{name}", kwargs={"region_slug": region.slug})
        return base + "?" + "&".join(f"{k}={v}" for k, v in {"tahun": YEAR, **query}.items())

    return url


@pytest.fixture
def viewer(db):
    return User.objects.create_user(
        username="peninjau", email="peninjau@example.go.id", is_national_viewer=True
    )


def measure(client, region, world, admin, viewer) -> dict:
    url = urls(region)
    counts = {}
    client.force_login(world.p1.user)
    counts["asn"] = count(client, url("asn"))
    client.force_login(world.boss.user)
    counts["team"] = count(client, url("team"))
    counts["team_export"] = count(
        client,
        reverse("dashboards:export_team", kwargs={"region_slug": region.slug})
        + f"?tahun={YEAR}&tabel=team_competency_gaps&format=csv",
    )
    client.force_login(admin.user)
    counts["region"] = count(client, url("region"))  # computed: a new version of the data
    counts["region_cached"] = count(client, url("region"))  # the same version: from the cache
    counts["region_people"] = count(client, url("region_people", kategori="below"))
    counts["region_export"] = count(
        client,
        reverse("dashboards:export_region", kwargs={"region_slug": region.slug})
        + f"?tahun={YEAR}&tabel=region_units&format=csv",
    )
    counts["recognition"] = count(client, url("recognition"))
    client.force_login(viewer)
    counts["national"] = count(client, reverse("national:dashboard") + f"?tahun={YEAR}")
    counts["national_cached"] = count(client, reverse("national:dashboard") + f"?tahun={YEAR}")
    return counts


def test_dashboards_run_constant_queries(client, region, world, admin, viewer, other_region):
    grow(region, world.boss, n=2)  # a few tested participants: the evaluation section shows
    small = measure(client, region, world, admin, viewer)
    grow(region, world.boss)
    grow(other_region, None, n=6)
    large = measure(client, region, world, admin, viewer)
    assert small == large
    assert small == PINNED
