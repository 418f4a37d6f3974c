"""Writes for the competency dictionary, position standards and assessed competency levels.

National competencies (managerial M.01–M.08 and socio-cultural) are reference data loaded by
migration: region admins read them but never change them. Technical competencies belong to
one region. Every function is keyword-only, validates before it writes, raises
ValidationError with a message in the user's language and is atomic.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.deletion import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regions.models import KEAHLIAN_LEVELS, Employee, FunctionalLevel, PositionType, Region
from regions.nip import normalise_nip
from training.models import (
    Competency,
    CompetencyLevel,
    CompetencyType,
    EmployeeCompetency,
    PositionStandard,
    PositionStandardItem,
    Program,
)
from training.selectors.competencies import DEFAULT_STANDARD_TYPES, default_managerial_level

LEVELS = range(1, 6)
FUNCTIONAL_TYPES = {PositionType.FUNGSIONAL_KEAHLIAN, PositionType.FUNGSIONAL_KETERAMPILAN}


# --- Shared checks -----------------------------------------------------------------------------


def _check_level(value, *, field_name: str = "level") -> int:
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = None
    if level not in LEVELS:
        raise ValidationError({field_name: _("Level harus bilangan bulat antara 1 dan 5.")})
    return level


def _check_competency_usable(
    *, region: Region, competency: Competency, field_name: str = "competency"
) -> None:
    """The competency is national or the region's own, and active."""
    if competency.region_id is not None and competency.region_id != region.pk:
        raise ValidationError({field_name: _("Kompetensi tidak ditemukan di wilayah ini.")})
    if not competency.is_active:
        raise ValidationError(
            {field_name: _("Kompetensi %(code)s tidak aktif.") % {"code": competency.code}}
        )


def _check_editable(*, region: Region, competency: Competency) -> None:
    if competency.is_national:
        raise ValidationError(
            _(
                "Kompetensi %(code)s adalah kompetensi nasional (PermenPAN-RB 38/2017) dan "
                "tidak dapat diubah oleh admin wilayah."
            )
            % {"code": competency.code}
        )
    if competency.region_id != region.pk:
        raise ValidationError(_("Kompetensi tidak ditemukan di wilayah ini."))


# --- Competency dictionary ---------------------------------------------------------------------


def _normalise_code(code: str) -> str:
    return (code or "").strip().upper()


def _check_code(*, region: Region, code: str, exclude_pk=None) -> None:
    if not code:
        raise ValidationError({"code": _("Kode kompetensi wajib diisi.")})
    # A technical code may not repeat one of the region's or a national code.
    qs = Competency.objects.filter(Q(region=region) | Q(region__isnull=True), code__iexact=code)
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    clash = qs.first()
    if clash is not None:
        message = (
            _("Kode %(code)s sudah dipakai oleh kompetensi nasional %(name)s.")
            if clash.is_national
            else _("Kode %(code)s sudah dipakai oleh kompetensi %(name)s.")
        )
        raise ValidationError({"code": message % {"code": code, "name": clash.name}})


def _clean_levels(levels: dict) -> dict[int, tuple[str, str]]:
    """{level: description or (description, indicators)} → all five levels, described."""
    cleaned: dict[int, tuple[str, str]] = {}
    errors = {}
    for key, value in (levels or {}).items():
        try:
            number = int(key)
        except (TypeError, ValueError):
            number = None
        if number not in LEVELS:
            raise ValidationError(_("Level harus bilangan bulat antara 1 dan 5."))
        description, indicators = (value, "") if isinstance(value, str) else value
        cleaned[number] = ((description or "").strip(), (indicators or "").strip())
    for number in LEVELS:
        if not cleaned.get(number, ("", ""))[0]:
            errors[f"level_{number}"] = _("Deskripsi level %(level)d wajib diisi.") % {
                "level": number
            }
    if errors:
        raise ValidationError(errors)
    return cleaned


def _save_levels(*, competency: Competency, levels: dict[int, tuple[str, str]]) -> None:
    existing = {lv.level: lv for lv in CompetencyLevel.objects.filter(competency=competency)}
    for number, (description, indicators) in levels.items():
        level = existing.get(number)
        if level is None:
            CompetencyLevel.objects.create(
                competency=competency, level=number, description=description, indicators=indicators
            )
        elif (level.description, level.indicators) != (description, indicators):
            level.description, level.indicators = description, indicators
            level.save(update_fields=["description", "indicators"])


