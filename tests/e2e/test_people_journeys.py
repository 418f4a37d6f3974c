"""End-to-end journeys of issue 16: the ASN on a 360-px phone, the supervisor with a team, and
an outsider. Each ends in assertions on what the person sees; every page visited is checked by
axe-core and for CSP violations (tests/e2e/a11y.py)."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from regions.models import PositionType
from tests.factories.regions import EmployeeFactory, RegionFactory, UnitFactory, make_admin
from tests.factories.training import (
    DevelopmentRecordFactory,
    EnrolmentFactory,
    OfferingFactory,
    ProgramFactory,
)
from training.models import Enrolment
from training.services.records import record_verify

from .conftest import PHONE
from .helpers import expect_flash, heading, logged_in, national_reference_data, open_menu_item

pytestmark = pytest.mark.e2e

TITLE = "Penanganan Pengaduan Layanan Publik"


@pytest.fixture
def team(transactional_db):
    national_reference_data()
    with scopes_disabled():
        region = RegionFactory(slug="semarang", name="Semarang", agency_name="BKPP Kota Semarang")
        other = RegionFactory(slug="binjai", name="Binjai", agency_name="BKPSDM Kota Binjai")
        unit = UnitFactory(region=region, code="DISDUK", name="Dinas Kependudukan")
        admin = make_admin(region, unit=unit, name="Dewi Lestari")
        supervisor = EmployeeFactory(
            region=region, unit=unit, name="Bambang Wijaya", position_type=PositionType.PENGAWAS
        )
        asn = EmployeeFactory(region=region, unit=unit, supervisor=supervisor, name="Rina Kartika")
        colleague = EmployeeFactory(
            region=region, unit=unit, supervisor=supervisor, name="Agus Salim"
        )
        program = ProgramFactory(region=region, title=TITLE, jp=16)
        ProgramFactory(region=region, title="Tata Naskah Dinas Elektronik")
        offering = OfferingFactory(
            region=region, program=program, name="Angkatan I", requires_approval=True
        )
        other_offering = OfferingFactory(region=other, name="Angkatan Rahasia Binjai")
    return SimpleNamespace(
        region=region,
        admin=admin,
        supervisor=supervisor,
        asn=asn,
        colleague=colleague,
        offering=offering,
        other_offering=other_offering,
    )


def test_asn_on_a_phone_finds_enrols_and_sees_jp_and_notifications_move(new_page, team):
    page = logged_in(lambda: new_page(viewport=PHONE, is_mobile=True), team.asn)
    assert page.viewport_size["width"] == 360
    open_menu_item(page, "Pelatihan", "Katalog pelatihan")
    expect(heading(page)).to_have_text("Katalog pelatihan")
    page.get_by_label("Cari pelatihan").fill("pengaduan")
    page.get_by_role("button", name="Cari").click()
    page.get_by_role("button", name="Filter").click()
    page.get_by_label("Hanya yang pendaftarannya dibuka dan masih ada kursi").check()
    page.get_by_role("button", name="Terapkan filter").click()
    expect(page).to_have_url(re.compile(r"[?&]open=1"))
    expect(page.get_by_role("link", name="Tata Naskah Dinas Elektronik")).to_have_count(0)
    page.get_by_role("link", name=TITLE).click()

    expect(heading(page)).to_have_text(TITLE)
    page.get_by_role("link", name="Daftar", exact=True).click()
    page.get_by_label("Alasan mengikuti pelatihan").fill(
        "Saya menangani pengaduan warga di loket setiap hari."
    )
    page.get_by_role("button", name="Kirim pendaftaran").click()
    expect(page).to_have_url(re.compile(r"/semarang/pendaftaran-saya/$"))
    card = page.locator(".card").filter(has=page.get_by_role("heading", name=TITLE))
    expect(card).to_contain_text("Menunggu persetujuan atasan")

    # Later: the BKPSDM verifies an external record of hers (16 JP), which notifies her.
    with scopes_disabled():
        record = DevelopmentRecordFactory(
            region=team.region, employee=team.asn, jp=16, year=timezone.localdate().year
        )
        record_verify(record=record, user=team.admin.user)
    page.goto(reverse("region:home", args=["semarang"]))
    bell = page.get_by_role("link", name=re.compile("Notifikasi"))
    expect(bell).to_be_visible()  # outside the collapsed menu
    expect(bell).to_contain_text("1")
    progress = page.get_by_role("progressbar", name="Capaian JP")
    expect(progress).to_have_attribute("value", re.compile(r"^[1-9]"))
    expect(page.get_by_text("Kurang 4 JP lagi untuk mencapai target.")).to_be_visible()


def test_supervisor_approves_two_requests_at_once_and_sees_who_is_behind(new_page, team):
    with scopes_disabled():
        for employee in (team.asn, team.colleague):
            EnrolmentFactory(
                region=team.region,
                offering=team.offering,
                employee=employee,
                status=Enrolment.Status.REQUESTED,
                requested_at=timezone.now() - dt.timedelta(hours=2),
            )
        DevelopmentRecordFactory(
            region=team.region,
            employee=team.colleague,
            verified=True,
            jp=20,
            year=timezone.localdate().year,
        )
    page = logged_in(new_page, team.supervisor)
    open_menu_item(page, "Tim saya", "Persetujuan pendaftaran")
    expect(heading(page)).to_have_text("Persetujuan pendaftaran")
    for name in ("Rina Kartika", "Agus Salim"):
        page.get_by_role("checkbox", name=f"Pilih permohonan {name}").check()
    page.get_by_role("button", name="Setujui yang dipilih").click()
    expect_flash(page, "Keputusan disimpan: 2 disetujui")

    open_menu_item(page, "Tim saya", "Capaian JP tim")
    expect(heading(page)).to_contain_text("Capaian JP tim")
    expect(page.get_by_text("1 PNS belum mencapai target JP.")).to_be_visible()
    behind = page.locator("tbody tr").filter(has_text="Rina Kartika")
    expect(behind).to_contain_text("kurang 20 JP")
    expect(page.locator("tbody tr").filter(has_text="Agus Salim")).to_contain_text(
        "Target tercapai"
    )


def test_an_outsider_gets_the_indonesian_404_and_a_role_without_access_the_403(new_page, team):
    page = logged_in(new_page, team.asn)
    binjai = reverse("training:offering_detail", args=["binjai", team.other_offering.pk])
    response = page.goto(binjai)
    assert response.status == 404
    expect(heading(page)).to_have_text("Halaman tidak ditemukan")
    expect(page.get_by_text("Angkatan Rahasia Binjai")).to_have_count(0)
    page.get_by_role("link", name="Ke halaman utama").click()

    response = page.goto(reverse("region:employee_list", args=["semarang"]))
    assert response.status == 403
    expect(heading(page)).to_have_text("Anda tidak memiliki akses ke halaman ini")
    expect(page.get_by_text("hubungi admin BKPSDM di wilayah Anda")).to_be_visible()


def test_admin_copies_a_new_api_token_in_one_click(new_page, team):
    page = logged_in(new_page, team.admin)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(reverse("api_clients:create", args=["semarang"]))
    page.get_by_label("Nama klien").fill("SIMPEG Kota Semarang")
    page.get_by_role("button", name=re.compile("Buat|Simpan")).click()
    token = page.locator("#api-token").input_value()
    assert len(token) > 20
    expect(page.locator("#curl-example")).to_contain_text(token)  # whole, not cut off
    page.get_by_role("button", name="Salin token").click()
    expect(page.get_by_role("button", name="Tersalin")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == token


def test_admin_watches_an_export_progress_and_downloads_xlsx_and_the_monthly_pdf(
    new_page, team, settings
):
    # As on the embedded default served by dev.sh: the work runs beside the request.
    settings.KOMPETENSI_TASKS_IN_THREAD = True
    page = logged_in(new_page, team.admin)
    open_menu_item(page, "Kelola", "Ekspor data")
    page.get_by_label("Ekspor data pegawai").check()
    page.get_by_label("Excel (.xlsx)").check()
    page.get_by_role("button", name="Mulai ekspor").click()
    expect(heading(page)).to_have_text("Ekspor data pegawai")
    expect(page.get_by_role("progressbar", name="Kemajuan proses")).to_be_visible()
    expect(page.get_by_text("Berkas siap diunduh")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Kemajuan proses")).to_have_attribute(
        "value", "100"
    )
    with page.expect_download() as download:
        page.get_by_role("link", name="Unduh").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    open_menu_item(page, "Kelola", "Laporan bulanan")
    page.get_by_role("button", name="Buat sekarang").click()
    expect(page.get_by_text("Laporan siap")).to_be_visible()
    page.goto(reverse("evaluations:report_list", args=["semarang"]))
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Unduh PDF")).first.click()
    assert download.value.suggested_filename.endswith(".pdf")
