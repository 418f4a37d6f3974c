"""Integration: who sees which dashboard, what the pages show, drill-down lists, exports, the
team's approvals and the section registry."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from openpyxl import load_workbook

from dashboards.sections import (
    Column,
    NationalFigure,
    Section,
    Table,
    register_national_figure,
    register_section,
    unregister_national_figure,
    unregister_section,
)
from regions.models import User
from tests.factories.training import EnrolmentFactory, OfferingFactory
from training.models import Enrolment

from .conftest import YEAR, record

pytestmark = pytest.mark.django_db


def url(name, region, **query):
    base = reverse(f"dashboards:{name}", kwargs={"region_slug": region.slug})
    return base + "?" + "&".join(f"{k}={v}" for k, v in {"tahun": YEAR, **query}.items())


@pytest.fixture
def viewer(db):
    return User.objects.create_user(
        username="peninjau", email="peninjau@example.go.id", is_national_viewer=True
    )


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# --- Access ------------------------------------------------------------------------------------


def test_each_role_opens_its_own_dashboards_only(client, region, world, admin, viewer):
    client.force_login(world.p1.user)
    assert client.get(url("asn", region)).status_code == 200
    assert client.get(url("team", region)).status_code == 403
    assert client.get(url("region", region)).status_code == 403
    assert client.get(reverse("national:dashboard")).status_code == 404
    client.force_login(world.boss.user)
    assert client.get(url("team", region)).status_code == 200
    client.force_login(admin.user)
    assert client.get(url("region", region)).status_code == 200
    assert client.get(reverse("national:dashboard")).status_code == 404
    client.force_login(viewer)
    page = client.get(url("region", region))
    assert page.status_code == 200
    assert "peninjau nasional" in page.content.decode()
    assert client.get(reverse("national:dashboard")).status_code == 200


def test_region_dashboard_shows_the_figures_and_links_to_the_lists(client, region, world, admin):
    client.force_login(admin.user)
    page = client.get(url("region", region)).content.decode()
    assert "25.0%" in page or "25,0%" in page  # 2 of 8 PNS
    below = reverse("dashboards:region_people", kwargs={"region_slug": region.slug})
    below += f"?kategori=below&tahun={YEAR}"
    assert below.replace("&", "&amp;") in page
    assert "Rahasia Binjai" not in page
    # The chart data and its table alternative are on the page; no inline script runs it.
    assert 'id="chart-region_golongan" type="application/json"' in page
    assert "Tabel data grafik" in page
    listing = client.get(below)
    names = {e.name for e in listing.context["page"].object_list}
    assert names == {
        "Admin Semarang",
        "Kepala Seksi",
        "Citra Lestari",
        "Dewi Anggraini",
        "Fajar Nugroho",
        "Gita Permata",
    }
    assert listing.context["page"].paginator.count == 6


def test_people_list_exports_csv_and_xlsx_with_the_same_people(client, region, world, admin):
    client.force_login(admin.user)
    response = client.get(url("region_people", region, kategori="none", format="csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert rows[0][:2] == ["NIP", "Nama"]
    assert {r[1] for r in rows[1:]} == {
        "Admin Semarang",
        "Kepala Seksi",
        "Dewi Anggraini",
        "Fajar Nugroho",
        "Intan PPPK",
    }
    response = client.get(url("region_people", region, kategori="met", format="xlsx"))
    sheet = load_workbook(io.BytesIO(body(response))).active
    assert sorted(row[1] for row in sheet.iter_rows(min_row=2, values_only=True)) == [
        "Agus Salim",
        "Eko Prasetyo",
    ]


def test_dashboard_tables_export(client, region, world, admin):
    client.force_login(admin.user)
    base = reverse("dashboards:export_region", kwargs={"region_slug": region.slug})
    response = client.get(f"{base}?tahun={YEAR}&tabel=region_units&format=csv")
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    by_unit = {r[0]: r[1:4] for r in rows[1:]}
    assert by_unit["Kecamatan Tugu"] == ["3", "1", "2"]
    assert client.get(f"{base}?tabel=region_units&format=pdf").status_code == 400
    assert client.get(f"{base}?tabel=tidak-ada&format=csv").status_code == 404
    client.force_login(world.p1.user)
    assert client.get(f"{base}?tabel=region_units&format=csv").status_code == 403


def test_asn_dashboard_shows_own_jp_only(client, region, world):
    client.force_login(world.p1.user)
    response = client.get(url("asn", region))
    page = response.content.decode()
    assert 'data-testid="asn-jp">22 ' in page
    assert "Target tahun ini sudah tercapai." in page
    sections = {s.key for s in response.context["sections"]}
    assert {"dashboards.asn_jp", "dashboards.asn_learning", "dashboards.asn_plan"} <= sections


def test_team_dashboard_highlights_who_is_behind_and_approves(client, region, world):
    with scopes_disabled():
        offering = OfferingFactory(region=region, requires_approval=True)
        request = EnrolmentFactory(
            region=region,
            offering=offering,
            employee=world.p2,
            status=Enrolment.Status.REQUESTED,
            confirmed_at=None,
        )
        stranger = EnrolmentFactory(
            region=region,
            offering=offering,
            employee=world.p3,  # not Kepala's subordinate
            status=Enrolment.Status.REQUESTED,
            confirmed_at=None,
        )
    client.force_login(world.boss.user)
    page = client.get(url("team", region)).content.decode()
    assert page.index("Dewi Anggraini") < page.index("Citra Lestari") < page.index("Agus Salim")
    assert "2 PNS di bawah target" in page
    assert "Eko Prasetyo" not in page
    approve = reverse(
        "dashboards:team_approve", kwargs={"region_slug": region.slug, "enrolment_id": request.pk}
    )
    assert client.get(approve).status_code == 405
    response = client.post(approve)
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == Enrolment.Status.CONFIRMED
    other = reverse(
        "dashboards:team_approve",
        kwargs={"region_slug": region.slug, "enrolment_id": stranger.pk},
    )
    assert client.post(other).status_code == 404
    stranger.refresh_from_db()
    assert stranger.status == Enrolment.Status.REQUESTED


def test_bad_filters_fall_back_instead_of_failing(client, region, world, admin):
    client.force_login(admin.user)
    base = reverse("dashboards:region", kwargs={"region_slug": region.slug})
    for query in ("tahun=abc", "tahun=1800", "unit=999999", "unit=x", "tahun=2025&unit=-1"):
        assert client.get(f"{base}?{query}").status_code == 200
    people = reverse("dashboards:region_people", kwargs={"region_slug": region.slug})
    assert client.get(f"{people}?kategori=semua&golongan=x&jabatan=raja").status_code == 200


# --- National ----------------------------------------------------------------------------------


def test_national_compares_every_region(client, region, other_region, world, viewer):
    client.force_login(viewer)
    response = client.get(reverse("national:dashboard") + f"?tahun={YEAR}")
    rows = {r.region.pk: r for r in response.context["rows"]}
    mine = rows[region.pk]
    assert (mine.pns, mine.met, mine.asn) == (8, 2, 10)
    theirs = rows[other_region.pk]
    assert (theirs.met, theirs.pns) == (1, 1)  # Rahasia Binjai: 50 JP
    page = response.content.decode()
    assert reverse("dashboards:region", kwargs={"region_slug": region.slug}) in page
    ordered = client.get(reverse("national:dashboard") + f"?tahun={YEAR}&urut=memenuhi&arah=turun")
    assert [r.region.pk for r in ordered.context["rows"]][:1] == [other_region.pk]
    csv_rows = list(
        csv.reader(
            io.StringIO(
                body(client.get(reverse("national:dashboard") + "?format=csv")).decode("utf-8-sig")
            )
        )
    )
    assert len(csv_rows) == 3


# --- The registry ------------------------------------------------------------------------------


def test_a_registered_section_and_national_figure_appear_and_export(
    client, region, world, admin, viewer, tmp_path, settings
):
    template_dir = tmp_path / "templates"
    (template_dir / "plugin").mkdir(parents=True)
    (template_dir / "plugin" / "_l1.html").write_text(
        "<p>Rata-rata L1: {{ data.mean }}</p>{% include 'dashboards/_table.html' with table=data.tables.0 %}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], template_dir]}
    ]

    def l1_section(ctx):
        table = Table(
            key="l1",
            title="L1 per program",
            columns=[Column("p", "Program"), Column("m", "Rata-rata", "decimal")],
            rows=[("Bimtek", 4.25)],
        )
        return {"mean": "4,25", "tables": [table]}

    register_section(Section("tests.l1", "region", "plugin/_l1.html", l1_section, order=55))
    register_national_figure(
        NationalFigure("tests.l1", "Rata-rata L1", lambda year: {region.pk: 4.25})
    )
    try:
        client.force_login(admin.user)
        assert "Rata-rata L1: 4,25" in client.get(url("region", region)).content.decode()
        base = reverse("dashboards:export_region", kwargs={"region_slug": region.slug})
        exported = body(client.get(f"{base}?tabel=l1&format=csv")).decode("utf-8-sig")
        assert "Bimtek,4.25" in exported
        client.force_login(viewer)
        national = client.get(reverse("national:dashboard")).content.decode()
        assert "Rata-rata L1" in national and "4,25" in national
    finally:
        unregister_section("tests.l1")
        unregister_national_figure("tests.l1")


def test_registering_twice_or_on_an_unknown_dashboard_fails():
    section = Section("tests.twice", "asn", "x.html", lambda ctx: None)
    register_section(section)
    try:
        with pytest.raises(ValueError):
            register_section(Section("tests.twice", "asn", "y.html", lambda ctx: None))
        with pytest.raises(ValueError):
            register_section(Section("tests.bad", "elsewhere", "y.html", lambda ctx: None))
    finally:
        unregister_section("tests.twice")


def test_cached_figures_follow_every_write(client, region, world, admin):
    """The heavy figures are cached under the version of the region's data: a new verified
    record changes them at once; another region's writes do not recompute them."""
    client.force_login(admin.user)
    first = client.get(url("region", region)).context["sections"]
    met = {s.key: s.data for s in first}["dashboards.region_compliance"]["compliance"]
    assert met.overall.met == 2
    with scopes_disabled():
        record(world.p4, 25, dt.date(YEAR, 9, 9))  # Dewi reaches the target
    again = client.get(url("region", region)).context["sections"]
    met = {s.key: s.data for s in again}["dashboards.region_compliance"]["compliance"]
    assert met.overall.met == 3
