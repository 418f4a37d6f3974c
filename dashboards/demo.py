"""Demo data that makes the dashboards meaningful (`manage.py load_demo_data`).

For every region: verified development records of this year and last year for most active
employees, so that some PNS are above the target and some below it, the trend against last
year has two curves, and a few employees (about one in ten) have no development at all this
year. Records are spread over the months up to today. Idempotent: a region that already has
the dashboards' demo records is left alone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from regions.models import Employee, Region
from training.models import DevelopmentForm, DevelopmentRecord, Enrolment

ORGANISER = "Demo dasbor – lembaga pelatihan mitra"
# (title, SIASN jenis diklat id)
ACTIVITIES = [
    ("Bimbingan Teknis Pelayanan Publik", 8),
    ("Seminar Transformasi Digital Pemerintahan", 9),
    ("E-Learning Manajemen ASN", 16),
    ("Diklat Teknis Pengelolaan Keuangan Daerah", 3),
    ("Belajar Mandiri Analisis Kebijakan", 22),
    ("Workshop Penyusunan SKP", 4),
]


def _day(year: int, month: int, day: int, today: dt.date) -> dt.date:
    candidate = dt.date(year, month, min(day, 28))
    return min(candidate, today)


def _records_for(index: int, employee: Employee, year: int, today: dt.date, last_year: bool):
    """The demo records of one employee in one year (deterministic by index)."""
    pattern = index % 10
    if not last_year and pattern == 0:
        return []  # no development at all this year
    months_so_far = max(1, today.month if year == today.year else 12)
    if pattern in (1, 2, 3):
        chunks = [4 + (index % 3) * 4]  # 4, 8 or 12 JP: below the target
    elif last_year and pattern in (4, 5):
        chunks = [6, 6]  # last year: fewer reached the target
    else:
        chunks = [8 + index % 5, 6 + index % 7, 6]  # 20–30 JP: above the target
    records = []
    for n, jp in enumerate(chunks):
        title, form_id = ACTIVITIES[(index + n) % len(ACTIVITIES)]
        month = 1 + (index * 3 + n * 4) % months_so_far
        start = _day(year, month, 3 + index % 20, today)
        records.append((title, form_id, start, Decimal(jp)))
    return records


def _first_of_each_team(region: Region) -> set[int]:
    first: dict[int, int] = {}
    for employee_id, supervisor_id in (
        Employee.objects.filter(
            region=region,
            is_active=True,
            supervisor__isnull=False,
            employment_type=Employee.EmploymentType.PNS,
        )
        .order_by("supervisor_id", "id")
        .values_list("id", "supervisor_id")
    ):
        first.setdefault(supervisor_id, employee_id)
    return set(first.values())


def load_dashboards_demo(*, region: Region, today: dt.date, stdout=None) -> dict:
    with transaction.atomic(), scope(region=region):
        if DevelopmentRecord.objects.filter(region=region, organiser=ORGANISER).exists():
            return {}
        forms = {f.pk: f for f in DevelopmentForm.objects.all()}
        # Employees already enrolled this year (the training demo) keep their own story.
        enrolled = set(
            Enrolment.objects.filter(
                region=region, offering__start_date__year=today.year
            ).values_list("employee_id", flat=True)
        )
        employees = list(
            Employee.objects.filter(region=region, is_active=True)
            .order_by("id")
            .only("id", "region_id", "employment_type")
        )
        # In every team, the first PNS is behind the target (a supervisor has someone to help).
        behind = _first_of_each_team(region)
        now = timezone.now()
        rows = []
        for index, employee in enumerate(employees):
            for year, last_year in ((today.year, False), (today.year - 1, True)):
                if not last_year and index % 10 == 0 and employee.pk in enrolled:
                    continue
                pattern = 1 if (employee.pk in behind and not last_year) else index
                for title, form_id, start, jp in _records_for(
                    pattern, employee, year, today, last_year
                ):
                    form = forms.get(form_id) or next(iter(forms.values()))
                    rows.append(
                        DevelopmentRecord(
                            region=region,
                            employee=employee,
                            year=year,
                            source=DevelopmentRecord.Source.EXTERNAL,
                            title=title,
                            form=form,
                            organiser=ORGANISER,
                            start_date=start,
                            end_date=start,
                            jp=jp,
                            status=DevelopmentRecord.Status.VERIFIED,
                            verified_at=now,
                            certificate_number=f"DEMO/{year}/{employee.pk}/{len(rows)}",
                        )
                    )
        DevelopmentRecord.objects.bulk_create(rows, batch_size=1000)
    created = {"records": len(rows)} if rows else {}
    if stdout is not None:
        stdout.write(f"{region.name:<13} dashboards: records +{len(rows)}")
    return created
