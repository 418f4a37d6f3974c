"""End-to-end: an ASN records a training taken outside the portal, with a PDF certificate; the
BKPSDM admin verifies it from the queue; the JP then counts in the ASN's year.

People are made with factories; the record, its evidence upload and the verification are done
through the pages in Chromium, the ASN and the admin each in their own browser.
"""

import re

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from tests.factories.regions import EmployeeFactory, RegionFactory, UnitFactory, make_admin

from .helpers import (
    expect_flash,
    field,
    heading,
    local_today,
    logged_in,
    minimal_pdf,
    national_reference_data,
    open_menu_item,
    review_shots,
)

pytestmark = pytest.mark.e2e

ACTIVITY = "Bimbingan Teknis Pengelolaan Arsip Dinamis"
ORGANISER = "Arsip Nasional Republik Indonesia"
JP = 8


@pytest.fixture
def people(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # evidence uploads stay out of the work tree
    national_reference_data()
    with scopes_disabled():
        region = RegionFactory(
            slug="semarang",
            name="Semarang",
            province="Jawa Tengah",
            agency_name="BKPP Kota Semarang",
        )
        bkpp = UnitFactory(
            region=region, code="BKPP", name="Badan Kepegawaian, Pendidikan dan Pelatihan"
        )
        arsip = UnitFactory(region=region, code="ARPUS", name="Dinas Arsip dan Perpustakaan")
        admin = make_admin(region, unit=bkpp, name="Dewi Lestari, S.Sos.")
        asn = EmployeeFactory(
            region=region, unit=arsip, name="Yusuf Hidayat", position="Arsiparis Ahli Pertama"
        )
    return admin, asn


def test_external_record_with_pdf_is_verified_and_counts(new_page, people, tmp_path):
    admin, asn = people
    today = local_today()
    phone_overflow: dict[str, str] = {}
    certificate = tmp_path / "sertifikat-bimtek-arsip.pdf"
    certificate.write_bytes(minimal_pdf())

    # The ASN records the activity with its certificate.
    me = logged_in(new_page, asn)
    open_menu_item(me, "Pelatihan", "Catat pelatihan di luar portal")
    expect(heading(me)).to_have_text("Catat pelatihan di luar portal")
    field(me, "Nama kegiatan").fill(ACTIVITY)
    field(me, "Bentuk pengembangan kompetensi").select_option(label="Bimbingan Teknis")
    field(me, "Penyelenggara").fill(ORGANISER)
    field(me, "Tanggal mulai").fill(today.isoformat())
    field(me, "Tanggal selesai").fill(today.isoformat())
    field(me, "Jumlah JP").fill(str(JP))
    field(me, "Nomor sertifikat").fill("ANRI/BT/2026/0412")
    field(me, "Bukti kegiatan (PDF, PNG atau JPG)").set_input_files(certificate)
    review_shots(me, "asn-record-form", phone_overflow)
    me.get_by_role("button", name="Kirim untuk verifikasi").click()

    expect(me).to_have_url(re.compile(rf"/semarang/jp-saya/\?tahun={today.year}$"))
    expect_flash(me, f"Riwayat “{ACTIVITY}” terkirim dan menunggu verifikasi admin BKPSDM.")
    pending = me.locator(".stat-card").filter(has_text="Menunggu verifikasi")
    expect(pending.locator(".stat-value")).to_contain_text(f"{JP} JP")
    verified = me.locator(".stat-card").filter(has_text="JP terverifikasi")
    expect(verified.locator(".stat-value")).to_contain_text("0 / 20 JP")
    row = me.locator("table tbody tr").filter(has_text=ACTIVITY)
    expect(row).to_contain_text("Menunggu verifikasi")

    # The admin finds it in the verification queue, opens the evidence and verifies it.
    office = logged_in(new_page, admin)
    open_menu_item(office, "Kelola", "Verifikasi riwayat JP")
    expect(heading(office)).to_have_text("Verifikasi riwayat JP")
    queued = office.locator("table tbody tr").filter(has_text=ACTIVITY)
    expect(queued).to_contain_text(asn.name)
    expect(queued).to_contain_text("Menunggu verifikasi")
    review_shots(office, "admin-record-queue", phone_overflow)
    queued.get_by_role("link", name=re.compile(r"^Periksa")).click()

    expect(heading(office)).to_have_text(ACTIVITY)
    evidence = office.get_by_role("link", name="Lihat bukti")
    response = office.request.get(evidence.get_attribute("href"))
    assert response.ok, f"evidence link answered {response.status}"
    assert response.headers["content-type"] == "application/pdf"
    assert response.body() == certificate.read_bytes()
    review_shots(office, "admin-record-review", phone_overflow)
    office.get_by_role("button", name=f"Verifikasi ({JP} JP dihitung)").click()

    expect_flash(office, f"Riwayat “{ACTIVITY}” diverifikasi; {JP} JP dihitung untuk {asn.name}.")

    # Back in the ASN's browser, the JP now counts toward this year's target.
    open_menu_item(me, "Pelatihan", "Capaian JP saya")
    expect(heading(me)).to_have_text(f"Capaian JP saya {today.year}")
    expect(verified.locator(".stat-value")).to_contain_text(f"{JP} / 20 JP")
    expect(pending.locator(".stat-value")).to_contain_text("0 JP")
    expect(row).to_contain_text("Terverifikasi")
    review_shots(me, "asn-jp-after-verification", phone_overflow)

    assert not phone_overflow, (
        f"pages that scroll sideways on a 360px phone (the journey itself passed): {phone_overflow}"
    )
