"""End-to-end: each role opens their dashboard and sees the right figures (computed here from
the data the test creates); the supervisor approves from the team dashboard; the admin opens
the list behind a figure and publishes the recognition list, which an ASN then sees; the
national viewer compares the four regions and opens one region's dashboard (read-only).
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from regions.models import Employee, User
from tests.factories.regions import EmployeeFactory, RegionFactory, UnitFactory, make_admin
from tests.factories.training import (
    DevelopmentRecordFactory,
    EnrolmentFactory,
    OfferingFactory,
    assess,
    national,
    standard,
)
from training.models import DevelopmentRecord, Enrolment

from ..conftest import PASSWORD
from .conftest import PHONE, log_in
from .helpers import (
    expect_flash,
    heading,
    local_today,
    logged_in,
    national_reference_data,
    open_menu_item,
    sideways_overflow,
)

pytestmark = pytest.mark.e2e


def verified(employee, jp, day):
    return DevelopmentRecordFactory(
        region=employee.region,
        employee=employee,
        jp=Decimal(jp),
        start_date=day,
        end_date=day,
        year=day.year,
        status=DevelopmentRecord.Status.VERIFIED,
    )


@pytest.fixture
def city(transactional_db):
    national_reference_data()
    today = local_today()
    day = today - dt.timedelta(days=1) if today.month > 1 or today.day > 1 else today
    with scopes_disabled():
        regions = [
            RegionFactory(slug="semarang", name="Semarang", agency_name="BKPP Kota Semarang"),
            RegionFactory(slug="binjai", name="Binjai"),
            RegionFactory(slug="tanjungbalai", name="Tanjungbalai"),
            RegionFactory(slug="plaju", name="Plaju"),
        ]
        region = regions[0]
        bkpp = UnitFactory(region=region, code="BKPP", name="Badan Kepegawaian")
        dinkes = UnitFactory(region=region, code="DINKES", name="Dinas Kesehatan")
        admin = make_admin(region, unit=bkpp, name="Yoga Pamungkas")
        boss = EmployeeFactory(region=region, unit=dinkes, name="Ani Setyowati")
        rina = EmployeeFactory(region=region, unit=dinkes, name="Rina Wulandari", supervisor=boss)
        joko = EmployeeFactory(region=region, unit=dinkes, name="Joko Kurniawan", supervisor=boss)
        sari = EmployeeFactory(region=region, unit=dinkes, name="Sari Nurhaliza", supervisor=boss)
        verified(joko, 16, day)
        verified(joko, 8, day)  # 24 JP: above the target
        verified(rina, 6, day)  # below
        verified(admin, 30, day)
        # Competency gaps (the team's heat map): pelaksana need M.01 at 3 and M.02 at 2.
        m01, m02 = national("M.01"), national("M.02")
        standard(region, items=[(m01, 3), (m02, 2)])
        assess(rina, m01, 1, on=day)  # Rina: M.01 gap 2, M.02 not assessed
        assess(joko, m01, 3, on=day)  # Joko: M.01 met, M.02 gap 1
        assess(joko, m02, 1, on=day)  # Sari: nothing assessed
        offering = OfferingFactory(region=region, requires_approval=True)
        request = EnrolmentFactory(
            region=region,
            offering=offering,
            employee=sari,
            status=Enrolment.Status.REQUESTED,
            confirmed_at=None,
        )
        for other in regions[1:]:
            unit = UnitFactory(region=other)
            verified(EmployeeFactory(region=other, unit=unit), 25, day)
            EmployeeFactory(region=other, unit=unit)
        User.objects.create_user(
            username="nasional",
            email="nasional@kompetensi.local",
            password=PASSWORD,
            is_national_viewer=True,
        )
        # The figures, worked out from the rows above: 5 active PNS (admin, boss, rina, joko,
        # sari); 2 meet 20 JP (admin 30, joko 24); 3 below; boss and sari have nothing.
        pns = Employee.objects.filter(region=region, is_active=True).count()
    assert pns == 5
    return {"region": region, "admin": admin, "boss": boss, "joko": joko, "request": request}


def test_every_role_sees_its_dashboard(new_page, city):
    joko, boss, admin = city["joko"], city["boss"], city["admin"]

    # The ASN: JP against the target, and the chart drawn next to its table.
    me = logged_in(new_page, joko)
    open_menu_item(me, "Dasbor", "Dasbor saya")
    expect(heading(me)).to_have_text("Dasbor saya")
    expect(me.get_by_test_id("asn-jp")).to_contain_text("24 / 20 JP")
    expect(me.get_by_text("Target tahun ini sudah tercapai.")).to_be_visible()
    expect(me.locator("canvas[data-chart='chart-asn_curve']")).to_be_visible()
    assert me.evaluate("() => !!Chart.getChart(document.querySelector('canvas[data-chart]'))")

    # The supervisor: who is behind first, and an approval from the dashboard.
    team = logged_in(new_page, boss)
    open_menu_item(team, "Dasbor", "Dasbor tim saya")
    rows = team.locator("#team-members tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Sari Nurhaliza")  # 0 JP
    expect(rows.nth(1)).to_contain_text("Rina Wulandari")  # 6 JP
    expect(rows.nth(2)).to_contain_text("Joko Kurniawan")  # met
    team.get_by_role("button", name="Setujui Sari Nurhaliza").click()
    expect_flash(team, "Sari Nurhaliza disetujui dan terkonfirmasi.")

    # The team's competency gaps: most gaps first, each cell writes its gap (or "—").
    heat = team.locator("#team-competency-gaps")
    expect(heat.locator("thead th")).to_have_text(["Pegawai", "M.01 Integritas", "M.02 Kerja Sama"])
    people = heat.locator("tbody tr")
    expect(people).to_have_count(3)
    expect(people.nth(0).locator("th")).to_contain_text("Rina Wulandari")  # 2 levels short
    expect(people.nth(0).locator("td")).to_have_text(["2", "—belum dinilai"])
    expect(people.nth(1).locator("td")).to_have_text(["0", "1"])  # Joko
    expect(people.nth(2).locator("th")).to_contain_text("Sari Nurhaliza")  # nothing assessed
    heat.get_by_role("link", name="Rina Wulandari").click()
    expect(heading(team)).to_have_text("Rina Wulandari")
    team.go_back()
    expect(heat).to_be_visible()

    # The admin: 2 of 5 PNS meet the target; the "3 PNS" below opens those three.
    office = logged_in(new_page, admin)
    open_menu_item(office, "Dasbor", "Dasbor wilayah")
    expect(heading(office)).to_have_text("Dasbor wilayah")
    expect(office.get_by_test_id("met-rate")).to_have_text(re.compile(r"40[,.]0%"))
    office.get_by_test_id("below-link").click()
    expect(heading(office)).to_contain_text("PNS di bawah target JP")
    expect(office.get_by_test_id("people-count")).to_have_text("3")
    for name in ("Ani Setyowati", "Rina Wulandari", "Sari Nurhaliza"):
        expect(office.get_by_role("row", name=re.compile(name))).to_be_visible()

    # The admin publishes the recognition list; an ASN sees it.
    open_menu_item(office, "Dasbor", "Penghargaan pembelajar teraktif")
    office.get_by_role("button", name="Terbitkan daftar").click()
    expect_flash(office, re.compile("diterbitkan; seluruh ASN"))
    me.goto(reverse("dashboards:recognition", kwargs={"region_slug": "semarang"}))
    expect(me.get_by_test_id("recognition-published")).to_be_visible()
    ranked = me.locator(".recognition-table tbody tr")
    expect(ranked.nth(0)).to_contain_text("Yoga Pamungkas")  # 30 JP
    expect(ranked.nth(1)).to_contain_text("Joko Kurniawan")  # 24 JP

    # On a phone, the ASN's dashboard does not scroll sideways.
    phone = new_page(viewport=PHONE, is_mobile=True)
    log_in(phone, joko.nip, PASSWORD)
    phone.goto(reverse("dashboards:asn", kwargs={"region_slug": "semarang"}))
    expect(phone.get_by_test_id("asn-jp")).to_be_visible()
    assert sideways_overflow(phone) <= 0

    # On a phone, the heat map scrolls inside its card, not the page.
    small = new_page(viewport=PHONE, is_mobile=True)
    log_in(small, city["boss"].nip, PASSWORD)
    small.goto(reverse("dashboards:team", kwargs={"region_slug": "semarang"}))
    expect(small.locator("#team-competency-gaps")).to_be_visible()
    assert sideways_overflow(small) <= 0

    # The national viewer compares the four regions and opens Semarang (read-only).
    nation = new_page()
    log_in(nation, "nasional", PASSWORD)
    nation.goto(reverse("national:dashboard"))
    expect(heading(nation)).to_have_text("Perbandingan wilayah")
    table_rows = nation.locator("#national-table tbody tr")
    expect(table_rows).to_have_count(4)
    semarang = nation.locator("tr[data-region='semarang']")
    expect(semarang).to_contain_text("40,0%")
    semarang.get_by_role("link", name=re.compile("Semarang")).click()
    expect(heading(nation)).to_have_text("Dasbor wilayah")
    expect(nation.get_by_text("peninjau nasional (hanya baca)")).to_be_visible()
