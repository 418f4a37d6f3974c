"""Verified development records in SIASN's shapes (BKN's civil-service information system).

SIASN keeps two histories: *riwayat kursus* (every development form except structural
leadership training) and *riwayat diklat* (structural leadership training, whose level SIASN
calls `latihanStrukturalId`). Rows are read with `SOURCE_COLUMNS` (`.values_list()`, no model
instances) and mapped by `build_kursus` / `build_diklat` into dicts whose keys are SIASN's
field names, in the order of `KURSUS_COLUMNS` / `DIKLAT_COLUMNS`. Dates are `dd-mm-yyyy` and
`jumlahJam` is an integer (JP rounded half up), as SIASN takes them. Each row also carries
`id`, `nip` and `nama`: SIASN wants its own `pnsOrangId`, which the client maps from the NIP.

`csv_lines` writes the same rows as CSV for spreadsheets (UTF-8 with BOM); every text cell
goes through `kompetensi.spreadsheets.csv_safe`, so a title typed as a formula stays text.
"""

import csv
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal

from kompetensi.spreadsheets import csv_safe

KURSUS = "kursus"
DIKLAT = "diklat"
KINDS = (KURSUS, DIKLAT)

# SIASN's legacy `latihanStrukturalId`, derived from the training title (configurable here).
STRUCTURAL_LEVELS = (
    (("PKN TINGKAT I ", "PKN I ", "PIM I ", "SEPATI"), 5),
    (("PKN TINGKAT II", "PKN II", "PIM II", "SPAMEN", "SESPA"), 4),
    (("PKA", "PIM III", "SPAMA", "SEPADYA"), 3),
    (("PKP", "PIM IV", "ADUM", "SEPALA"), 2),
    (("SEPADA",), 1),
)
STRUCTURAL_OTHER = 8

# What is read of a DevelopmentRecord, in this order; `updated_at` last (the keyset's stamp).
SOURCE_COLUMNS = (
    "id",
    "employee__nip",
    "employee__name",
    "form_id",
    "title",
    "certificate_number",
    "jp",
    "year",
    "start_date",
    "end_date",
    "organiser",
    "updated_at",
)

KURSUS_COLUMNS = (
    "id",
    "nip",
    "nama",
    "jenisDiklatId",
    "namaKursus",
    "nomorSertipikat",
    "jumlahJam",
    "tahunKursus",
    "tanggalKursus",
    "tanggalSelesaiKursus",
    "institusiPenyelenggara",
)
DIKLAT_COLUMNS = (
    "id",
    "nip",
    "nama",
    "latihanStrukturalId",
    "namaDiklat",
    "nomor",
    "jumlahJam",
    "tahun",
    "tanggal",
    "tanggalSelesai",
    "institusiPenyelenggara",
)


def structural_level(title: str) -> int:
    """The SIASN `latihanStrukturalId` (1–8) a structural training's title names; 8 otherwise."""
    text = f" {title.upper()} "
    for needles, level in STRUCTURAL_LEVELS:
        if any(f" {n.strip()} " in text for n in needles):
            return level
    return STRUCTURAL_OTHER


def _hours(jp: Decimal) -> int:
    return int(Decimal(jp).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _siasn_date(day) -> str:
    return day.strftime("%d-%m-%Y")


def build_kursus(rows) -> list[dict]:
    """Rows of `SOURCE_COLUMNS` as SIASN riwayat kursus (keys: `KURSUS_COLUMNS`)."""
    return [
        {
            "id": r[0],
            "nip": r[1],
            "nama": r[2],
            "jenisDiklatId": r[3],
            "namaKursus": r[4],
            "nomorSertipikat": r[5],
            "jumlahJam": _hours(r[6]),
            "tahunKursus": r[7],
            "tanggalKursus": _siasn_date(r[8]),
            "tanggalSelesaiKursus": _siasn_date(r[9]),
            "institusiPenyelenggara": r[10],
        }
        for r in rows
    ]


def build_diklat(rows) -> list[dict]:
    """Rows of `SOURCE_COLUMNS` as SIASN riwayat diklat (keys: `DIKLAT_COLUMNS`)."""
    return [
        {
            "id": r[0],
            "nip": r[1],
            "nama": r[2],
            "latihanStrukturalId": structural_level(r[4]),
            "namaDiklat": r[4],
            "nomor": r[5],
            "jumlahJam": _hours(r[6]),
            "tahun": r[7],
            "tanggal": _siasn_date(r[8]),
            "tanggalSelesai": _siasn_date(r[9]),
            "institusiPenyelenggara": r[10],
        }
        for r in rows
    ]


def build(rows, *, kind: str) -> list[dict]:
    """Rows of `SOURCE_COLUMNS` in the shape of SIASN history `kind` (kursus or diklat)."""
    return build_diklat(rows) if kind == DIKLAT else build_kursus(rows)


def columns(kind: str) -> tuple[str, ...]:
    """SIASN's field names of history `kind`, in the order the rows carry them."""
    return DIKLAT_COLUMNS if kind == DIKLAT else KURSUS_COLUMNS


class _Echo:
    """A file-like object whose `write` hands the line back (csv.writer for streaming)."""

    def write(self, value):
        return value


def csv_lines(rows: Iterable, *, kind: str, chunk_size: int = 500) -> Iterator[str]:
    """The CSV file of history `kind`, line by line: a BOM (spreadsheet programs then read
    UTF-8 names correctly), the header, then one line per row of `SOURCE_COLUMNS`. Text
    cells are `csv_safe`; numbers are written as they are. Rows are mapped `chunk_size` at
    a time, so a long export streams without holding every row."""
    writer = csv.writer(_Echo())

    def line(item: dict) -> str:
        return writer.writerow(
            [csv_safe(value) if isinstance(value, str) else value for value in item.values()]
        )

    yield "\ufeff"
    yield writer.writerow(columns(kind))
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == chunk_size:
            for item in build(chunk, kind=kind):
                yield line(item)
            chunk = []
    for item in build(chunk, kind=kind):
        yield line(item)
