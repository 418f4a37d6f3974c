"""Dashboard tables as CSV (UTF-8 with BOM, for Excel) or XLSX downloads.

Cells of text go through `kompetensi.spreadsheets` (never a formula); numbers stay numbers.
Dashboard tables are aggregates (a row per unit, month, programme...), written at once. The
people lists behind the figures (up to a region's whole roster) are answered in the request up
to `KOMPETENSI_EXPORT_INLINE_MAX_ROWS` rows; above it they are written to a file by a background
job (`dashboards.people`, through `write_csv`/`write_xlsx` here), rows read with `.iterator()`.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.text import slugify

from kompetensi.spreadsheets import csv_safe, xlsx_text

from .sections import Column

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _cell(value, column: Column):
    if value is None:
        return ""
    if column.kind in ("int", "decimal", "percent") and isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _csv_cells(row: tuple, columns: list[Column]) -> list:
    return [
        csv_safe(cell) if isinstance(cell, str) else cell
        for cell in (_cell(v, c) for v, c in zip(row, columns, strict=False))
    ]


def _xlsx_cells(sheet, row: tuple, columns: list[Column]) -> list:
    cells = []
    for value, column in zip(row, columns, strict=False):
        cell = _cell(value, column)
        if isinstance(cell, str):
            cells.append(xlsx_text(sheet, cell))
        elif isinstance(cell, Decimal):
            cells.append(float(cell))
        else:
            cells.append(cell)
    return cells


class _Echo:
    def write(self, value):
        return value


def _csv_stream(columns: list[Column], rows: Iterable[tuple]):
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow([csv_safe(c.label) for c in columns])
    for row in rows:
        yield writer.writerow(_csv_cells(row, columns))


def _sheet_title(title: str) -> str:
    return slugify(title)[:31] or "data"


def write_csv(*, columns: list[Column], rows: Iterable[tuple], handle) -> int:
    """Write the rows as CSV (UTF-8 with a BOM) into the binary `handle`; returns the row count."""
    handle.write("\ufeff".encode())
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow([csv_safe(c.label) for c in columns])
    count = 0
    for row in rows:
        writer.writerow(_csv_cells(row, columns))
        count += 1
    text.flush()
    text.detach()
    return count


def write_xlsx(*, columns: list[Column], rows: Iterable[tuple], title: str, handle) -> int:
    """Write the rows as an XLSX workbook (openpyxl write-only mode: rows go to a temporary
    file, not memory) into the binary `handle`; returns the row count."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(title))
    sheet.append([xlsx_text(sheet, str(c.label)) for c in columns])
    count = 0
    for row in rows:
        sheet.append(_xlsx_cells(sheet, row, columns))
        count += 1
    book.save(handle)
    return count


def _xlsx(columns: list[Column], rows: Iterable[tuple], title: str) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(columns=columns, rows=rows, title=title, handle=buffer)
    return buffer.getvalue()


def file_name(name: str, fmt: str) -> str:
    return f"{slugify(name) or 'dasbor'}.{fmt}"


def download(
    *, columns: list[Column], rows: Iterable[tuple], fmt: str, filename: str, title: str = ""
):
    """A CSV (streamed) or XLSX response of the rows."""
    name = file_name(filename, fmt)
    if fmt == "csv":
        response = StreamingHttpResponse(
            _csv_stream(list(columns), rows), content_type=FORMATS[fmt]
        )
    else:
        response = HttpResponse(
            _xlsx(list(columns), rows, title or filename), content_type=FORMATS[fmt]
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
