"""End-to-end: a programme from the admin's draft to JP in each participant's year.

Only the people (region, units, admin, a supervisor and three of their staff) are made with
factories; the programme, batch, sessions, enrolments, approvals, cancellation, attendance and
completion are all done by clicking through the portal's pages in Chromium, each person in
their own browser. Screenshots of the key pages at desktop and phone widths are written to
test-artifacts/screenshots/ for review.
"""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from regions.models import Golongan, PositionType
from tests.factories.regions import EmployeeFactory, RegionFactory, UnitFactory, make_admin

from .helpers import (
    expect_flash,
    field,
    local_today,
    logged_in,
    national_reference_data,
    open_menu_item,
    review_shots,
)
from .helpers import heading as _h1

pytestmark = pytest.mark.e2e

TITLE = "Pelayanan Prima Administrasi Kependudukan"
CODE = "PT-2026-07"
JP = 16
BATCH = "Angkatan 1"
SESSIONS = (
    ("Standar pelayanan dan maklumat", "08:00", "12:00"),
    ("Praktik penanganan pengaduan", "13:00", "16:00"),
)
SUPERVISOR = "Ani Setyowati, S.Kom."
STAFF = ("Rina Marlina", "Budi Santoso", "Siti Aminah")


@pytest.fixture
def people(transactional_db):
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
        dukcapil = UnitFactory(
            region=region, code="DUKCAPIL", name="Dinas Kependudukan dan Pencatatan Sipil"
        )
        admin = make_admin(region, unit=bkpp, name="Dewi Lestari, S.Sos.")
        supervisor = EmployeeFactory(
            region=region,
            unit=dukcapil,
            name=SUPERVISOR,
            position="Kepala Seksi Identitas Penduduk",
            position_type=PositionType.PENGAWAS,
            golongan=Golongan.III_D,
        )
        staff = {
            name: EmployeeFactory(
                region=region,
                unit=dukcapil,
                supervisor=supervisor,
                name=name,
                position="Penata Layanan Operasional",
            )
            for name in STAFF
        }
    return SimpleNamespace(region=region, admin=admin, supervisor=supervisor, staff=staff)


def _enrolment_card(page: Page):
    return page.locator(".card").filter(has=page.get_by_role("heading", name=TITLE))


# --- Steps -------------------------------------------------------------------------------------


def _admin_creates_and_publishes_programme(page: Page, shots: dict) -> None:
    open_menu_item(page, "Kelola", "Program pelatihan")
    expect(_h1(page)).to_have_text("Program pelatihan")
    page.get_by_role("link", name="Program baru").click()
    expect(_h1(page)).to_have_text("Program baru")

    field(page, "Kode").fill(CODE)
    field(page, "Judul").fill(TITLE)
    field(page, "Deskripsi").fill(
        "Pelatihan teknis bagi petugas layanan Dukcapil: standar pelayanan, maklumat "
        "layanan, dan penanganan pengaduan masyarakat."
    )
    field(page, "Bentuk pengembangan").select_option(label="3. Diklat Teknis (Klasikal)")
    field(page, "Jenis kompetensi").select_option(label="Teknis")
    field(page, "Jumlah JP").fill(str(JP))
    field(page, "Moda").select_option(label="Tatap muka")
    review_shots(page, "admin-program-form", shots)
    page.get_by_role("button", name="Simpan", exact=True).click()

    expect_flash(page, f"Program {TITLE} disimpan sebagai draf")
    expect(_h1(page)).to_contain_text(TITLE)
    expect(_h1(page)).to_contain_text("Draf")

    page.get_by_role("link", name="Terbitkan").click()
    expect(_h1(page)).to_have_text(f"Terbitkan program {TITLE}?")
    page.get_by_role("button", name="Terbitkan", exact=True).click()
    expect_flash(page, f"Program {TITLE} telah terbit.")
    expect(page.get_by_role("link", name="Terbitkan")).to_have_count(0)


