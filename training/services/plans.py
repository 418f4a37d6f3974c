"""Individual development plans: an ASN drafts the year's plan, the direct supervisor decides.

draft → submitted → approved, or submitted → returned → submitted again. Only a draft or a
returned plan can be changed; an approved plan is read-only. Every step is kept in the history
and notified.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.notifications import notify
from training.models import DevelopmentPlan, DevelopmentPlanItem, Program
from training.notifications import Kind
from training.services.history import history_record

Status = DevelopmentPlan.Status
EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)
MAX_ITEMS = 50
MAX_PLANNED_JP = 1000
NOTES_MAX_LENGTH = 2000


def plan_years_open(*, today=None) -> list[int]:
    """Years an ASN may start a plan for: this year and the next."""
    year = (today or timezone.localdate()).year
    return [year, year + 1]


def _lock(plan: DevelopmentPlan) -> DevelopmentPlan:
    return (
        DevelopmentPlan.objects.select_for_update(of=("self",))
        .select_related("employee", "employee__supervisor")
        .get(pk=plan.pk, region_id=plan.region_id)
    )


def _check_owner(plan: DevelopmentPlan, employee) -> None:
    if employee is None or plan.employee_id != employee.pk:
        raise ValidationError(_("Rencana ini bukan milik Anda."))


def _check_editable(plan: DevelopmentPlan) -> None:
    if plan.status not in EDITABLE_STATUSES:
        if plan.status == Status.APPROVED:
            raise ValidationError(_("Rencana yang sudah disetujui tidak dapat diubah."))
        raise ValidationError(_("Rencana sedang menunggu keputusan atasan dan belum dapat diubah."))


def _clean_notes(notes: str, field: str) -> str:
    notes = (notes or "").strip()
    if len(notes) > NOTES_MAX_LENGTH:
        raise ValidationError(
            {field: [_("Catatan paling banyak %(limit)s karakter.") % {"limit": NOTES_MAX_LENGTH}]}
        )
    return notes


@transaction.atomic
def plan_create(*, employee, user, year: int) -> DevelopmentPlan:
    """Start the employee's plan for `year` as a draft."""
    if year not in plan_years_open():
        raise ValidationError(
            _("Rencana hanya dapat dibuat untuk tahun %(years)s.")
            % {"years": " atau ".join(str(y) for y in plan_years_open())}
        )
    if DevelopmentPlan.objects.filter(
        region_id=employee.region_id, employee=employee, year=year
    ).exists():
        raise ValidationError(_("Rencana tahun %(year)s sudah ada.") % {"year": year})
    plan = DevelopmentPlan.objects.create(
        region_id=employee.region_id, employee=employee, year=year, status=Status.DRAFT
    )
    history_record(subject=plan, action="created", actor=user, to_status=Status.DRAFT)
    return plan


def _clean_item(
    *,
    plan: DevelopmentPlan,
    competency,
    program,
    form,
    planned_jp,
    planned_month,
    description: str,
) -> dict:
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    description = (description or "").strip()
    if not description:
        add("description", _("Uraian kegiatan wajib diisi."))
    elif len(description) > 255:
        add("description", _("Uraian paling banyak 255 karakter."))
    if competency is not None:
        if competency.region_id not in (None, plan.region_id):
            add("competency", _("Kompetensi tidak ditemukan."))
        elif not competency.is_active:
            add("competency", _("Kompetensi ini sudah tidak aktif."))
    if program is not None:
        if program.region_id != plan.region_id:
            add("program", _("Program tidak ditemukan."))
        elif program.status != Program.Status.PUBLISHED:
            add("program", _("Pilih program yang sudah terbit."))
    if form is None and program is not None:
        form = program.form
    if planned_jp is None:
        add("planned_jp", _("JP yang direncanakan wajib diisi."))
    elif int(planned_jp) < 1:
        add("planned_jp", _("JP yang direncanakan harus lebih dari 0."))
    elif int(planned_jp) > MAX_PLANNED_JP:
        add("planned_jp", _("Paling banyak %(max)s JP untuk satu butir.") % {"max": MAX_PLANNED_JP})
    if planned_month is not None and not 1 <= int(planned_month) <= 12:
        add("planned_month", _("Pilih bulan Januari sampai Desember."))
    if errors:
        raise ValidationError(errors)
    return {
        "competency": competency,
        "program": program,
        "form": form,
        "planned_jp": int(planned_jp),
        "planned_month": int(planned_month) if planned_month is not None else None,
        "description": description,
    }


@transaction.atomic
def plan_item_add(
    *,
    plan: DevelopmentPlan,
    employee,
    user,
    description: str,
    planned_jp,
    competency=None,
    program=None,
    form=None,
    planned_month=None,
) -> DevelopmentPlanItem:
    plan = _lock(plan)
    _check_owner(plan, employee)
    _check_editable(plan)
    values = _clean_item(
        plan=plan,
        competency=competency,
        program=program,
        form=form,
        planned_jp=planned_jp,
        planned_month=planned_month,
        description=description,
    )
    if plan.items.count() >= MAX_ITEMS:
        raise ValidationError(
            _("Satu rencana paling banyak berisi %(max)s butir.") % {"max": MAX_ITEMS}
        )
    item = DevelopmentPlanItem.objects.create(region_id=plan.region_id, plan=plan, **values)
    plan.save(update_fields=["updated_at"])
    return item