@transaction.atomic
def competency_create(
    *,
    region: Region,
    code: str,
    name: str,
    levels: dict,
    description: str = "",
) -> Competency:
    """A technical competency of the region, with its five level descriptions."""
    code = _normalise_code(code)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Nama kompetensi wajib diisi.")})
    _check_code(region=region, code=code)
    cleaned_levels = _clean_levels(levels)
    competency = Competency(
        region=region,
        code=code,
        name=name,
        type=CompetencyType.TEKNIS,
        description=(description or "").strip(),
    )
    competency.full_clean(exclude=["region"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            competency.save()
    except IntegrityError as exc:
        raise ValidationError({"code": _("Kode %(code)s sudah dipakai.") % {"code": code}}) from exc
    _save_levels(competency=competency, levels=cleaned_levels)
    return competency


@transaction.atomic
def competency_update(
    *,
    region: Region,
    competency: Competency,
    code: str,
    name: str,
    levels: dict,
    description: str = "",
) -> Competency:
    _check_editable(region=region, competency=competency)
    code = _normalise_code(code)
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Nama kompetensi wajib diisi.")})
    _check_code(region=region, code=code, exclude_pk=competency.pk)
    cleaned_levels = _clean_levels(levels)
    competency.code, competency.name = code, name
    competency.description = (description or "").strip()
    competency.full_clean(exclude=["region"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            competency.save()
    except IntegrityError as exc:
        raise ValidationError({"code": _("Kode %(code)s sudah dipakai.") % {"code": code}}) from exc
    _save_levels(competency=competency, levels=cleaned_levels)
    return competency


@transaction.atomic
def competency_set_active(*, region: Region, competency: Competency, active: bool) -> Competency:
    """Deactivate (or reactivate) a technical competency; its history stays."""
    _check_editable(region=region, competency=competency)
    if competency.is_active != active:
        competency.is_active = active
        competency.save(update_fields=["is_active", "updated_at"])
    return competency


@transaction.atomic
def competency_delete(*, region: Region, competency: Competency) -> None:
    """Delete a technical competency that nothing uses yet; otherwise deactivate it instead."""
    _check_editable(region=region, competency=competency)
    used = (
        PositionStandardItem.objects.filter(competency=competency).exists()
        or EmployeeCompetency.objects.filter(competency=competency).exists()
        or Program.objects.filter(region=region, competencies=competency).exists()
    )
    refusal = _(
        "Kompetensi %(code)s sudah dipakai (standar jabatan, hasil penilaian, program atau "
        "rencana pengembangan) dan tidak dapat dihapus. Nonaktifkan saja."
    ) % {"code": competency.code}
    if used:
        raise ValidationError(refusal)
    try:
        with transaction.atomic():
            competency.delete()
    except ProtectedError as exc:
        raise ValidationError(refusal) from exc


# --- Position standards ------------------------------------------------------------------------


def _check_position(*, position_type: str, functional_level: str) -> None:
    if position_type not in PositionType.values:
        raise ValidationError({"position_type": _("Jenis jabatan tidak dikenal.")})
    if functional_level and functional_level not in FunctionalLevel.values:
        raise ValidationError({"functional_level": _("Jenjang tidak dikenal.")})
    if functional_level and position_type not in FUNCTIONAL_TYPES:
        raise ValidationError(
            {"functional_level": _("Jenjang hanya diisi untuk jabatan fungsional.")}
        )
    if functional_level:
        keahlian = functional_level in KEAHLIAN_LEVELS
        if keahlian != (position_type == PositionType.FUNGSIONAL_KEAHLIAN):
            raise ValidationError(
                {"functional_level": _("Jenjang tidak sesuai dengan jenis jabatan fungsional.")}
            )


def _check_standard_unique(
    *,
    region: Region,
    position_type: str,
    functional_level: str,
    position_name: str,
    exclude_pk=None,
) -> None:
    qs = PositionStandard.objects.filter(
        region=region,
        position_type=position_type,
        functional_level=functional_level,
        position_name__iexact=position_name,
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    if qs.exists():
        raise ValidationError(
            _("Standar untuk jabatan ini (jenis, jenjang dan nama jabatan yang sama) sudah ada.")
        )


def _standard_fields(
    *, position_type: str, functional_level: str, position_name: str, description: str
) -> dict:
    return {
        "position_type": position_type or "",
        "functional_level": functional_level or "",
        "position_name": " ".join((position_name or "").split()),
        "description": (description or "").strip(),
    }


@transaction.atomic
def position_standard_create(
    *,
    region: Region,
    position_type: str,
    functional_level: str = "",
    position_name: str = "",
    description: str = "",
    items: list[tuple[Competency, int]] | None = None,
    with_default_managerial: bool = False,
) -> PositionStandard:
    """A standard for a position type (+ jenjang), optionally for one named jabatan.

    `with_default_managerial` fills in the national managerial competencies at the typical
    level of the position type (the default table), to be adjusted afterwards.
    """
    fields = _standard_fields(
        position_type=position_type,
        functional_level=functional_level,
        position_name=position_name,
        description=description,
    )
    _check_position(
        position_type=fields["position_type"], functional_level=fields["functional_level"]
    )
    _check_standard_unique(
        region=region,
        position_type=fields["position_type"],
        functional_level=fields["functional_level"],
        position_name=fields["position_name"],
    )
    try:
        with transaction.atomic():
            standard = PositionStandard.objects.create(region=region, **fields)
    except IntegrityError as exc:
        raise ValidationError(_("Standar untuk jabatan ini sudah ada.")) from exc
    wanted: dict[int, tuple[Competency, int]] = {}
    if with_default_managerial:
        level = default_managerial_level(
            position_type=fields["position_type"], functional_level=fields["functional_level"]
        )
        if level is not None:
            for competency in Competency.objects.filter(
                region__isnull=True, type__in=DEFAULT_STANDARD_TYPES, is_active=True
            ):
                wanted[competency.pk] = (competency, level)
    for competency, level in items or []:
        wanted[competency.pk] = (competency, level)
    for competency, level in wanted.values():
        position_standard_item_set(standard=standard, competency=competency, required_level=level)
    return standard


@transaction.atomic
def position_standard_update(
    *,
    standard: PositionStandard,
    position_type: str,
    functional_level: str = "",
    position_name: str = "",
    description: str = "",
) -> PositionStandard:
    fields = _standard_fields(
        position_type=position_type,
        functional_level=functional_level,
        position_name=position_name,
        description=description,
    )
    _check_position(
        position_type=fields["position_type"], functional_level=fields["functional_level"]
    )
    _check_standard_unique(
        region=standard.region,
        position_type=fields["position_type"],
        functional_level=fields["functional_level"],
        position_name=fields["position_name"],
        exclude_pk=standard.pk,
    )
    for name, value in fields.items():
        setattr(standard, name, value)
    try:
        with transaction.atomic():
            standard.save()
    except IntegrityError as exc:
        raise ValidationError(_("Standar untuk jabatan ini sudah ada.")) from exc
    return standard


@transaction.atomic
def position_standard_delete(*, standard: PositionStandard) -> None:
    PositionStandardItem.objects.filter(region_id=standard.region_id, standard=standard).delete()
    standard.delete()


@transaction.atomic
def position_standard_item_set(
    *, standard: PositionStandard, competency: Competency, required_level
) -> PositionStandardItem:
    """Add a competency to the standard, or change its required level."""
    region = standard.region
    _check_competency_usable(region=region, competency=competency)
    level = _check_level(required_level, field_name="required_level")
    item = PositionStandardItem.objects.filter(
        region=region, standard=standard, competency=competency
    ).first()
    if item is None:
        item = PositionStandardItem.objects.create(
            region=region, standard=standard, competency=competency, required_level=level
        )
    elif item.required_level != level:
        item.required_level = level
        item.save(update_fields=["required_level"])
    PositionStandard.objects.filter(pk=standard.pk).update(updated_at=timezone.now())
    return item


@transaction.atomic
def position_standard_item_remove(*, item: PositionStandardItem) -> None:
    standard_id = item.standard_id
    item.delete()
    PositionStandard.objects.filter(pk=standard_id).update(updated_at=timezone.now())


# --- Assessed levels ---------------------------------------------------------------------------


@transaction.atomic
def employee_competency_record(
    *,
    employee: Employee,
    competency: Competency,
    level,
    source: str,
    assessed_on: dt.date,
) -> EmployeeCompetency:
    """Record an assessed level; the latest assessment of a competency counts."""
    region = employee.region
    _check_competency_usable(region=region, competency=competency)
    level = _check_level(level)
    if source not in EmployeeCompetency.Source.values:
        raise ValidationError({"source": _("Sumber penilaian tidak dikenal.")})
    if assessed_on is None:
        raise ValidationError({"assessed_on": _("Tanggal penilaian wajib diisi.")})
    if assessed_on > timezone.localdate():
        raise ValidationError(
            {"assessed_on": _("Tanggal penilaian tidak boleh di masa mendatang.")}
        )
    return EmployeeCompetency.objects.create(
        region=region,
        employee=employee,
        competency=competency,
        level=level,
        source=source,
        assessed_on=assessed_on,
    )


IMPORT_COLUMNS = {
    "nip": gettext_lazy("NIP / NI PPPK pegawai"),
    "kode_kompetensi": gettext_lazy("kode kompetensi, mis. M.01 atau kode teknis wilayah"),
    "level": gettext_lazy("level hasil penilaian, 1–5"),
    "sumber": gettext_lazy("assessment_center, uji_kompetensi, supervisor atau self"),
    "tanggal": gettext_lazy("tanggal penilaian, format YYYY-MM-DD"),
}
MAX_IMPORT_ROWS = 5000


@dataclass
class AssessmentImportResult:
    created: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _parse_date(value: str) -> dt.date | None:
    value = (value or "").strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def employee_competency_import(*, region: Region, content: bytes) -> AssessmentImportResult:
    """Import assessments from CSV: all rows or none. Errors name the row and the problem."""
    result = AssessmentImportResult()
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        result.errors.append(_("Berkas harus berupa CSV dengan pengodean UTF-8."))
        return result
    sample = text[:2048]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    headers = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in IMPORT_COLUMNS if c not in headers]
    if missing:
        result.errors.append(
            _("Kolom berikut tidak ada: %(columns)s.") % {"columns": ", ".join(missing)}
        )
        return result
    reader.fieldnames = headers
    rows = list(reader)
    if not rows:
        result.errors.append(_("Berkas tidak berisi baris data."))
        return result
    if len(rows) > MAX_IMPORT_ROWS:
        result.errors.append(
            _("Paling banyak %(max)d baris per berkas.") % {"max": MAX_IMPORT_ROWS}
        )
        return result

    nips = {normalise_nip(r.get("nip") or "") for r in rows}
    employees = {e.nip: e for e in Employee.objects.filter(region=region, nip__in=nips)}
    competencies = {
        c.code.upper(): c
        for c in Competency.objects.filter(Q(region=region) | Q(region__isnull=True))
    }
    parsed = []
    for number, row in enumerate(rows, start=2):
        problems = []
        employee = employees.get(normalise_nip(row.get("nip") or ""))
        if employee is None:
            problems.append(_("NIP tidak ditemukan di wilayah ini"))
        competency = competencies.get((row.get("kode_kompetensi") or "").strip().upper())
        if competency is None:
            problems.append(_("kode kompetensi tidak dikenal"))
        elif not competency.is_active:
            problems.append(_("kompetensi tidak aktif"))
        level_text = (row.get("level") or "").strip()
        if not level_text.isdigit() or int(level_text) not in LEVELS:
            problems.append(_("level harus 1–5"))
        source = (row.get("sumber") or "").strip().lower()
        if source not in EmployeeCompetency.Source.values:
            problems.append(_("sumber tidak dikenal"))
        assessed_on = _parse_date(row.get("tanggal") or "")
        if assessed_on is None:
            problems.append(_("tanggal tidak valid"))
        elif assessed_on > timezone.localdate():
            problems.append(_("tanggal di masa mendatang"))
        if problems:
            result.errors.append(
                _("Baris %(row)d: %(problems)s.") % {"row": number, "problems": "; ".join(problems)}
            )
        else:
            parsed.append((employee, competency, int(level_text), source, assessed_on))
    if result.errors:
        return result
    with transaction.atomic():
        EmployeeCompetency.objects.bulk_create(
            [
                EmployeeCompetency(
                    region=region,
                    employee=employee,
                    competency=competency,
                    level=level,
                    source=source,
                    assessed_on=assessed_on,
                )
                for employee, competency, level, source, assessed_on in parsed
            ]
        )
    result.created = len(parsed)
    return result
