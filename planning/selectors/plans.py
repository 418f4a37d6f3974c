"""Reads of the region's plan: revisions, items, totals, the JP planned per PNS against the
yearly minimum (and the PPPK cap), and the realisation of each item by its linked batches.
Aggregates are computed in the database; every function costs a constant number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from regions.models import Employee, Region
from training.models import CompetencyType, DevelopmentRecord, Enrolment, Offering
from training.selectors.history import history_for

from ..models import OfferingLink, Plan, PlanItem

ZERO = Decimal(0)
# Batches whose money is spent (running or done) and those only committed (not begun).
SPENT_STATUSES = (Offering.Status.RUNNING, Offering.Status.COMPLETED)
COMMITTED_STATUSES = Offering.UPCOMING_STATUSES
MID_YEAR = (7, 1)  # items with no batch begun by 1 July are flagged

PLAN_ACTION_LABELS = {
    "created": _("Dibuat"),
    "submitted": _("Diajukan untuk persetujuan"),
    "approved": _("Disetujui"),
    "returned": _("Dikembalikan"),
    "superseded": _("Digantikan perubahan"),
    "revision_started": _("Perubahan dimulai"),
    "offering_linked": _("Angkatan dikaitkan"),
    "offering_unlinked": _("Kaitan angkatan dilepas"),
}


def plan_list(*, region: Region) -> QuerySet[Plan]:
    return (
        Plan.objects.filter(region=region)
        .annotate(item_count=Count("items"), budget_total=Sum("items__budget"))
        .order_by("-year", "-revision")
    )


def plan_get(*, region: Region, plan_id: int) -> Plan | None:
    return Plan.objects.filter(region=region, pk=plan_id).select_related("region").first()


def current_plan(*, region: Region, year: int) -> Plan | None:
    """The approved (in force) revision of the year's plan, if any."""
    return Plan.objects.filter(region=region, year=year, status=Plan.Status.APPROVED).first()


def open_revision(*, region: Region, year: int) -> Plan | None:
    return Plan.objects.filter(region=region, year=year, status__in=Plan.OPEN_STATUSES).first()


def plan_revisions(*, plan: Plan) -> QuerySet[Plan]:
    return Plan.objects.filter(region_id=plan.region_id, year=plan.year).order_by("revision")


def plan_items(*, plan: Plan) -> list[PlanItem]:
    return list(
        PlanItem.objects.filter(region_id=plan.region_id, plan=plan)
        .select_related("competency", "form", "unit", "provider", "program")
        .annotate(need_count=Count("needs", distinct=True))
        .order_by("competency__type", "competency__code", "pk")
    )


def plan_item_get(*, plan: Plan, item_id: int) -> PlanItem | None:
    return (
        PlanItem.objects.filter(region_id=plan.region_id, plan=plan, pk=item_id)
        .select_related("competency", "form", "unit", "provider", "program", "plan__region")
        .prefetch_related("target_employees", "needs")
        .first()
    )


def plan_history(*, plan: Plan) -> list:
    events = list(history_for(subject=plan))
    for event in events:
        event.label = PLAN_ACTION_LABELS.get(event.action, event.action)
    return events


# --- Totals ------------------------------------------------------------------------------------


@dataclass
class TotalRow:
    key: str
    label: str
    items: int = 0
    participants: int = 0
    jp_person: int = 0  # Σ JP × participants
    budget: Decimal = ZERO


@dataclass
class PlanTotals:
    by_type: list[TotalRow]
    by_form: list[TotalRow]
    by_unit: list[TotalRow]
    total: TotalRow
    pns_count: int
    pppk_count: int
    jp_target: int
    pppk_cap: int
    # Σ JP × participants of items aimed at PNS, plus those aimed at all ASN by the PNS share.
    pns_jp_person: Decimal
    pppk_over_cap: list[dict] = field(default_factory=list)  # named PPPK above the cap
    pppk_items_over_cap: list[PlanItem] = field(default_factory=list)

    @property
    def jp_per_pns(self) -> Decimal | None:
        """Planned JP per PNS on average, to compare with the yearly minimum (20)."""
        if not self.pns_count:
            return None
        return (self.pns_jp_person / Decimal(self.pns_count)).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def below_minimum(self) -> bool:
        return self.jp_per_pns is not None and self.jp_per_pns < self.jp_target

    @property
    def pns_jp_needed(self) -> int:
        return self.pns_count * self.jp_target


def _rows(queryset, key: str, labels) -> list[TotalRow]:
    rows = []
    for row in queryset:
        rows.append(
            TotalRow(
                key=str(row[key]) if row[key] is not None else "",
                label=labels(row),
                items=row["n"],
                participants=row["participants"] or 0,
                jp_person=row["jp_person"] or 0,
                budget=row["budget"] or ZERO,
            )
        )
    return rows