@transaction.atomic
def plan_item_update(
    *,
    item: DevelopmentPlanItem,
    employee,
    user,
    description: str,
    planned_jp,
    competency=None,
    program=None,
    form=None,
    planned_month=None,
) -> DevelopmentPlanItem:
    plan = _lock(item.plan)
    _check_owner(plan, employee)
    _check_editable(plan)
    values = _clean_item(
        plan=plan,
        competency=competency,
        program=program,
        form=form,
        planned_jp=planned_jp,
        planned_month=planned_month,
        description=description,
    )
    for field, value in values.items():
        setattr(item, field, value)
    item.save()
    plan.save(update_fields=["updated_at"])
    return item


@transaction.atomic
def plan_item_delete(*, item: DevelopmentPlanItem, employee, user) -> None:
    plan = _lock(item.plan)
    _check_owner(plan, employee)
    _check_editable(plan)
    item.delete()
    plan.save(update_fields=["updated_at"])


@transaction.atomic
def plan_submit(*, plan: DevelopmentPlan, employee, user, notes: str = "") -> DevelopmentPlan:
    """Send a draft (or a returned plan) to the direct supervisor for approval."""
    plan = _lock(plan)
    _check_owner(plan, employee)
    _check_editable(plan)
    notes = _clean_notes(notes, "notes")
    if not plan.items.exists():
        raise ValidationError(_("Tambahkan paling sedikit satu butir rencana sebelum mengajukan."))
    supervisor = plan.employee.supervisor
    if supervisor is None or not supervisor.is_active:
        raise ValidationError(
            _(
                "Atasan langsung Anda belum tercatat. Hubungi admin BKPSDM untuk melengkapi "
                "data atasan sebelum mengajukan rencana."
            )
        )
    previous = plan.status
    plan.status = Status.SUBMITTED
    plan.notes = notes
    plan.submitted_at = timezone.now()
    plan.decided_by = None
    plan.decided_at = None
    plan.save()
    event = history_record(
        subject=plan,
        action="resubmitted" if previous == Status.RETURNED else "submitted",
        actor=user,
        from_status=previous,
        to_status=Status.SUBMITTED,
        reason=notes,
    )
    notify(
        recipient=supervisor,
        kind=Kind.PLAN_SUBMITTED,
        subject=plan,
        context={"employee": plan.employee.name, "year": plan.year},
        dedup_key=f"plan:{plan.pk}:submitted:{event.pk}",
    )
    return plan


def _decide(plan: DevelopmentPlan, supervisor) -> DevelopmentPlan:
    plan = _lock(plan)
    if supervisor is None or plan.employee.supervisor_id != supervisor.pk:
        raise ValidationError(_("Hanya atasan langsung yang dapat memutuskan rencana ini."))
    if plan.status != Status.SUBMITTED:
        raise ValidationError(
            _("Rencana ini tidak sedang menunggu keputusan (status: %(status)s).")
            % {"status": plan.get_status_display()}
        )
    return plan


@transaction.atomic
def plan_approve(*, plan: DevelopmentPlan, supervisor, user, notes: str = "") -> DevelopmentPlan:
    """The direct supervisor approves the plan; it becomes read-only."""
    plan = _decide(plan, supervisor)
    notes = _clean_notes(notes, "supervisor_notes")
    plan.status = Status.APPROVED
    plan.supervisor_notes = notes
    plan.decided_by = user
    plan.decided_at = timezone.now()
    plan.save()
    history_record(
        subject=plan,
        action="approved",
        actor=user,
        from_status=Status.SUBMITTED,
        to_status=Status.APPROVED,
        reason=notes,
    )
    notify(
        recipient=plan.employee,
        kind=Kind.PLAN_APPROVED,
        subject=plan,
        context={"year": plan.year, "supervisor": supervisor.name, "notes": notes},
        dedup_key=f"plan:{plan.pk}:approved",
    )
    return plan


@transaction.atomic
def plan_return(*, plan: DevelopmentPlan, supervisor, user, notes: str) -> DevelopmentPlan:
    """The direct supervisor returns the plan with notes; the ASN revises and resubmits."""
    notes = _clean_notes(notes, "supervisor_notes")
    if not notes:
        raise ValidationError(
            {"supervisor_notes": [_("Tuliskan catatan perbaikan untuk pegawai.")]}
        )
    plan = _decide(plan, supervisor)
    plan.status = Status.RETURNED
    plan.supervisor_notes = notes
    plan.decided_by = user
    plan.decided_at = timezone.now()
    plan.save()
    event = history_record(
        subject=plan,
        action="returned",
        actor=user,
        from_status=Status.SUBMITTED,
        to_status=Status.RETURNED,
        reason=notes,
    )
    notify(
        recipient=plan.employee,
        kind=Kind.PLAN_RETURNED,
        subject=plan,
        context={"year": plan.year, "supervisor": supervisor.name, "notes": notes},
        dedup_key=f"plan:{plan.pk}:returned:{event.pk}",
    )
    return plan
