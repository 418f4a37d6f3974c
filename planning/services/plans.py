"""The region's yearly plan: the BKPSDM consolidates the units' needs into plan items and
submits the plan; the approver (for the head of the region) approves or returns it.

draft → submitted → approved, or submitted → returned → submitted again (DOMAIN rule 7).
Only a draft or returned revision changes; an approved one is read-only. A change after an
approval is a new revision (perubahan): a copy of the approved revision's items (same item
keys, so linked batches stay linked) that goes through the same approval; once approved, the
previous approved revision becomes superseded (still shown, never edited). Every step is kept
in the decision history (`training.services.history`) and notified.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kompetensi.uploads import random_name, validate_upload
from regions.models import Employee, Region, Unit
from regions.notifications import notify_many
from regions.selectors import region_admins
from training.models import Competency, DevelopmentForm, Program, Provider
from training.services.history import history_record

from ..models import Need, OfferingLink, Plan, PlanItem
from ..notifications import Kind
from ..selectors import roles
from .common import clean_money, clean_note, clean_positive_int

Status = Plan.Status
MAX_ITEMS = 500
DECREE_MAX_BYTES = 10 * 1024 * 1024


def _plan_url(plan: Plan) -> str:
    return reverse(
        "planning:plan_detail", kwargs={"region_slug": plan.region.slug, "plan_id": plan.pk}
    )


def _lock(plan: Plan) -> Plan:
    return (
        Plan.objects.select_for_update(of=("self",))
        .select_related("region")
        .get(pk=plan.pk, region_id=plan.region_id)
    )


def check_editable(plan: Plan) -> None:
    if plan.status in Plan.EDITABLE_STATUSES:
        return
    if plan.status == Status.SUBMITTED:
        raise ValidationError(_("Rencana sedang menunggu persetujuan dan tidak dapat diubah."))
    raise ValidationError(
        _(
            "Rencana yang sudah disetujui hanya dapat dibaca. Buat perubahan rencana untuk mengubahnya."
        )
    )


def plan_years_open(*, today=None) -> list[int]:
    year = (today or timezone.localdate()).year
    return [year, year + 1]


@transaction.atomic
def plan_create(*, region: Region, user, year: int, today=None) -> Plan:
    if year not in plan_years_open(today=today):
        raise ValidationError(
            {"year": [_("Rencana hanya dapat dibuat untuk tahun %(years)s.")
                      % {"years": " / ".join(str(y) for y in plan_years_open(today=today))}]}
        )  # fmt: skip
    if Plan.objects.filter(region=region, year=year).exists():
        raise ValidationError(
            {"year": [_("Rencana tahun %(year)s sudah ada; buka rencana itu.") % {"year": year}]}
        )
    plan = Plan.objects.create(region=region, year=year, revision=0, created_by=user)
    history_record(subject=plan, action="created", actor=user, to_status=Status.DRAFT)
    return plan


def _clean_item(*, plan: Plan, values: dict) -> dict:
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    def collect(func, *args, **kwargs):
        try:
            return func(*args, **kwargs)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors.setdefault(field, []).extend(messages)
            return None

    region_id = plan.region_id
    title = (values.get("title") or "").strip()
    if not title:
        add("title", _("Nama program wajib diisi."))
    elif len(title) > 200:
        add("title", _("Nama program paling banyak 200 karakter."))
    competency: Competency | None = values.get("competency")
    if competency is None:
        add("competency", _("Pilih kompetensi dari kamus kompetensi."))
    elif competency.region_id not in (None, region_id):
        add("competency", _("Kompetensi tidak ditemukan."))
    form: DevelopmentForm | None = values.get("form")
    if form is None:
        add("form", _("Pilih bentuk pengembangan kompetensi."))
    unit: Unit | None = values.get("unit")
    if unit is not None and unit.region_id != region_id:
        add("unit", _("Unit tidak ditemukan."))
    provider: Provider | None = values.get("provider")
    if provider is not None and provider.region_id != region_id:
        add("provider", _("Mitra tidak ditemukan."))
    program: Program | None = values.get("program")
    if program is not None and program.region_id != region_id:
        add("program", _("Program tidak ditemukan."))
    employees = list(values.get("target_employees") or [])
    if any(e.region_id != region_id for e in employees):
        add("target_employees", _("Pegawai sasaran tidak ditemukan."))
    count_value = values.get("target_count")
    if count_value in (None, "") and employees:
        count_value = len(employees)
    count = collect(
        clean_positive_int, count_value, field="target_count", maximum=100000,
        label=_("Jumlah ASN sasaran"),
    )  # fmt: skip
    if count is not None and count < len(employees):
        add(
            "target_count",
            _("Jumlah ASN sasaran tidak boleh kurang dari jumlah pegawai yang dipilih."),
        )
    jp = collect(
        clean_positive_int, values.get("jp"), field="jp", maximum=2000, label=_("JP per peserta")
    )
    budget = collect(clean_money, values.get("budget"), field="budget")
    quarter = values.get("quarter") or None
    month = values.get("month") or None
    if quarter is not None and int(quarter) not in PlanItem.Quarter.values:
        add("quarter", _("Pilih triwulan I sampai IV."))
    if month is not None:
        if not 1 <= int(month) <= 12:
            add("month", _("Pilih bulan Januari sampai Desember."))
        elif quarter is not None and (int(month) - 1) // 3 + 1 != int(quarter):
            add("month", _("Bulan tidak berada di triwulan yang dipilih."))
    organiser = values.get("organiser") or PlanItem.Organiser.OWN
    if organiser not in PlanItem.Organiser.values:
        add("organiser", _("Pilih penyelenggara."))
    if organiser == PlanItem.Organiser.PARTNER and provider is None:
        add("provider", _("Pilih mitra penyelenggara."))
    funding = values.get("funding") or PlanItem.Funding.APBD
    if funding not in PlanItem.Funding.values:
        add("funding", _("Pilih sumber dana."))
    if budget and funding == PlanItem.Funding.NONE:
        add("funding", _("Butir tanpa biaya tidak boleh memiliki anggaran."))
    fit = values.get("curriculum_fit") or PlanItem.CurriculumFit.FIT
    if fit not in PlanItem.CurriculumFit.values:
        add("curriculum_fit", _("Pilih kesesuaian standar kurikulum."))
    target_type = values.get("target_type") or PlanItem.Target.ALL
    if target_type not in PlanItem.Target.values:
        add("target_type", _("Pilih status kepegawaian sasaran."))
    description = (values.get("target_description") or "").strip()
    if len(description) > 255:
        add("target_description", _("Sasaran paling banyak 255 karakter."))
    needs = list(values.get("needs") or [])
    for need in needs:
        if need.region_id != region_id or need.submission.round.year != plan.year:
            add("needs", _("Usulan kebutuhan tidak ditemukan pada penjaringan tahun ini."))
            break
    if errors:
        raise ValidationError(errors)
    return {
        "fields": {
            "title": title,
            "competency": competency,
            "form": form,
            "unit": unit,
            "provider": provider,
            "program": program,
            "target_count": count,
            "jp": jp,
            "budget": budget,
            "quarter": int(quarter) if quarter is not None else None,
            "month": int(month) if month is not None else None,
            "organiser": organiser,
            "funding": funding,
            "curriculum_fit": fit,
            "target_type": target_type,
            "target_description": description,
        },
        "employees": employees,
        "needs": needs,
    }


@transaction.atomic
def plan_item_save(*, plan: Plan, user, item: PlanItem | None = None, **values) -> PlanItem:
    """Add an item to a draft/returned plan, or change one of its items. `values`: title,
    competency, form, jp, target_count, budget, and optionally unit, provider, program,
    quarter, month, organiser, funding, curriculum_fit, target_type, target_description,
    target_employees, needs (the units' needs it fulfils: a merge of several, or a split of
    one into several items)."""
    plan = _lock(plan)
    check_editable(plan)
    if item is not None and item.plan_id != plan.pk:
        raise ValidationError(_("Butir rencana tidak ditemukan."))
    if item is None and PlanItem.objects.filter(plan=plan).count() >= MAX_ITEMS:
        raise ValidationError(_("Satu rencana paling banyak %(max)s butir.") % {"max": MAX_ITEMS})
    cleaned = _clean_item(plan=plan, values=values)
    if item is None:
        item = PlanItem(region_id=plan.region_id, plan=plan)
    for field, value in cleaned["fields"].items():
        setattr(item, field, value)
    item.save()
    item.target_employees.set(cleaned["employees"])
    item.needs.set(cleaned["needs"])
    return item


@transaction.atomic
def plan_item_delete(*, item: PlanItem, user) -> None:
    plan = _lock(item.plan)
    check_editable(plan)
    item.delete()


@transaction.atomic
def plan_submit(*, plan: Plan, user, notes: str = "") -> Plan:
    plan = _lock(plan)
    check_editable(plan)
    if not PlanItem.objects.filter(plan=plan).exists():
        raise ValidationError(_("Tambahkan paling sedikit satu butir sebelum mengajukan rencana."))
    approvers = list(roles.approver_employees(region=plan.region))
    if not approvers:
        raise ValidationError(
            _("Belum ada penyetuju rencana. Tunjuk penyetuju (kepala daerah atau pejabat yang "
              "ditunjuk) di halaman peran perencanaan.")
        )  # fmt: skip
    notes = clean_note(notes, field="notes")
    old = plan.status
    plan.status = Status.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.submitted_by = user
    if notes:
        plan.notes = notes
    plan.save(update_fields=["status", "submitted_at", "submitted_by", "notes", "updated_at"])
    history_record(
        subject=plan, action="submitted", actor=user, from_status=old, to_status=Status.SUBMITTED,
        reason=notes,
    )  # fmt: skip
    stamp = f"{plan.submitted_at.timestamp():.0f}"
    notify_many(
        region=plan.region,
        items=[
            {
                "recipient": approver,
                "kind": Kind.PLAN_SUBMITTED,
                "subject": plan,
                "context": {"year": plan.year, "revision": plan.revision, "url": _plan_url(plan)},
                "dedup_key": f"rkpk:plan:{plan.pk}:submitted:{stamp}:{approver.pk}",
            }
            for approver in approvers
        ],
    )
    return plan


APPROVE, RETURN = "approve", "return"


@transaction.atomic
def plan_decide(
    *,
    plan: Plan,
    user,
    employee: Employee | None,
    decision: str,
    note: str = "",
    decree=None,
    decree_number: str = "",
) -> Plan:
    """The approver approves (optionally with the signed decree) or returns (with a note)."""
    approver = roles.approver_for(region=plan.region, employee=employee)
    if approver is None:
        raise ValidationError(
            _(
                "Hanya penyetuju rencana yang ditunjuk yang dapat menyetujui atau mengembalikan rencana."
            )
        )
    if decision not in (APPROVE, RETURN):
        raise ValidationError({"decision": [_("Pilih setujui atau kembalikan.")]})
    plan = _lock(plan)
    if plan.status != Status.SUBMITTED:
        raise ValidationError(_("Rencana ini tidak sedang menunggu persetujuan."))
    note = clean_note(note, field="note", required=decision == RETURN)
    decree_number = (decree_number or "").strip()
    if len(decree_number) > 100:
        raise ValidationError({"decree_number": [_("Nomor SK paling banyak 100 karakter.")]})
    if decree is not None and decision == APPROVE:
        kind = validate_upload(
            decree, kinds=("pdf",), max_bytes=DECREE_MAX_BYTES, what=_("Berkas SK"),
            kinds_label="PDF",
        )  # fmt: skip
        decree.name = random_name(f"sk-{plan.year}-{plan.revision}", kind)
        plan.decree = decree
    now = timezone.now()
    plan.decided_at = now
    plan.decided_by = user
    plan.approver_name = approver.employee.name
    plan.approver_title = approver.title
    plan.decision_note = note
    if decision == APPROVE:
        previous = (
            Plan.objects.select_for_update(of=("self",))
            .filter(region_id=plan.region_id, year=plan.year, status=Status.APPROVED)
            .exclude(pk=plan.pk)
            .first()
        )
        if previous is not None:
            previous.status = Status.SUPERSEDED
            previous.save(update_fields=["status", "updated_at"])
            history_record(
                subject=previous, action="superseded", actor=user,
                from_status=Status.APPROVED, to_status=Status.SUPERSEDED,
                reason=_("Digantikan perubahan ke-%(n)s") % {"n": plan.revision},
            )  # fmt: skip
        plan.status = Status.APPROVED
        plan.decree_number = decree_number
        # Batches of items the revision dropped no longer realise anything of the year.
        OfferingLink.objects.filter(region_id=plan.region_id, year=plan.year).exclude(
            item_key__in=PlanItem.objects.filter(plan=plan).values("key")
        ).delete()
    else:
        plan.status = Status.RETURNED
    plan.save()
    history_record(
        subject=plan,
        action="approved" if decision == APPROVE else "returned",
        actor=user,
        from_status=Status.SUBMITTED,
        to_status=plan.status,
        reason=note,
    )
    kind = Kind.PLAN_APPROVED if decision == APPROVE else Kind.PLAN_RETURNED
    notify_many(
        region=plan.region,
        items=[
            {
                "recipient": admin,
                "kind": kind,
                "subject": plan,
                "context": {
                    "year": plan.year,
                    "revision": plan.revision,
                    "notes": note,
                    "approver": approver.employee.name,
                    "url": _plan_url(plan),
                },
                "dedup_key": f"rkpk:plan:{plan.pk}:{decision}:{now.timestamp():.0f}:{admin.pk}",
            }
            for admin in region_admins(plan.region)
        ],
    )
    return plan


@transaction.atomic
def plan_revise(*, plan: Plan, user, notes: str = "") -> Plan:
    """Start a change (perubahan) of an approved plan: a new draft revision with a copy of its
    items (same keys, targets and needs), in a constant number of queries."""
    plan = _lock(plan)
    if plan.status != Status.APPROVED:
        raise ValidationError(_("Perubahan hanya dapat dibuat dari rencana yang sudah disetujui."))
    if Plan.objects.filter(
        region_id=plan.region_id, year=plan.year, status__in=Plan.OPEN_STATUSES
    ).exists():
        raise ValidationError(_("Perubahan rencana tahun ini sudah sedang disusun."))
    notes = clean_note(notes, field="notes", required=True)
    last = (
        Plan.objects.filter(region_id=plan.region_id, year=plan.year)
        .order_by("-revision")
        .values_list("revision", flat=True)
        .first()
    )
    try:
        with transaction.atomic():
            revision = Plan.objects.create(
                region_id=plan.region_id,
                year=plan.year,
                revision=(last or 0) + 1,
                previous=plan,
                notes=notes,
                created_by=user,
            )
    except IntegrityError:
        raise ValidationError(_("Perubahan rencana tahun ini sudah sedang disusun.")) from None
    items = list(PlanItem.objects.filter(plan=plan).order_by("pk"))
    old_ids = [item.pk for item in items]
    copies = []
    for item in items:
        item.pk = None
        item.id = None
        item.plan = revision
        item._state.adding = True
        copies.append(item)
    copies = PlanItem.objects.bulk_create(copies)
    new_of = dict(zip(old_ids, [c.pk for c in copies], strict=True))
    employees_through = PlanItem.target_employees.through
    needs_through = PlanItem.needs.through
    employees_through.objects.bulk_create(
        employees_through(planitem_id=new_of[row.planitem_id], employee_id=row.employee_id)
        for row in employees_through.objects.filter(planitem_id__in=old_ids)
    )
    needs_through.objects.bulk_create(
        needs_through(planitem_id=new_of[row.planitem_id], need_id=row.need_id)
        for row in needs_through.objects.filter(planitem_id__in=old_ids)
    )
    history_record(
        subject=revision, action="revision_started", actor=user, to_status=Status.DRAFT,
        reason=notes,
    )  # fmt: skip
    return revision


def need_defaults(*, needs: list[Need]) -> dict:
    """Initial values of an item that merges `needs` (the BKPSDM then adjusts them)."""
    if not needs:
        return {}
    first = needs[0]
    units = {n.submission.unit_id for n in needs}
    employees = {e.pk for n in needs for e in n.target_employees.all()}
    return {
        "title": first.competency.name,
        "competency": first.competency_id,
        "form": first.form_id,
        "unit": first.submission.unit_id if len(units) == 1 else None,
        "target_count": sum(n.target_count for n in needs),
        "jp": max(n.jp for n in needs),
        "budget": sum((n.estimated_cost for n in needs), 0),
        "target_description": "; ".join(
            dict.fromkeys(n.target_description for n in needs if n.target_description)
        )[:255],
        "target_employees": sorted(employees),
        "needs": [n.pk for n in needs],
    }
