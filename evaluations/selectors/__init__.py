"""Reads of reports and background jobs.

The monthly report's figures are computed in the database: each section is one grouped query,
so the report takes the same number of queries (five) for ten employees or fifteen thousand.

What "the period" means (printed in the report's notes too):
- JP compliance: verified development records of the period's calendar year whose activity
  ended on or before the last day of the month, for active employees. PNS are measured against
  the region's yearly JP target; PPPK are listed apart, against their cap, never the minimum.
- Offerings of the period: batches that are not cancelled and whose dates overlap the month.
  Participation, budget, evaluation and flags are about these offerings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import (
    Avg,
    Count,
    DecimalField,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from regions.models import Employee, Region, Unit
from training.models import Enrolment, Offering
from training.seats import reserved_seats, seats_taken_count
from training.selectors.records import verified_jp_by_employee

from ..models import BackgroundJob, RegionReport
from .kirkpatrick import offering_relevance_columns, relevance_flagged

ZERO = Decimal("0")
CENT = Decimal("0.01")
PNS = Employee.EmploymentType.PNS
PPPK = Employee.EmploymentType.PPPK
COMPLETED = Enrolment.Status.COMPLETED
NO_SHOW = Enrolment.Status.NO_SHOW

# Thresholds of the "flagged offerings" section.
FLAG_FILL_RATE_BELOW = Decimal("50")
FLAG_NO_SHOW_RATE_ABOVE = Decimal("20")


# --- Periods -----------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(period: dt.date) -> dt.date:
    return next_month(period) - dt.timedelta(days=1)


def next_month(period: dt.date) -> dt.date:
    return (period.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def previous_month(day: dt.date) -> dt.date:
    return (month_start(day) - dt.timedelta(days=1)).replace(day=1)


def _money() -> DecimalField:
    return DecimalField(max_digits=18, decimal_places=0)


def _jp_field() -> DecimalField:
    return DecimalField(max_digits=12, decimal_places=2)


def _dec(value) -> Decimal:
    """A database number as a Decimal (SQLite may hand back floats or ints)."""
    return value if isinstance(value, Decimal) else Decimal(str(value or 0))


def _round(value) -> Decimal | None:
    if value is None:
        return None
    return _dec(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _percent(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- JP compliance -----------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitCompliance:
    unit_id: int | None
    unit_code: str
    unit_name: str
    pns_total: int = 0
    pns_met: int = 0
    pns_jp: Decimal = ZERO
    pppk_total: int = 0
    pppk_with_jp: int = 0
    pppk_over_cap: int = 0
    pppk_jp: Decimal = ZERO

    @property
    def pns_below(self) -> int:
        return self.pns_total - self.pns_met

    @property
    def pns_rate(self) -> Decimal | None:
        return _percent(self.pns_met, self.pns_total)

    @property
    def pns_mean_jp(self) -> Decimal | None:
        return _round(self.pns_jp / self.pns_total) if self.pns_total else None

    @property
    def pppk_mean_jp(self) -> Decimal | None:
        return _round(self.pppk_jp / self.pppk_total) if self.pppk_total else None


@dataclass(frozen=True)
class Compliance:
    year: int
    as_of: dt.date
    target: int
    pppk_cap: int
    units: list[UnitCompliance]
    total: UnitCompliance


# Parameters, in order: PNS ×3 with the target, PPPK ×4 with the cap, the per-employee
# query's own parameters, the region.
COMPLIANCE_SQL = """
SELECT e.unit_id, u.code, u.name,
  SUM(CASE WHEN e.employment_type = %s THEN 1 ELSE 0 END),
  SUM(CASE WHEN e.employment_type = %s AND COALESCE(r.total, 0) >= %s THEN 1 ELSE 0 END),
  SUM(CASE WHEN e.employment_type = %s THEN COALESCE(r.total, 0) ELSE 0 END),
  SUM(CASE WHEN e.employment_type = %s THEN 1 ELSE 0 END),
  SUM(CASE WHEN e.employment_type = %s AND COALESCE(r.total, 0) > 0 THEN 1 ELSE 0 END),
  SUM(CASE WHEN e.employment_type = %s AND COALESCE(r.total, 0) > %s THEN 1 ELSE 0 END),
  SUM(CASE WHEN e.employment_type = %s THEN COALESCE(r.total, 0) ELSE 0 END)
