"""The recognition list (penghargaan): the most active learners of a region's year.

`ranking()` ranks active employees in one query: verified JP of the year and the number of
verified development activities (completed programmes and recorded trainings), ties broken by
the date their JP reached the region's target (earlier first), then by name. A window function
(ROW_NUMBER) numbers each group — PNS and PPPK apart, optionally per unit — and keeps the top
`size` of each. Publishing stores that ranking (dashboards.services.recognition).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import Count, Max, QuerySet

from regions.models import Employee, Region, Unit
from training.selectors.records import verified_jp_year_rows

from ..models import RecognitionEntry, RecognitionList, RecognitionOptOut
from . import jp

RANKING_SQL = """
SELECT x.id, x.rank, x.total, x.activities, x.reached
FROM (
  SELECT e.id, a.total, a.activities, t.reached, e.employment_type, e.unit_id,
    ROW_NUMBER() OVER (
      PARTITION BY e.employment_type{per_unit}
      ORDER BY {order}, CASE WHEN t.reached IS NULL THEN 1 ELSE 0 END, t.reached, e.name, e.id
    ) AS rank
  FROM {employee} e
  INNER JOIN ({per_employee}) a ON a.employee_id = e.id
  LEFT OUTER JOIN (
    SELECT w.employee_id, MIN(w.end_date) AS reached FROM ({running}) w
    WHERE w.running >= %s GROUP BY w.employee_id
  ) t ON t.employee_id = e.id
  WHERE e.region_id = %s AND e.is_active AND a.total >= %s
) x
WHERE x.rank <= %s
ORDER BY x.employment_type{per_unit_order}, x.rank
"""

ORDERS = {
    RecognitionList.Criterion.JP: "a.total DESC, a.activities DESC",
    RecognitionList.Criterion.PROGRAMMES: "a.activities DESC, a.total DESC",
}


@dataclass(frozen=True)
class Ranked:
    employee_id: int
    rank: int
    verified_jp: Decimal
    programmes: int
    reached_on: dt.date | None


def _as_date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def ranking(*, region: Region, settings: RecognitionList) -> list[Ranked]:
    """The ranked people of the list's criteria (one query; see the module docstring)."""
    year = settings.year
    per_employee = verified_jp_year_rows(region=region, year=year).values(
        "employee_id", "total", "activities"
    )
    per_sql, per_params = per_employee.query.sql_with_params()
    running_sql, running_params = jp.running_jp(
        region_ids=[region.pk], years=[year]
    ).query.sql_with_params()
    sql = RANKING_SQL.format(
        per_unit=", e.unit_id" if settings.per_unit else "",
        per_unit_order=", x.unit_id" if settings.per_unit else "",
        order=ORDERS[settings.criterion],
        employee=connection.ops.quote_name(Employee._meta.db_table),
        per_employee=per_sql,
        running=running_sql,
    )
    params = [
        *per_params,
        *running_params,
        region.jp_target,
        region.pk,
        max(Decimal("0.01"), Decimal(settings.min_jp)),
        settings.size,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        Ranked(
            employee_id=row[0],
            rank=int(row[1]),
            verified_jp=Decimal(row[2]),
            programmes=int(row[3]),
            reached_on=_as_date(row[4]),
        )
        for row in rows
    ]


def recognition_get(*, region: Region, year: int) -> RecognitionList | None:
    return RecognitionList.objects.filter(region=region, year=year).first()


def recognition_default(*, region: Region, year: int) -> RecognitionList:
    """The stored settings of the year, or unsaved defaults."""
    return recognition_get(region=region, year=year) or RecognitionList(region=region, year=year)


@dataclass
class Person:
    """One line of the list as shown: who (or not, when they opted out), figures, group."""

    rank: int
    employee: Employee
    unit: Unit | None
    employment_type: str
    verified_jp: Decimal
    programmes: int
    reached_on: dt.date | None
    opted_out: bool
    entry_id: int | None = None


