"""The people lists behind the region dashboard's figures: their filters, columns and rows, and
their export.

A list of at most `KOMPETENSI_EXPORT_INLINE_MAX_ROWS` rows (one COUNT query decides) is
downloaded in the request (`dashboards.exports.download`). A longer one (up to a region's
whole roster) is written by a background job of kind `PEOPLE_EXPORT` (evaluations'
`BackgroundJob`, registered here with `register_job_kind` from `DashboardsConfig.ready()`):
its progress page, "file ready" notification, per-user limit and region-scoped download are
evaluations'. The job writes the same columns through the same cell rules (user text through
`kompetensi.spreadsheets`), reading the rows with `.iterator()` (flat memory) and reporting
progress once per chunk; its queries do not grow with the rows (apart from the chunked reads
and the progress UPDATEs).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.models import BackgroundJob
from evaluations.services.jobs import JobFailed, JobKind, Outcome, Progress, register_job_kind
from regions.models import Employee, Golongan, PositionType, Region, Unit
from regions.permissions import resolve_access

from . import exports
from .sections import Column
from .selectors import jp as jp_selectors

PEOPLE_EXPORT = "export_region_people"
CHUNK_SIZE = 2000
DEFAULT_INLINE_MAX_ROWS = 2000
FIRST_YEAR = 2015

PEOPLE_TITLES = {
    "below": gettext_lazy("PNS di bawah target JP"),
    "met": gettext_lazy("PNS yang memenuhi target JP"),
    "none": gettext_lazy("ASN tanpa pengembangan sama sekali"),
    "all": gettext_lazy("Semua ASN aktif"),
}
PEOPLE_COLUMNS = [
    Column("nip", "NIP"),
    Column("name", gettext_lazy("Nama")),
    Column("type", gettext_lazy("Status")),
    Column("golongan", gettext_lazy("Golongan")),
    Column("position", gettext_lazy("Jabatan")),
    Column("unit", gettext_lazy("Unit kerja")),
    Column("jp", gettext_lazy("JP terverifikasi"), "decimal"),
]


def inline_max_rows() -> int:
    """Lists longer than this are exported by a background job."""
    return int(getattr(settings, "KOMPETENSI_EXPORT_INLINE_MAX_ROWS", DEFAULT_INLINE_MAX_ROWS))


def year_range() -> tuple[int, int]:
    """The years a dashboard may show: FIRST_YEAR to next year."""
    return FIRST_YEAR, timezone.localdate().year + 1


@dataclass(frozen=True)
class PeopleFilters:
    year: int
    category: str = "below"
    unit_id: int | None = None
    golongan: int | None = None
    position_type: str = ""

    @property
    def title(self) -> str:
        return str(PEOPLE_TITLES[self.category])

    def queryset(self, region: Region) -> QuerySet[Employee]:
        return jp_selectors.people(
            region=region,
            year=self.year,
            category=self.category,
            unit_id=self.unit_id,
            golongan=self.golongan,
            position_type=self.position_type,
        )

    def query(self) -> dict:
        """The list page's query string values (`?kategori=&tahun=&unit=&golongan=&jabatan=`)."""
        query = {"kategori": self.category, "tahun": self.year}
        if self.unit_id:
            query["unit"] = self.unit_id
        if self.golongan:
            query["golongan"] = self.golongan
        if self.position_type:
            query["jabatan"] = self.position_type
        return query

    def job_params(self, fmt: str) -> dict:
        return {
            "format": fmt,
            "year": self.year,
            "category": self.category,
            "unit": self.unit_id,
            "golongan": self.golongan,
            "position_type": self.position_type,
        }

    @classmethod
    def from_job_params(cls, params: dict) -> PeopleFilters:
        return cls(
            year=int(params["year"]),
            category=params["category"],
            unit_id=params.get("unit"),
            golongan=params.get("golongan"),
            position_type=params.get("position_type") or "",
        )


def people_rows(employees: QuerySet[Employee]):
    """The export rows of a people list (PEOPLE_COLUMNS), read in chunks (flat memory)."""
    for e in employees.iterator(chunk_size=CHUNK_SIZE):
        yield (
            e.nip,
            e.name,
            e.get_employment_type_display(),
            e.get_golongan_display() or (f"{e.pppk_grade}" if e.pppk_grade else ""),
            e.position,
            e.unit.name,
            e.jp,
        )


