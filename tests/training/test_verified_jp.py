"""Integration: verified JP per year, defined once in training.selectors.records, gives the same
numbers through every reader (annotation, grouped query, an employee's year, a team, the
monthly report) and through the join-and-sum formula still in regions/jobs.py `jp_behind`."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.test.utils import CaptureQueriesContext

from evaluations import selectors as report_selectors
from regions.models import Employee
from tests.factories.regions import EmployeeFactory
from tests.factories.training import DevelopmentRecordFactory
from training.models import DevelopmentRecord
from training.selectors import records as selectors

pytestmark = pytest.mark.django_db
Status = DevelopmentRecord.Status


def _record(employee, jp, end, status=Status.VERIFIED):
    return DevelopmentRecordFactory(
        region=employee.region,
        employee=employee,
        jp=Decimal(jp),
        start_date=end,
        end_date=end,
        year=end.year,
        status=status,
    )


@pytest.fixture
def people(in_region, region, unit, supervisor, other_employee):
    """Ani: 12 + 8.5 verified in 2025 (one in December), 15 submitted, 9 rejected, 30 of 2024.
    Budi: nothing. Citra: 4 verified. Another region's employee: 40 verified (must not leak)."""
    ani = EmployeeFactory(region=region, unit=unit, supervisor=supervisor, name="Ani")
    budi = EmployeeFactory(region=region, unit=unit, supervisor=supervisor, name="Budi")
    citra = EmployeeFactory(region=region, unit=unit, supervisor=supervisor, name="Citra")
    _record(ani, "12", dt.date(2025, 3, 1))
    _record(ani, "8.5", dt.date(2025, 12, 5))
    _record(ani, "15", dt.date(2025, 4, 1), status=Status.SUBMITTED)
    _record(ani, "9", dt.date(2025, 5, 1), status=Status.REJECTED)
    _record(ani, "30", dt.date(2024, 6, 1))
    _record(citra, "4", dt.date(2025, 1, 20))
    DevelopmentRecordFactory(
        region=other_employee.region,
        employee=other_employee,
        jp=Decimal(40),
        year=2025,
        start_date=dt.date(2025, 2, 1),
        end_date=dt.date(2025, 2, 1),
        status=Status.VERIFIED,
    )
    return {"ani": ani, "budi": budi, "citra": citra}


def test_verified_jp_annotation_and_grouped_query_agree(people, region):
    jp = dict(
        Employee.objects.filter(pk__in=[p.pk for p in people.values()])
        .annotate(jp=selectors.verified_jp(year=2025))
        .values_list("name", "jp")
    )
    assert jp == {"Ani": Decimal("20.50"), "Budi": Decimal("0"), "Citra": Decimal("4")}
    by_employee = {
        row["employee_id"]: row["total"]
        for row in selectors.verified_jp_by_employee(region=region, year=2025)
    }
    assert by_employee == {people["ani"].pk: Decimal("20.50"), people["citra"].pk: Decimal("4")}
    until = {
        row["employee_id"]: row["total"]
        for row in selectors.verified_jp_by_employee(
            region=region, year=2025, until=dt.date(2025, 11, 30)
        )
    }
    assert until[people["ani"].pk] == Decimal("12")
    with_until = (
        Employee.objects.filter(pk=people["ani"].pk)
        .annotate(jp=selectors.verified_jp(year=2025, until=dt.date(2025, 11, 30)))
        .get()
    )
    assert with_until.jp == Decimal("12")


def test_the_annotation_replaces_jp_behinds_formula_exactly(people, region):
    """`regions/jobs.py` `jp_behind` sums verified records of the year over a join; the same
    filter with the selector's annotation gives the same rows and numbers."""
    zero = Value(Decimal(0), output_field=DecimalField(max_digits=8, decimal_places=2))
    base = Employee.objects.filter(
        region=region, is_active=True, employment_type=Employee.EmploymentType.PNS
    )
    old = (
        base.annotate(
            jp=Coalesce(
                Sum(
                    "development_records__jp",
                    filter=Q(
                        development_records__status=Status.VERIFIED,
                        development_records__year=2025,
                    ),
                ),
                zero,
            )
        )
        .filter(jp__lt=region.jp_target)
        .values("pk", "name", "nip", "supervisor_id", "jp")
        .order_by("pk")
    )
    new = (
        base.annotate(jp=selectors.verified_jp(year=2025))
        .filter(jp__lt=region.jp_target)
        .values("pk", "name", "nip", "supervisor_id", "jp")
        .order_by("pk")
    )
    assert list(new) == list(old)
    assert "Ani" not in {row["name"] for row in new}  # 20.5 meets the target of 20


def test_an_employees_year_and_the_team_read_the_same_rule(people, region, supervisor):
    summary = selectors.record_year_summary(region=region, employee=people["ani"], year=2025)
    assert (summary.verified_jp, summary.pending_jp) == (Decimal("20.50"), Decimal("15"))
    with CaptureQueriesContext(connection) as queries:
        team = selectors.team_jp_overview(region=region, supervisor=supervisor, year=2025)
    assert len(queries) == 1
    rows = {row.employee.name: row.progress for row in team}
    assert rows["Ani"].verified_jp == Decimal("20.50")
    assert rows["Ani"].pending_jp == Decimal("15")
    assert rows["Budi"].verified_jp == Decimal("0")
    assert rows["Citra"].verified_jp == Decimal("4")


def test_the_monthly_report_reads_the_same_rule(people, region):
    november = report_selectors.report_compliance(region=region, period=dt.date(2025, 11, 1))
    december = report_selectors.report_compliance(region=region, period=dt.date(2025, 12, 1))
    # Ani's December record ends after November; the other region's 40 JP never counts.
    assert november.total.pns_jp == Decimal("16")
    assert december.total.pns_jp == Decimal("24.5")
