"""Integration: importing employees from CSV/XLSX, all or nothing, with row/column messages."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from openpyxl import Workbook, load_workbook

from regions import nip as nip_rules
from regions.imports import ImportIssue, employee_template_csv, employees_import
from regions.models import Employee, Golongan, User
from tests.factories.regions import EmployeeFactory, UnitFactory

pytestmark = pytest.mark.django_db

HEADER = [
    "nip",
    "nama",
    "email",
    "status",
    "golongan",
    "golongan_pppk",
    "jabatan",
    "jenis_jabatan",
    "jenjang",
    "kode_unit",
    "nip_atasan",
]


def make_nip(sequence, employment_type="pns", year=1980):
    return nip_rules.build_nip(
        birth_date=dt.date(year, 5, 17),
        appointment_year=year + 25,
        appointment_month=3,
        gender=nip_rules.FEMALE if sequence % 2 else nip_rules.MALE,
        sequence=sequence,
        employment_type=employment_type,
    )


HEAD = make_nip(1)
STAFF = make_nip(2)
CONTRACT = make_nip(3, "pppk", year=1995)


def good_rows(boss_nip=""):
    return [
        [HEAD, "Dr. Hendra Wijaya", "hendra@example.go.id", "PNS", "IV/a", "",
         "Kepala Bidang Pengembangan", "Administrator", "", "BKPP", boss_nip],
        [STAFF, "Rina Marlina", "rina@example.go.id", "pns", "III/b", "",
         "Analis SDM Aparatur", "fungsional keahlian", "Ahli Pertama", "bkpp", HEAD],
        [CONTRACT, "Dewi Lestari", "", "PPPK", "", "IX",
         "Pengelola Layanan", "Pelaksana", "", "BKPP", HEAD],
    ]  # fmt: skip


def csv_file(rows, header=HEADER, delimiter=",", name="pegawai.csv", encoding="utf-8"):
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    return SimpleUploadedFile(name, ("\r\n".join(lines) + "\r\n").encode(encoding))


def xlsx_file(rows, header=HEADER, name="pegawai.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def employee_count():
    with scopes_disabled():
        return Employee.objects.count(), User.objects.count()


def issues_by_cell(result):
    return {(issue.row, issue.column): issue.message for issue in result.errors}


# --- Success -----------------------------------------------------------------------------------


def test_csv_import_creates_everyone_with_supervisors_from_file_and_database(
    region, unit, supervisor
):
    result = employees_import(region=region, file=csv_file(good_rows(boss_nip=supervisor.nip)))
    assert result.ok, result.errors
    assert result.created == 3
    with scope(region=region):
        people = {e.nip: e for e in Employee.objects.select_related("user", "supervisor")}
    head, staff, contract = people[HEAD], people[STAFF], people[CONTRACT]
    assert head.supervisor == supervisor  # already in the database
    assert staff.supervisor == head and contract.supervisor == head  # from the same file
    assert head.golongan == Golongan.IV_A and head.position_type == "administrator"
    assert staff.functional_level == "ahli_pertama" and staff.golongan == Golongan.III_B
    assert (contract.employment_type, contract.golongan, contract.pppk_grade) == ("pppk", None, 9)
    assert staff.birth_date == dt.date(1980, 5, 17) and staff.user.username == STAFF


def test_semicolon_csv_with_bom_and_any_column_order(region, unit):
    order = [5, 0, 1, 2, 3, 4, 6, 7, 8, 9, 10]
    header = [HEADER[i] for i in order]
    rows = [[row[i] for i in order] for row in good_rows()]
    upload = csv_file(rows, header=header, delimiter=";")
    upload = SimpleUploadedFile("pegawai.csv", b"\xef\xbb\xbf" + upload.read())
    result = employees_import(region=region, file=upload)
    assert result.ok, result.errors
    assert result.created == 3


def test_blank_lines_are_skipped_and_row_numbers_stay_those_of_the_sheet(region, unit):
    rows = good_rows()
    rows.insert(1, [""] * len(HEADER))
    rows[2][0] = "123"  # STAFF's row, now on sheet row 4
    result = employees_import(region=region, file=csv_file(rows))
    assert list(issues_by_cell(result)) == [(4, "nip")]


def test_xlsx_import(region, unit):
    result = employees_import(region=region, file=xlsx_file(good_rows()))
    assert result.ok, result.errors
    assert result.created == 3
    with scope(region=region):
        assert Employee.objects.get(nip=CONTRACT).pppk_grade == 9


def test_xlsx_template_filled_in_imports(region, unit, admin, login):
    response = login(admin).get(
        reverse("region:employee_import", kwargs={"region_slug": region.slug}),
        {"template": "xlsx"},
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    assert sheet.cell(row=2, column=1).number_format == "@"  # NIP typed as text keeps 18 digits
    header = [cell.value for cell in sheet[1]]
    for row in good_rows():
        sheet.append([row[HEADER.index(name)] if name in HEADER else "" for name in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = employees_import(region=region, file=SimpleUploadedFile("isi.xlsx", buffer.getvalue()))
    assert result.ok, result.errors
    assert result.created == 3


def test_csv_template_has_the_expected_header(region, unit):
    text = employee_template_csv().decode("utf-8-sig")
    assert text.strip().split(";")[:4] == ["nip", "nama", "email", "no_hp"]
    result = employees_import(region=region, file=SimpleUploadedFile("t.csv", text.encode()))
    assert result.errors == [ImportIssue(None, "", "Berkas tidak berisi data pegawai.")]


# --- Bad rows: everything reported, nothing written --------------------------------------------


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(
    region, unit, other_employee
):
    before = employee_count()
    rows = good_rows()
    rows += [
        ["19801317200503 2 001", "NIP Salah", "", "PNS", "III/a", "", "Staf", "Pelaksana", "",
         "BKPP", ""],
        [make_nip(9), "Unit Salah", "", "PNS", "III/a", "", "Staf", "Pelaksana", "", "TIDAKADA",
         ""],
        [STAFF, "Ganda di berkas", "", "PNS", "III/a", "", "Staf", "Pelaksana", "", "BKPP", ""],
        [other_employee.nip, "Sudah di Binjai", "", "PNS", "III/a", "", "Staf", "Pelaksana", "",
         "BKPP", ""],
        [make_nip(11), "Status Salah", "", "Honorer", "", "", "Staf", "Pelaksana", "", "BKPP",
         ""],
        [make_nip(13), "Golongan Salah", "", "PNS", "III/z", "", "Staf", "Pelaksana", "", "BKPP",
         ""],
        [make_nip(15), "PNS tanpa golongan", "", "PNS", "", "", "Staf", "Pelaksana", "", "BKPP",
         ""],
    ]  # fmt: skip
    result = employees_import(region=region, file=csv_file(rows))
    assert not result.ok and result.created == 0
    cells = issues_by_cell(result)
    assert "digit 1–8 (19801317) bukan tanggal lahir yang benar" in cells[(5, "nip")]
    assert cells[(6, "kode_unit")] == "Unit dengan kode TIDAKADA tidak ditemukan di wilayah ini."
    assert cells[(7, "nip")] == f"{STAFF} sudah ada di baris 3 berkas ini (data ganda)."
    assert cells[(8, "nip")] == f"NIP {other_employee.nip} sudah terdaftar sebagai pegawai."
    assert cells[(9, "status")] == "Status harus PNS atau PPPK (diterima: Honorer)."
    assert "Golongan III/z tidak dikenal" in cells[(10, "golongan")]
    assert cells[(11, "golongan")] == "PNS wajib memiliki pangkat/golongan ruang."
    assert {row for row, _column in cells} == {5, 6, 7, 8, 9, 10, 11}  # good rows: no error
    assert employee_count() == before  # the three good rows were not written either


def test_supervisor_problems_are_reported(region, unit, other_employee):
    before = employee_count()
    rows = good_rows()
    rows[0][10] = other_employee.nip  # a supervisor from another region
    rows[1][10] = STAFF  # own supervisor
    result = employees_import(region=region, file=csv_file(rows))
    cells = issues_by_cell(result)
    assert cells[(2, "nip_atasan")] == (
        f"Atasan dengan NIP {other_employee.nip} tidak ditemukan di wilayah ini maupun di berkas ini."
    )
    assert cells[(3, "nip_atasan")] == "Pegawai tidak boleh menjadi atasan dirinya sendiri."
    assert employee_count() == before


def test_supervision_loop_inside_the_file_is_rejected(region, unit):
    before = employee_count()
    rows = good_rows(boss_nip=STAFF)  # HEAD reports to STAFF who reports to HEAD
    result = employees_import(region=region, file=csv_file(rows))
    assert [(i.row, i.column) for i in result.errors] == [(3, "nip_atasan")]
    assert "rantai atasan" in result.errors[0].message
    assert employee_count() == before


def test_inactive_unit_is_reported_on_the_unit_column(region, unit):
    UnitFactory(region=region, code="LAMA", name="Dinas Lama", is_active=False)
    rows = good_rows()
    rows[2][9] = "LAMA"
    result = employees_import(region=region, file=csv_file(rows))
    assert issues_by_cell(result) == {(4, "kode_unit"): "Unit kerja Dinas Lama tidak aktif."}


def test_unit_of_another_region_is_unknown(region, unit, other_region):
    UnitFactory(region=other_region, code="DISDIK", name="Disdik Binjai")
    rows = good_rows()
    rows[0][9] = "DISDIK"
    result = employees_import(region=region, file=csv_file(rows))
    assert issues_by_cell(result)[(2, "kode_unit")] == (
        "Unit dengan kode DISDIK tidak ditemukan di wilayah ini."
    )


def test_existing_employee_in_this_region_is_a_duplicate(region, unit, employee):
    rows = good_rows()
    rows[1][0] = employee.nip
    result = employees_import(region=region, file=csv_file(rows))
    assert (
        issues_by_cell(result)[(3, "nip")] == f"NIP {employee.nip} sudah terdaftar sebagai pegawai."
    )


def test_xlsx_nip_stored_as_a_number_is_rejected(region, unit):
    rows = good_rows()
    rows[0][0] = int(HEAD)  # Excel keeps 15 significant digits: the last ones are lost
    result = employees_import(region=region, file=xlsx_file(rows))
    cells = issues_by_cell(result)
    assert "format kolom nip sebagai Teks" in cells[(2, "nip")]
    assert result.created == 0


def test_csv_nip_in_scientific_notation_is_explained(region, unit):
    rows = good_rows()
    rows[0][0] = "1.98005E+17"
    result = employees_import(region=region, file=csv_file(rows, delimiter=";"))
    assert "notasi ilmiah" in issues_by_cell(result)[(2, "nip")]


# --- Whole-file problems -----------------------------------------------------------------------


def file_message(result):
    assert [issue.row for issue in result.errors] == [None]
    return result.errors[0].message


def test_missing_and_unknown_columns_are_listed(region, unit):
    header = ["NIP", "Nama Lengkap", "status", "jabatan", "kode_unit"]
    upload = csv_file([["1", "2", "3", "4", "5"]], header=header)
    message = file_message(employees_import(region=region, file=upload))
    assert "kolom wajib tidak ada: nama, jenis_jabatan" in message
    assert "kolom tidak dikenal: nama_lengkap" in message


def test_utf16_csv_is_rejected_with_advice(region, unit):
    upload = csv_file(good_rows(), encoding="utf-16")
    message = file_message(employees_import(region=region, file=upload))
    assert "UTF-16" in message and "CSV UTF-8" in message
    assert employee_count() == (0, 0)


def test_encoding_advice_is_translated_for_english_users(region, unit):
    from django.utils import translation

    upload = csv_file(good_rows(), encoding="utf-16")
    with translation.override("en"):
        message = file_message(employees_import(region=region, file=upload))
    assert "Save it again as “CSV UTF-8 (Comma delimited)”" in message


def test_windows_1252_csv_is_rejected_with_advice(region, unit):
    rows = good_rows()
    rows[0][1] = "Hendra Wijayà"
    upload = csv_file(rows, encoding="cp1252")
    message = file_message(employees_import(region=region, file=upload))
    assert "tidak berkode UTF-8" in message


def test_binary_file_named_csv_is_rejected(region, unit):
    upload = SimpleUploadedFile("pegawai.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    assert "bukan teks CSV" in file_message(employees_import(region=region, file=upload))


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        (
            "pegawai.xls",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,
            "(.xls) tidak didukung",
        ),
        ("pegawai.xlsx", b"nip,nama\n1,2\n", "bukan berkas Excel yang valid"),
        ("pegawai.pdf", b"%PDF-1.7", "Jenis berkas .pdf tidak didukung"),
        ("pegawai.xlsx", b"PK\x03\x04" + b"\x00" * 64, "Berkas Excel rusak"),
    ],
)
def test_wrong_file_kinds_are_rejected(region, unit, name, content, expected):
    upload = SimpleUploadedFile(name, content)
    assert expected in file_message(employees_import(region=region, file=upload))


def test_files_over_5_mb_are_rejected(region, unit):
    upload = SimpleUploadedFile("besar.csv", b"nip\n" + b"1" * (5 * 1024 * 1024))
    assert "terlalu besar" in file_message(employees_import(region=region, file=upload))


# --- The page ----------------------------------------------------------------------------------


def import_url(region):
    return reverse("region:employee_import", kwargs={"region_slug": region.slug})


def test_import_page_success_redirects_with_count(admin, region, unit, login):
    response = login(admin).post(import_url(region), {"file": csv_file(good_rows())}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "region:employee_list", kwargs={"region_slug": region.slug}
    )
    assert "3 pegawai berhasil diimpor." in response.content.decode()


def test_import_page_shows_a_table_of_errors_and_writes_nothing(admin, region, unit, login):
    before = employee_count()
    rows = good_rows()
    rows[1][9] = "ENTAH"
    response = login(admin).post(import_url(region), {"file": csv_file(rows)})
    assert response.status_code == 200
    body = response.content.decode()
    assert "tidak ada data yang disimpan" in body
    assert '<td>3</td><td class="font-monospace">kode_unit</td>' in body
    assert "Unit dengan kode ENTAH tidak ditemukan di wilayah ini." in body
    assert employee_count() == before


def test_import_page_shows_file_errors_on_the_field(admin, region, unit, login):
    upload = csv_file(good_rows(), encoding="utf-16")
    response = login(admin).post(import_url(region), {"file": upload})
    assert "UTF-16" in response.context["form"].errors["file"][0]


def test_import_page_needs_a_file(admin, region, login):
    response = login(admin).post(import_url(region), {})
    assert response.status_code == 200 and response.context["form"].errors["file"]


def test_csv_template_download(admin, region, login):
    response = login(admin).get(import_url(region), {"template": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbfnip;nama;")


def test_import_page_is_for_admins_only(employee, region, login):
    assert login(employee).get(import_url(region)).status_code == 403


def test_import_never_touches_another_region(region, unit, other_region, other_unit):
    """Codes and supervisor NIPs resolve in the importing region only."""
    boss = EmployeeFactory(region=other_region, unit=other_unit, name="Bos Binjai")
    rows = good_rows(boss_nip=boss.nip)
    result = employees_import(region=region, file=csv_file(rows))
    assert (2, "nip_atasan") in issues_by_cell(result)
    with scopes_disabled():
        assert not Employee.objects.filter(nip__in=[HEAD, STAFF, CONTRACT]).exists()


def test_a_row_with_several_faults_reports_them_all(region, unit, other_employee):
    rows = good_rows()
    rows[2][0], rows[2][3] = other_employee.nip, "Honorer"  # registered NIP and a bad status
    result = employees_import(region=region, file=csv_file(rows))
    cells = issues_by_cell(result)
    assert cells[(4, "nip")] == f"NIP {other_employee.nip} sudah terdaftar sebagai pegawai."
    assert cells[(4, "status")] == "Status harus PNS atau PPPK (diterima: Honorer)."


def test_values_are_read_in_their_common_spellings(region, unit):
    rows = good_rows()
    rows[0][4] = "iv-a"  # golongan
    rows[1][7], rows[1][8] = "FUNGSIONAL_KEAHLIAN", "ahli pertama"
    rows[2][5] = "9"  # golongan PPPK as a number
    result = employees_import(region=region, file=csv_file(rows))
    assert result.ok, result.errors


def test_labels_in_indonesian_are_understood_when_the_page_is_in_english(region, unit):
    from django.utils import translation

    with translation.override("en"):
        result = employees_import(region=region, file=csv_file(good_rows()))
    assert result.ok, result.errors


def test_an_unknown_unit_does_not_hide_the_rows_nip_email_and_grade_errors(region, unit, employee):
    """Issue 16, item 8: every error of every row in one pass."""
    with scopes_disabled():
        User.objects.filter(pk=employee.user_id).update(email="dipakai@example.go.id")
    rows = good_rows()
    rows += [
        # bad NIP date, malformed e-mail, unknown unit
        ["19801317200503 2 001", "Banyak Salah", "bukan-email", "PNS", "III/a", "", "Staf",
         "Pelaksana", "", "TIDAKADA", ""],
        # e-mail of another account, PNS without golongan, unknown unit
        [make_nip(21), "Email Dipakai", "dipakai@example.go.id", "PNS", "", "", "Staf",
         "Pelaksana", "", "TIDAKADA", ""],
    ]  # fmt: skip
    result = employees_import(region=region, file=csv_file(rows))
    cells = issues_by_cell(result)
    assert cells[(5, "kode_unit")] == "Unit dengan kode TIDAKADA tidak ditemukan di wilayah ini."
    assert "digit 1–8 (19801317) bukan tanggal lahir yang benar" in cells[(5, "nip")]
    assert (5, "email") in cells
    assert cells[(6, "kode_unit")] == "Unit dengan kode TIDAKADA tidak ditemukan di wilayah ini."
    assert cells[(6, "email")] == "Email dipakai@example.go.id sudah dipakai akun lain."
    assert cells[(6, "golongan")] == "PNS wajib memiliki pangkat/golongan ruang."
    assert {row for row, _column in cells} == {5, 6}


# --- Size: row cap, streaming, background ------------------------------------------------------


def _many_rows(count):
    return [
        [make_nip(100 + n), f"Pegawai {n}", "", "PNS", "III/a", "", "Staf", "Pelaksana", "",
         "BKPP", ""]
        for n in range(count)
    ]  # fmt: skip


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_a_file_above_the_row_cap_is_refused_with_a_clear_message(
    region, unit, settings, make_file
):
    settings.KOMPETENSI_IMPORT_MAX_ROWS = 5
    before = employee_count()
    message = file_message(employees_import(region=region, file=make_file(_many_rows(6))))
    assert message.startswith("Berkas berisi lebih dari 5 baris data.")
    assert employee_count() == before
    assert employees_import(region=region, file=make_file(_many_rows(5))).ok


def test_reading_a_huge_sheet_stops_at_the_row_cap(region, unit, settings, monkeypatch):
    """Read-only openpyxl streams rows; the import stops reading right after the cap, so a
    sheet of many thousands of (even empty-looking formatted) rows never fills memory."""
    from regions import imports

    settings.KOMPETENSI_IMPORT_MAX_ROWS = 10
    read = []
    real = imports._xlsx_rows

    def counting(content):
        for row in real(content):
            read.append(1)
            yield row

    monkeypatch.setattr(imports, "_xlsx_rows", counting)
    result = employees_import(region=region, file=xlsx_file(_many_rows(500)))
    assert "lebih dari 10 baris" in file_message(result)
    assert len(read) == 12  # the header, ten rows, and the one that crossed the cap


def test_progress_is_reported_while_rows_are_written(region, unit, settings, monkeypatch):
    from regions import imports

    monkeypatch.setattr(imports, "PROGRESS_EVERY", 2)
    calls = []
    result = employees_import(
        region=region, file=csv_file(_many_rows(5)), progress=lambda d, t: calls.append((d, t))
    )
    assert result.ok and result.created == 5
    assert calls == [(0, 5), (2, 5), (4, 5), (5, 5)]


def test_a_large_upload_goes_to_the_background_import_with_progress_and_errors(
    admin, region, unit, login, settings, tmp_path, django_capture_on_commit_callbacks
):
    from evaluations.models import BackgroundJob

    settings.MEDIA_ROOT = tmp_path
    settings.KOMPETENSI_IMPORT_SYNC_MAX_BYTES = 200
    rows = _many_rows(4)
    rows[2][9] = "TIDAKADA"
    with django_capture_on_commit_callbacks(execute=True):
        response = login(admin).post(import_url(region), {"file": csv_file(rows)})
    with scopes_disabled():
        job = BackgroundJob.objects.get(kind="employee_import")
    assert response.status_code == 302
    assert response.url == reverse(
        "evaluations:job_detail", kwargs={"region_slug": region.slug, "job_id": job.pk}
    )
    assert job.status == BackgroundJob.Status.FAILED
    assert job.result["errors"] == [
        {"row": 4, "column": "kode_unit",
         "message": "Unit dengan kode TIDAKADA tidak ditemukan di wilayah ini."}
    ]  # fmt: skip
    page = login(admin).get(response.url).content.decode()
    assert "Unit dengan kode TIDAKADA tidak ditemukan di wilayah ini." in page
    # Small files are still imported at once, in the request.
    settings.KOMPETENSI_IMPORT_SYNC_MAX_BYTES = 100_000
    response = login(admin).post(import_url(region), {"file": csv_file(good_rows())})
    assert response.status_code == 302
    assert response.url == reverse("region:employee_list", kwargs={"region_slug": region.slug})
