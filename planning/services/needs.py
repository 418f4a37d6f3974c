"""The needs round: the BKPSDM opens it for a year with a deadline; each unit's planner sends
the unit's needs; the BKPSDM may return a submission with a note.

- Opening a round creates one submission (draft) per active unit, in one INSERT, and tells
  the units' planners.
- A submission is edited by its unit's planner (or an admin) while it is a draft before the
  deadline, or while it is returned; it is submitted once, before the deadline (a returned one
  may be sent again after it: the BKPSDM asked for the fix).
- Every step is kept in the decision history (`training.services.history`) and notified.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.models import Employee, Region, Unit
from regions.notifications import notify, notify_many
from regions.selectors import region_admins
from training.models import Competency, DevelopmentForm
from training.services.history import history_record

from ..models import Need, NeedsRound, Priority, UnitSubmission
from ..notifications import Kind
from ..selectors import roles
from .common import clean_money, clean_note, clean_positive_int

Status = UnitSubmission.Status
MAX_NEEDS_PER_SUBMISSION = 200


def _submission_url(submission: UnitSubmission) -> str:
    return reverse(
        "planning:submission_detail",
        kwargs={"region_slug": submission.region.slug, "submission_id": submission.pk},
    )


def round_years_open(*, today: dt.date) -> list[int]:
    """A round may be opened for this year and the next."""
    return [today.year, today.year + 1]


@transaction.atomic
def round_open(
    *, region: Region, user, year: int, deadline: dt.date, notes: str = "", today=None
) -> NeedsRound:
    today = today or timezone.localdate()
    if year not in round_years_open(today=today):
        raise ValidationError(
            {"year": [_("Penjaringan hanya dapat dibuka untuk tahun %(a)s atau %(b)s.")
                      % {"a": today.year, "b": today.year + 1}]}
        )  # fmt: skip
    if deadline < today:
        raise ValidationError({"deadline": [_("Batas akhir usulan tidak boleh di masa lalu.")]})
    if deadline.year > year:
        raise ValidationError(
            {"deadline": [_("Batas akhir usulan harus sebelum tahun rencana berakhir.")]}
        )
    if NeedsRound.objects.filter(region=region, year=year).exists():
        raise ValidationError(
            {"year": [_("Penjaringan kebutuhan tahun %(year)s sudah dibuka.") % {"year": year}]}
        )
    notes = clean_note(notes, field="notes")
    needs_round = NeedsRound.objects.create(
        region=region, year=year, deadline=deadline, notes=notes, opened_by=user
    )
    units = list(Unit.objects.filter(region=region, is_active=True).order_by("pk"))
    submissions = UnitSubmission.objects.bulk_create(
        UnitSubmission(region=region, round=needs_round, unit=unit) for unit in units
    )
    history_record(subject=needs_round, action="round_opened", actor=user)
    planners = roles.planners_of(region=region, unit_ids=[u.pk for u in units])
    items = []
    for submission in submissions:
        submission.round = needs_round
        submission.region = region
        for planner in planners.get(submission.unit_id, []):
            items.append(
                {
                    "recipient": planner,
                    "kind": Kind.ROUND_OPENED,
                    "subject": submission,
                    "context": {
                        "year": year,
                        "deadline": deadline.isoformat(),
                        "unit": submission.unit.name,
                        "url": _submission_url(submission),
                    },
                    "dedup_key": f"rkpk:round:{submission.pk}:{planner.pk}",
                }
            )
    notify_many(region=region, items=items)
    return needs_round


def _lock(submission: UnitSubmission) -> UnitSubmission:
    return (
        UnitSubmission.objects.select_for_update(of=("self",))
        .select_related("round", "unit", "region")
        .get(pk=submission.pk, region_id=submission.region_id)
    )


def check_editable(submission: UnitSubmission, *, today=None) -> None:
    """Refuse a change to a submitted submission, or to a draft after the deadline."""
    today = today or timezone.localdate()
    if submission.status == Status.SUBMITTED:
        raise ValidationError(_("Usulan sudah diajukan dan tidak dapat diubah lagi."))
    if submission.status == Status.DRAFT and not submission.round.is_open(today):
        raise ValidationError(
            _("Batas akhir usulan (%(date)s) sudah lewat; usulan tidak dapat diubah.")
            % {"date": submission.round.deadline.strftime("%d-%m-%Y")}
        )


def _clean_need(
    *,
    submission: UnitSubmission,
    competency: Competency | None,
    target_count,
    jp,
    estimated_cost,
    priority,
    form: DevelopmentForm | None,
    target_description: str,
    justification: str,
    target_employees,
) -> dict:
    errors: dict[str, list[str]] = {}

    def collect(func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
            return None

    if competency is None:
        errors.setdefault("competency", []).append(_("Pilih kompetensi dari kamus kompetensi."))
    elif competency.region_id not in (None, submission.region_id):
        errors.setdefault("competency", []).append(_("Kompetensi tidak ditemukan."))
    elif not competency.is_active:
        errors.setdefault("competency", []).append(_("Kompetensi ini sudah tidak aktif."))
    employees = list(target_employees or [])
    for employee in employees:
        if employee.region_id != submission.region_id or employee.unit_id != submission.unit_id:
            errors.setdefault("target_employees", []).append(
                _("Pegawai sasaran harus pegawai unit ini.")
            )
            break
    if (target_count in (None, "")) and employees:
        target_count = len(employees)
    count = collect(
        clean_positive_int, target_count, field="target_count", maximum=100000,
        label=_("Jumlah ASN sasaran"),
    )  # fmt: skip
    if count is not None and employees and count < len(employees):
        errors.setdefault("target_count", []).append(
            _("Jumlah ASN sasaran tidak boleh kurang dari jumlah pegawai yang dipilih.")
        )
    jp_value = collect(clean_positive_int, jp, field="jp", maximum=2000, label=_("JP per peserta"))
    cost = collect(clean_money, estimated_cost, field="estimated_cost")
    try:
        priority_value = int(priority) if priority not in (None, "") else Priority.MEDIUM
    except (TypeError, ValueError):
        priority_value = None
    if priority_value not in Priority.values:
        errors.setdefault("priority", []).append(_("Pilih prioritas tinggi, sedang, atau rendah."))
    if len((target_description or "").strip()) > 255:
        errors.setdefault("target_description", []).append(_("Sasaran paling banyak 255 karakter."))
    justification = collect(clean_note, justification, field="justification")
    if errors:
        raise ValidationError(errors)
    return {
        "competency": competency,
        "target_count": count,
        "jp": jp_value,
        "estimated_cost": cost,
        "priority": priority_value,
        "form": form,
        "target_description": (target_description or "").strip(),
        "justification": justification or "",
        "employees": employees,
    }


@transaction.atomic
def need_save(
    *,
    submission: UnitSubmission,
    user,
    need: Need | None = None,
    competency: Competency | None,
    target_count=None,
    jp,
    estimated_cost=0,
    priority=Priority.MEDIUM,
    form: DevelopmentForm | None = None,
    target_description: str = "",
    justification: str = "",
    target_employees=(),
    source: str = Need.Source.MANUAL,
    suggestion_key: str = "",
    today=None,
) -> Need:
    """Add a need to the unit's submission, or change one of its needs."""
    submission = _lock(submission)
    check_editable(submission, today=today)
    if need is not None and need.submission_id != submission.pk:
        raise ValidationError(_("Usulan tidak ditemukan."))
    if need is None and submission.needs.count() >= MAX_NEEDS_PER_SUBMISSION:
        raise ValidationError(
            _("Satu unit paling banyak mengusulkan %(max)s kebutuhan.")
            % {"max": MAX_NEEDS_PER_SUBMISSION}
        )
    if (
        suggestion_key
        and Need.objects.filter(submission=submission, suggestion_key=suggestion_key).exists()
    ):
        raise ValidationError(_("Saran ini sudah diterima sebagai usulan."))
    values = _clean_need(
        submission=submission,
        competency=competency,
        target_count=target_count,
        jp=jp,
        estimated_cost=estimated_cost,
        priority=priority,
        form=form,
        target_description=target_description,
        justification=justification,
        target_employees=target_employees,
    )
    employees = values.pop("employees")
    if need is None:
        need = Need(
            region_id=submission.region_id,
            submission=submission,
            created_by=user if getattr(user, "is_authenticated", False) else None,
            source=source,
            suggestion_key=suggestion_key,
        )
    for field, value in values.items():
        setattr(need, field, value)
    need.save()
    need.target_employees.set(employees)
    return need


