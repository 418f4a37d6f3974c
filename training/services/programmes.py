"""Writes and rules of the catalogue's programmes: create, update, publish, archive.

Every function is keyword-only, atomic, validates everything before it writes and raises
`ValidationError` with an Indonesian message (a dict keyed by field where a field is to blame),
so a refused change writes nothing. Status changes are guarded here and written to history.
A programme's offerings (batches), unit quotas and sessions are in `training.services.catalogue`.
"""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from regions.models import Region, Unit
from training.models import Competency, DevelopmentForm, Offering, Program, Provider
from training.services.history import history_record
from training.services.jp_rules import (
    RULE_HOURS_CAPPED,
    RULE_PER_DAY,
    jp_claim_check,
    jp_rule_kind,
    jp_rule_text,
)
from training.services.validation import FieldErrors, full_clean_fields

PROGRAM_FIELDS = (
    "code",
    "title",
    "description",
    "objectives",
    "form",
    "competency_type",
    "jp",
    "duration_days",
    "delivery_mode",
    "target_position_types",
    "target_min_golongan",
    "target_max_golongan",
    "provider",
    "planned_budget",
)
PROGRAM_M2M_FIELDS = ("competencies", "target_units")


def _check_program(
    *,
    region: Region,
    data: dict,
    competencies: Iterable[Competency] | None,
    target_units: Iterable[Unit] | None,
    exclude_pk=None,
) -> None:
    errors = FieldErrors()
    code = (data.get("code") or "").strip()
    if not code:
        errors.add("code", _("Kode program wajib diisi."))
    else:
        clash = Program.objects.filter(region=region, code__iexact=code)
        if exclude_pk:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists():
            errors.add("code", _("Kode program %(code)s sudah dipakai.") % {"code": code})
    if not (data.get("title") or "").strip():
        errors.add("title", _("Judul program wajib diisi."))
    if not isinstance(data.get("form"), DevelopmentForm):
        errors.add("form", _("Pilih bentuk pengembangan kompetensi."))
    jp = data.get("jp")
    if jp is None or jp <= 0:
        errors.add("jp", _("Jumlah JP harus lebih dari 0."))
    elif jp > 2000:
        errors.add("jp", _("Jumlah JP paling banyak 2.000."))
    elif isinstance(data.get("form"), DevelopmentForm):
        _check_jp_rule(errors, form=data["form"], jp=jp, days=data.get("duration_days"))
    budget = data.get("planned_budget")
    if budget is not None and budget < 0:
        errors.add("planned_budget", _("Anggaran tidak boleh negatif."))
    provider = data.get("provider")
    if provider is not None and provider.region_id != region.id:
        errors.add("provider", _("Penyelenggara harus mitra dari wilayah ini."))
    low, high = data.get("target_min_golongan"), data.get("target_max_golongan")
    if low and high and low > high:
        errors.add(
            "target_max_golongan",
            _("Golongan maksimal tidak boleh lebih rendah dari golongan minimal."),
        )
    for competency in competencies or ():
        if competency.region_id not in (None, region.id):
            errors.add(
                "competencies",
                _("Kompetensi harus dari kamus nasional atau kamus wilayah ini."),
            )
            break
    for unit in target_units or ():
        if unit.region_id != region.id:
            errors.add("target_units", _("Unit sasaran harus berada di wilayah ini."))
            break
    errors.raise_if_any()


def _check_jp_rule(errors: FieldErrors, *, form: DevelopmentForm, jp, days) -> None:
    """JP against the form's conversion rule over the programme's duration (rule 3): a form
    whose JP depends on days needs the duration; an international batch's +20 % is checked
    when the batch is planned (`training.services.catalogue`)."""
    kind = jp_rule_kind(form)
    if days is not None and days < 1:
        errors.add("duration_days", _("Lama pelaksanaan paling sedikit 1 hari."))
        return
    if kind in (RULE_PER_DAY, RULE_HOURS_CAPPED) and days is None:
        errors.add(
            "duration_days",
            _("Isi lama pelaksanaan (hari): JP %(form)s dihitung %(rule)s.")
            % {"form": form.name, "rule": jp_rule_text(form)},
        )
        return
    if kind is None:
        return
    start = dt.date(2000, 1, 3)
    end = start + dt.timedelta(days=(days or 1) - 1)
    try:
        jp_claim_check(form=form, jp=jp, start_date=start, end_date=end)
    except ValidationError as exc:
        for message in exc.message_dict.get("jp", exc.messages):
            errors.add("jp", message)


