"""JP figures of many employees at once, computed by the database.

Three building blocks, each one SQL statement whatever the number of employees:

- `compliance_groups()`: active employees counted per (unit, employment type, golongan,
  position type) with how many PNS meet the target, their JP and how many had no development
  at all this year. The page's overall, per-unit, per-golongan and per-position figures are
  sums of these few hundred group rows (never a loop over employees).
- `reach_months()`: per year and month, how many active PNS reached the target in that month
  (a window function: the running sum of each employee's verified JP by end date), and the
  running total, for the trend against last year.
- `people()`: the employees behind a figure (below target, met, no development), filtered
  like the figure, for the drill-down lists and their exports.

What counts as verified JP is `training.selectors.records.counts_toward_jp` (the one rule);
what counts as "some development this year" is `development_activity()` below.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Sum, Window

from regions.models import Employee, Region, Unit
from training.models import DevelopmentRecord, Enrolment
from training.selectors.records import counts_toward_jp, verified_jp, verified_jp_by_employee

ZERO = Decimal("0")
PNS = Employee.EmploymentType.PNS
PPPK = Employee.EmploymentType.PPPK

# Record statuses that show development under way or done (rejected records do not).
ACTIVE_RECORD_STATUSES = (DevelopmentRecord.Status.VERIFIED, DevelopmentRecord.Status.SUBMITTED)


def development_activity(*, year: int) -> tuple[QuerySet, QuerySet]:
    """What "some development this year" means: a verified or submitted record of the year, or
    a live enrolment (requested, waitlisted, confirmed or finished) in a batch starting in the
    year. Returns the two querysets (records, enrolments), not yet tied to an employee."""
    records = DevelopmentRecord.objects.filter(year=year, status__in=ACTIVE_RECORD_STATUSES)
    enrolments = Enrolment.objects.filter(
        status__in=Enrolment.LIVE_STATUSES, offering__start_date__year=year
    )
    return records, enrolments


def no_development_q(*, year: int) -> Q:
    """For Employee querysets: employees without any development this year."""
    records, enrolments = development_activity(year=year)
    return ~Q(Exists(records.filter(employee=OuterRef("pk")))) & ~Q(
        Exists(enrolments.filter(employee=OuterRef("pk")))
    )


def _sql(queryset) -> tuple[str, list]:
    sql, params = queryset.query.sql_with_params()
    return sql, list(params)


# --- Groups ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    unit_id: int
    unit_name: str
    employment_type: str
    golongan: int | None
    position_type: str
    total: int
    met: int
    jp: Decimal
    none: int


GROUPS_SQL = """
SELECT e.unit_id, u.name, e.employment_type, e.golongan, e.position_type,
  COUNT(*),
  SUM(CASE WHEN e.employment_type = %s AND COALESCE(r.total, 0) >= %s THEN 1 ELSE 0 END),
  SUM(COALESCE(r.total, 0)),
  SUM(CASE WHEN d.employee_id IS NULL THEN 1 ELSE 0 END)
FROM {employee} e
INNER JOIN {unit} u ON u.id = e.unit_id
LEFT OUTER JOIN ({per_employee}) r ON r.employee_id = e.id
LEFT OUTER JOIN ({developing}) d ON d.employee_id = e.id
WHERE e.region_id = %s AND e.is_active {unit_filter}
GROUP BY e.unit_id, u.name, e.employment_type, e.golongan, e.position_type
"""


def _developing_sql(*, region_ids: list[int] | None, year: int) -> tuple[str, list]:
    records, enrolments = development_activity(year=year)
    if region_ids is not None:
        records = records.filter(region_id__in=region_ids)
        enrolments = enrolments.filter(region_id__in=region_ids)
    union = (
        records.order_by().values("employee_id").union(enrolments.order_by().values("employee_id"))
    )
    return _sql(union)


def compliance_groups(*, region: Region, year: int, unit_id: int | None = None) -> list[Group]:
    """Active employees of the region per group, with PNS meeting the target, JP and no
    development (one query; see the module docstring)."""
    per_employee_sql, per_employee_params = _sql(verified_jp_by_employee(region=region, year=year))
    developing_sql, developing_params = _developing_sql(region_ids=[region.pk], year=year)
    quote = connection.ops.quote_name
    sql = GROUPS_SQL.format(
        employee=quote(Employee._meta.db_table),
        unit=quote(Unit._meta.db_table),
        per_employee=per_employee_sql,
        developing=developing_sql,
        unit_filter="AND e.unit_id = %s" if unit_id else "",
    )
    params = [
        PNS.value,
        region.jp_target,
        *per_employee_params,
        *developing_params,
        region.pk,
        *([unit_id] if unit_id else []),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        Group(
            unit_id=row[0],
            unit_name=row[1],
            employment_type=row[2],
            golongan=row[3],
            position_type=row[4],
            total=int(row[5]),
            met=int(row[6]),
            jp=Decimal(row[7] or 0),
            none=int(row[8]),
        )
        for row in rows
    ]


# --- Reaching the target, month by month -------------------------------------------------------


REACH_SQL = """
SELECT c.year, c.month, COUNT(*),
  SUM(COUNT(*)) OVER (PARTITION BY c.year ORDER BY c.month)