@transaction.atomic
def need_delete(*, need: Need, user, today=None) -> None:
    submission = _lock(need.submission)
    check_editable(submission, today=today)
    need.delete()


@transaction.atomic
def suggestion_ignore(*, submission: UnitSubmission, user, key: str, today=None) -> None:
    submission = _lock(submission)
    check_editable(submission, today=today)
    key = (key or "")[:80]
    if key and key not in submission.ignored_suggestions:
        submission.ignored_suggestions = [*submission.ignored_suggestions, key]
        submission.save(update_fields=["ignored_suggestions", "updated_at"])


@transaction.atomic
def submission_submit(*, submission: UnitSubmission, user, today=None) -> UnitSubmission:
    today = today or timezone.localdate()
    submission = _lock(submission)
    if submission.status == Status.SUBMITTED:
        raise ValidationError(_("Usulan sudah diajukan."))
    if submission.status == Status.DRAFT and not submission.round.is_open(today):
        raise ValidationError(
            _("Batas akhir usulan (%(date)s) sudah lewat; usulan tidak dapat diajukan.")
            % {"date": submission.round.deadline.strftime("%d-%m-%Y")}
        )
    if not submission.needs.exists():
        raise ValidationError(_("Tambahkan paling sedikit satu kebutuhan sebelum mengajukan."))
    old = submission.status
    submission.status = Status.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.submitted_by = user
    submission.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    history_record(
        subject=submission,
        action="submitted",
        actor=user,
        from_status=old,
        to_status=Status.SUBMITTED,
    )
    notify_many(
        region=submission.region,
        items=[
            {
                "recipient": admin,
                "kind": Kind.NEEDS_SUBMITTED,
                "subject": submission,
                "context": {
                    "year": submission.round.year,
                    "unit": submission.unit.name,
                    "url": _submission_url(submission),
                },
                "dedup_key": f"rkpk:submitted:{submission.pk}:{submission.submitted_at.timestamp():.0f}:{admin.pk}",
            }
            for admin in region_admins(submission.region)
        ],
    )
    return submission


