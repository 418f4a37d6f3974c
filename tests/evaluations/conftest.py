"""Fixtures of the reports and background-job tests: a media folder per test and a small
region data set whose report figures are known exactly (worked out in `report_data`'s doc)."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from regions.models import Employee
from tests.factories.regions import EmployeeFactory, UnitFactory
from tests.factories.training import (
    DevelopmentRecordFactory,
    EnrolmentFactory,
    OfferingFactory,
    ProgramFactory,
)
from training.models import DevelopmentRecord, Enrolment, Offering

PERIOD = dt.date(2025, 3, 1)
S = Enrolment.Status


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def _record(region, employee, jp, end, status=DevelopmentRecord.Status.VERIFIED):
    return DevelopmentRecordFactory(
        region=region,
        employee=employee,
        jp=Decimal(jp),
        start_date=end,
        end_date=end,
        year=end.year,
        status=status,
    )


def _offering(region, program, start, end, *, seats, status, cost):
    return OfferingFactory(
        region=region,
        program=program,
        start_date=start,
        end_date=end,
        enrolment_opens=start - dt.timedelta(days=20),
        enrolment_closes=start - dt.timedelta(days=1),
        seats=seats,
        status=status,
        cost_per_participant=Decimal(cost),
    )


def _enrol(region, offering, employee, status, pre=None, post=None, jp=None):
    return EnrolmentFactory(
        region=region,
        offering=offering,
        employee=employee,
        status=status,
        pre_test_score=None if pre is None else Decimal(pre),
        post_test_score=None if post is None else Decimal(post),
        jp_awarded=None if jp is None else Decimal(jp),
        completed_at=timezone.now() if status == S.COMPLETED else None,
    )


@pytest.fixture
def report_data(region, other_region, other_unit):
    """Region A's data for March 2025 (target 20 JP, PPPK cap 24) and region B look-alikes.

    JP: Dinas Anggrek has PNS p1 (12 + 8 verified: meets), p2 (10 verified + 15 submitted:
    below) and PPPK k1 (30: over the cap); Dinas Bougenvil has PNS p3 (16 by March + 8 in
    April: below), p4 (25 in 2024 only: below), inactive p5 (30: not counted) and PPPK k2
    (nothing).

    Offerings of March: O1 (P1, 3–5 Mar, 4 seats, completed, Rp 500.000): 2 completed
    (60→80, 70→75, 24 JP each), 1 no-show, 1 cancelled. O2 (P2, 25 Feb–2 Mar, 10 seats,
    completed, Rp 1.000.000): 2 completed (80→70, 90→85, 16 JP each), 1 confirmed.
    O3 (P1, 20 Mar–2 Apr, 2 seats, running): confirmed, requested, waitlisted.
    Not of March: O4 (P3, cancelled), O5 (P2, January, 1 completed), O6 (P4, April).
    """
    a = UnitFactory(region=region, code="ANG", name="Dinas Anggrek")
    b = UnitFactory(region=region, code="BOU", name="Dinas Bougenvil")
    pns = Employee.EmploymentType.PNS
    pppk = Employee.EmploymentType.PPPK
    p1 = EmployeeFactory(region=region, unit=a, name="Pegawai Satu", employment_type=pns)
    p2 = EmployeeFactory(region=region, unit=a, name="Pegawai Dua", employment_type=pns)
    p3 = EmployeeFactory(region=region, unit=b, name="Pegawai Tiga", employment_type=pns)
    p4 = EmployeeFactory(region=region, unit=b, name="Pegawai Empat", employment_type=pns)
    p5 = EmployeeFactory(
        region=region, unit=b, name="Pegawai Lima", employment_type=pns, is_active=False
    )
    k1 = EmployeeFactory(
        region=region, unit=a, name="Kontrak Satu", employment_type=pppk, nip=_pppk_nip(1)
    )
    k2 = EmployeeFactory(
        region=region, unit=b, name="Kontrak Dua", employment_type=pppk, nip=_pppk_nip(2)
    )
    _record(region, p1, "12", dt.date(2025, 1, 15))
    _record(region, p1, "8", dt.date(2025, 3, 31))
    _record(region, p2, "10", dt.date(2025, 2, 10))
    _record(region, p2, "15", dt.date(2025, 3, 10), status=DevelopmentRecord.Status.SUBMITTED)
    _record(region, p3, "16", dt.date(2025, 3, 10))
    _record(region, p3, "8", dt.date(2025, 4, 5))
    _record(region, p4, "25", dt.date(2024, 11, 5))
    _record(region, p5, "30", dt.date(2025, 2, 1))
    _record(region, k1, "30", dt.date(2025, 2, 1))

    P1 = ProgramFactory(
        region=region, code="P1", title="Pelayanan Prima", planned_budget=10_000_000
    )
    P2 = ProgramFactory(region=region, code="P2", title="Arsip Digital", planned_budget=5_000_000)
    P3 = ProgramFactory(region=region, code="P3", title="Batal Saja", planned_budget=7_000_000)
    P4 = ProgramFactory(region=region, code="P4", title="Bulan Depan", planned_budget=1_000_000)
    done, running = Offering.Status.COMPLETED, Offering.Status.RUNNING
    o1 = _offering(
        region, P1, dt.date(2025, 3, 3), dt.date(2025, 3, 5), seats=4, status=done, cost=500_000
    )
    o2 = _offering(
        region, P2, dt.date(2025, 2, 25), dt.date(2025, 3, 2), seats=10, status=done, cost=1_000_000
    )
    o3 = _offering(
        region, P1, dt.date(2025, 3, 20), dt.date(2025, 4, 2), seats=2, status=running, cost=500_000
    )
    o4 = _offering(
        region,
        P3,
        dt.date(2025, 3, 10),
        dt.date(2025, 3, 12),
        seats=5,
        status=Offering.Status.CANCELLED,
        cost=900_000,
    )
    o5 = _offering(
        region, P2, dt.date(2025, 1, 10), dt.date(2025, 1, 12), seats=5, status=done, cost=1_000_000
    )
    o6 = _offering(region, P4, dt.date(2025, 4, 7), dt.date(2025, 4, 9), seats=5, status=Offering.Status.OPEN, cost=300_000)  # fmt: skip
    _enrol(region, o1, p1, S.COMPLETED, 60, 80, 24)
    _enrol(region, o1, p2, S.COMPLETED, 70, 75, 24)
    _enrol(region, o1, p3, S.NO_SHOW)
    _enrol(region, o1, p4, S.CANCELLED)
    _enrol(region, o2, p1, S.COMPLETED, 80, 70, 16)
    _enrol(region, o2, p2, S.COMPLETED, 90, 85, 16)
    _enrol(region, o2, k1, S.CONFIRMED)
    _enrol(region, o3, p3, S.CONFIRMED)
    _enrol(region, o3, p4, S.REQUESTED)
    _enrol(region, o3, k2, S.WAITLISTED)
    _enrol(region, o4, p1, S.CANCELLED)
    _enrol(region, o5, p3, S.COMPLETED, 50, 90, 16)
    _enrol(region, o6, p4, S.CONFIRMED)

    # Region B: look-alikes in the same month that must never count.
    b_emp = EmployeeFactory(region=other_region, unit=other_unit, name="Rahasia Binjai")
    _record(other_region, b_emp, "40", dt.date(2025, 3, 3))
    b_prog = ProgramFactory(
        region=other_region, code="P1", title="Rahasia Binjai", planned_budget=99_000_000
    )
    b_off = _offering(
        other_region, b_prog, dt.date(2025, 3, 3), dt.date(2025, 3, 5), seats=1, status=done, cost=9_000_000
    )  # fmt: skip
    _enrol(other_region, b_off, b_emp, S.COMPLETED, 10, 5, 40)
    return SimpleNamespace(
        period=PERIOD, units=(a, b), offerings=(o1, o2, o3, o4, o5, o6), programs=(P1, P2, P3, P4)
    )


def _pppk_nip(n: int) -> str:
    from regions import nip as nip_rules

    return nip_rules.build_nip(
        birth_date=dt.date(1994, 2, 10 + n),
        appointment_year=2022,
        gender=nip_rules.FEMALE,
        sequence=700 + n,
        employment_type=nip_rules.PPPK,
        contract_code=5,
    )
