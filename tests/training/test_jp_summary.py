"""Integration: the verified JP per employee and year that the database keeps (triggers on the
records' table, `training.jp_summary`) equals the sum over the ledger after every kind of
write: save, QuerySet.update, bulk_create, delete, a cascading employee delete, a record moved
to another employee or year; and after a random sequence of them. Runs on both engines."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django_scopes import scopes_disabled

from tests.factories.regions import quick_employees
from tests.factories.training import DevelopmentRecordFactory
from training.models import DevelopmentRecord, VerifiedJpYear

pytestmark = pytest.mark.django_db
V = DevelopmentRecord.Status


def ledger() -> dict:
    rows = (
        DevelopmentRecord.objects.filter(status=V.VERIFIED)
        .values("employee_id", "year")
        .annotate(jp=Sum("jp"), n=Count("id"))
    )
    return {(r["employee_id"], r["year"]): (Decimal(r["jp"]), r["n"]) for r in rows}


def summary() -> dict:
    rows = VerifiedJpYear.objects.values_list("employee_id", "year", "jp", "records")
    kept = {(e, y): (Decimal(jp), n) for e, y, jp, n in rows if n}
    leftovers = [(e, y, jp, n) for e, y, jp, n in rows if not n]
    assert all(Decimal(jp) == 0 for *_ignored, jp, _n in leftovers), leftovers
    return kept


def assert_exact():
    assert summary() == ledger()


def rec(employee, jp, year=2026, status=V.VERIFIED):
    return DevelopmentRecordFactory(
        region=employee.region,
        employee=employee,
        jp=Decimal(jp),
        start_date=dt.date(year, 3, 1),
        end_date=dt.date(year, 3, 2),
        year=year,
        status=status,
    )


@pytest.fixture
def people(region):
    with scopes_disabled():
        return quick_employees(region, 3)


def test_every_kind_of_write_keeps_the_sum_exact(region, people):
    a, b, c = people
    with scopes_disabled():
        r1 = rec(a, "12.5")
        r2 = rec(a, 8)
        pending = rec(a, 20, status=V.SUBMITTED)
        assert summary()[(a.pk, 2026)] == (Decimal("20.5"), 2)

        pending.status = V.VERIFIED  # verified by save()
        pending.save()
        r1.jp = Decimal("10")  # JP corrected
        r1.save()
        assert summary()[(a.pk, 2026)] == (Decimal("38"), 3)

        DevelopmentRecord.objects.filter(pk=r2.pk).update(status=V.REJECTED)
        DevelopmentRecord.objects.filter(pk=r1.pk).update(year=2025)  # another year
        DevelopmentRecord.objects.filter(pk=pending.pk).update(employee=b)  # another employee
        assert_exact()
        assert summary()[(a.pk, 2025)] == (Decimal("10"), 1)
        assert (a.pk, 2026) not in summary()

        DevelopmentRecord.objects.bulk_create(
            [
                DevelopmentRecord(
                    region=region,
                    employee=person,
                    title="Pelatihan",
                    form_id=3,
                    organiser="BKPSDM",
                    start_date=dt.date(2026, 5, 1),
                    end_date=dt.date(2026, 5, 3),
                    year=2026,
                    jp=Decimal(jp),
                    status=V.VERIFIED,
                )
                for person, jp in ((a, 4), (b, 6), (c, 7), (c, "0.25"))
            ]
        )
        assert_exact()
        DevelopmentRecord.objects.filter(employee=c).update(jp=Decimal("3"))  # many rows
        assert summary()[(c.pk, 2026)] == (Decimal("6"), 2)
        DevelopmentRecord.objects.filter(pk=r1.pk).delete()
        assert_exact()
        DevelopmentRecord.objects.filter(employee=b).delete()  # a deletion of many rows
        assert (b.pk, 2026) not in summary()
        assert_exact()


def test_a_random_sequence_of_writes_stays_exact(region, people):
    rng = random.Random(20261206)
    with scopes_disabled():
        for step in range(100):
            records = list(DevelopmentRecord.objects.order_by("pk").values_list("pk", flat=True))
            op = rng.choice(["add", "add", "status", "jp", "year", "move", "delete", "bulk"])
            who = rng.choice(people)
            if op == "add" or not records:
                rec(
                    who,
                    rng.choice([1, 2, "2.5", 8, 24]),
                    rng.choice([2025, 2026]),
                    rng.choice([V.VERIFIED, V.SUBMITTED, V.REJECTED]),
                )
            elif op == "bulk":
                DevelopmentRecord.objects.filter(employee=who).update(
                    status=rng.choice([V.VERIFIED, V.REJECTED])
                )
            else:
                pk = rng.choice(records)
                rows = DevelopmentRecord.objects.filter(pk=pk)
                if op == "status":
                    rows.update(status=rng.choice([V.VERIFIED, V.SUBMITTED, V.REJECTED]))
                elif op == "jp":
                    rows.update(jp=Decimal(rng.choice(["0.5", "3", "16"])))
                elif op == "year":
                    rows.update(year=rng.choice([2025, 2026]))
                elif op == "move":
                    rows.update(employee=who)
                else:
                    rows.delete()
            if step % 25 == 0:
                assert_exact()
        assert_exact()


def test_rebuild_recomputes_from_the_records(region, people):
    with scopes_disabled():
        rec(people[0], 24)
        VerifiedJpYear.objects.update(jp=0, records=0)  # damaged by hand
        call_command("rebuild_jp_summary", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert summary() == {(people[0].pk, 2026): (Decimal("24"), 1)}