@dataclass
class Group:
    employment_type: str
    label: str
    unit: Unit | None
    people: list[Person]


def _groups(people: list[Person], per_unit: bool) -> list[Group]:
    labels = dict(Employee.EmploymentType.choices)
    groups: dict[tuple, Group] = {}
    for person in people:
        key = (person.employment_type, person.unit.pk if per_unit and person.unit else None)
        if key not in groups:
            groups[key] = Group(
                employment_type=person.employment_type,
                label=str(labels.get(person.employment_type, person.employment_type)),
                unit=person.unit if per_unit else None,
                people=[],
            )
        groups[key].people.append(person)
    order = {value: i for i, (value, _label) in enumerate(Employee.EmploymentType.choices)}
    return sorted(
        groups.values(),
        key=lambda g: (order.get(g.employment_type, 9), g.unit.name if g.unit else ""),
    )


def _opted_out_ids(region: Region, ids: list[int]) -> set[int]:
    return set(
        RecognitionOptOut.objects.filter(region=region, employee_id__in=ids).values_list(
            "employee_id", flat=True
        )
    )


def preview(*, region: Region, settings: RecognitionList) -> list[Group]:
    """The list as it would be published now (three queries)."""
    ranked = ranking(region=region, settings=settings)
    ids = [r.employee_id for r in ranked]
    employees = Employee.objects.filter(region=region, pk__in=ids).select_related("unit")
    by_id = {e.pk: e for e in employees}
    opted_out = _opted_out_ids(region, ids)
    people = [
        Person(
            rank=r.rank,
            employee=by_id[r.employee_id],
            unit=by_id[r.employee_id].unit,
            employment_type=by_id[r.employee_id].employment_type,
            verified_jp=r.verified_jp,
            programmes=r.programmes,
            reached_on=r.reached_on,
            opted_out=r.employee_id in opted_out,
        )
        for r in ranked
        if r.employee_id in by_id
    ]
    return _groups(people, settings.per_unit)


def published(*, recognition: RecognitionList) -> list[Group]:
    """The published list, as stored when it was published (two queries)."""
    order = ("employment_type", "unit_id", "rank", "id")
    if not recognition.per_unit:
        order = ("employment_type", "rank", "id")
    entries = list(
        RecognitionEntry.objects.filter(recognition=recognition)
        .select_related("employee", "unit")
        .order_by(*order)
    )
    opted_out = _opted_out_ids(recognition.region, [e.employee_id for e in entries])
    people = [
        Person(
            rank=entry.rank,
            employee=entry.employee,
            unit=entry.unit,
            employment_type=entry.employment_type,
            verified_jp=entry.verified_jp,
            programmes=entry.programmes,
            reached_on=entry.reached_on,
            opted_out=entry.employee_id in opted_out,
            entry_id=entry.pk,
        )
        for entry in entries
    ]
    return _groups(people, recognition.per_unit)


def entry_get(*, region: Region, entry_id: int) -> RecognitionEntry | None:
    return (
        RecognitionEntry.objects.filter(
            region=region, pk=entry_id, recognition__published_at__isnull=False
        )
        .select_related("employee", "unit", "recognition")
        .first()
    )


def published_entries(*, recognition: RecognitionList) -> QuerySet[RecognitionEntry]:
    return RecognitionEntry.objects.filter(recognition=recognition).select_related(
        "employee", "unit"
    )


def is_opted_out(*, employee: Employee) -> bool:
    return RecognitionOptOut.objects.filter(
        region_id=employee.region_id, employee=employee
    ).exists()


def opt_out_version(*, region: Region) -> str:
    """Changes whenever someone opts in or out (opt-outs are deleted when withdrawn)."""
    row = RecognitionOptOut.objects.filter(region=region).aggregate(n=Count("id"), last=Max("id"))
    return f"{row['n']}.{row['last']}"
