"""Demo data of the regional plan, per region (registered as the `planning` demo loader,
after training's): the planning roles, this year's needs round (closed) with the units'
needs, this year's plan approved by the head of region with items realised by the demo
batches, and next year's needs round open with one unit's needs drafted (one from a
suggestion) and another unit's submitted.

Written through the services (history, notifications in-app only); idempotent: roles, rounds
and plans that exist are left alone.

Demo roles: the demo supervisor (head of a unit, a printed demo login) plans for their unit;
the head of another unit plans for it; the region's highest-ranked official approves for the
head of region. Those two have no demo password (only printed logins have one): to try the
approval, the admin names a demo login as approver on "Perencana dan penyetuju".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.test.utils import override_settings
from django_scopes import scope

from regions.models import Employee, Membership, PositionType, Region, Unit
from training.models import Competency, DevelopmentForm, Offering, Program

from .models import NeedsRound, Plan, PlanApprover, PlanItem, UnitPlanner, UnitSubmission
from .selectors import needs as need_selectors
from .services import needs as need_services
from .services import plans as plan_services
from .services import realisation

RANK = [PositionType.JPT_UTAMA, PositionType.JPT_MADYA, PositionType.JPT_PRATAMA,
        PositionType.ADMINISTRATOR, PositionType.PENGAWAS]  # fmt: skip

# This year's plan: (programme code, title, competency, units (None: across units), count,
# budget in rupiah, quarter, funding).
ITEMS = [
    ("BIMTEK-SKP", "Bimtek Penyusunan SKP bagi Pejabat Pengawas", "M.04", None, 60, 45_000_000, 1, "apbd"),
    ("PLT-PRIMA", "Pelatihan Pelayanan Prima Unit Layanan", "M.05", "first", 50, 75_000_000, 4, "apbd"),
    ("EL-LITDIG", "E-Learning Literasi Digital ASN", "TK.02", None, 120, 18_000_000, 4, "apbd"),
    ("COACH-PGW", "Coaching Kepemimpinan Pengawas", "M.06", None, 20, 0, 3, "none"),
    ("SEM-RB", "Seminar Reformasi Birokrasi dan Zona Integritas", "M.07", None, 80, 12_000_000, 2, "partner"),
    ("PLT-ARSIP", "Pelatihan Pengelolaan Arsip Dinamis", "TK.01", "second", 25, 30_000_000, 2, "apbd"),
]  # fmt: skip


def _roles(region: Region, created: dict) -> tuple[Employee, list[Employee], Employee]:
    from training.demo import _demo_people

    admin, supervisor, _asn, others = _demo_people(region)
    with_user = [e for e in others if e.user_id]
    top = min(
        (e for e in with_user if e.position_type in RANK),
        key=lambda e: (RANK.index(e.position_type), e.nip),
    )
    second_head = next(
        (
            e
            for e in sorted(with_user, key=lambda e: e.nip)
            if e.position_type in (PositionType.JPT_PRATAMA, PositionType.ADMINISTRATOR)
            and e.unit_id != supervisor.unit_id
            and e.pk != top.pk
        ),
        None,
    )
    planners = [supervisor] + ([second_head] if second_head else [])
    for planner in planners:
        _, new = UnitPlanner.objects.get_or_create(
            region=region, unit_id=planner.unit_id, employee=planner
        )
        if new:
            created["planners"] = created.get("planners", 0) + 1
    Membership.objects.get_or_create(user=top.user, region=region)
    approver, new = PlanApprover.objects.get_or_create(
        region=region,
        employee=top,
        defaults={"title": f"{region.get_kind_display()} {region.name}"},
    )
    if new:
        # The head of region signs; the official named here approves in their name.
        approver.title = {
            Region.Kind.KOTA: f"Wali Kota {region.name}",
            Region.Kind.KABUPATEN: f"Bupati {region.name}",
        }.get(region.kind, f"Camat {region.name}")
        approver.save(update_fields=["title"])
        created["approvers"] = created.get("approvers", 0) + 1
    return admin, planners, top


def _closed_round(region, admin, planners, year, by_code, created) -> NeedsRound:
    needs_round = NeedsRound.objects.filter(region=region, year=year).first()
    if needs_round is not None:
        return needs_round
    # Opened and closed before the year began: written directly (the service refuses a past
    # deadline), then each planner's needs go through the services as they would have.
    needs_round = NeedsRound.objects.create(
        region=region, year=year, deadline=dt.date(year - 1, 11, 30), opened_by=admin.user,
        notes="Usulan kebutuhan pengembangan kompetensi untuk tahun anggaran berikutnya.",
    )  # fmt: skip
    UnitSubmission.objects.bulk_create(
        UnitSubmission(region=region, round=needs_round, unit=unit)
        for unit in Unit.objects.filter(region=region, is_active=True)
    )
    early = dt.date(year - 1, 11, 1)
    specs = (
        [("M.05", 12, 24, 18_000_000), ("TK.02", 20, 12, 6_000_000)],
        [
            ("TK.01", 8, 20, 12_000_000),
            ("M.04", 10, 16, 7_500_000),
        ],
    )
    for planner, needs in zip(planners, specs, strict=False):
        submission = UnitSubmission.objects.select_related("round", "unit", "region").get(
            round=needs_round, unit_id=planner.unit_id
        )
        for code, count, jp, cost in needs:
            need_services.need_save(
                submission=submission, user=planner.user, competency=by_code[code],
                target_count=count, jp=jp, estimated_cost=cost, today=early,
                justification="Hasil analisis kebutuhan unit dan kesenjangan kompetensi.",
            )  # fmt: skip
            created["needs"] = created.get("needs", 0) + 1
        need_services.submission_submit(submission=submission, user=planner.user, today=early)
    return needs_round


def _plan(region, admin, approver, year, today, by_code, needs_round, created) -> None:
    if Plan.objects.filter(region=region, year=year).exists():
        return
    plan = plan_services.plan_create(region=region, user=admin.user, year=year, today=today)
    programs = {p.code: p for p in Program.objects.filter(region=region).select_related("form")}
    units = list(
        UnitSubmission.objects.filter(round=needs_round, status=UnitSubmission.Status.SUBMITTED)
        .select_related("unit")
        .order_by("unit__name")
    )
    needs = list(need_selectors.submitted_needs(needs_round=needs_round))
    forms = {f.pk: f for f in DevelopmentForm.objects.all()}
    items = {}
    for code, title, competency, unit_key, count, budget, quarter, funding in ITEMS:
        program = programs.get(code)
        unit = None
        if unit_key == "first" and units:
            unit = units[0].unit
        elif unit_key == "second" and len(units) > 1:
            unit = units[1].unit
        fulfils = [n for n in needs if n.competency.code == competency]
        items[code] = plan_services.plan_item_save(
            plan=plan,
            user=admin.user,
            title=title,
            competency=by_code[competency],
            form=program.form if program else forms[3],
            program=program,
            jp=program.jp if program else 20,
            target_count=count,
            budget=budget,
            quarter=quarter,
            funding=funding,
            unit=unit,
            organiser="own" if funding != "partner" else "partner",
            provider=program.provider if program and funding == "partner" else None,
            needs=fulfils,
            target_description="Pejabat pengawas" if code in ("BIMTEK-SKP", "COACH-PGW") else "",
        )
        created["plan_items"] = created.get("plan_items", 0) + 1
    plan_services.plan_submit(
        plan=plan, user=admin.user, notes="Rencana hasil konsolidasi usulan unit."
    )
    plan_services.plan_decide(
        plan=plan, user=approver.user, employee=approver, decision="approve",
        decree_number=f"800.1.9/{region.pk:02d}/{year}",
    )  # fmt: skip
    created["plans"] = created.get("plans", 0) + 1
    plan.refresh_from_db()
    # The year's batches realise the items of their programme.
    by_program = {item.program_id: item for item in items.values() if item.program_id}
    for offering in (
        Offering.objects.filter(region=region, start_date__year=year)
        .exclude(status=Offering.Status.CANCELLED)
        .select_related("program")
        .order_by("start_date")
    ):
        item = by_program.get(offering.program_id)
        if item is None:
            continue
        item = PlanItem.objects.select_related("plan").get(pk=item.pk)
        if not offering.cost_per_participant and item.budget:
            # The demo catalogue has no costs: price the batch from the item's budget.
            cost = (item.budget / item.target_count).quantize(Decimal("1000"))
            Offering.objects.filter(pk=offering.pk).update(cost_per_participant=cost)
        realisation.offering_link(item=item, offering=offering, user=admin.user)
        created["links"] = created.get("links", 0) + 1


def _open_round(region, admin, planners, year, today, created) -> None:
    if NeedsRound.objects.filter(region=region, year=year).exists():
        return
    deadline = min(today + dt.timedelta(days=30), dt.date(year, 12, 31))
    needs_round = need_services.round_open(
        region=region, user=admin.user, year=year, deadline=deadline, today=today,
        notes="Sampaikan usulan kebutuhan pengembangan kompetensi unit Anda untuk tahun depan.",
    )  # fmt: skip
    created["rounds"] = created.get("rounds", 0) + 1
    for index, planner in enumerate(planners):
        submission = UnitSubmission.objects.select_related("round", "unit", "region").get(
            round=needs_round, unit_id=planner.unit_id
        )
        suggestions = [
            s for s in need_selectors.suggestions_for(submission=submission) if s.one_click
        ]
        if suggestions:
            s = suggestions[0]
            need_services.need_save(
                submission=submission, user=planner.user, competency=s.competency,
                target_employees=s.employees, target_count=s.target_count, jp=s.jp, form=s.form,
                justification=s.reason, source=s.source, suggestion_key=s.key,
                estimated_cost=Decimal(s.target_count) * 750_000, today=today,
            )  # fmt: skip
            created["needs"] = created.get("needs", 0) + 1
        if index == 1:
            competency = Competency.objects.filter(region=region, code="TK.01").first()
            if competency is not None:
                need_services.need_save(
                    submission=submission, user=planner.user, competency=competency,
                    target_count=6, jp=20, estimated_cost=9_000_000, today=today,
                    target_description="Pengelola arsip dan pengadministrasi umum",
                    justification="Penataan arsip inaktif belum sesuai JRA.",
                )  # fmt: skip
                created["needs"] = created.get("needs", 0) + 1
            if submission.needs.exists():
                need_services.submission_submit(
                    submission=submission, user=planner.user, today=today
                )


def load_planning_demo(*, region: Region, today: dt.date) -> dict:
    created: dict = {}
    in_app_only = override_settings(KOMPETENSI_NOTIFICATION_CHANNELS=["inapp"])
    with in_app_only, transaction.atomic(), scope(region=region):
        admin, planners, approver = _roles(region, created)
        by_code = {c.code: c for c in Competency.objects.filter(is_active=True)}
        needs_round = _closed_round(region, admin, planners, today.year, by_code, created)
        _plan(region, admin, approver, today.year, today, by_code, needs_round, created)
        _open_round(region, admin, planners, today.year + 1, today, created)
    return created