FROM {employee} e
INNER JOIN {unit} u ON u.id = e.unit_id
LEFT OUTER JOIN ({per_employee}) r ON r.employee_id = e.id
WHERE e.region_id = %s AND e.is_active
GROUP BY e.unit_id, u.code, u.name
ORDER BY u.name, e.unit_id
"""
COMPLIANCE_FIELDS = (
    "unit_id",
    "unit_code",
    "unit_name",
    "pns_total",
    "pns_met",
    "pns_jp",
    "pppk_total",
    "pppk_with_jp",
    "pppk_over_cap",
    "pppk_jp",
)


def report_compliance(*, region: Region, period: dt.date) -> Compliance:
    """Active employees' verified JP of the year up to the end of the month, per unit, in one
    grouped query.

    Two levels of aggregation: the verified JP per employee (`verified_jp_by_employee`, the one
    definition of verified JP per year, built with the ORM so its filters and region scope are
    the usual ones), joined once to the employees and grouped by unit. Written as SQL because
    the ORM would repeat a per-employee subquery in each of the sums.
    """
    as_of = month_end(period)
    target, cap = region.jp_target, region.pppk_jp_cap
    per_employee = verified_jp_by_employee(region=region, year=period.year, until=as_of)
    inner_sql, inner_params = per_employee.query.sql_with_params()
    quote = connection.ops.quote_name
    sql = COMPLIANCE_SQL.format(
        employee=quote(Employee._meta.db_table),
        unit=quote(Unit._meta.db_table),
        per_employee=inner_sql,
    )
    pns, pppk = PNS.value, PPPK.value
    params = [pns, pns, target, pns, pppk, pppk, pppk, cap, pppk, *inner_params, region.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [dict(zip(COMPLIANCE_FIELDS, row, strict=True)) for row in cursor.fetchall()]
    units = [
        UnitCompliance(
            unit_id=row["unit_id"],
            unit_code=row["unit_code"],
            unit_name=row["unit_name"],
            pns_total=int(row["pns_total"]),
            pns_met=int(row["pns_met"]),
            pns_jp=_dec(row["pns_jp"]),
            pppk_total=int(row["pppk_total"]),
            pppk_with_jp=int(row["pppk_with_jp"]),
            pppk_over_cap=int(row["pppk_over_cap"]),
            pppk_jp=_dec(row["pppk_jp"]),
        )
        for row in rows
    ]
    total = UnitCompliance(
        unit_id=None,
        unit_code="",
        unit_name="",
        **{
            name: sum((getattr(u, name) for u in units), start=type(default)())
            for name, default in (
                ("pns_total", 0),
                ("pns_met", 0),
                ("pns_jp", ZERO),
                ("pppk_total", 0),
                ("pppk_with_jp", 0),
                ("pppk_over_cap", 0),
                ("pppk_jp", ZERO),
            )
        },
    )
    return Compliance(
        year=period.year, as_of=as_of, target=target, pppk_cap=cap, units=units, total=total
    )


# --- Offerings of the period -------------------------------------------------------------------


def period_offerings(*, region: Region, period: dt.date) -> QuerySet[Offering]:
    """Batches that are not cancelled and whose dates overlap the month."""
    return Offering.objects.filter(
        region=region, start_date__lte=month_end(period), end_date__gte=period
    ).exclude(status=Offering.Status.CANCELLED)


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class Participation:
    offerings: int
    by_status: list[StatusCount]
    total: int
    completed: int
    jp_awarded: Decimal


def report_participation(*, region: Region, period: dt.date, offerings: int) -> Participation:
    """Enrolments of the period's offerings by status, completions and JP awarded (one query);
    `offerings` (their number) comes from the offering rows the caller already has."""
    in_period = Q(offering__start_date__lte=month_end(period), offering__end_date__gte=period) & ~Q(
        offering__status=Offering.Status.CANCELLED
    )
    rows = (
        Enrolment.objects.filter(in_period, region=region)
        .order_by()
        .values("status")
        .annotate(n=Count("id"), jp=Sum("jp_awarded", filter=Q(status=COMPLETED)))
    )
    counts = {row["status"]: row["n"] for row in rows}
    jp = sum((_dec(row["jp"]) for row in rows), start=ZERO)
    by_status = [
        StatusCount(status=value, label=str(label), count=counts.get(value, 0))
        for value, label in Enrolment.Status.choices
    ]
    return Participation(
        offerings=offerings,
        by_status=by_status,
        total=sum(counts.values()),
        completed=counts.get(COMPLETED, 0),
        jp_awarded=jp,
    )


@dataclass(frozen=True)
class OfferingStats:
    id: int
    name: str
    program_code: str
    program_title: str
    status: str
    start_date: dt.date
    end_date: dt.date
    seats: int
    seated: int
    completed: int
    no_show: int
    tested: int
    pre_mean: Decimal | None
    post_mean: Decimal | None
    gain_mean: Decimal | None
    flags: tuple[str, ...] = field(default=())
    reserved_seats: int = 0  # on top of `seats`, for units (training.seats)
    relevance_mean: Decimal | None = None
    relevance_flagged: bool = False  # the "kurang relevan" rule (evaluations.selectors.kirkpatrick)

    @property
    def seats_total(self) -> int:
        return self.seats + self.reserved_seats

    @property
    def fill_rate(self) -> Decimal | None:
        """Seat holders over all the offering's seats, general and reserved."""
        return _percent(self.seated, self.seats_total)

    @property
    def no_show_rate(self) -> Decimal | None:
        return _percent(self.no_show, self.seated)

    @property
    def status_label(self) -> str:
        return str(Offering.Status(self.status).label)

    @property
    def flag_labels(self) -> list[str]:
        return [str(FLAG_LABELS[flag]) for flag in self.flags]