def _admin_adds_batch_with_sessions_and_opens_it(page: Page, today: dt.date, shots: dict):
    page.get_by_role("link", name="Angkatan baru").click()
    expect(_h1(page)).to_have_text("Angkatan baru")
    expect(field(page, "Nama angkatan")).to_have_value(BATCH)
    # The batch runs today, so the enrolments, the attendance and the completion of this
    # journey all fall on the day the test runs.
    iso = today.isoformat()
    for label in ("Tanggal mulai", "Tanggal selesai", "Pendaftaran dibuka", "Pendaftaran ditutup"):
        field(page, label).fill(iso)
    field(page, "Kuota peserta").fill("2")
    field(page, "Perlu persetujuan atasan langsung").check()
    field(page, "Gunakan daftar tunggu bila kuota penuh").check()
    field(page, "Tempat").fill("Aula BKPP Lantai 3, Jl. Pemuda 148 Semarang")
    field(page, "Batas pembatalan oleh peserta (hari sebelum mulai)").fill("0")
    review_shots(page, "admin-offering-form", shots)
    page.get_by_role("button", name="Simpan", exact=True).click()

    expect_flash(page, f"{BATCH} ditambahkan dengan status direncanakan.")
    expect(_h1(page)).to_contain_text(BATCH)
    expect(_h1(page)).to_contain_text("Direncanakan")

    for title, start, end in SESSIONS:
        page.get_by_role("link", name="Tambah sesi").click()
        expect(_h1(page)).to_have_text("Sesi baru")
        field(page, "Judul sesi").fill(title)
        field(page, "Mulai").fill(f"{iso}T{start}")
        field(page, "Selesai").fill(f"{iso}T{end}")
        page.get_by_role("button", name="Simpan", exact=True).click()
        expect_flash(page, "Sesi ditambahkan.")
        expect(page.get_by_role("cell", name=title, exact=True)).to_be_visible()

    page.get_by_role("link", name="Buka pendaftaran").click()
    expect(_h1(page)).to_have_text(f"Buka pendaftaran {BATCH}?")
    page.get_by_role("button", name="Buka pendaftaran").click()
    expect_flash(page, f"Pendaftaran {BATCH} dibuka.")
    expect(_h1(page)).to_contain_text("Pendaftaran dibuka")
    review_shots(page, "admin-offering-detail", shots)


def _asn_finds_programme_and_enrols(page: Page, name: str, shots: dict | None) -> None:
    open_menu_item(page, "Pelatihan", "Katalog pelatihan")
    expect(_h1(page)).to_have_text("Katalog pelatihan")
    page.get_by_label("Cari pelatihan").fill("pelayanan prima")
    page.get_by_role("button", name="Cari").click()
    expect(page).to_have_url(re.compile(r"[?&]q=pelayanan\+prima"))
    result = page.get_by_role("link", name=TITLE)
    expect(result).to_be_visible()
    if shots is not None:
        review_shots(page, "asn-catalogue", shots)
    result.click()

    expect(_h1(page)).to_have_text(TITLE)
    offering = page.locator(".card").filter(has=page.get_by_role("heading", name=BATCH))
    expect(offering).to_contain_text("perlu persetujuan atasan")
    if shots is not None:
        review_shots(page, "asn-program-detail", shots)
    offering.get_by_role("link", name="Daftar", exact=True).click()

    expect(_h1(page)).to_have_text("Daftar pelatihan")
    expect(page.get_by_text("Pendaftaran ini perlu persetujuan atasan langsung.")).to_be_visible()
    page.get_by_label("Alasan mengikuti pelatihan").fill(
        f"Saya ({name}) melayani penerbitan KTP-el setiap hari dan ingin menangani pengaduan "
        "warga dengan lebih baik."
    )
    if shots is not None:
        review_shots(page, "asn-enrol", shots)
    page.get_by_role("button", name="Kirim pendaftaran").click()

    expect(page).to_have_url(re.compile(r"/semarang/pendaftaran-saya/$"))
    expect_flash(
        page,
        f"Pendaftaran Anda di {TITLE} sudah dikirim dan menunggu persetujuan atasan langsung "
        f"({SUPERVISOR}).",
    )
    expect(_enrolment_card(page)).to_contain_text("Menunggu persetujuan atasan")


