"""A small region whose dashboard figures are known exactly (see `world`'s docstring), and
look-alike data in region B that must never be counted."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django_scopes import scopes_disabled

from regions.models import Employee, Golongan, PositionType
from tests.factories.regions import EmployeeFactory, UnitFactory
from tests.factories.training import DevelopmentRecordFactory, EnrolmentFactory, OfferingFactory
from training.models import DevelopmentRecord, Enrolment

YEAR = 2025
V = DevelopmentRecord.Status


def record(employee, jp, end, status=V.VERIFIED, **kwargs):
    return DevelopmentRecordFactory(
        region=employee.region,
        employee=employee,
        jp=Decimal(jp),
        start_date=end,
        end_date=end,
        year=end.year,
        status=status,
        **kwargs,
    )


def person(region, unit, name, **kwargs):
    return EmployeeFactory(region=region, unit=unit, name=name, **kwargs)


@pytest.fixture
def world(region, admin, other_region, other_unit):
    """Region A in YEAR (target 20 JP); besides these, its admin (BKPP) and Kepala Seksi
    (Dinkes, the supervisor) are active PNS with nothing at all:

    | who | unit | type | golongan / position | verified JP YEAR | other |
    | Agus (p1) | Dinkes | PNS | III/a pelaksana | 12 (10 Feb) + 10 (15 Mar) = 22 | met in March |
    | Citra (p2) | Dinkes | PNS | III/a pelaksana | 8 (Apr) | 20 JP submitted (not verified) |
    | Eko (p3) | Tugu | PNS | IV/a administrator | 30 (5 May) | met in May |
    | Dewi (p4) | Tugu | PNS | III/a pelaksana | – | nothing at all |
    | Fajar (p5) | Tugu | PNS | III/a pelaksana | – | a rejected 25-JP record only |
    | Gita (p6) | Dinkes | PNS | III/a pelaksana | – | 40 JP in YEAR-1 (Jan); enrolled in a YEAR batch |
    | Hadi | Dinkes | PNS, inactive | | 40 | never counted |
    | Bambang (k1) | Dinkes | PPPK | | 30 | |
    | Intan (k2) | Tugu | PPPK | | – | nothing at all |

    Active PNS: 8, of whom 2 meet the target (Agus, Eko) and 6 are below; mean JP 60/8 = 7.5.
    By unit: Dinkes 4 PNS / 1 met, Tugu 3 / 1, BKPP 1 / 0. By golongan: III/a 7 / 1, IV/a 1 / 1.
    No development at all: Dewi, Fajar, Intan, the admin and Kepala = 5 of 10 active ASN
    (Dinkes 1, Tugu 3, BKPP 1). Agus, Citra, Dewi and Bambang report to Kepala Seksi.
    """
    with scopes_disabled():
        dinkes = UnitFactory(region=region, code="DINKES", name="Dinas Kesehatan")
        tugu = UnitFactory(region=region, code="TUGU", name="Kecamatan Tugu")
        boss = person(region, dinkes, "Kepala Seksi", position="Kepala Seksi")
        p1 = person(region, dinkes, "Agus Salim", supervisor=boss)
        p2 = person(region, dinkes, "Citra Lestari", supervisor=boss)
        p3 = person(
            region,
            tugu,
            "Eko Prasetyo",
            golongan=Golongan.IV_A,
            position_type=PositionType.ADMINISTRATOR,
        )
        p4 = person(region, tugu, "Dewi Anggraini", supervisor=boss)
        p5 = person(region, tugu, "Fajar Nugroho")
        p6 = person(region, dinkes, "Gita Permata")
        inactive = person(region, dinkes, "Hadi Pensiun", is_active=False)
        k1 = person(
            region,
            dinkes,
            "Bambang PPPK",
            employment_type=Employee.EmploymentType.PPPK,
            supervisor=boss,
        )
        k2 = person(region, tugu, "Intan PPPK", employment_type=Employee.EmploymentType.PPPK)

        record(p1, 12, dt.date(YEAR, 2, 10))
        record(p1, 10, dt.date(YEAR, 3, 15))
        record(p2, 8, dt.date(YEAR, 4, 20))
        record(p2, 20, dt.date(YEAR, 6, 1), status=V.SUBMITTED)
        record(p3, 30, dt.date(YEAR, 5, 5))
        record(p5, 25, dt.date(YEAR, 7, 7), status=V.REJECTED)
        record(p6, 40, dt.date(YEAR - 1, 1, 20))
        record(inactive, 40, dt.date(YEAR, 3, 1))
        record(k1, 30, dt.date(YEAR, 8, 8))
        batch = OfferingFactory(
            region=region,
            start_date=dt.date(YEAR, 11, 3),
            end_date=dt.date(YEAR, 11, 5),
            enrolment_opens=dt.date(YEAR, 10, 1),
            enrolment_closes=dt.date(YEAR, 11, 1),
        )
        EnrolmentFactory(
            region=region, offering=batch, employee=p6, status=Enrolment.Status.CONFIRMED
        )

        # Region B: look-alikes that must never be counted in region A.
        leak = person(other_region, other_unit, "Rahasia Binjai")
        record(leak, 50, dt.date(YEAR, 2, 1))
        record(leak, 50, dt.date(YEAR - 1, 2, 1))
    return SimpleNamespace(
        dinkes=dinkes,
        tugu=tugu,
        boss=boss,
        p1=p1,
        p2=p2,
        p3=p3,
        p4=p4,
        p5=p5,
        p6=p6,
        inactive=inactive,
        k1=k1,
        k2=k2,
        batch=batch,
        leak=leak,
    )