@transaction.atomic
def program_create(
    *,
    region: Region,
    actor=None,
    code: str,
    title: str,
    form: DevelopmentForm,
    competency_type: str,
    jp: int,
    delivery_mode: str,
    duration_days: int | None = None,
    description: str = "",
    objectives: str = "",
    competencies: Iterable[Competency] = (),
    target_position_types: list[str] | None = None,
    target_min_golongan: int | None = None,
    target_max_golongan: int | None = None,
    target_units: Iterable[Unit] = (),
    provider: Provider | None = None,
    planned_budget: Decimal = Decimal(0),
) -> Program:
    """A new programme, always a draft; it is published separately."""
    data = {
        "code": (code or "").strip(),
        "title": (title or "").strip(),
        "description": description,
        "objectives": objectives,
        "form": form,
        "competency_type": competency_type,
        "jp": jp,
        "duration_days": duration_days,
        "delivery_mode": delivery_mode,
        "target_position_types": list(target_position_types or []),
        "target_min_golongan": target_min_golongan,
        "target_max_golongan": target_max_golongan,
        "provider": provider,
        "planned_budget": Decimal(0) if planned_budget is None else planned_budget,
    }
    competencies, target_units = list(competencies), list(target_units)
    _check_program(region=region, data=data, competencies=competencies, target_units=target_units)
    program = Program(region=region, status=Program.Status.DRAFT, **data)
    if getattr(actor, "is_authenticated", False):
        program.created_by = actor
    full_clean_fields(program, exclude=["region", "form", "provider", "created_by"])
    program.save()
    program.competencies.set(competencies)
    program.target_units.set(target_units)
    return program


@transaction.atomic
def program_update(*, program: Program, actor=None, **fields) -> Program:
    """Change a draft or published programme; an archived one is read-only."""
    if program.status == Program.Status.ARCHIVED:
        raise ValidationError(
            _("Program yang diarsipkan tidak dapat diubah. Terbitkan kembali terlebih dahulu.")
        )
    unknown = set(fields) - set(PROGRAM_FIELDS) - set(PROGRAM_M2M_FIELDS)
    if unknown:
        raise TypeError(f"program_update() got unexpected fields: {sorted(unknown)}")
    data = {name: getattr(program, name) for name in PROGRAM_FIELDS}
    data.update({k: v for k, v in fields.items() if k in PROGRAM_FIELDS})
    data["code"] = (data["code"] or "").strip()
    data["title"] = (data["title"] or "").strip()
    if data["planned_budget"] is None:
        data["planned_budget"] = Decimal(0)
    data["target_position_types"] = list(data["target_position_types"] or [])
    competencies = list(fields["competencies"]) if "competencies" in fields else None
    target_units = list(fields["target_units"]) if "target_units" in fields else None
    _check_program(
        region=program.region,
        data=data,
        competencies=competencies,
        target_units=target_units,
        exclude_pk=program.pk,
    )
    for name, value in data.items():
        setattr(program, name, value)
    full_clean_fields(program, exclude=["region", "form", "provider", "created_by"])
    program.save()
    if competencies is not None:
        program.competencies.set(competencies)
    if target_units is not None:
        program.target_units.set(target_units)
    return program


def program_missing_for_publication(*, program: Program) -> list[str]:
    """What a programme still lacks before it can be published (empty when complete)."""
    missing = []
    if not (program.title or "").strip():
        missing.append(_("judul"))
    if not program.form_id:
        missing.append(_("bentuk pengembangan"))
    if not program.jp or program.jp <= 0:
        missing.append(_("jumlah JP lebih dari 0"))
    return missing


@transaction.atomic
def program_publish(*, program: Program, actor=None) -> Program:
    """Draft (or archived) → published: the programme appears in the ASN catalogue."""
    program = Program.objects.select_for_update(of=("self",)).get(pk=program.pk)
    if program.status == Program.Status.PUBLISHED:
        raise ValidationError(_("Program ini sudah terbit."))
    missing = program_missing_for_publication(program=program)
    if missing:
        raise ValidationError(
            _("Program belum lengkap untuk diterbitkan; lengkapi: %(fields)s.")
            % {"fields": ", ".join(missing)}
        )
    previous = program.status
    program.status = Program.Status.PUBLISHED
    program.save(update_fields=["status", "updated_at"])
    history_record(
        subject=program,
        action="published",
        actor=actor,
        from_status=previous,
        to_status=program.status,
    )
    return program


@transaction.atomic
def program_archive(*, program: Program, actor=None) -> Program:
    """Take a programme out of the catalogue; refused while a batch is open or running."""
    program = Program.objects.select_for_update(of=("self",)).get(pk=program.pk)
    if program.status == Program.Status.ARCHIVED:
        raise ValidationError(_("Program ini sudah diarsipkan."))
    active = list(
        Offering.objects.filter(
            program=program, status__in=Offering.ENROLLING_STATUSES
        ).values_list("name", flat=True)
    )
    if active:
        raise ValidationError(
            _(
                "Program tidak dapat diarsipkan karena masih ada angkatan yang dibuka atau "
                "sedang berlangsung: %(names)s. Selesaikan atau batalkan angkatan tersebut "
                "terlebih dahulu."
            )
            % {"names": ", ".join(active)}
        )
    previous = program.status
    program.status = Program.Status.ARCHIVED
    program.save(update_fields=["status", "updated_at"])
    history_record(
        subject=program,
        action="archived",
        actor=actor,
        from_status=previous,
        to_status=program.status,
    )
    return program
