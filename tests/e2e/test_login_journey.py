"""End-to-end: an ASN and a BKPSDM admin log in through the real form in Chromium."""

import io
import re

import pytest
from django.core.management import call_command
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from regions import demo
from regions.models import Employee, Golongan, PositionType
from tests.factories.regions import EmployeeFactory, RegionFactory, UnitFactory

from ..conftest import PASSWORD
from .conftest import ARTIFACTS, DESKTOP, PHONE, log_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def asn(transactional_db):
    with scopes_disabled():
        region = RegionFactory(
            slug="semarang",
            name="Semarang",
            province="Jawa Tengah",
            agency_name="BKPP Kota Semarang",
        )
        unit = UnitFactory(
            region=region, code="DUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil"
        )
        supervisor = EmployeeFactory(
            region=region,
            unit=unit,
            name="Ani Setyowati, S.Kom.",
            position="Kepala Seksi Identitas Penduduk",
            position_type=PositionType.PENGAWAS,
            golongan=Golongan.III_D,
        )
        return EmployeeFactory(
            region=region,
            unit=unit,
            supervisor=supervisor,
            name="Joko Kurniawan",
            position="Penata Layanan Operasional",
        )


@pytest.fixture
def demo_data(transactional_db):
    """The real demo data set; returns the planned demo people of Semarang by role."""
    call_command("load_demo_data", stdout=io.StringIO())
    plan = next(p for p in demo.build_plans() if p.spec.slug == "semarang")
    return {person.demo_role: person for person in plan.demo_people()}


def test_asn_logs_in_with_nip_and_opens_their_profile(page: Page, asn):
    page.goto("/")
    page.get_by_role("link", name="Masuk dengan NIP atau email").click()
    expect(page).to_have_url(re.compile(r"/akun/login/$"))

    log_in(page, asn.nip, PASSWORD)

    expect(page).to_have_url(re.compile(r"/semarang/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Selamat datang, {asn.name}")

    page.get_by_role("navigation").get_by_role("link", name="Profil saya").click()
    expect(page).to_have_url(re.compile(r"/semarang/profil/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Profil saya")
    profile = page.locator("dl.profile")
    expect(profile).to_contain_text(asn.nip)
    expect(profile).to_contain_text("Dinas Kependudukan dan Pencatatan Sipil")
    expect(profile).to_contain_text("Ani Setyowati, S.Kom.")


def test_admin_logs_in_with_email_and_sees_the_region_summary(page: Page, demo_data):
    admin = demo_data[demo.ADMIN]
    with scopes_disabled():
        active = Employee.objects.filter(region__slug="semarang", is_active=True).count()

    page.goto("/semarang/")  # anonymous: sent to the login form, then back here
    expect(page).to_have_url(re.compile(r"/akun/login/\?next=/semarang/"))
    log_in(page, admin.email, demo.DEMO_PASSWORD)

    expect(page).to_have_url(re.compile(r"/semarang/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Selamat datang, {admin.name}")
    expect(page.get_by_role("heading", name="Ringkasan wilayah")).to_be_visible()
    active_card = page.locator(".stat-card").filter(has_text="Pegawai aktif")
    expect(active_card.locator(".stat-value")).to_have_text(str(active))
    expect(page.get_by_role("link", name="Kelola pegawai")).to_be_visible()


def _no_horizontal_overflow(page: Page) -> None:
    overflow = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"page scrolls sideways by {overflow}px"


def test_region_home_layout_on_phone_and_desktop(new_page, demo_data):
    """Screenshots for a human to look at (test-artifacts/screenshots/), and no sideways scroll."""
    shots = ARTIFACTS / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    admin = demo_data[demo.ADMIN]
    for label, viewport, mobile in (("desktop", DESKTOP, False), ("phone", PHONE, True)):
        page = new_page(viewport=viewport, is_mobile=mobile)
        page.goto("/")
        expect(
            page.get_by_role("heading", name="Wilayah yang menggunakan Kompetensi")
        ).to_be_visible()
        _no_horizontal_overflow(page)
        page.screenshot(path=str(shots / f"landing-{label}.png"), full_page=True)

        log_in(page, admin.nip, demo.DEMO_PASSWORD)
        expect(page.get_by_role("heading", name="Ringkasan wilayah")).to_be_visible()
        _no_horizontal_overflow(page)
        page.screenshot(path=str(shots / f"home-{label}.png"), full_page=True)

        if mobile:
            toggler = page.get_by_role("button", name="Buka menu")
            toggler.click()
            # Bootstrap sets `show` (and drops `collapsing`) when the slide-down has finished.
            expect(page.locator("#mainNav")).to_have_class(re.compile(r"\bshow\b"))
            expect(page.locator("#mainNav")).not_to_have_class(re.compile(r"\bcollapsing\b"))
            expect(page.get_by_role("link", name="Profil saya")).to_be_visible()
            expect(toggler).to_have_attribute("aria-expanded", "true")
            page.screenshot(path=str(shots / f"home-{label}-menu.png"), full_page=True)