def plan_totals(*, plan: Plan) -> PlanTotals:
    """Totals by competency type, form and unit; planned JP per PNS against the region's yearly
    target (rule 1/4: PPPK are not measured against it); PPPK planned above the contract-year
    cap (warned, rule 4). Seven queries, whatever the plan's size."""
    region = plan.region
    items = PlanItem.objects.filter(region_id=plan.region_id, plan=plan).order_by()
    measures = {
        "n": Count("pk"),
        "participants": Sum("target_count"),
        "jp_person": Sum(F("jp") * F("target_count")),
        "budget": Sum("budget"),
    }
    type_labels = dict(CompetencyType.choices)
    by_type = _rows(
        items.values("competency__type").annotate(**measures).order_by("competency__type"),
        "competency__type",
        lambda r: str(type_labels.get(r["competency__type"], r["competency__type"])),
    )
    by_form = _rows(
        items.values("form_id", "form__name").annotate(**measures).order_by("form_id"),
        "form_id",
        lambda r: r["form__name"],
    )
    by_unit = _rows(
        items.values("unit_id", "unit__name").annotate(**measures).order_by("unit__name"),
        "unit_id",
        lambda r: r["unit__name"] or _("Lintas unit"),
    )
    total_row = items.aggregate(**measures)
    total = TotalRow(
        key="total",
        label=_("Jumlah"),
        items=total_row["n"] or 0,
        participants=total_row["participants"] or 0,
        jp_person=total_row["jp_person"] or 0,
        budget=total_row["budget"] or ZERO,
    )
    by_target = items.aggregate(
        pns=Sum(F("jp") * F("target_count"), filter=Q(target_type=PlanItem.Target.PNS)),
        all=Sum(F("jp") * F("target_count"), filter=Q(target_type=PlanItem.Target.ALL)),
    )
    counts = Employee.objects.filter(region=region, is_active=True).aggregate(
        pns=Count("pk", filter=Q(employment_type=Employee.EmploymentType.PNS)),
        pppk=Count("pk", filter=Q(employment_type=Employee.EmploymentType.PPPK)),
    )
    # Items for PNS count fully; items for all ASN count by the region's share of PNS.
    asn = counts["pns"] + counts["pppk"]
    pns_jp_person = Decimal(by_target["pns"] or 0)
    if asn:
        pns_jp_person += Decimal(by_target["all"] or 0) * counts["pns"] / asn
    # Named PPPK whose planned JP over the plan's items exceeds the cap (one grouped query).
    through = PlanItem.target_employees.through
    over = list(
        through.objects.filter(
            planitem__plan=plan,
            employee__employment_type=Employee.EmploymentType.PPPK,
        )
        .values("employee_id", "employee__name")
        .annotate(jp=Sum("planitem__jp"))
        .filter(jp__gt=region.pppk_jp_cap)
        .order_by("employee__name")
    )
    items_over = list(
        items.filter(target_type=PlanItem.Target.PPPK, jp__gt=region.pppk_jp_cap).order_by("pk")
    )
    return PlanTotals(
        by_type=by_type,
        by_form=by_form,
        by_unit=by_unit,
        total=total,
        pns_count=counts["pns"],
        pppk_count=counts["pppk"],
        jp_target=region.jp_target,
        pppk_cap=region.pppk_jp_cap,
        pns_jp_person=pns_jp_person,
        pppk_over_cap=over,
        pppk_items_over_cap=items_over,
    )


# --- Realisation -------------------------------------------------------------------------------


@dataclass
class LinkedOffering:
    link_id: int
    offering_id: int
    program_title: str
    name: str
    status: str
    status_label: str
    start_date: dt.date
    end_date: dt.date
    cost_per_participant: Decimal
    participants: int = 0
    jp: Decimal = ZERO

    @property
    def spent(self) -> Decimal:
        return (
            self.cost_per_participant * self.participants if self.status in SPENT_STATUSES else ZERO
        )

    @property
    def committed(self) -> Decimal:
        return (
            self.cost_per_participant * self.participants
            if self.status in COMMITTED_STATUSES
            else ZERO
        )