def _supervisor_approves_all(page: Page, shots: dict) -> None:
    open_menu_item(page, "Tim saya", "Persetujuan pendaftaran")
    expect(_h1(page)).to_have_text("Persetujuan pendaftaran")
    expect(page.get_by_text("3 menunggu", exact=True)).to_be_visible()
    for name in STAFF:
        page.get_by_role("checkbox", name=f"Pilih permohonan {name}").check()
    review_shots(page, "supervisor-approvals", shots)
    page.get_by_role("button", name="Setujui yang dipilih").click()

    # Two seats: the first two requests take them, the third goes to the waiting list.
    expect_flash(page, "Keputusan disimpan: 2 disetujui, 1 masuk daftar tunggu.")
    expect(
        page.get_by_text("Tidak ada permohonan yang menunggu keputusan.", exact=False)
    ).to_be_visible()


def _open_my_enrolments(page: Page) -> None:
    open_menu_item(page, "Pelatihan", "Pendaftaran saya")
    expect(_h1(page)).to_have_text("Pendaftaran saya")


def _asn_cancels(page: Page) -> None:
    _open_my_enrolments(page)
    card = _enrolment_card(page)
    expect(card).to_contain_text("Terkonfirmasi")
    card.get_by_role("link", name="Batalkan").click()
    expect(_h1(page)).to_have_text("Batalkan pendaftaran?")
    expect(page.get_by_role("note")).to_contain_text(
        "Kursi Anda akan diberikan kepada peserta pertama di daftar tunggu."
    )
    page.get_by_label(re.compile(r"^Alasan pembatalan")).fill(
        "Bertepatan dengan tugas pelayanan keliling di kecamatan."
    )
    page.get_by_role("button", name="Ya, batalkan").click()
    expect_flash(page, f"Pendaftaran Anda di {TITLE} sudah dibatalkan.")
    expect(_enrolment_card(page)).to_contain_text("Dibatalkan")


def _admin_takes_attendance_and_completes(page: Page, present: list[str], shots: dict) -> None:
    open_menu_item(page, "Kelola", "Peserta pelatihan")
    page.get_by_role("link", name=TITLE).first.click()
    expect(_h1(page)).to_have_text(TITLE)
    rows = page.locator("table tbody tr")
    for name in present:
        expect(rows.filter(has_text=name)).to_contain_text("Terkonfirmasi")
    expect(rows.filter(has_text=STAFF[0])).to_contain_text("Dibatalkan")
    review_shots(page, "admin-participants", shots)

    for title, _start, _end in SESSIONS:
        schedule = page.locator("li").filter(has_text=title)
        schedule.get_by_role("link", name="Presensi").click()
        expect(_h1(page)).to_have_text(f"Presensi: {title}")
        for name in present:
            page.get_by_role("checkbox", name=name).check()
        page.get_by_role("button", name="Simpan presensi").click()
        expect_flash(page, f"Kehadiran disimpan: {len(present)} peserta hadir.")
        expect(page.get_by_text(f"{len(present)} dari {len(present)} hadir")).to_be_visible()
        # Back through the breadcrumb (it shortens long titles: "Pelayanan … · Angkatan 1").
        crumbs = page.get_by_role("navigation", name="breadcrumb")
        crumbs.get_by_role("link", name=re.compile(rf"· {BATCH}$")).click()
        expect(_h1(page)).to_have_text(TITLE)

    page.get_by_role("link", name="Selesaikan angkatan").click()
    expect(_h1(page)).to_have_text("Selesaikan angkatan")
    expect(page.get_by_text(f"{len(present)} peserta lulus dan mendapat {JP} JP")).to_be_visible()
    review_shots(page, "admin-complete", shots)
    page.get_by_role("button", name="Selesaikan dan catat JP").click()

    expect_flash(
        page,
        f"Angkatan diselesaikan: {len(present)} peserta lulus (JP dicatat, sertifikat "
        "diterbitkan di latar belakang), 0 tidak memenuhi syarat, 0 tidak lulus post-test, 0 "
        "permohonan/daftar tunggu dibatalkan.",
    )
    expect(page.get_by_text("Selesai", exact=True).first).to_be_visible()
    for name in present:
        expect(rows.filter(has_text=name)).to_contain_text("Selesai")