FLAG_LABELS = {
    "low_fill": _("Kursi terisi kurang dari 50%"),
    "no_show": _("Peserta tidak hadir lebih dari 20%"),
    "negative_gain": _("Rata-rata post-test lebih rendah dari pre-test"),
    "not_relevant": _("Kurang relevan menurut peserta"),
}


def _flags(stats: OfferingStats) -> tuple[str, ...]:
    flags = []
    if stats.fill_rate is not None and stats.fill_rate < FLAG_FILL_RATE_BELOW:
        flags.append("low_fill")
    if stats.no_show_rate is not None and stats.no_show_rate > FLAG_NO_SHOW_RATE_ABOVE:
        flags.append("no_show")
    if stats.gain_mean is not None and stats.gain_mean < 0:
        flags.append("negative_gain")
    if stats.relevance_flagged:
        flags.append("not_relevant")
    return tuple(flags)


def report_offerings(*, region: Region, period: dt.date) -> list[OfferingStats]:
    """Each offering of the period with its seat, completion, test-score and relevance
    aggregates (one grouped query; relevance from correlated subqueries), and the flags raised
    by those figures."""
    both = Q(enrolments__pre_test_score__isnull=False, enrolments__post_test_score__isnull=False)
    rows = (
        period_offerings(region=region, period=period)
        .annotate(reserved_seats=reserved_seats(), **offering_relevance_columns())
        .order_by()
        .values(
            "id",
            "name",
            "program__code",
            "program__title",
            "status",
            "start_date",
            "end_date",
            "seats",
            "reserved_seats",
            "ev_relevance_mean",
            "ev_relevance_answers",
            "ev_threshold",
            "ev_min_answers",
        )
        .annotate(
            seated=seats_taken_count("enrolments"),
            n_completed=Count("enrolments", filter=Q(enrolments__status=COMPLETED)),
            n_no_show=Count("enrolments", filter=Q(enrolments__status=NO_SHOW)),
            tested=Count("enrolments", filter=both),
            pre_mean=Avg("enrolments__pre_test_score", filter=both),
            post_mean=Avg("enrolments__post_test_score", filter=both),
            gain_mean=Avg(
                F("enrolments__post_test_score") - F("enrolments__pre_test_score"),
                filter=both,
                output_field=_jp_field(),
            ),
        )
        .order_by("start_date", "program__title", "id")
    )
    offerings = []
    for row in rows:
        stats = OfferingStats(
            id=row["id"],
            name=row["name"],
            program_code=row["program__code"],
            program_title=row["program__title"],
            status=row["status"],
            start_date=row["start_date"],
            end_date=row["end_date"],
            seats=row["seats"],
            reserved_seats=row["reserved_seats"],
            seated=row["seated"],
            completed=row["n_completed"],
            no_show=row["n_no_show"],
            tested=row["tested"],
            pre_mean=_round(row["pre_mean"]),
            post_mean=_round(row["post_mean"]),
            gain_mean=_round(row["gain_mean"]),
            relevance_mean=_round(row["ev_relevance_mean"]),
            relevance_flagged=relevance_flagged(
                mean=_round(row["ev_relevance_mean"]),
                answers=row["ev_relevance_answers"],
                threshold=row["ev_threshold"],
                min_answers=row["ev_min_answers"],
            ),
        )
        offerings.append(OfferingStats(**{**stats.__dict__, "flags": _flags(stats)}))
    return offerings


