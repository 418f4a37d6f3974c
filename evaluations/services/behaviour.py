"""Behaviour (Kirkpatrick L3, evaluasi pasca pelatihan) and results (L4).

L3 (DOMAIN rule 10): `l3_make_due` (the `l3` job) creates, once per completed participant and
`delay` days after completion (the programme's `ProgrammeEvaluation`, else the region's
default of 90), the supervisor's assessment — naming the direct supervisor recorded *at that
moment* — and the participant's self-assessment, and sends `l3_assessment_due` to the
supervisor once. `l3_reminders` reminds pending supervisors once a week. Only the named
assessor may submit, and only from `available_on` (`l3_submit`); an admin names an assessor
when none is recorded (`l3_assign_assessor`) and may invite up to three colleagues
(`l3_invite_peer`).

L4: a programme's outcome indicators (`indicator_create`) and their measurements
(`measurement_add`, history kept).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DateField, F, Q
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from kompetensi.jobs import keyset
from regions.models import Employee, Region
from regions.notifications import notify_new
from training.models import Enrolment, Program

from ..models import (
    L3_FIELDS,
    L3Assessment,
    OutcomeIndicator,
    OutcomeMeasurement,
    ProgrammeEvaluation,
)
from ..notifications import Kind
from ..selectors.kirkpatrick import evaluation_settings

MAX_PEERS = 3
REMIND_AFTER_DAYS = 7


# --- Making assessments due --------------------------------------------------------------------


def l3_delay_days(*, program: Program) -> int:
    own = ProgrammeEvaluation.objects.filter(program=program).values_list(
        "l3_delay_days", flat=True
    )
    return own.first() or evaluation_settings(region=program.region).l3_delay_days


def programme_delay_set(*, program: Program, days: int) -> ProgrammeEvaluation:
    if not 1 <= int(days) <= 730:
        raise ValidationError(_("Jeda harus antara 1 dan 730 hari."))
    row, _created = ProgrammeEvaluation.objects.update_or_create(
        program=program, defaults={"region": program.region, "l3_delay_days": int(days)}
    )
    return row


def _done_on():
    return Coalesce(TruncDate("completed_at"), F("offering__end_date"), output_field=DateField())


def l3_make_due(*, region: Region, today: dt.date, batch_size: int = 500) -> int:
    """Create the supervisor and self assessments that fell due by `today` and notify each
    supervisor once. Returns how many notifications this call recorded.

    Per delay (the region's default, and each programme with its own), one keyset walk over
    the completed enrolments done on or before `today - delay` that have no supervisor
    assessment yet; each batch is two bulk INSERTs (conflicts ignored: a concurrent run is
    harmless) and one `notify_new`."""
    conf = evaluation_settings(region=region)
    overrides = dict(
        ProgrammeEvaluation.objects.filter(region=region).values_list("program_id", "l3_delay_days")
    )
    groups = [(conf.l3_delay_days, ~Q(offering__program_id__in=list(overrides)))]
    groups += [(days, Q(offering__program_id=pid)) for pid, days in overrides.items()]
    made = L3Assessment.objects.filter(role=L3Assessment.Role.SUPERVISOR).values("enrolment_id")
    sent = 0
    for delay, condition in groups:
        enrolments = (
            Enrolment.objects.filter(condition, region=region, status=Enrolment.Status.COMPLETED)
            .annotate(done_on=_done_on())
            .filter(done_on__lte=today - dt.timedelta(days=delay))
            .exclude(pk__in=made)
            .select_related("employee__supervisor", "offering__program")
        )
        for batch in keyset(enrolments, batch_size):
            sent += _create_due(region=region, batch=batch, delay=delay, conf=conf, today=today)
    return sent


def _create_due(*, region, batch, delay, conf, today) -> int:
    rows = []
    for enrolment in batch:
        available = enrolment.done_on + dt.timedelta(days=delay)
        due = max(available, today) + dt.timedelta(days=conf.l3_window_days)
        supervisor = enrolment.employee.supervisor
        if supervisor is not None and not supervisor.is_active:
            supervisor = None
        for role, assessor in (
            (L3Assessment.Role.SUPERVISOR, supervisor),
            (L3Assessment.Role.SELF, enrolment.employee),
        ):
            rows.append(
                L3Assessment(
                    region=region,
                    enrolment=enrolment,
                    offering_id=enrolment.offering_id,
                    role=role,
                    assessor=assessor,
                    available_on=available,
                    due_on=due,
                )
            )
    with transaction.atomic():
        L3Assessment.objects.bulk_create(rows, ignore_conflicts=True)
        pending = L3Assessment.objects.filter(
            enrolment_id__in=[e.pk for e in batch],
            role=L3Assessment.Role.SUPERVISOR,
            assessor__isnull=False,
            submitted_at__isnull=True,
        ).select_related("assessor__region", "enrolment__employee", "enrolment__offering__program")
        return _notify(pending, key="due")


def _notify(assessments, *, key: str) -> int:
    items = []
    for a in assessments:
        url = reverse(
            "evaluations:l3_fill", kwargs={"region_slug": a.assessor.region.slug, "l3_id": a.pk}
        )
        items.append(
            (
                f"l3:{a.pk}:{key}:{a.assessor_id}",
                {
                    "recipient": a.assessor,
                    "kind": Kind.L3_ASSESSMENT_DUE,
                    "subject": a.enrolment,
                    "context": {"due_date": a.due_on, "url": url},
                },
            )
        )
    return notify_new(items)


def l3_reminders(*, region: Region, today: dt.date, batch_size: int = 500) -> int:
    """Once a week, remind assessors (supervisors and invited colleagues) of assessments that
    were asked for (made due) a week or more ago and are still pending."""
    iso = today.isocalendar()
    week = f"{iso.year}-W{iso.week:02d}"
    pending = L3Assessment.objects.filter(
        region=region,
        role__in=(L3Assessment.Role.SUPERVISOR, L3Assessment.Role.PEER),
        assessor__isnull=False,
        submitted_at__isnull=True,
        available_on__lte=today,
        created_at__date__lte=today - dt.timedelta(days=REMIND_AFTER_DAYS),
    ).select_related("assessor__region", "enrolment__employee", "enrolment__offering__program")
    sent = 0
    for batch in keyset(pending, batch_size):
        sent += _notify(batch, key=f"remind:{week}")
    return sent


# --- Submitting --------------------------------------------------------------------------------


def l3_submit(
    *, assessment_id: int, employee: Employee, data, today: dt.date | None = None
) -> L3Assessment:
    """Save the assessor's answers (again, to correct them). Refused, with nothing written:
    anyone but the named assessor, before `available_on`, a Likert value outside 1–5."""
    today = today or timezone.localdate()
    with transaction.atomic():
        assessment = (
            L3Assessment.objects.select_for_update(of=("self",)).filter(pk=assessment_id).first()
        )
        if assessment is None:
            raise ValidationError(_("Penilaian tidak ditemukan."))
        if employee is None or assessment.assessor_id != employee.pk:
            if assessment.role == L3Assessment.Role.SUPERVISOR:
                raise ValidationError(
                    _("Hanya atasan langsung yang tercatat yang dapat mengisi penilaian ini.")
                )
            raise ValidationError(_("Penilaian ini bukan untuk Anda."))
        if today < assessment.available_on:
            raise ValidationError(
                _("Penilaian baru dapat diisi mulai %(date)s.")
                % {"date": date_format(assessment.available_on, "j F Y")}
            )
        errors, values = {}, {}
        for name in L3_FIELDS:
            raw = str(data.get(name) or "").strip()
            try:
                value = int(raw)
            except ValueError:
                value = 0
            if not 1 <= value <= 5:
                errors[name] = [_("Pilih nilai 1 sampai 5.")]
            values[name] = value
        examples = str(data.get("examples") or "").strip()
        if len(examples) > 4000:
            errors["examples"] = [_("Paling banyak 4000 karakter.")]
        if errors:
            raise ValidationError(errors)
        for name, value in values.items():
            setattr(assessment, name, value)
        assessment.examples = examples
        assessment.submitted_at = timezone.now()
        assessment.submitted_by = employee
        assessment.save()
    return assessment


def l3_assign_assessor(*, assessment: L3Assessment, assessor: Employee, by) -> L3Assessment:
    """An admin names the assessor of a supervisor assessment nobody can fill (no supervisor
    recorded); the new assessor is notified once."""
    if assessment.role != L3Assessment.Role.SUPERVISOR:
        raise ValidationError(_("Penilai hanya dapat ditunjuk untuk penilaian atasan."))
    if assessment.is_submitted:
        raise ValidationError(_("Penilaian sudah diisi."))
    if assessor.region_id != assessment.region_id or not assessor.is_active:
        raise ValidationError(_("Penilai harus pegawai aktif wilayah ini."))
    if assessor.pk == assessment.enrolment.employee_id:
        raise ValidationError(_("Peserta tidak dapat menilai dirinya sebagai atasan."))
    with transaction.atomic():
        assessment.assessor = assessor
        assessment.assigned_by = by
        assessment.save(update_fields=["assessor", "assigned_by", "updated_at"])
        _notify([assessment], key="due")
    return assessment


def l3_invite_peer(*, assessment: L3Assessment, peer: Employee, by) -> L3Assessment:
    """An admin invites a named colleague (same region, at most three per participant)."""
    enrolment = assessment.enrolment
    if peer.region_id != assessment.region_id or not peer.is_active:
        raise ValidationError(_("Rekan kerja harus pegawai aktif wilayah ini."))
    if peer.pk in (enrolment.employee_id, assessment.assessor_id):
        raise ValidationError(_("Pilih rekan kerja selain peserta dan atasannya."))
    with transaction.atomic():
        peers = L3Assessment.objects.select_for_update().filter(
            enrolment=enrolment, role=L3Assessment.Role.PEER
        )
        ids = list(peers.values_list("assessor_id", flat=True))
        if peer.pk in ids:
            raise ValidationError(_("Rekan kerja ini sudah diundang."))
        if len(ids) >= MAX_PEERS:
            raise ValidationError(_("Paling banyak %(n)d rekan kerja.") % {"n": MAX_PEERS})
        invited = L3Assessment.objects.create(
            region=assessment.region,
            enrolment=enrolment,
            offering_id=assessment.offering_id,
            role=L3Assessment.Role.PEER,
            assessor=peer,
            available_on=assessment.available_on,
            due_on=assessment.due_on,
            assigned_by=by,
        )
        _notify([invited], key="due")  # the colleague learns of it now, like a named assessor
    return invited


# --- L4 ----------------------------------------------------------------------------------------


def _decimal(raw, field: str) -> Decimal:
    try:
        value = Decimal(str(raw).replace(",", ".").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Masukkan angka.")}) from None
    if not value.is_finite() or abs(value) >= Decimal("1e12"):
        raise ValidationError({field: _("Masukkan angka yang wajar.")})
    return value.quantize(Decimal("0.01"))


def indicator_create(
    *, program: Program, name: str, unit: str, baseline, target, by
) -> OutcomeIndicator:
    name, unit = (name or "").strip(), (unit or "").strip()
    errors = {}
    if not name:
        errors["name"] = [_("Tulis nama indikator.")]
    if not unit:
        errors["unit"] = [_("Tulis satuan ukurnya, misalnya hari atau persen.")]
    if errors:
        raise ValidationError(errors)
    baseline, target = _decimal(baseline, "baseline"), _decimal(target, "target")
    if baseline == target:
        raise ValidationError({"target": _("Target harus berbeda dari nilai awal.")})
    return OutcomeIndicator.objects.create(
        region=program.region,
        program=program,
        name=name[:200],
        unit=unit[:50],
        baseline=baseline,
        target=target,
        created_by=by,
    )


def measurement_add(
    *, indicator: OutcomeIndicator, value, measured_on, source: str, by, today=None
) -> OutcomeMeasurement:
    today = today or timezone.localdate()
    source = (source or "").strip()
    value = _decimal(value, "value")
    if not isinstance(measured_on, dt.date):
        try:
            measured_on = dt.date.fromisoformat(str(measured_on))
        except ValueError:
            raise ValidationError({"measured_on": _("Masukkan tanggal yang valid.")}) from None
    if measured_on > today:
        raise ValidationError({"measured_on": _("Tanggal pengukuran tidak boleh di masa depan.")})
    if not source:
        raise ValidationError({"source": _("Sebutkan sumber datanya.")})
    return OutcomeMeasurement.objects.create(
        region=indicator.region,
        indicator=indicator,
        value=value,
        measured_on=measured_on,
        source=source[:200],
        recorded_by=by,
    )