def _asn_sees_jp(page: Page, year: int, shots: dict | None) -> None:
    open_menu_item(page, "Pelatihan", "Capaian JP saya")
    expect(_h1(page)).to_have_text(f"Capaian JP saya {year}")
    verified = page.locator(".stat-card").filter(has_text="JP terverifikasi")
    expect(verified.locator(".stat-value")).to_contain_text(f"{JP} / 20 JP")
    row = page.locator("table tbody tr").filter(has_text=TITLE)
    expect(row).to_contain_text("Pelatihan di portal")
    expect(row).to_contain_text("Terverifikasi")
    expect(row.get_by_role("cell", name=str(JP), exact=True)).to_be_visible()
    if shots is not None:
        review_shots(page, "asn-jp", shots)


# --- The journey -------------------------------------------------------------------------------


def test_programme_from_draft_to_jp_in_each_participants_year(new_page, people):
    today = local_today()
    phone_overflow: dict[str, int] = {}

    # 1. The BKPSDM admin builds and opens the batch.
    admin = logged_in(new_page, people.admin)
    _admin_creates_and_publishes_programme(admin, phone_overflow)
    _admin_adds_batch_with_sessions_and_opens_it(admin, today, phone_overflow)

    # 2. Three ASN of the same supervisor enrol, one after another, each in their own browser.
    staff = {}
    for index, name in enumerate(STAFF):
        staff[name] = logged_in(new_page, people.staff[name])
        _asn_finds_programme_and_enrols(staff[name], name, phone_overflow if index == 0 else None)

    # 3. Their supervisor approves all three at once: two seats, one on the waiting list.
    supervisor = logged_in(new_page, people.supervisor)
    _supervisor_approves_all(supervisor, phone_overflow)
    first, second, third = STAFF
    for name in (first, second):
        _open_my_enrolments(staff[name])
        expect(_enrolment_card(staff[name])).to_contain_text("Terkonfirmasi")
    _open_my_enrolments(staff[third])
    waiting = _enrolment_card(staff[third])
    expect(waiting).to_contain_text("Daftar tunggu")
    expect(waiting).to_contain_text("no. 1")
    review_shots(staff[third], "asn-my-enrolments-waitlisted", phone_overflow)

    # 4. The first confirmed ASN cancels; the waiting one is promoted.
    _asn_cancels(staff[first])
    _open_my_enrolments(staff[third])
    expect(_enrolment_card(staff[third])).to_contain_text("Terkonfirmasi")

    # 5. The admin takes attendance of both sessions and completes the batch.
    _admin_takes_attendance_and_completes(admin, [second, third], phone_overflow)

    # 6. Each participant who completed sees the programme's JP in this year's ledger.
    _asn_sees_jp(staff[second], today.year, phone_overflow)
    _asn_sees_jp(staff[third], today.year, None)
    open_menu_item(staff[first], "Pelatihan", "Capaian JP saya")
    expect(staff[first].locator("table tbody tr").filter(has_text=TITLE)).to_have_count(0)

    assert not phone_overflow, (
        f"pages that scroll sideways on a 360px phone (the journey itself passed): {phone_overflow}"
    )