FROM (
  SELECT w.employee_id, w.year, {month} AS month
  FROM (
    SELECT w.employee_id, w.year, MIN(w.end_date) AS reached
    FROM ({running}) w
    WHERE w.running >= %s
    GROUP BY w.employee_id, w.year
  ) w
) c
INNER JOIN {employee} e ON e.id = c.employee_id
WHERE e.is_active AND e.employment_type = %s {unit_filter}
GROUP BY c.year, c.month
ORDER BY c.year, c.month
"""


def running_jp(*, region_ids: list[int] | None, years: list[int]) -> QuerySet:
    """Verified records of the years with each employee's running JP total of the year by end
    date (a window function): rows of employee_id, year, end_date, running."""
    condition = Q()
    for year in years:
        condition |= counts_toward_jp(year=year)
    records = DevelopmentRecord.objects.filter(condition)
    if region_ids is not None:
        records = records.filter(region_id__in=region_ids)
    return (
        records.order_by()
        .annotate(
            running=Window(
                Sum("jp"),
                partition_by=[F("employee_id"), F("year")],
                order_by=[F("end_date").asc(), F("id").asc()],
            )
        )
        .values("employee_id", "year", "end_date", "running")
    )


def reach_months(
    *, region: Region, years: list[int], unit_id: int | None = None
) -> dict[int, list[int]]:
    """year → 12 running counts: active PNS (of the roster today) whose verified JP of the
    year had reached the region's target by the end of each month (one query)."""
    running_sql, running_params = _sql(running_jp(region_ids=[region.pk], years=years))
    month_sql, month_params = connection.ops.date_extract_sql("month", "w.reached", [])
    sql = REACH_SQL.format(
        month=month_sql,
        running=running_sql,
        employee=connection.ops.quote_name(Employee._meta.db_table),
        unit_filter="AND e.unit_id = %s" if unit_id else "",
    )
    params = [
        *month_params,
        *running_params,
        region.jp_target,
        PNS.value,
        *([unit_id] if unit_id else []),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    by_year: dict[int, dict[int, int]] = {year: {} for year in years}
    for year, month, _count, running in rows:
        by_year.setdefault(int(year), {})[int(month)] = int(running)
    result = {}
    for year, months in by_year.items():
        values, last = [], 0
        for month in range(1, 13):
            last = months.get(month, last)
            values.append(last)
        result[year] = values
    return result


def reach_dates(*, region: Region, year: int) -> QuerySet:
    """employee_id → the end date of the record that took their verified JP of the year to the
    region's target (rows of employee_id and reached; employees below it have no row)."""
    return running_jp(region_ids=[region.pk], years=[year])


# --- The people behind a figure ----------------------------------------------------------------

CATEGORIES = ("below", "met", "none", "all")


def people(
    *,
    region: Region,
    year: int,
    category: str,
    unit_id: int | None = None,
    golongan: int | None = None,
    position_type: str = "",
    employment_type: str = "",
) -> QuerySet[Employee]:
    """Active employees behind a figure, with `jp` (verified JP of the year), ordered by JP then
    name. `below`/`met` are PNS against the region's target; `none` is anyone (PNS or PPPK)
    without any development this year."""
    employees = Employee.objects.filter(region=region, is_active=True)
    if unit_id:
        employees = employees.filter(unit_id=unit_id)
    if golongan:
        employees = employees.filter(golongan=golongan)
    if position_type:
        employees = employees.filter(position_type=position_type)
    if employment_type:
        employees = employees.filter(employment_type=employment_type)
    employees = employees.annotate(jp=verified_jp(year=year))
    if category == "below":
        employees = employees.filter(employment_type=PNS, jp__lt=region.jp_target)
    elif category == "met":
        employees = employees.filter(employment_type=PNS, jp__gte=region.jp_target)
    elif category == "none":
        employees = employees.filter(no_development_q(year=year))
    return employees.select_related("unit").order_by("jp", "name", "id")


def month_label_dates(year: int) -> list[dt.date]:
    return [dt.date(year, month, 1) for month in range(1, 13)]