@transaction.atomic
def submission_return(*, submission: UnitSubmission, user, note: str) -> UnitSubmission:
    submission = _lock(submission)
    note = clean_note(note, field="note", required=True)
    if submission.status != Status.SUBMITTED:
        raise ValidationError(_("Hanya usulan yang sudah diajukan yang dapat dikembalikan."))
    submission.status = Status.RETURNED
    submission.return_note = note
    submission.save(update_fields=["status", "return_note", "updated_at"])
    history_record(
        subject=submission,
        action="returned",
        actor=user,
        from_status=Status.SUBMITTED,
        to_status=Status.RETURNED,
        reason=note,
    )
    stamp = f"{timezone.now().timestamp():.0f}"
    for planner in roles.planners_of(region=submission.region, unit_ids=[submission.unit_id]).get(
        submission.unit_id, []
    ):
        notify(
            recipient=planner,
            kind=Kind.NEEDS_RETURNED,
            subject=submission,
            context={
                "year": submission.round.year,
                "unit": submission.unit.name,
                "notes": note,
                "url": _submission_url(submission),
            },
            dedup_key=f"rkpk:returned:{submission.pk}:{stamp}:{planner.pk}",
        )
    return submission


def employees_of_unit(*, submission: UnitSubmission):
    return Employee.objects.filter(
        region_id=submission.region_id, unit_id=submission.unit_id, is_active=True
    ).order_by("name")
