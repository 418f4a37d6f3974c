"""The national comparison: the same key figures for every active region, side by side.

One query per figure across all regions (grouped by region), never one per region. These
are the only reads of the dashboards that span regions; they run with the region scope
disabled on purpose and are only reachable by national viewers (dashboards.views).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django_scopes import scopes_disabled

from regions.models import Employee, Region
from training.models import Enrolment, Offering, Program
from training.selectors.records import verified_jp_year_rows

from . import jp
from .region import mean, percent

ZERO = Decimal("0")
S = Enrolment.Status

NATIONAL_JP_SQL = """
SELECT e.region_id,
  SUM(CASE WHEN e.employment_type = %s THEN 1 ELSE 0 END),
  SUM(CASE WHEN e.employment_type = %s AND COALESCE(r.total, 0) >= g.jp_target THEN 1 ELSE 0 END),
  SUM(CASE WHEN e.employment_type = %s THEN COALESCE(r.total, 0) ELSE 0 END),
  COUNT(*)
FROM {employee} e
INNER JOIN {region} g ON g.id = e.region_id
LEFT OUTER JOIN ({per_employee}) r ON r.employee_id = e.id
WHERE e.is_active AND g.is_active
GROUP BY e.region_id
"""


@dataclass
class RegionRow:
    region: Region
    asn: int = 0
    pns: int = 0
    met: int = 0
    pns_jp: Decimal = ZERO
    participants: int = 0
    finished: int = 0
    completed: int = 0
    planned: Decimal = ZERO
    spent: Decimal = ZERO
    extra: dict = field(default_factory=dict)

    @property
    def met_rate(self) -> Decimal | None:
        return percent(self.met, self.pns)

    @property
    def mean_jp(self) -> Decimal | None:
        return mean(self.pns_jp, self.pns)

    @property
    def participation_rate(self) -> Decimal | None:
        return percent(self.participants, self.asn)

    @property
    def completion_rate(self) -> Decimal | None:
        return percent(self.completed, self.finished)

    @property
    def absorption(self) -> Decimal | None:
        return percent(self.spent, self.planned)


def national_rows(*, year: int) -> list[RegionRow]:
    """Every active region's key figures for the year (four queries in all)."""
    with scopes_disabled():
        regions = list(Region.objects.filter(is_active=True).order_by("name", "id"))
        rows = {region.pk: RegionRow(region=region) for region in regions}
        _jp(rows, year)
        _participation(rows, year)
        _budget(rows, year)
    return list(rows.values())


def _jp(rows: dict[int, RegionRow], year: int) -> None:
    per_employee = verified_jp_year_rows(year=year).values("employee_id", "total")
    inner_sql, inner_params = per_employee.query.sql_with_params()
    quote = connection.ops.quote_name
    sql = NATIONAL_JP_SQL.format(
        employee=quote(Employee._meta.db_table),
        region=quote(Region._meta.db_table),
        per_employee=inner_sql,
    )
    pns = jp.PNS.value
    with connection.cursor() as cursor:
        cursor.execute(sql, [pns, pns, pns, *inner_params])
        for region_id, n_pns, met, pns_jp, asn in cursor.fetchall():
            row = rows.get(region_id)
            if row is not None:
                row.pns, row.met, row.asn = int(n_pns), int(met), int(asn)
                row.pns_jp = Decimal(pns_jp or 0)


def _participation(rows: dict[int, RegionRow], year: int) -> None:
    """Distinct active employees holding a seat in a batch of the year; finished and completed
    enrolments of those batches (one grouped query)."""
    seat = Q(status__in=Enrolment.SEAT_STATUSES)
    result = (
        Enrolment.objects.filter(offering__start_date__year=year, employee__is_active=True)
        .order_by()
        .values("region_id")
        .annotate(
            participants=Count("employee_id", filter=seat, distinct=True),
            finished=Count("id", filter=Q(status__in=Enrolment.FINISHED_STATUSES)),
            completed=Count("id", filter=Q(status=S.COMPLETED)),
        )
    )
    for item in result:
        row = rows.get(item["region_id"])
        if row is not None:
            row.participants = item["participants"]
            row.finished = item["finished"]
            row.completed = item["completed"]


def _budget(rows: dict[int, RegionRow], year: int) -> None:
    """Planned budget of programmes with a batch in the year, and what their batches of the
    year spent on completed participants (two grouped queries)."""
    year_offerings = Offering.objects.filter(start_date__year=year).exclude(
        status=Offering.Status.CANCELLED
    )
    planned = (
        Program.objects.filter(Exists(year_offerings.filter(program_id=OuterRef("pk"))))
        .order_by()
        .values("region_id")
        .annotate(total=Sum("planned_budget"))
    )
    for item in planned:
        if (row := rows.get(item["region_id"])) is not None:
            row.planned = Decimal(item["total"] or 0)
    spent = (
        Enrolment.objects.filter(status=S.COMPLETED, offering__in=year_offerings)
        .order_by()
        .values("region_id")
        .annotate(total=Sum("offering__cost_per_participant"))
    )
    for item in spent:
        if (row := rows.get(item["region_id"])) is not None:
            row.spent = Decimal(item["total"] or 0)
