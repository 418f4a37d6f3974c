"""Integration: a client of region A never sees region B — on every endpoint, by id, by
filter, by `?region=`; national clients read one named region at a time and never write."""

import pytest
from django_scopes import scopes_disabled

from regions.models import Tombstone
from tests.factories.regions import TombstoneFactory, UnitFactory
from tests.factories.training import (
    DevelopmentRecordFactory,
    EnrolmentFactory,
    OfferingFactory,
    SessionFactory,
)

from .conftest import ApiTestClient, issue

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/enrolments/",
    "/api/v1/programmes/",
    "/api/v1/offerings/",
    "/api/v1/employees/",
    "/api/v1/units/",
    "/api/v1/development-records/",
    "/api/v1/development-records/siasn/",
    "/api/v1/evaluations/",
    "/api/v1/deleted/?resource=development-records",
]


@pytest.fixture
def both(region, other_region, employee, other_employee):
    """Look-alike data in both regions; returns {region slug: {resource: id}}."""
    made = {}
    with scopes_disabled():
        for reg, emp in ((region, employee), (other_region, other_employee)):
            offering = OfferingFactory(region=reg)
            SessionFactory(region=reg, offering=offering)
            made[reg.slug] = {
                "enrolments": EnrolmentFactory(region=reg, offering=offering, employee=emp).pk,
                "programmes": offering.program_id,
                "offerings": offering.pk,
                "employees": emp.pk,
                "units": emp.unit_id,
                "development-records": DevelopmentRecordFactory(
                    verified=True, region=reg, employee=emp
                ).pk,
                "evaluations": offering.pk,
                "tombstone": TombstoneFactory(region=reg, object_id=777).pk,
                "nip": emp.nip,
                "programme_code": offering.program.code,
                "unit_code": emp.unit.code,
            }
            UnitFactory(region=reg, code="SAMA")  # same code in both regions
    return made


def _all_ids(body):
    return {row.get("id", row.get("offering_id")) for row in body["results"]}


@pytest.mark.parametrize("url", LISTS)
def test_lists_never_contain_the_other_regions_rows(api, both, url):
    response = api.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Budi Binjai" not in text
    assert both["binjai"]["nip"] not in text
    results = response.json()["results"]
    if "deleted" in url:
        with scopes_disabled():
            mine = Tombstone.objects.get(pk=both["semarang"]["tombstone"])
        assert [r["deleted_at"] for r in results] == [mine.deleted_at.isoformat()]
    else:
        assert len(results) == (2 if "units" in url or "employees" in url else 1)


@pytest.mark.parametrize(
    "resource",
    [
        "enrolments",
        "programmes",
        "offerings",
        "employees",
        "units",
        "development-records",
        "evaluations",
    ],
)
def test_the_other_regions_ids_are_404(api, both, resource):
    mine = api.get(f"/api/v1/{resource}/{both['semarang'][resource]}/")
    assert mine.status_code == 200
    theirs = api.get(f"/api/v1/{resource}/{both['binjai'][resource]}/")
    assert theirs.status_code == 404
    assert theirs.json()["error"]["code"] == "not_found"
    assert "Binjai" not in theirs.content.decode()


def test_filters_with_the_other_regions_ids_find_nothing(api, both):
    b = both["binjai"]
    for query in (
        f"offering={b['offerings']}",
        f"programme={b['programmes']}",
        f"nip={b['nip']}",
        f"unit={b['units']}",
    ):
        body = api.get(f"/api/v1/enrolments/?{query}").json()
        assert body["results"] == [], query
    # A code both regions use matches only region A's rows.
    rows = api.get("/api/v1/units/").json()["results"]
    assert [r["code"] for r in rows].count("SAMA") == 1


def test_naming_another_region_is_404(api, both):
    response = api.get("/api/v1/enrolments/?region=binjai")
    assert response.status_code == 404
    assert api.get("/api/v1/enrolments/?region=semarang").status_code == 200


def test_the_other_regions_client_sees_only_its_own(other_api, both):
    ids = _all_ids(other_api.get("/api/v1/enrolments/").json())
    assert ids == {both["binjai"]["enrolments"]}


def test_writes_cannot_reach_the_other_region(api, both):
    response = api.post(
        "/api/v1/enrolments/",
        {"offering": both["binjai"]["offerings"], "nip": both["semarang"]["nip"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"].keys() == {"offering"}
    response = api.post(
        "/api/v1/enrolments/",
        {"offering": both["semarang"]["offerings"], "nip": both["binjai"]["nip"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["details"].keys() == {"nip"}


@pytest.fixture
def national(admin):
    admin.user.is_superuser = True
    admin.user.save()
    return ApiTestClient(issue(None, by=admin.user).token)


def test_national_client_reads_one_named_region_at_a_time(national, both):
    missing = national.get("/api/v1/enrolments/")
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "region_required"
    for slug in ("semarang", "binjai"):
        ids = _all_ids(national.get(f"/api/v1/enrolments/?region={slug}").json())
        assert ids == {both[slug]["enrolments"]}
        page = national.get(f"/api/v1/enrolments/?region={slug}&page_size=1").json()
        assert page["next"] is None or f"region={slug}" in page["next"]
    b_id = both["binjai"]["enrolments"]
    assert national.get(f"/api/v1/enrolments/{b_id}/?region=semarang").status_code == 404
    assert national.get(f"/api/v1/enrolments/{b_id}/?region=binjai").status_code == 200
    assert national.get("/api/v1/enrolments/?region=nowhere").status_code == 404
    regions = national.get("/api/v1/regions/").json()
    assert {r["slug"] for r in regions} == {"semarang", "binjai"}
    me = national.get("/api/v1/me/").json()
    assert me["national"] is True and me["region"] is None


def test_national_client_never_writes(national, both):
    response = national.post(
        "/api/v1/enrolments/?region=semarang",
        {"offering": both["semarang"]["offerings"], "nip": both["semarang"]["nip"]},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "read_only_client"


def test_regional_client_lists_only_its_region(api, both):
    assert [r["slug"] for r in api.get("/api/v1/regions/").json()] == ["semarang"]


def test_national_client_with_a_garbage_region_is_404(national, both):
    for slug in ("%00", "a%20b", "x" * 61):
        assert national.get(f"/api/v1/enrolments/?region={slug}").status_code == 404


def test_course_progress_and_certificate_numbers_stay_in_the_clients_region(
    api, region, other_region, employee, other_employee
):
    """Another region's enrolment with course progress and a certificate number is never
    listed, found by id or by its offering."""
    with scopes_disabled():
        mine = EnrolmentFactory(
            region=region, employee=employee, course_progress=40, certificate_number="800/1/A/2026"
        )
        theirs = EnrolmentFactory(
            region=other_region,
            employee=other_employee,
            course_progress=100,
            certificate_number="800/9/RAHASIA/2026",
        )
    body = api.get("/api/v1/enrolments/").json()
    assert [(r["id"], r["course_progress"], r["certificate_number"]) for r in body["results"]] == [
        (mine.pk, 40, "800/1/A/2026")
    ]
    assert "RAHASIA" not in str(body)
    assert api.get(f"/api/v1/enrolments/{theirs.pk}/").status_code == 404
    assert api.get(f"/api/v1/enrolments/?offering={theirs.offering_id}").json()["results"] == []