# --- Budget ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeBudget:
    program_id: int
    code: str
    title: str
    planned: Decimal
    offerings: int
    completed: int
    realised: Decimal
    realised_year: Decimal

    @property
    def absorption(self) -> Decimal | None:
        """Realised cost of the year so far as a percentage of the planned budget."""
        return _percent(self.realised_year, self.planned)


@dataclass(frozen=True)
class Budget:
    programmes: list[ProgrammeBudget]
    planned: Decimal
    realised: Decimal
    realised_year: Decimal

    @property
    def absorption(self) -> Decimal | None:
        return _percent(self.realised_year, self.planned)


def report_budget(*, region: Region, period: dt.date) -> Budget:
    """Per programme with offerings in the period: planned budget, realised cost of the month
    (completed participants × cost per participant of their offering) and of the year so far.

    One grouped query over the year's offerings up to the end of the month; programmes without
    an offering in the month are left out by the HAVING clause.
    """
    end = month_end(period)
    in_month = Q(end_date__gte=period)
    completed = Q(enrolments__status=COMPLETED)
    money = _money()
    zero = Value(ZERO, output_field=money)
    rows = (
        Offering.objects.filter(
            region=region, start_date__lte=end, end_date__gte=dt.date(period.year, 1, 1)
        )
        .exclude(status=Offering.Status.CANCELLED)
        .order_by()
        .values("program_id", "program__code", "program__title", "program__planned_budget")
        .annotate(
            n_offerings=Count("id", filter=in_month, distinct=True),
            n_completed=Count("enrolments", filter=in_month & completed),
            realised=Coalesce(Sum("cost_per_participant", filter=in_month & completed), zero),
            realised_year=Coalesce(Sum("cost_per_participant", filter=completed), zero),
        )
        .filter(n_offerings__gt=0)
        .order_by("program__title", "program_id")
    )
    programmes = [
        ProgrammeBudget(
            program_id=row["program_id"],
            code=row["program__code"],
            title=row["program__title"],
            planned=_dec(row["program__planned_budget"]),
            offerings=row["n_offerings"],
            completed=row["n_completed"],
            realised=_dec(row["realised"]),
            realised_year=_dec(row["realised_year"]),
        )
        for row in rows
    ]
    return Budget(
        programmes=programmes,
        planned=sum((p.planned for p in programmes), start=ZERO),
        realised=sum((p.realised for p in programmes), start=ZERO),
        realised_year=sum((p.realised_year for p in programmes), start=ZERO),
    )


