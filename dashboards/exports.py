"""Dashboard tables as CSV (UTF-8 with BOM, for Excel) or XLSX downloads.

Cells of text go through `kompetensi.spreadsheets` (never a formula); numbers stay numbers.
Dashboard tables are aggregates (a row per unit, month, programme...), written at once; the
people lists behind the figures (up to a region's whole roster) are streamed row by row from
the database (`.iterator()`), never held in memory.
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


class _Echo:
    def write(self, value):
        return value


def _csv_stream(columns: list[Column], rows: Iterable[tuple]):
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow([csv_safe(c.label) for c in columns])
    for row in rows:
        yield writer.writerow(
            [
                csv_safe(cell) if isinstance(cell, str) else cell
                for cell in (_cell(v, c) for v, c in zip(row, columns, strict=False))
            ]
        )


def _xlsx(columns: list[Column], rows: Iterable[tuple], title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=(slugify(title)[:31] or "data"))
    sheet.append([xlsx_text(sheet, str(c.label)) for c in columns])
    for row in rows:
        cells = []
        for value, column in zip(row, columns, strict=False):
            cell = _cell(value, column)
            if isinstance(cell, str):
                cells.append(xlsx_text(sheet, cell))
            elif isinstance(cell, Decimal):
                cells.append(float(cell))
            else:
                cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download(
    *, columns: list[Column], rows: Iterable[tuple], fmt: str, filename: str, title: str = ""
):
    """A CSV (streamed) or XLSX response of the rows."""
    name = f"{slugify(filename) or 'dasbor'}.{fmt}"
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
