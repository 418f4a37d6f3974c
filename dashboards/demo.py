"""Demo data that makes the dashboards meaningful (`manage.py load_demo_data`).

For every region: verified development records of this year and last year for most active
employees, so that some PNS are above the target and some below it, the trend against last
year has two curves, and a few employees (about one in ten) have no development at all this
year. Records are spread over the months up to today. Idempotent: a region that already has
the dashboards' demo records is left alone.

For the teams of the supervisors who have a demo login: an assessed level of most competencies
their standard requires, so the team dashboard's heat map has gaps of every size, some levels
met and a few competencies not assessed yet. Idempotent: only competencies a member has never
been assessed on are considered, and which of them stay unassessed is fixed by the ids.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from regions.models import Employee, Region
from training.models import DevelopmentForm, DevelopmentRecord, EmployeeCompetency, Enrolment
from training.selectors.competencies import gap_rows_of
from training.services.competencies import employee_competency_record

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


# How far below the standard a team member's assessed level is, cycled over members and
# competencies: mostly one or two levels short, some met or above, None = not assessed yet.
SHORTFALLS = (1, 0, 2, None, 1, -1, 3, 0, 2, 1)
ASSESSED_DAYS_AGO = 45


def _team_assessments(region: Region, today: dt.date) -> int:
    """Assess the members of teams led by a demo login on the competencies their standard
    requires and they have never been assessed on (see SHORTFALLS); returns how many."""
    members = [
        member
        for member in Employee.objects.filter(
            region=region, is_active=True, supervisor__isnull=False
        )
        .select_related("region", "supervisor__user")
        .order_by("id")
        if member.supervisor.user is not None and member.supervisor.user.has_usable_password()
    ]
    by_id = {member.pk: member for member in members}
    created = 0
    for member_id, rows in gap_rows_of(region=region, employees=members).items():
        for row in rows:
            shortfall = SHORTFALLS[(member_id + row.competency.pk) % len(SHORTFALLS)]
            if row.assessment is not None or shortfall is None:
                continue
            employee_competency_record(
                employee=by_id[member_id],
                competency=row.competency,
                level=min(5, max(1, row.required_level - shortfall)),
                source=EmployeeCompetency.Source.ASSESSMENT_CENTER,
                assessed_on=today - dt.timedelta(days=ASSESSED_DAYS_AGO),
            )
            created += 1
    return created


def load_dashboards_demo(*, region: Region, today: dt.date, stdout=None) -> dict:
    with transaction.atomic(), scope(region=region):
        assessments = _team_assessments(region, today)
        rows = _records(region, today)
    created = {"records": len(rows)} if rows else {}
    if assessments:
        created["assessments"] = assessments
    if stdout is not None:
        summary = ", ".join(f"{k} +{v}" for k, v in created.items()) or "nothing new"
        stdout.write(f"{region.name:<13} dashboards: {summary}")
    return created


def _records(region: Region, today: dt.date) -> list[DevelopmentRecord]:
    """The records of this year and last year (none when the region already has them)."""
    if DevelopmentRecord.objects.filter(region=region, organiser=ORGANISER).exists():
        return []
    forms = {f.pk: f for f in DevelopmentForm.objects.all()}
    # Employees already enrolled this year (the training demo) keep their own story.
    enrolled = set(
        Enrolment.objects.filter(region=region, offering__start_date__year=today.year).values_list(
            "employee_id", flat=True
        )
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
    return rows