@dataclass
class ItemRealisation:
    offerings: list[LinkedOffering] = field(default_factory=list)

    @property
    def participants(self) -> int:
        return sum(o.participants for o in self.offerings)

    @property
    def jp(self) -> Decimal:
        return sum((o.jp for o in self.offerings), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((o.spent for o in self.offerings), ZERO)

    @property
    def committed(self) -> Decimal:
        return sum((o.committed for o in self.offerings), ZERO)

    def started_by(self, day: dt.date) -> bool:
        return any(
            o.start_date <= day and o.status != Offering.Status.CANCELLED for o in self.offerings
        )


def realisation_by_key(*, region: Region, year: int, keys=None) -> dict:
    """item key → ItemRealisation of the year's linked batches (three queries): participants
    holding a seat (confirmed, completed, not passed, no-show), JP of verified records from
    those batches, and money: cost per participant × participants, spent once a batch runs,
    committed before."""
    links = OfferingLink.objects.filter(region=region, year=year)
    if keys is not None:
        links = links.filter(item_key__in=list(keys))
    rows = list(links.select_related("offering__program").order_by("offering__start_date", "pk"))
    offering_ids = [row.offering_id for row in rows]
    participants = dict(
        Enrolment.objects.filter(
            region=region, offering_id__in=offering_ids, status__in=Enrolment.SEAT_STATUSES
        )
        .order_by()
        .values("offering_id")
        .annotate(n=Count("pk"))
        .values_list("offering_id", "n")
    )
    jp = dict(
        DevelopmentRecord.objects.filter(
            region=region,
            enrolment__offering_id__in=offering_ids,
            status=DevelopmentRecord.Status.VERIFIED,
        )
        .order_by()
        .values("enrolment__offering_id")
        .annotate(total=Sum("jp"))
        .values_list("enrolment__offering_id", "total")
    )
    result: dict = defaultdict(ItemRealisation)
    for row in rows:
        offering = row.offering
        result[row.item_key].offerings.append(
            LinkedOffering(
                link_id=row.pk,
                offering_id=offering.pk,
                program_title=offering.program.title,
                name=offering.name,
                status=offering.status,
                status_label=str(offering.get_status_display()),
                start_date=offering.start_date,
                end_date=offering.end_date,
                cost_per_participant=offering.cost_per_participant,
                participants=participants.get(offering.pk, 0),
                jp=jp.get(offering.pk) or ZERO,
            )
        )
    return result


@dataclass
class ItemRow:
    item: PlanItem
    realisation: ItemRealisation
    not_started: bool

    @property
    def jp_planned(self) -> int:
        return self.item.jp * self.item.target_count

    @property
    def budget_left(self) -> Decimal:
        return self.item.budget - self.realisation.spent


@dataclass
class PlanRealisation:
    rows: list[ItemRow]
    participants_planned: int
    participants_realised: int
    jp_planned: int
    jp_realised: Decimal
    budget_planned: Decimal
    budget_spent: Decimal
    budget_committed: Decimal
    not_started: int

    @staticmethod
    def _percent(part, whole) -> int | None:
        if not whole:
            return None
        return int((Decimal(part) * 100 / Decimal(whole)).to_integral_value(ROUND_HALF_UP))

    @property
    def absorption_percent(self) -> int | None:
        """Budget absorbed (spent ÷ planned)."""
        return self._percent(self.budget_spent, self.budget_planned)

    @property
    def participants_percent(self) -> int | None:
        return self._percent(self.participants_realised, self.participants_planned)

    @property
    def jp_percent(self) -> int | None:
        return self._percent(self.jp_realised, self.jp_planned)


def mid_year(year: int) -> dt.date:
    return dt.date(year, *MID_YEAR)


def plan_realisation(*, plan: Plan, today: dt.date, items: list[PlanItem] | None = None):
    """Per item and in total: planned vs realised participants, JP and budget; items with no
    batch begun by the middle of the plan year are flagged once that day has come."""
    items = items if items is not None else plan_items(plan=plan)
    by_key = realisation_by_key(
        region=plan.region, year=plan.year, keys=[item.key for item in items]
    )
    check_day = mid_year(plan.year)
    flag = today >= check_day
    rows = []
    for item in items:
        realisation = by_key.get(item.key) or ItemRealisation()
        rows.append(
            ItemRow(
                item=item,
                realisation=realisation,
                not_started=flag
                and not realisation.started_by(min(today, dt.date(plan.year, 12, 31))),
            )
        )
    return PlanRealisation(
        rows=rows,
        participants_planned=sum(r.item.target_count for r in rows),
        participants_realised=sum(r.realisation.participants for r in rows),
        jp_planned=sum(r.jp_planned for r in rows),
        jp_realised=sum((r.realisation.jp for r in rows), ZERO),
        budget_planned=sum((r.item.budget for r in rows), ZERO),
        budget_spent=sum((r.realisation.spent for r in rows), ZERO),
        budget_committed=sum((r.realisation.committed for r in rows), ZERO),
        not_started=sum(1 for r in rows if r.not_started),
    )


def linkable_offerings(*, plan: Plan, item: PlanItem) -> QuerySet[Offering]:
    """Batches of the plan year that no item of the year realises yet, not cancelled; the
    item's own programme first."""
    taken = OfferingLink.objects.filter(region_id=plan.region_id, year=plan.year).values(
        "offering_id"
    )
    qs = (
        Offering.objects.filter(region_id=plan.region_id, start_date__year=plan.year)
        .exclude(status=Offering.Status.CANCELLED)
        .exclude(pk__in=taken)
        .select_related("program")
    )
    if item.program_id:
        from django.db.models import Case, IntegerField, Value, When

        qs = qs.annotate(
            own=Case(When(program_id=item.program_id, then=Value(0)), default=Value(1),
                     output_field=IntegerField())
        ).order_by("own", "start_date", "pk")  # fmt: skip
    else:
        qs = qs.order_by("start_date", "pk")
    return qs
