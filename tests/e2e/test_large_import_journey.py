"""End-to-end: a BKPSDM admin uploads a large employee file on the import page; it goes to the
background import (not the request), whose page shows every error of the bad row at once —
an unknown unit does not hide the row's e-mail error — and, after the fix, the import is done.
"""

import datetime as dt
import re

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import expect

from regions import nip as nip_rules
from tests.factories.regions import RegionFactory, UnitFactory, make_admin

from .helpers import expect_flash, field, heading, logged_in, national_reference_data

pytestmark = pytest.mark.e2e
HEADER = "nip,nama,email,status,golongan,jabatan,jenis_jabatan,kode_unit"


def _nip(n):
    return nip_rules.build_nip(
        birth_date=dt.date(1988, 4, n), appointment_year=2012, sequence=300 + n
    )


@pytest.fixture
def admin(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KOMPETENSI_IMPORT_SYNC_MAX_BYTES = 300  # "large" for this test: a few rows
    national_reference_data()
    with scopes_disabled():
        region = RegionFactory(slug="semarang", name="Semarang", province="Jawa Tengah")
        unit = UnitFactory(region=region, code="BKPP", name="Badan Kepegawaian")
        return make_admin(region, unit=unit, name="Dewi Lestari, S.Sos.")


def _file(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text("\r\n".join([HEADER, *rows]) + "\r\n", encoding="utf-8")
    return path


def test_a_large_file_is_imported_in_the_background_with_every_error_at_once(
    new_page, admin, tmp_path
):
    good = [
        f"{_nip(n)},Pegawai {n},pegawai{n}@example.go.id,PNS,III/a,Analis,Pelaksana,BKPP"
        for n in range(1, 6)
    ]
    bad = [*good[:4], f"{_nip(9)},Baris Salah,bukan-email,PNS,III/a,Analis,Pelaksana,ENTAH"]
    page = logged_in(new_page, admin)
    page.goto("/semarang/kelola/pegawai/impor/")
    expect(heading(page)).to_have_text("Impor pegawai")
    field(page, "Berkas data pegawai (CSV atau XLSX)").set_input_files(
        _file(tmp_path, "pegawai.csv", bad)
    )
    page.get_by_role("button", name="Periksa dan impor").click()

    expect_flash(page, "Berkas besar diimpor di latar belakang.")
    expect(page).to_have_url(re.compile(r"/semarang/proses/\d+/$"))
    expect(page.get_by_text("Proses gagal")).to_be_visible()
    errors = page.get_by_role("table")
    expect(errors).to_contain_text("Unit dengan kode ENTAH tidak ditemukan di wilayah ini.")
    expect(errors).to_contain_text("Masukkan alamat email dengan format yang benar.")

    page.goto("/semarang/kelola/pegawai/impor/")
    field(page, "Berkas data pegawai (CSV atau XLSX)").set_input_files(
        _file(tmp_path, "pegawai-perbaikan.csv", good)
    )
    page.get_by_role("button", name="Periksa dan impor").click()
    expect_flash(page, "Berkas besar diimpor di latar belakang.")
    expect(page.locator("#job-status")).to_contain_text("Selesai")
    page.goto("/semarang/kelola/pegawai/")
    expect(page.get_by_text("Pegawai 5", exact=True)).to_be_visible()