# --- The background job ------------------------------------------------------------------------


def _optional_int(value, message: str, code: str) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValidationError(message, code=code)
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError(message, code=code) from exc


def clean_params(params: dict, *, region: Region) -> dict:
    """The job's params, checked strictly (the page falls back on odd values; a job is only
    started with good ones): a ValidationError with a message in Indonesian otherwise."""
    fmt = params.get("format")
    if fmt not in exports.FORMATS:
        raise ValidationError(_("Pilih format berkas: CSV atau XLSX."), code="format")
    first, last = year_range()
    year = _optional_int(params.get("year"), _("Tahun tidak valid."), "year")
    if year is None or not first <= year <= last:
        raise ValidationError(
            _("Tahun harus antara %(first)d dan %(last)d.") % {"first": first, "last": last},
            code="year",
        )
    category = params.get("category")
    if category not in PEOPLE_TITLES:
        raise ValidationError(_("Daftar pegawai tidak dikenal."), code="category")
    unit_id = _optional_int(params.get("unit"), _("Unit kerja tidak ditemukan."), "unit")
    if (
        unit_id is not None
        and not Unit.objects.filter(region=region, is_active=True, pk=unit_id).exists()
    ):
        raise ValidationError(_("Unit kerja tidak ditemukan."), code="unit")
    golongan = _optional_int(params.get("golongan"), _("Golongan tidak valid."), "golongan")
    if golongan is not None and golongan not in Golongan.values:
        raise ValidationError(_("Golongan tidak valid."), code="golongan")
    position_type = params.get("position_type") or ""
    if position_type and position_type not in PositionType.values:
        raise ValidationError(_("Jenis jabatan tidak valid."), code="position_type")
    return PeopleFilters(
        year=year,
        category=category,
        unit_id=unit_id,
        golongan=golongan,
        position_type=position_type,
    ).job_params(fmt)


def may_export(user, region: Region) -> bool:
    """The list names employees: the region's admins only, as its page (region_people)."""
    access = resolve_access(user, region)
    return access is not None and access.is_admin


def run_export(*, job: BackgroundJob, region: Region, progress: Progress) -> Outcome:
    try:
        filters = PeopleFilters.from_job_params(job.params)
        fmt = job.params["format"]
        title = filters.title
    except (KeyError, TypeError, ValueError) as exc:
        raise JobFailed(
            _("Parameter ekspor tidak valid. Mulai ekspor lagi dari daftarnya.")
        ) from exc
    if fmt not in exports.FORMATS:
        raise JobFailed(_("Pilih format berkas: CSV atau XLSX."))
    employees = filters.queryset(region)
    progress.start(employees.count())

    def rows():
        for row in people_rows(employees):
            yield row
            progress.advance()

    # Kept after closing (delete=False): evaluations stores the file, then removes it.
    handle = tempfile.NamedTemporaryFile(prefix="dasbor-", suffix=f".{fmt}", delete=False)  # noqa: SIM115
    try:
        with handle:
            if fmt == "csv":
                count = exports.write_csv(columns=PEOPLE_COLUMNS, rows=rows(), handle=handle)
            else:
                count = exports.write_xlsx(
                    columns=PEOPLE_COLUMNS, rows=rows(), title=title, handle=handle
                )
    except Exception:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(handle.name)
        raise
    name = exports.file_name(f"{title} {filters.year} {region.slug}", fmt)
    return Outcome(result={"rows": count, "format": fmt}, file=(handle.name, name))


def describe(job: BackgroundJob) -> str:
    try:
        filters = PeopleFilters.from_job_params(job.params)
        return f"{filters.title} · {filters.year}"
    except (KeyError, TypeError, ValueError):
        return ""


def back(job: BackgroundJob, region: Region) -> tuple[str, str]:
    url = reverse("dashboards:region_people", kwargs={"region_slug": region.slug})
    with contextlib.suppress(KeyError, TypeError, ValueError):
        url += "?" + urlencode(PeopleFilters.from_job_params(job.params).query())
    return url, _("Kembali ke daftar")


def register() -> None:
    register_job_kind(
        JobKind(
            kind=PEOPLE_EXPORT,
            label=gettext_lazy("Ekspor daftar pegawai dasbor wilayah"),
            run=run_export,
            clean=clean_params,
            allowed=may_export,
            audit=True,
            describe=describe,
            back=back,
        )
    )
