"""End-to-end: the yearly competency development plan of a region, in Chromium.

The BKPSDM opens next year's needs round; two unit planners send their units' needs (one
accepts a suggestion the portal makes from the unit's competency gaps); the BKPSDM merges the
needs into one plan item and submits the plan; the head of region approves it and it becomes
read-only; a revision (perubahan) is made and approved; a batch is linked to the item and the
realisation figures move. People and the batch are made with factories; every step of the
journey is done through the pages, each person in their own browser.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from tests.factories.planning import make_approver, make_planner
from tests.factories.regions import EmployeeFactory, RegionFactory, UnitFactory, make_admin
from tests.factories.training import (
    CompetencyFactory,
    EnrolmentFactory,
    OfferingFactory,
    ProgramFactory,
    assess,
    national,
    standard,
)
from training.models import Offering

from .helpers import (
    expect_flash,
    field,
    heading,
    local_today,
    logged_in,
    national_reference_data,
    review_shots,
)

pytestmark = pytest.mark.e2e


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
        bkpp = UnitFactory(region=region, code="BKPP", name="Badan Kepegawaian Daerah")
        dinkes = UnitFactory(region=region, code="DINKES", name="Dinas Kesehatan")
        disdik = UnitFactory(region=region, code="DISDIK", name="Dinas Pendidikan")
        admin = make_admin(region, unit=bkpp, name="Dewi Lestari")
        rina = EmployeeFactory(region=region, unit=dinkes, name="Rina Perencana")
        bayu = EmployeeFactory(region=region, unit=disdik, name="Bayu Perencana")
        make_planner(dinkes, rina)
        make_planner(disdik, bayu)
        head = EmployeeFactory(region=region, unit=bkpp, name="Hendrar Prihadi", position="Sekda")
        make_approver(head, title="Wali Kota Semarang")
        # Dinas Kesehatan has a competency gap the portal will suggest.
        m05 = national("M.05")
        standard(region, items=[(m05, 3)])
        nurse = EmployeeFactory(region=region, unit=dinkes, name="Ani Perawat")
        assess(nurse, m05, 1)
        CompetencyFactory(region=region, code="T.SIMPEG", name="Pengelolaan Data Kepegawaian")
        # A batch next year that will realise the plan item, with two participants.
        start = dt.date(local_today().year + 1, 3, 2)
        offering = OfferingFactory(
            region=region, name="Angkatan I", start_date=start, end_date=start + dt.timedelta(days=2),
            enrolment_opens=start - dt.timedelta(days=30), enrolment_closes=start - dt.timedelta(days=1),
            status=Offering.Status.OPEN, cost_per_participant=Decimal("1250000"),
            program=ProgramFactory(region=region, title="Pelatihan Pelayanan Prima"),
        )  # fmt: skip
        for who in (nurse, rina):
            EnrolmentFactory(region=region, offering=offering, employee=who)
    return admin, rina, bayu, head


def test_needs_to_approved_plan_revision_and_realisation(new_page, people):
    admin, rina, bayu, head = people
    year = local_today().year + 1
    phone_overflow: dict[str, str] = {}

    # The BKPSDM opens next year's needs round.
    office = logged_in(new_page, admin)
    office.goto("/semarang/perencanaan/")
    expect(heading(office)).to_have_text("Perencanaan pengembangan kompetensi")
    round_form = office.locator("form[action$='/penjaringan/buka/']")
    field(round_form, "Tahun rencana").select_option(str(year))
    office.get_by_role("button", name="Buka penjaringan").click()
    expect_flash(office, f"Penjaringan kebutuhan tahun {year} dibuka untuk semua unit.")

    # Planner 1 accepts the portal's suggestion (the unit's competency gap) and submits.
    dinkes = logged_in(new_page, rina)
    dinkes.goto("/semarang/perencanaan/")
    dinkes.get_by_role("link", name="Dinas Kesehatan").click()
    suggestion = dinkes.locator(".suggestion[data-key^='gap:']").filter(has_text="Pelayanan Publik")
    expect(suggestion).to_contain_text("Ani Perawat")
    review_shots(dinkes, "planner-submission", phone_overflow)
    suggestion.get_by_role("button", name="Terima").click()
    expect_flash(dinkes, re.compile("Saran diterima: Pelayanan Publik untuk 1 ASN"))
    dinkes.get_by_role("button", name="Ajukan usulan ke BKPSDM").click()
    expect_flash(dinkes, "Usulan kebutuhan unit diajukan ke BKPSDM.")

    # Planner 2 types a need (a bad amount first: a clear message, nothing saved) and submits.
    disdik = logged_in(new_page, bayu)
    disdik.goto("/semarang/perencanaan/")
    disdik.get_by_role("link", name="Dinas Pendidikan").click()
    disdik.get_by_role("link", name="Tambah kebutuhan").click()
    field(disdik, "Kompetensi").select_option(label="M.05 Pelayanan Publik")
    field(disdik, "Jumlah ASN sasaran").fill("4")
    field(disdik, "JP per peserta").fill("24")
    field(disdik, "Perkiraan biaya (Rp)").fill("lima juta")
    disdik.get_by_role("button", name="Simpan").click()
    expect(disdik.locator(".errorlist")).to_contain_text("angka saja")
    field(disdik, "Perkiraan biaya (Rp)").fill("5.000.000")
    disdik.get_by_role("button", name="Simpan").click()
    expect_flash(disdik, "Kebutuhan ditambahkan ke usulan unit.")
    disdik.get_by_role("button", name="Ajukan usulan ke BKPSDM").click()
    expect_flash(disdik, "Usulan kebutuhan unit diajukan ke BKPSDM.")

    # The BKPSDM creates the plan and merges both units' needs into one item.
    office.goto("/semarang/perencanaan/")
    plan_form = office.locator("form[action$='/rencana/buat/']")
    field(plan_form, "Tahun rencana").select_option(str(year))
    office.get_by_role("button", name="Buat rencana daerah").click()
    expect_flash(office, f"Rencana tahun {year} dibuat sebagai draf.")
    plan_url = office.url
    office.goto("/semarang/perencanaan/")
    office.get_by_role("link", name=str(year), exact=True).click()
    office.get_by_label(re.compile("dari Dinas Kesehatan")).check()
    office.get_by_label(re.compile("dari Dinas Pendidikan")).check()
    review_shots(office, "admin-needs-round", phone_overflow)
    office.get_by_role("button", name="Gabungkan yang dipilih menjadi butir rencana").click()
    expect(field(office, "Jumlah ASN sasaran")).to_have_value("5")
    field(office, "Nama program").fill("Pelatihan Pelayanan Prima")
    field(office, "Bentuk pengembangan (SIASN)").select_option(label="Diklat Teknis")
    field(office, "Triwulan").select_option(label="Triwulan I")
    office.get_by_role("button", name="Simpan butir").click()
    expect_flash(office, "Butir rencana ditambahkan.")
    office.get_by_role("button", name="Ajukan ke kepala daerah").click()
    expect_flash(office, "Rencana diajukan kepada penyetuju.")

    # The head of region approves; the plan is read-only from then on.
    mayor = logged_in(new_page, head)
    mayor.goto(plan_url)
    expect(mayor.get_by_role("link", name="Tambah butir")).to_have_count(0)
    review_shots(mayor, "approver-plan", phone_overflow)
    mayor.get_by_label("Nomor SK (opsional)").fill("800/1/2027")
    mayor.get_by_role("button", name="Setujui rencana").click()
    expect_flash(mayor, "Rencana disetujui. Rencana ini sekarang hanya dapat dibaca.")
    office.goto(plan_url)
    expect(office.get_by_text("hanya dapat dibaca", exact=False).first).to_be_visible()
    expect(office.get_by_role("link", name="Tambah butir")).to_have_count(0)

    # A revision: a new draft, changed, submitted and approved; the first stays visible.
    field(office, "Alasan perubahan").fill("Sasaran ditambah untuk puskesmas.")
    office.get_by_role("button", name="Buat perubahan rencana").click()
    expect_flash(office, re.compile("Perubahan ke-1 dibuat sebagai draf"))
    revision_url = office.url
    office.get_by_role("link", name="Ubah Pelatihan Pelayanan Prima").click()
    field(office, "Jumlah ASN sasaran").fill("8")
    office.get_by_role("button", name="Simpan butir").click()
    expect_flash(office, "Butir rencana diperbarui.")
    office.get_by_role("button", name="Ajukan ke kepala daerah").click()
    mayor.goto(revision_url)
    mayor.get_by_role("button", name="Setujui rencana").click()
    expect_flash(mayor, "Rencana disetujui. Rencana ini sekarang hanya dapat dibaca.")
    expect(
        mayor.get_by_role("link", name=re.compile("Rencana awal · Digantikan perubahan"))
    ).to_be_visible()

    # A batch is linked to the item: the realisation figures move.
    office.goto(revision_url)
    expect(office.locator("#participants")).to_have_text("0 / 8")
    office.get_by_role("link", name=re.compile("^Realisasi")).click()
    field(office, "Angkatan").select_option(
        label=f"Pelatihan Pelayanan Prima – Angkatan I (02-03-{year})"
    )
    office.get_by_role("button", name="Kaitkan angkatan").click()
    expect_flash(office, "Angkatan dikaitkan dengan butir rencana.")
    office.goto(revision_url)
    expect(office.locator("#participants")).to_have_text("2 / 8")
    row = office.locator("tr[data-item]")
    expect(row.locator(".realised-participants")).to_have_text("2")
    review_shots(office, "admin-plan-realised", phone_overflow)
    assert not phone_overflow, (
        f"pages that scroll sideways on a 390px phone (the journey itself passed): {phone_overflow}"
    )
