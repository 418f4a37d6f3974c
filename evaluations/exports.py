"""Admin exports of a region's data as CSV (UTF-8 with BOM, for Excel) or XLSX.

Rows are streamed from the database (`.values()` + `.iterator(chunk_size=2000)`) into a file,
never held in memory: an export of 150,000 enrolments uses a few megabytes. Every queryset is
filtered by the region (and runs inside its scope), so another region's rows cannot appear.
Cells of user text (names, titles, units, positions, choice labels) go through
`kompetensi.spreadsheets`: never a formula, in CSV or XLSX; numbers and dates stay typed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kompetensi.spreadsheets import csv_safe, xlsx_text
from regions.models import Employee, FunctionalLevel, Golongan, PositionType, Region
from training.models import DevelopmentRecord, Enrolment

CHUNK_SIZE = 2000
FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
FORMAT_CHOICES = [("xlsx", _("Excel (.xlsx)")), ("csv", _("CSV (.csv)"))]


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str = "text"  # text, date, datetime, decimal, int, bool, choice
    choices: dict | None = None
    width: int = 14


@dataclass(frozen=True)
class Export:
    kind: str
    label: str
    slug: str
    sheet: str
    columns: tuple[Column, ...]
    queryset: Callable[..., QuerySet]


def _labels(choices) -> dict:
    return dict(choices)


def _golongan_short() -> dict:
    return {value: str(label).split(" – ")[0] for value, label in Golongan.choices}


# --- Querysets ---------------------------------------------------------------------------------


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def enrolment_rows(*, region: Region, params: dict) -> QuerySet:
    rows = Enrolment.objects.filter(region=region)
    if offering := _int(params.get("offering")):
        rows = rows.filter(offering_id=offering)
    if status := params.get("status"):
        rows = rows.filter(status=status)
    if year := _int(params.get("year")):
        rows = rows.filter(offering__start_date__year=year)
    return rows.order_by("offering__start_date", "offering_id", "employee__name", "id")


def record_rows(*, region: Region, params: dict) -> QuerySet:
    rows = DevelopmentRecord.objects.filter(region=region)
    if year := _int(params.get("year")):
        rows = rows.filter(year=year)
    if status := params.get("status"):
        rows = rows.filter(status=status)
    return rows.order_by("year", "employee__name", "start_date", "id")


def employee_rows(*, region: Region, params: dict) -> QuerySet:
    rows = Employee.objects.filter(region=region)
    if not params.get("include_inactive"):
        rows = rows.filter(is_active=True)
    return rows.order_by("unit__name", "name", "id")


EXPORTS: dict[str, Export] = {
    "export_enrolments": Export(
        kind="export_enrolments",
        label=_("Ekspor pendaftaran"),
        slug="pendaftaran",
        sheet=_("Pendaftaran"),
        queryset=enrolment_rows,
        columns=(
            Column(_("ID"), "id", "int", width=9),
            Column(_("NIP"), "employee__nip", width=21),
            Column(_("Nama"), "employee__name", width=30),
            Column(_("Unit kerja"), "employee__unit__name", width=30),
            Column(
                _("Status kepegawaian"),
                "employee__employment_type",
                "choice",
                _labels(Employee.EmploymentType.choices),
            ),
            Column(_("Kode program"), "offering__program__code"),
            Column(_("Program"), "offering__program__title", width=34),
            Column(_("Angkatan"), "offering__name", width=20),
            Column(_("Tanggal mulai"), "offering__start_date", "date", width=12),
            Column(_("Tanggal selesai"), "offering__end_date", "date", width=12),
            Column(_("Status"), "status", "choice", _labels(Enrolment.Status.choices), width=22),
            Column(_("Asal pendaftaran"), "source", "choice", _labels(Enrolment.Source.choices)),
            Column(_("Waktu mendaftar"), "requested_at", "datetime", width=17),
            Column(_("Waktu konfirmasi"), "confirmed_at", "datetime", width=17),
            Column(_("Waktu selesai"), "completed_at", "datetime", width=17),
            Column(_("Kehadiran (%)"), "attendance_rate", "decimal", width=11),
            Column(_("Nilai pre-test"), "pre_test_score", "decimal", width=11),
            Column(_("Nilai post-test"), "post_test_score", "decimal", width=11),
            Column(_("JP diperoleh"), "jp_awarded", "decimal", width=11),
            Column(_("Nomor sertifikat"), "certificate_number", width=22),
        ),
    ),
    "export_records": Export(
        kind="export_records",
        label=_("Ekspor riwayat pengembangan (JP)"),
        slug="riwayat-jp",
        sheet=_("Riwayat JP"),
        queryset=record_rows,
        columns=(
            Column(_("ID"), "id", "int", width=9),
            Column(_("NIP"), "employee__nip", width=21),
            Column(_("Nama"), "employee__name", width=30),
            Column(_("Unit kerja"), "employee__unit__name", width=30),
            Column(_("Tahun"), "year", "int", width=8),
            Column(
                _("Sumber"), "source", "choice", _labels(DevelopmentRecord.Source.choices), width=22
            ),
            Column(_("Nama kegiatan"), "title", width=36),
            Column(_("Bentuk pengembangan"), "form__name", width=26),
            Column(_("Penyelenggara"), "organiser", width=26),
            Column(_("Tanggal mulai"), "start_date", "date", width=12),
            Column(_("Tanggal selesai"), "end_date", "date", width=12),
            Column(_("JP"), "jp", "decimal", width=8),
            Column(_("Internasional"), "is_international", "bool", width=11),
            Column(_("Nomor sertifikat"), "certificate_number", width=22),
            Column(
                _("Status"), "status", "choice", _labels(DevelopmentRecord.Status.choices), width=20
            ),
            Column(_("Waktu verifikasi"), "verified_at", "datetime", width=17),
        ),
    ),
    "export_employees": Export(
        kind="export_employees",
        label=_("Ekspor data pegawai"),
        slug="pegawai",
        sheet=_("Pegawai"),
        queryset=employee_rows,
        columns=(
            Column(_("NIP / NI PPPK"), "nip", width=21),
            Column(_("Nama"), "name", width=30),
            Column(_("Email"), "email", width=26),
            Column(_("Nomor HP"), "phone"),
            Column(
                _("Status kepegawaian"),
                "employment_type",
                "choice",
                _labels(Employee.EmploymentType.choices),
            ),
            Column(_("Golongan"), "golongan", "choice", None, width=10),
            Column(_("Golongan PPPK"), "pppk_grade", "int", width=10),
            Column(_("Jabatan"), "position", width=30),
            Column(_("Jenis jabatan"), "position_type", "choice", _labels(PositionType.choices)),
            Column(_("Jenjang"), "functional_level", "choice", _labels(FunctionalLevel.choices)),
            Column(_("Kode unit"), "unit__code"),
            Column(_("Unit kerja"), "unit__name", width=30),
            Column(_("NIP atasan"), "supervisor__nip", width=21),
            Column(_("Nama atasan"), "supervisor__name", width=30),
            Column(_("Aktif"), "is_active", "bool", width=8),
        ),
    ),
}


# --- Cell values -------------------------------------------------------------------------------

# Columns whose cells are text (possibly typed by a user): written with kompetensi.spreadsheets.
TEXT_KINDS = ("text", "choice")


def _choices(column: Column) -> dict:
    if column.field == "golongan":
        return _golongan_short()
    return {key: str(label) for key, label in (column.choices or {}).items()}


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value).replace(tzinfo=None, microsecond=0)


def _decimal(value) -> Decimal:
    value = value if isinstance(value, Decimal) else Decimal(str(value))
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def _cell(column: Column, value, labels: dict, *, for_csv: bool):
    """A Python value as written to a file: text in CSV (user text made safe); typed values in
    XLSX, where text cells are made safe by the writer (`xlsx_text`)."""
    if value is None or value == "":
        return ""
    kind = column.kind
    if kind == "choice":
        text = str(labels.get(value, value))
        return csv_safe(text) if for_csv else text
    if kind == "bool":
        return str(_("Ya")) if value else str(_("Tidak"))
    if kind == "datetime":
        local = _local(value)
        return local.strftime("%Y-%m-%d %H:%M") if for_csv else local
    if kind == "date":
        return value.isoformat() if for_csv else value
    if kind == "decimal":
        number = _decimal(value)
        return format(number, "f") if for_csv else number
    if kind == "int":
        return str(value) if for_csv else value
    text = str(value)
    return csv_safe(text) if for_csv else text


# --- Writers -----------------------------------------------------------------------------------


def _rows(export: Export, region: Region, params: dict, progress) -> Iterable[dict]:
    queryset = export.queryset(region=region, params=params)
    fields = [column.field for column in export.columns]
    progress.start(queryset.count())
    for row in queryset.values(*fields).iterator(chunk_size=CHUNK_SIZE):
        yield row
        progress.advance()


def write_csv(*, export: Export, region: Region, params: dict, progress, handle) -> int:
    """Write the export as CSV into the binary `handle`: UTF-8 with a BOM, comma-separated."""
    handle.write("\ufeff".encode())
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    columns = export.columns
    labels = [_choices(column) for column in columns]
    writer.writerow([str(column.header) for column in columns])
    count = 0
    for row in _rows(export, region, params, progress):
        writer.writerow(
            [
                _cell(column, row[column.field], labels[i], for_csv=True)
                for i, column in enumerate(columns)
            ]
        )
        count += 1
    text.flush()
    text.detach()
    return count


def write_xlsx(*, export: Export, region: Region, params: dict, progress, handle) -> int:
    """Write the export as an XLSX workbook (openpyxl write-only mode) into `handle`."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(export.sheet)[:31])
    columns = export.columns
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "A2"
    bold, fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="0B4F8A")
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=str(column.header))
        cell.font, cell.fill = bold, fill
        header.append(cell)
    sheet.append(header)
    labels = [_choices(column) for column in columns]
    formats = {}
    count = 0
    for row in _rows(export, region, params, progress):
        values = []
        for i, column in enumerate(columns):
            value = _cell(column, row[column.field], labels[i], for_csv=False)
            if column.kind in TEXT_KINDS and value != "":
                value = xlsx_text(sheet, value)
            elif column.kind in ("date", "datetime") and value != "":
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = formats.setdefault(
                    column.kind, "dd/mm/yyyy" if column.kind == "date" else "dd/mm/yyyy hh:mm"
                )
                value = cell
            values.append(value if value != "" else None)
        sheet.append(values)
        count += 1
    workbook.save(handle)
    return count


def export_write(*, kind: str, fmt: str, region: Region, params: dict, progress, handle) -> int:
    """Write export `kind` in format `fmt` ("csv" or "xlsx") to `handle`; returns the row count."""
    export = EXPORTS[kind]
    writer = write_xlsx if fmt == "xlsx" else write_csv
    return writer(export=export, region=region, params=params, progress=progress, handle=handle)


def export_filename(*, kind: str, fmt: str, region: Region, at: dt.datetime | None = None) -> str:
    stamp = timezone.localtime(at or timezone.now()).strftime("%Y%m%d-%H%M")
    return f"{EXPORTS[kind].slug}-{region.slug}-{stamp}.{FORMATS[fmt][1]}"
