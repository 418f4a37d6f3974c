"""Import of employees from a CSV or XLSX file, all or nothing.

`employees_import(region=..., file=...)` reads the file, checks its shape (encoding, columns),
parses every row, and creates the employees through `regions.services` inside one
transaction. Every problem is collected as (row, column, message); if there is any, the
transaction is rolled back and nothing is written. The function does not depend on a request,
so a background task can call it with a stored file.

Row numbers are those a spreadsheet shows: the header is row 1, the first employee row 2.
"""

import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_scopes import scope

from kompetensi import uploads

from . import audit, selectors, services
from . import nip as nip_rules
from .models import Employee, FunctionalLevel, Golongan, PositionType, Region, Unit

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Row cap (setting KOMPETENSI_IMPORT_MAX_ROWS) and the size above which the upload page hands
# the file to the background import (KOMPETENSI_IMPORT_SYNC_MAX_BYTES): a request never parses
# and writes thousands of rows while a gunicorn worker waits.
DEFAULT_MAX_ROWS = 20_000
DEFAULT_SYNC_MAX_BYTES = 100 * 1024
PROGRESS_EVERY = 100  # rows written between two progress reports


def sync_max_bytes() -> int:
    """Files larger than this are imported in the background (`KOMPETENSI_IMPORT_SYNC_MAX_BYTES`)."""
    return int(getattr(settings, "KOMPETENSI_IMPORT_SYNC_MAX_BYTES", DEFAULT_SYNC_MAX_BYTES))


# The background import, registered by the app that runs background jobs (evaluations, in its
# AppConfig.ready()): `start(region=, user=, file=)` returns the URL of the job's progress page.
_background_start: Callable[..., str] | None = None


def register_background_import(start: Callable[..., str]) -> None:
    global _background_start
    _background_start = start


def background_import_start(*, region: Region, user, file) -> str | None:
    """Hand a large upload to the background import; its progress page URL, or None when no
    background import is registered (the caller imports in the request)."""
    if _background_start is None:
        return None
    return _background_start(region=region, user=user, file=file)


# Column name → what it holds (shown on the import page and in the XLSX template).
COLUMNS: dict[str, str] = {
    "nip": gettext_lazy("NIP (PNS) atau NI PPPK, 18 digit. Wajib."),
    "nama": gettext_lazy("Nama lengkap dengan gelar. Wajib."),
    "email": gettext_lazy("Alamat email untuk undangan masuk. Boleh kosong."),
    "no_hp": gettext_lazy("Nomor HP. Boleh kosong."),
    "status": gettext_lazy("PNS atau PPPK. Wajib."),
    "golongan": gettext_lazy("Golongan ruang PNS, misalnya III/a. Wajib untuk PNS."),
    "golongan_pppk": gettext_lazy("Golongan PPPK 1–17 (atau I–XVII). Hanya untuk PPPK."),
    "jabatan": gettext_lazy("Nama jabatan, misalnya Analis Kepegawaian. Wajib."),
    "jenis_jabatan": gettext_lazy(
        "JPT Utama, JPT Madya, JPT Pratama, Administrator, Pengawas, Fungsional keahlian, "
        "Fungsional keterampilan atau Pelaksana. Wajib."
    ),
    "jenjang": gettext_lazy(
        "Jenjang fungsional, misalnya Ahli Pertama atau Terampil. Wajib untuk jabatan fungsional."
    ),
    "kode_unit": gettext_lazy("Kode unit kerja di wilayah ini. Wajib."),
    "nip_atasan": gettext_lazy(
        "NIP atasan langsung: pegawai di wilayah ini atau di berkas yang sama. Boleh kosong."
    ),
}
REQUIRED_COLUMNS = ("nip", "nama", "status", "jabatan", "jenis_jabatan", "kode_unit")

# Which column a service's field error belongs to.
FIELD_COLUMNS = {
    "nip": "nip",
    "name": "nama",
    "email": "email",
    "phone": "no_hp",
    "employment_type": "status",
    "golongan": "golongan",
    "pppk_grade": "golongan_pppk",
    "position": "jabatan",
    "position_type": "jenis_jabatan",
    "functional_level": "jenjang",
    "unit": "kode_unit",
    "supervisor": "nip_atasan",
}

ROMAN = {
    "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6, "VII": 7, "VIII": 8, "IX": 9,
    "X": 10, "XI": 11, "XII": 12, "XIII": 13, "XIV": 14, "XV": 15, "XVI": 16, "XVII": 17,
}  # fmt: skip