# --- Evaluation (L2 for now) -------------------------------------------------------------------


@dataclass(frozen=True)
class Evaluation:
    offerings: list[OfferingStats]
    completed_offerings: int
    tested: int
    pre_mean: Decimal | None
    post_mean: Decimal | None
    gain_mean: Decimal | None


def report_evaluation(
    *, region: Region, period: dt.date, offerings: list[OfferingStats]
) -> Evaluation:
    """Pre/post-test means and gain of the period's completed offerings: per offering from
    `offerings`, and over all their participants in one aggregate query."""
    both = Q(pre_test_score__isnull=False, post_test_score__isnull=False)
    totals = Enrolment.objects.filter(
        both,
        region=region,
        offering__in=period_offerings(region=region, period=period).filter(
            status=Offering.Status.COMPLETED
        ),
    ).aggregate(
        tested=Count("id"),
        pre_mean=Avg("pre_test_score"),
        post_mean=Avg("post_test_score"),
        gain_mean=Avg(F("post_test_score") - F("pre_test_score"), output_field=_jp_field()),
    )
    completed = [o for o in offerings if o.status == Offering.Status.COMPLETED]
    return Evaluation(
        offerings=completed,
        completed_offerings=len(completed),
        tested=totals["tested"],
        pre_mean=_round(totals["pre_mean"]),
        post_mean=_round(totals["post_mean"]),
        gain_mean=_round(totals["gain_mean"]),
    )


# --- The whole report --------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthlyReportData:
    region: Region
    period: dt.date
    period_end: dt.date
    compliance: Compliance
    participation: Participation
    offerings: list[OfferingStats]
    budget: Budget
    evaluation: Evaluation

    @property
    def flagged(self) -> list[OfferingStats]:
        return [o for o in self.offerings if o.flags]


def report_monthly_data(*, region: Region, period: dt.date, progress=None) -> MonthlyReportData:
    """Every figure of the monthly report, in five queries. `progress(step)` is called after
    each section (for a progress bar)."""
    period = month_start(period)

    def step(n):
        if progress is not None:
            progress(n)

    compliance = report_compliance(region=region, period=period)
    step(1)
    offerings = report_offerings(region=region, period=period)
    step(2)
    participation = report_participation(region=region, period=period, offerings=len(offerings))
    step(3)
    budget = report_budget(region=region, period=period)
    step(4)
    evaluation = report_evaluation(region=region, period=period, offerings=offerings)
    step(5)
    return MonthlyReportData(
        region=region,
        period=period,
        period_end=month_end(period),
        compliance=compliance,
        participation=participation,
        offerings=offerings,
        budget=budget,
        evaluation=evaluation,
    )


# --- Pages -------------------------------------------------------------------------------------


def report_list(*, region: Region) -> QuerySet[RegionReport]:
    return RegionReport.objects.filter(region=region).order_by("-period", "kind", "-id")


def report_get(*, region: Region, report_id: int) -> RegionReport | None:
    return RegionReport.objects.filter(region=region, pk=report_id).first()


def job_list_for_user(*, region: Region, user) -> QuerySet[BackgroundJob]:
    return BackgroundJob.objects.filter(region=region, created_by=user).order_by(
        "-created_at", "-id"
    )


def job_get_for_user(*, region: Region, user, job_id: int) -> BackgroundJob | None:
    return BackgroundJob.objects.filter(region=region, created_by=user, pk=job_id).first()


def report_jobs_running(*, region: Region, user) -> QuerySet[BackgroundJob]:
    """The user's report jobs still queued or running (shown on the reports page)."""
    return BackgroundJob.objects.filter(
        region=region,
        created_by=user,
        kind="monthly_report",
        status__in=[BackgroundJob.Status.QUEUED, BackgroundJob.Status.RUNNING],
    ).order_by("-created_at", "-id")
