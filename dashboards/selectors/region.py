"""Figures of the BKPSDM admin's region dashboard, each one grouped query.

The JP compliance figures (overall, by unit, by golongan, by position type, no development)
come from one grouped query (`jp.compliance_groups`) and are rolled up from its group rows;
the trend from one window-function query; participation, forms, budget, test results and the
waiting work from one grouped query each.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractMonth

from regions.models import Golongan, PositionType, Region
from training.models import (
    CompetencyType,
    DevelopmentForm,
    DevelopmentPlan,
    DevelopmentRecord,
    Enrolment,
    Offering,
)

from . import jp

ZERO = Decimal("0")
S = Enrolment.Status
MONEY = DecimalField(max_digits=18, decimal_places=0)


def percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def mean(total, count) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), ROUND_HALF_UP)


# --- JP compliance -----------------------------------------------------------------------------


@dataclass
class Share:
    """PNS meeting the target in one slice (a unit, a golongan, ...), plus no development."""

    key: object
    label: str
    pns: int = 0
    met: int = 0
    pns_jp: Decimal = ZERO
    asn: int = 0
    none: int = 0

    @property
    def below(self) -> int:
        return self.pns - self.met

    @property
    def rate(self) -> Decimal | None:
        return percent(self.met, self.pns)

    @property
    def mean_jp(self) -> Decimal | None:
        return mean(self.pns_jp, self.pns)

    def add(self, group: jp.Group) -> None:
        self.asn += group.total
        self.none += group.none
        if group.employment_type == jp.PNS:
            self.pns += group.total
            self.met += group.met
            self.pns_jp += group.jp


@dataclass
class Compliance:
    year: int
    target: int
    overall: Share
    by_unit: list[Share]
    by_golongan: list[Share]
    by_position: list[Share]
    pppk: Share


def compliance(*, region: Region, year: int, unit_id: int | None = None) -> Compliance:
    groups = jp.compliance_groups(region=region, year=year, unit_id=unit_id)
    overall = Share(key=None, label="")
    pppk = Share(key="pppk", label="PPPK")
    units: dict[int, Share] = {}
    golongan: dict[int, Share] = {}
    positions: dict[str, Share] = {}
    golongan_labels = dict(Golongan.choices)
    position_labels = dict(PositionType.choices)
    for group in groups:
        overall.add(group)
        units.setdefault(group.unit_id, Share(key=group.unit_id, label=group.unit_name)).add(group)
        if group.employment_type == jp.PNS:
            if group.golongan:
                label = str(golongan_labels.get(group.golongan, group.golongan))
                golongan.setdefault(group.golongan, Share(key=group.golongan, label=label)).add(
                    group
                )
            label = str(position_labels.get(group.position_type, group.position_type))
            positions.setdefault(
                group.position_type, Share(key=group.position_type, label=label)
            ).add(group)
        else:
            pppk.add(group)
    by_unit = sorted(
        units.values(),
        key=lambda s: (s.rate if s.rate is not None else Decimal(101), -s.below, s.label),
    )
    position_order = [value for value, _label in PositionType.choices]
    return Compliance(
        year=year,
        target=region.jp_target,
        overall=overall,
        by_unit=by_unit,
        by_golongan=[golongan[k] for k in sorted(golongan)],
        by_position=[positions[k] for k in position_order if k in positions],
        pppk=pppk,
    )


# --- Participation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthParticipation:
    month: int
    enrolled: int
    completed: int
    no_show: int


def participation(
    *, region: Region, year: int, unit_id: int | None = None
) -> list[MonthParticipation]:
    """Enrolments in batches starting in each month of the year: live enrolments, completions
    and no-shows/failures (one grouped query)."""
    enrolments = Enrolment.objects.filter(region=region, offering__start_date__year=year)
    if unit_id:
        enrolments = enrolments.filter(employee__unit_id=unit_id)
    rows = (
        enrolments.order_by()
        .annotate(month=ExtractMonth("offering__start_date"))
        .values("month")
        .annotate(
            enrolled=Count("id", filter=Q(status__in=Enrolment.LIVE_STATUSES)),
            completed=Count("id", filter=Q(status=S.COMPLETED)),
            no_show=Count("id", filter=Q(status__in=(S.NO_SHOW, S.FAILED))),
        )
    )
    by_month = {row["month"]: row for row in rows}
    return [
        MonthParticipation(
            month=month,
            enrolled=by_month.get(month, {}).get("enrolled", 0),
            completed=by_month.get(month, {}).get("completed", 0),
            no_show=by_month.get(month, {}).get("no_show", 0),
        )
        for month in range(1, 13)
    ]


# --- Forms and competency types ----------------------------------------------------------------


@dataclass
class FormCount:
    key: object
    label: str
    kind: str = ""
    offerings: int = 0
    completed: int = 0


@dataclass
class Forms:
    by_form: list[FormCount]
    by_kind: list[FormCount]
    by_competency_type: list[FormCount]


def forms(*, region: Region, year: int, unit_id: int | None = None) -> Forms:
    """Batches of the year (not cancelled) and their completed participants by development
    form (SIASN jenis diklat), by klasikal/nonklasikal and by competency type (one query)."""
    completed = Q(enrolments__status=S.COMPLETED)
    if unit_id:
        completed &= Q(enrolments__employee__unit_id=unit_id)
    rows = (
        Offering.objects.filter(region=region, start_date__year=year)
        .exclude(status=Offering.Status.CANCELLED)
        .order_by()
        .values(
            "program__form_id",
            "program__form__name",
            "program__form__kind",
            "program__competency_type",
        )
        .annotate(
            offerings=Count("id", distinct=True), completed=Count("enrolments", filter=completed)
        )
    )
    by_form: dict[int, FormCount] = {}
    kind_labels = dict(DevelopmentForm.Kind.choices)
    by_kind = {k: FormCount(key=k, label=str(v)) for k, v in DevelopmentForm.Kind.choices}
    by_type = {k: FormCount(key=k, label=str(v)) for k, v in CompetencyType.choices}
    for row in rows:
        form_id = row["program__form_id"]
        kind = row["program__form__kind"]
        entry = by_form.setdefault(
            form_id,
            FormCount(key=form_id, label=row["program__form__name"], kind=kind),
        )
        for target in (entry, by_kind.get(kind), by_type.get(row["program__competency_type"])):
            if target is not None:
                target.offerings += row["offerings"]
                target.completed += row["completed"]
    for entry in by_form.values():
        entry.kind = str(kind_labels.get(entry.kind, entry.kind))
    return Forms(
        by_form=sorted(by_form.values(), key=lambda f: f.key),
        by_kind=list(by_kind.values()),
        by_competency_type=list(by_type.values()),
    )


# --- Budget ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeBudget:
    program_id: int
    code: str
    title: str
    planned: Decimal
    spent: Decimal
    offerings: int

    @property
    def absorption(self) -> Decimal | None:
        return percent(self.spent, self.planned)


@dataclass
class Budget:
    programmes: list[ProgrammeBudget]
    by_month: list[Decimal]
    planned: Decimal = ZERO
    spent: Decimal = ZERO

    @property
    def absorption(self) -> Decimal | None:
        return percent(self.spent, self.planned)


def _year_offerings(region: Region | None, year: int):
    offerings = Offering.objects.filter(start_date__year=year).exclude(
        status=Offering.Status.CANCELLED
    )
    return offerings.filter(region=region) if region is not None else offerings


def budget(*, region: Region, year: int) -> Budget:
    """Per programme with batches starting in the year: its planned budget and what was spent
    (completed participants × the batch's cost per participant); spending by month of the
    batch's end (two grouped queries)."""
    zero = Value(ZERO, output_field=MONEY)
    spent = Coalesce(Sum("cost_per_participant", filter=Q(enrolments__status=S.COMPLETED)), zero)
    rows = (
        _year_offerings(region, year)
        .order_by()
        .values("program_id", "program__code", "program__title", "program__planned_budget")
        .annotate(spent=spent, offerings=Count("id", distinct=True))
        .order_by("-program__planned_budget", "program__title", "program_id")
    )
    programmes = [
        ProgrammeBudget(
            program_id=row["program_id"],
            code=row["program__code"],
            title=row["program__title"],
            planned=Decimal(row["program__planned_budget"] or 0),
            spent=Decimal(row["spent"] or 0),
            offerings=row["offerings"],
        )
        for row in rows
    ]
    months = (
        Enrolment.objects.filter(
            region=region, status=S.COMPLETED, offering__in=_year_offerings(region, year)
        )
        .order_by()
        .annotate(month=ExtractMonth("offering__end_date"))
        .values("month")
        .annotate(spent=Sum("offering__cost_per_participant"))
    )
    spent_by_month = {row["month"]: Decimal(row["spent"] or 0) for row in months}
    return Budget(
        programmes=programmes,
        by_month=[spent_by_month.get(m, ZERO) for m in range(1, 13)],
        planned=sum((p.planned for p in programmes), start=ZERO),
        spent=sum((p.spent for p in programmes), start=ZERO),
    )


# --- Test results (level 2) --------------------------------------------------------------------

NO_SHOW_FLAG_ABOVE = Decimal("20")


@dataclass(frozen=True)
class ProgrammeResult:
    program_id: int
    code: str
    title: str
    finished: int
    no_show: int
    tested: int
    pre_mean: Decimal | None
    post_mean: Decimal | None

    @property
    def gain(self) -> Decimal | None:
        if self.pre_mean is None or self.post_mean is None:
            return None
        return self.post_mean - self.pre_mean

    @property
    def no_show_rate(self) -> Decimal | None:
        return percent(self.no_show, self.finished)

    @property
    def flags(self) -> list[str]:
        from django.utils.translation import gettext as _

        flags = []
        if self.gain is not None and self.gain < 0:
            flags.append(_("Post-test lebih rendah dari pre-test"))
        if self.no_show_rate is not None and self.no_show_rate > NO_SHOW_FLAG_ABOVE:
            flags.append(_("Tidak hadir/tidak lulus lebih dari 20%"))
        return flags


def _round(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.1"), ROUND_HALF_UP)


def test_results(*, region: Region, year: int) -> list[ProgrammeResult]:
    """Per programme with batches of the year: finished participants, no-shows, pre/post-test
    means of those with both scores (one grouped query). Flags: negative gain, many no-shows."""
    both = Q(pre_test_score__isnull=False, post_test_score__isnull=False)
    rows = (
        Enrolment.objects.filter(
            region=region,
            status__in=Enrolment.FINISHED_STATUSES,
            offering__start_date__year=year,
        )
        .order_by()
        .values("offering__program_id", "offering__program__code", "offering__program__title")
        .annotate(
            finished=Count("id"),
            no_show=Count("id", filter=Q(status__in=(S.NO_SHOW, S.FAILED))),
            tested=Count("id", filter=both),
            pre_mean=Avg("pre_test_score", filter=both),
            post_mean=Avg("post_test_score", filter=both),
        )
        .order_by("offering__program__title", "offering__program_id")
    )
    return [
        ProgrammeResult(
            program_id=row["offering__program_id"],
            code=row["offering__program__code"],
            title=row["offering__program__title"],
            finished=row["finished"],
            no_show=row["no_show"],
            tested=row["tested"],
            pre_mean=_round(row["pre_mean"]),
            post_mean=_round(row["post_mean"]),
        )
        for row in rows
    ]


# --- Waiting work ------------------------------------------------------------------------------


@dataclass
class WaitingWork:
    requested_enrolments: int = 0
    pending_records: int = 0
    submitted_plans: int = 0
    closing_offerings: int = 0
    extra: list = field(default_factory=list)


CLOSING_WITHIN = dt.timedelta(days=7)


def waiting_work(*, region: Region, today: dt.date) -> WaitingWork:
    """Approvals, record verifications, plans waiting for supervisors, batches whose
    enrolment closes within a week (one query per table)."""
    requested = Enrolment.objects.filter(region=region, status=S.REQUESTED).count()
    pending_records = DevelopmentRecord.objects.filter(
        region=region,
        source=DevelopmentRecord.Source.EXTERNAL,
        status=DevelopmentRecord.Status.SUBMITTED,
    ).count()
    plans = DevelopmentPlan.objects.filter(
        region=region, status=DevelopmentPlan.Status.SUBMITTED
    ).count()
    closing = Offering.objects.filter(
        region=region,
        status=Offering.Status.OPEN,
        enrolment_closes__gte=today,
        enrolment_closes__lte=today + CLOSING_WITHIN,
    ).count()
    return WaitingWork(
        requested_enrolments=requested,
        pending_records=pending_records,
        submitted_plans=plans,
        closing_offerings=closing,
    )