@dataclass(frozen=True)
class ImportIssue:
    """One problem: `row` None means the whole file (encoding, columns, size)."""

    row: int | None
    column: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    errors: list[ImportIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def file_errors(self) -> list[ImportIssue]:
        return [issue for issue in self.errors if issue.row is None]

    @property
    def row_errors(self) -> list[ImportIssue]:
        return [issue for issue in self.errors if issue.row is not None]


class ImportFileError(Exception):
    """The file as a whole cannot be read; carries a message for the user."""


@dataclass
class _Row:
    number: int
    values: dict[str, str]
    data: dict = field(default_factory=dict)
    supervisor_nip: str = ""
    employee: Employee | None = None


class _Rollback(Exception):
    pass


# --- Reading the file --------------------------------------------------------------------------


def _read_bytes(file) -> bytes:
    size = getattr(file, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ImportFileError(_too_big_message())
    if hasattr(file, "seek"):
        file.seek(0)
    content = file.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        raise ImportFileError(_too_big_message())
    if not content.strip():
        raise ImportFileError(_("Berkas kosong."))
    return content


def _too_big_message() -> str:
    return _("Berkas terlalu besar; paling besar %(size)d MB.") % {
        "size": MAX_UPLOAD_BYTES // (1024 * 1024)
    }


def _file_kind(name: str, content: bytes) -> str:
    """'csv' or 'xlsx', checked against both the extension and the content."""
    extension = PurePath(name or "").suffix.lower()
    looks_zip = content.startswith(b"PK\x03\x04")
    looks_ole = content.startswith(b"\xd0\xcf\x11\xe0")  # old binary Excel (.xls)
    if extension == ".xls" or looks_ole:
        raise ImportFileError(
            _(
                "Format Excel lama (.xls) tidak didukung. Simpan berkas sebagai Excel (.xlsx) "
                "atau CSV UTF-8, lalu unggah lagi."
            )
        )
    if extension == ".xlsx":
        if not looks_zip:
            raise ImportFileError(
                _("Berkas berekstensi .xlsx tetapi isinya bukan berkas Excel yang valid.")
            )
        # The portal's one content check (kompetensi.uploads): a ZIP holding a workbook.
        if uploads.sniff(io.BytesIO(content), ("xlsx",)) is None:
            raise ImportFileError(
                _("Berkas Excel rusak atau tidak dapat dibaca; simpan ulang sebagai .xlsx.")
            )
        return "xlsx"
    if extension == ".csv":
        if looks_zip:
            raise ImportFileError(
                _("Berkas berekstensi .csv tetapi isinya berkas Excel; simpan sebagai .xlsx.")
            )
        return "csv"
    raise ImportFileError(
        _("Jenis berkas %(ext)s tidak didukung; unggah berkas .csv atau .xlsx.")
        % {"ext": extension or _("tanpa ekstensi")}
    )


def _decode_csv(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError(
            _(
                "Berkas CSV berkode UTF-16 (misalnya hasil “Teks Unicode” di Excel). "
                "Simpan ulang sebagai “CSV UTF-8 (dipisahkan koma)”."
            )
        )
    if b"\x00" in content:
        raise ImportFileError(
            _(
                "Berkas ini bukan teks CSV biasa (berisi karakter biner atau berkode UTF-16). "
                "Simpan ulang sebagai “CSV UTF-8 (dipisahkan koma)”."
            )
        )
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            _(
                "Berkas CSV tidak berkode UTF-8 (karakter tidak terbaca pada posisi %(pos)d). "
                "Simpan ulang sebagai “CSV UTF-8 (dipisahkan koma)”."
            )
            % {"pos": exc.start + 1}
        ) from None


def _csv_rows(content: bytes) -> Iterator[list[str]]:
    """The CSV's rows, one at a time."""
    text = _decode_csv(content)
    first_line = text.lstrip("\r\n").split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise ImportFileError(
            _("Berkas CSV tidak dapat dibaca: %(error)s.") % {"error": exc}
        ) from None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _xlsx_rows(content: bytes) -> Iterator[list]:
    """The first sheet's rows, one at a time: openpyxl's read-only mode streams the sheet's
    XML, so memory stays flat however many rows (or formatted empty rows) it holds."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise ImportFileError(
            _("Berkas Excel rusak atau tidak dapat dibaca; simpan ulang sebagai .xlsx.")
        ) from None
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("Berkas Excel tidak memiliki lembar kerja."))
        sheet = workbook.worksheets[0]
        # Cells are kept raw here: a number in the NIP column is reported, not silently cast.
        for row in sheet.iter_rows(values_only=True):
            yield list(row)
    finally:
        workbook.close()


def _normalise_header(value) -> str:
    return "_".join(_cell_text(value).lower().replace("-", " ").replace("/", " ").split())


def max_rows() -> int:
    """The most employee rows one file may hold (`KOMPETENSI_IMPORT_MAX_ROWS`)."""
    return int(getattr(settings, "KOMPETENSI_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS))


def _table(kind: str, content: bytes) -> tuple[list[str], list[tuple[int, list]]]:
    """The header and the non-empty rows with their spreadsheet row numbers. Reading stops as
    soon as the file holds more rows than the cap (a clear message, not a worker timeout)."""
    raw = _xlsx_rows(content) if kind == "xlsx" else _csv_rows(content)
    cap = max_rows()
    numbered = []
    for number, row in enumerate(raw, start=1):
        if not any(_cell_text(cell) for cell in row):
            continue
        numbered.append((number, row))
        if len(numbered) > cap + 1:  # the header and more than `cap` data rows
            raise ImportFileError(
                _(
                    "Berkas berisi lebih dari %(max)s baris data. Bagi menjadi beberapa berkas "
                    "berisi paling banyak %(max)s baris, lalu unggah satu per satu."
                )
                % {"max": f"{cap:,}".replace(",", ".")}
            )
    if not numbered:
        raise ImportFileError(_("Berkas kosong."))
    _header_number, header_row = numbered[0]
    header = [_normalise_header(cell) for cell in header_row]
    return header, numbered[1:]


def _check_header(header: list[str]) -> None:
    named = [name for name in header if name]
    unknown = sorted({name for name in named if name not in COLUMNS})
    missing = [name for name in REQUIRED_COLUMNS if name not in named]
    doubled = sorted({name for name in named if named.count(name) > 1})
    problems = []
    if missing:
        problems.append(_("kolom wajib tidak ada: %(cols)s") % {"cols": ", ".join(missing)})
    if unknown:
        problems.append(_("kolom tidak dikenal: %(cols)s") % {"cols": ", ".join(unknown)})
    if doubled:
        problems.append(_("kolom ganda: %(cols)s") % {"cols": ", ".join(doubled)})
    if problems:
        raise ImportFileError(
            _("Susunan kolom tidak sesuai (%(problems)s). Kolom yang dikenal: %(known)s.")
            % {"problems": "; ".join(problems), "known": ", ".join(COLUMNS)}
        )


# --- Parsing values ----------------------------------------------------------------------------


def _key(value: str) -> str:
    return " ".join(value.lower().replace("_", " ").replace("-", " ").split())


def _choice_lookup(choices) -> dict[str, str]:
    """Values and labels (as written in Indonesian, and in the active language) → value."""
    lookup = {}
    # override(None) gives the untranslated labels, which are the Indonesian ones.
    for language in (None, translation.get_language()):
        with translation.override(language):
            for value, label in choices:
                lookup[_key(str(value))] = value
                lookup[_key(str(label))] = value
    return lookup


def _golongan_lookup() -> dict[str, int]:
    """'III/a', 'IIIa', 'iii/a' or the SIASN id '31' → the golongan."""
    lookup = {}
    for value, label in Golongan.choices:
        ruang = label.split(" ")[0].lower()  # "iii/a"
        lookup[ruang] = value
        lookup[ruang.replace("/", "")] = value
        lookup[str(value)] = value
    return lookup


@dataclass(frozen=True)
class _Lookups:
    units: dict[str, Unit]
    golongan: dict[str, int]
    position_type: dict[str, str]
    functional_level: dict[str, str]

    @classmethod
    def for_region(cls, region: Region) -> "_Lookups":
        return cls(
            units={unit.code.lower(): unit for unit in Unit.objects.filter(region=region)},
            golongan=_golongan_lookup(),
            position_type=_choice_lookup(PositionType.choices),
            functional_level=_choice_lookup(FunctionalLevel.choices),
        )


def _parse_row(row: _Row, lookups: _Lookups, issues: list[ImportIssue]) -> bool:
    """Turn a row's text into service arguments; report what cannot be understood."""
    values = row.values

    def problem(column: str, message: str) -> None:
        issues.append(ImportIssue(row.number, column, message))

    count_before = len(issues)
    raw_nip = values.get("nip", "")
    nip = nip_rules.normalise_nip(raw_nip)
    if not nip:
        problem("nip", _("NIP wajib diisi."))
    elif "e+" in raw_nip.lower() or "," in raw_nip:
        problem(
            "nip",
            _(
                "NIP %(nip)s tertulis sebagai angka (notasi ilmiah) sehingga digitnya hilang; "
                "format kolom NIP sebagai Teks lalu ketik ulang."
            )
            % {"nip": raw_nip},
        )

    status = _key(values.get("status", ""))
    employment_type = {"pns": Employee.EmploymentType.PNS, "pppk": Employee.EmploymentType.PPPK}
    if status not in employment_type:
        problem(
            "status",
            _("Status harus PNS atau PPPK (diterima: %(v)s).")
            % {"v": _shown(values.get("status"))},
        )

    golongan = None
    raw = values.get("golongan", "")
    if raw:
        golongan = lookups.golongan.get(raw.replace(" ", "").replace("-", "/").lower())
        if golongan is None:
            problem(
                "golongan",
                _("Golongan %(v)s tidak dikenal; tulis seperti III/a atau IV/b.") % {"v": raw},
            )

    pppk_grade = None
    raw = values.get("golongan_pppk", "")
    if raw:
        text = raw.upper().strip()
        pppk_grade = ROMAN.get(text) or (int(text) if text.isdigit() else None)
        if pppk_grade is None or not 1 <= pppk_grade <= 17:
            problem(
                "golongan_pppk",
                _("Golongan PPPK %(v)s tidak dikenal; isi angka 1–17 atau I–XVII.") % {"v": raw},
            )

    position_type = None
    raw = values.get("jenis_jabatan", "")
    if raw:
        position_type = lookups.position_type.get(_key(raw))
    if position_type is None:
        problem(
            "jenis_jabatan",
            _("Jenis jabatan %(v)s tidak dikenal; pilih salah satu: %(choices)s.")
            % {
                "v": _shown(raw),
                "choices": ", ".join(str(label) for _v, label in PositionType.choices),
            },
        )

    functional_level = ""
    raw = values.get("jenjang", "")
    if raw:
        functional_level = lookups.functional_level.get(_key(raw))
        if functional_level is None:
            problem(
                "jenjang",
                _("Jenjang %(v)s tidak dikenal; pilih salah satu: %(choices)s.")
                % {
                    "v": raw,
                    "choices": ", ".join(str(label) for _v, label in FunctionalLevel.choices),
                },
            )

    code = values.get("kode_unit", "")
    unit = lookups.units.get(code.lower()) if code else None
    if not code:
        problem("kode_unit", _("Kode unit wajib diisi."))
    elif unit is None:
        problem(
            "kode_unit",
            _("Unit dengan kode %(code)s tidak ditemukan di wilayah ini.") % {"code": code},
        )

    if not values.get("nama"):
        problem("nama", _("Nama wajib diisi."))
    if not values.get("jabatan"):
        problem("jabatan", _("Jabatan wajib diisi."))

    supervisor_nip = nip_rules.normalise_nip(values.get("nip_atasan", ""))
    if supervisor_nip and supervisor_nip == nip:
        problem("nip_atasan", _("Pegawai tidak boleh menjadi atasan dirinya sendiri."))

    row.supervisor_nip = supervisor_nip
    row.data = {
        "nip": nip,
        "name": values.get("nama", ""),
        "email": values.get("email", "").lower(),
        "phone": values.get("no_hp", ""),
        "employment_type": employment_type.get(status),
        "golongan": golongan,
        "pppk_grade": pppk_grade,
        "position": values.get("jabatan", ""),
        "position_type": position_type,
        "functional_level": functional_level or "",
        "unit": unit,
    }
    return len(issues) == count_before


def _shown(value) -> str:
    return value if value else _("(kosong)")


def _check_duplicates(rows: list[_Row], issues: list[ImportIssue]) -> set[int]:
    """Rows whose NIP or email repeats an earlier row of the file."""
    seen: dict[tuple[str, str], int] = {}
    duplicated = set()
    for row in rows:
        for column, value in (("nip", row.data.get("nip")), ("email", row.data.get("email"))):
            if not value:
                continue
            first = seen.setdefault((column, value), row.number)
            if first != row.number:
                duplicated.add(row.number)
                issues.append(
                    ImportIssue(
                        row.number,
                        column,
                        _("%(value)s sudah ada di baris %(first)d berkas ini (data ganda).")
                        % {"value": value, "first": first},
                    )
                )
    return duplicated


def _check_registered(rows: list[_Row], issues: list[ImportIssue]) -> set[int]:
    """Rows whose NIP is already registered, found in one pass for the whole file.

    employee_create checks this again for the rows it gets; this pass also reports it for rows
    that have other problems, so the admin sees every fault at once.
    """
    nip_issues = {issue.row for issue in issues if issue.column == "nip"}
    candidates = [row for row in rows if row.data.get("nip") and row.number not in nip_issues]
    registered = selectors.employee_nips_registered(nips=[row.data["nip"] for row in candidates])
    taken = set()
    for row in candidates:
        if row.data["nip"] in registered:
            taken.add(row.number)
            issues.append(
                ImportIssue(
                    row.number,
                    "nip",
                    _("NIP %(nip)s sudah terdaftar sebagai pegawai.") % {"nip": row.data["nip"]},
                )
            )
    return taken


def _check_values(rows: list[_Row], issues: list[ImportIssue]) -> None:
    """What `employee_create` would refuse, checked for every row whatever else is wrong with
    it (an unknown unit must not hide the row's NIP or e-mail errors): NIP structure, e-mail
    format and an e-mail another login already uses (one query for the file), grade and
    position. A column that already has an issue in that row is not reported twice."""
    reported = {(issue.row, issue.column) for issue in issues}
    valid_email = {}
    for row in rows:
        found = services.employee_values_errors(nip=row.data.get("nip", ""), data=row.data)
        valid_email[row.number] = "email" not in found
        for field_name, messages in found.items():
            column = FIELD_COLUMNS.get(field_name, "")
            if (row.number, column) in reported:
                continue
            reported.add((row.number, column))
            issues.extend(ImportIssue(row.number, column, message) for message in messages)
    taken = selectors.user_emails_taken(
        emails=[row.data["email"] for row in rows if row.data.get("email")]
    )
    for row in rows:
        email = row.data.get("email")
        if email in taken and valid_email[row.number] and (row.number, "email") not in reported:
            issues.append(
                ImportIssue(
                    row.number,
                    "email",
                    _("Email %(email)s sudah dipakai akun lain.") % {"email": email},
                )
            )


def _issues_from(row: int, exc: ValidationError) -> Iterable[ImportIssue]:
    if hasattr(exc, "error_dict"):
        for field_name, errors in exc.error_dict.items():
            column = FIELD_COLUMNS.get(field_name, "")
            for error in errors:
                for message in error.messages:
                    yield ImportIssue(row, column, message)
    else:
        for message in exc.messages:
            yield ImportIssue(row, "", message)


def _in_chunks(values: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


# --- The import --------------------------------------------------------------------------------


Progress = Callable[[int, int], None]


def employees_import(
    *, region: Region, file, filename: str | None = None, progress: Progress | None = None
) -> ImportResult:
    """Create the employees listed in `file` (an uploaded or opened binary file), all or none.

    `filename` overrides `file.name` for the extension check (e.g. a task reading from storage).
    `progress(done, total)` is called as rows are written (total = the file's rows; checking
    them all comes first and is quick), for a background job's progress bar; it runs inside
    the import's transaction, so it must write where others can see it (see
    `evaluations.services.jobs`).
    """
    with scope(region=region):
        return _import(region=region, file=file, filename=filename, progress=progress)


def _import(*, region: Region, file, filename: str | None, progress=None) -> ImportResult:
    try:
        content = _read_bytes(file)
        kind = _file_kind(filename or getattr(file, "name", ""), content)
        header, table = _table(kind, content)
        _check_header(header)
    except ImportFileError as exc:
        return ImportResult(errors=[ImportIssue(None, "", str(exc))])
    if not table:
        return ImportResult(errors=[ImportIssue(None, "", _("Berkas tidak berisi data pegawai."))])

    issues: list[ImportIssue] = []
    rows: list[_Row] = []
    for number, cells in table:
        if len(cells) > len(header) and any(_cell_text(c) for c in cells[len(header) :]):
            issues.append(
                ImportIssue(
                    number,
                    "",
                    _("Baris ini berisi %(cells)d nilai, sedangkan header hanya %(cols)d kolom.")
                    % {"cells": len(cells), "cols": len(header)},
                )
            )
            continue
        values = {}
        for name, cell in zip(header, cells, strict=False):
            if not name:
                continue
            if name in ("nip", "nip_atasan") and isinstance(cell, int | float):
                issues.append(
                    ImportIssue(
                        number,
                        name,
                        _(
                            "NIP tersimpan sebagai angka di Excel sehingga digit terakhirnya "
                            "bisa berubah; format kolom %(col)s sebagai Teks lalu ketik ulang."
                        )
                        % {"col": name},
                    )
                )
            values[name] = _cell_text(cell)
        rows.append(_Row(number=number, values=values))

    total = len(rows)
    if progress is not None:
        progress(0, total)
    lookups = _Lookups.for_region(region)
    parsed = {row.number for row in rows if _parse_row(row, lookups, issues)}
    parsed -= _check_duplicates(rows, issues)
    parsed -= _check_registered(rows, issues)
    _check_values(rows, issues)
    parsed -= {issue.row for issue in issues}

    result = ImportResult()
    try:
        with transaction.atomic():
            by_nip = _create_rows(
                region,
                [row for row in rows if row.number in parsed],
                issues,
                step=(lambda done: progress(done, total)) if progress else None,
            )
            _link_supervisors(region, rows, by_nip, issues)
            if issues:
                raise _Rollback
            result.created = len(by_nip)
            # Each employee has its own "created" event; this one says where they came from.
            audit.record(
                action=audit.Action.IMPORT,
                region=region,
                object_type_="regions.employee",
                object_label=(filename or getattr(file, "name", "") or "")[:200],
                note=_("%(count)d pegawai diimpor") % {"count": result.created},
            )
    except _Rollback:
        result.created = 0
    result.errors = sorted(issues, key=lambda issue: (issue.row or 0, issue.column))
    return result


def _create_rows(region: Region, rows: list[_Row], issues: list[ImportIssue], step=None) -> dict:
    by_nip = {}
    for done, row in enumerate(rows, start=1):
        if step is not None and (done % PROGRESS_EVERY == 0 or done == len(rows)):
            step(done)
        try:
            with transaction.atomic():
                row.employee = services.employee_create(region=region, **row.data)
        except ValidationError as exc:
            issues.extend(_issues_from(row.number, exc))
        except IntegrityError:
            issues.append(
                ImportIssue(row.number, "", _("Data bentrok dengan data yang sudah ada."))
            )
        else:
            by_nip[row.employee.nip] = row.employee
    return by_nip


def _link_supervisors(
    region: Region, rows: list[_Row], by_nip: dict, issues: list[ImportIssue]
) -> None:
    """Resolve `nip_atasan` against this region's employees, then the file's own rows."""
    wanted = sorted({row.supervisor_nip for row in rows if row.supervisor_nip} - set(by_nip))
    existing = {}
    for chunk in _in_chunks(wanted):
        existing.update(
            (employee.nip, employee)
            for employee in Employee.objects.filter(region=region, nip__in=chunk)
        )
    in_file = {row.data.get("nip") for row in rows}
    for row in rows:
        if not row.supervisor_nip or row.supervisor_nip == row.data.get("nip"):
            continue
        supervisor = by_nip.get(row.supervisor_nip) or existing.get(row.supervisor_nip)
        if supervisor is None:
            if row.supervisor_nip not in in_file:
                issues.append(
                    ImportIssue(
                        row.number,
                        "nip_atasan",
                        _(
                            "Atasan dengan NIP %(nip)s tidak ditemukan di wilayah ini maupun "
                            "di berkas ini."
                        )
                        % {"nip": row.supervisor_nip},
                    )
                )
            continue  # the supervisor's own row has an error, reported there
        if row.employee is None:
            continue
        try:
            with transaction.atomic():
                services.employee_set_supervisor(employee=row.employee, supervisor=supervisor)
        except ValidationError as exc:
            issues.extend(_issues_from(row.number, exc))


# --- Templates to download ---------------------------------------------------------------------


def employee_template_csv() -> bytes:
    """An empty CSV with the expected header (UTF-8 with BOM, `;` as Excel in Indonesia uses)."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerow(COLUMNS)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def employee_template_xlsx() -> bytes:
    """An XLSX with the header, NIP columns formatted as text, and a sheet of instructions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Pegawai")
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, name in enumerate(COLUMNS, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(14, len(name) + 4)
        if name in ("nip", "nip_atasan", "no_hp"):
            # Text, not number: Excel would keep only 15 of the 18 digits of a NIP.
            sheet.column_dimensions[letter].width = 22
            sheet.column_dimensions[letter].number_format = "@"
            for row in range(2, 1001):
                sheet.cell(row=row, column=index).number_format = "@"
    guide = workbook.create_sheet(_("Petunjuk"))
    guide.append([_("Kolom"), _("Isi")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for name, description in COLUMNS.items():
        guide.append([name, str(description)])
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
