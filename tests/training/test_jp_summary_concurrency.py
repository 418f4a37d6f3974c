"""Integration (PostgreSQL): concurrent bulk and single verifications of the same employees'
records leave the verified JP per year exact, without deadlocks."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import Sum
from django_scopes import scopes_disabled

from tests.factories.regions import quick_employees
from tests.factories.training import DevelopmentRecordFactory
from training.models import DevelopmentRecord, VerifiedJpYear

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
V = DevelopmentRecord.Status
WORKERS = 8


def test_concurrent_verifications_keep_the_sum_exact(on_postgres, region):
    with scopes_disabled():
        people = quick_employees(region, 4)
        for person in people:
            for _ in range(WORKERS):
                DevelopmentRecordFactory(region=region, employee=person, jp=Decimal("2.5"))
        ids = [
            list(
                DevelopmentRecord.objects.filter(employee=person)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            for person in people
        ]
    barrier = threading.Barrier(WORKERS)
    errors = []

    def verify(n):
        """Worker n verifies the n-th record of every employee: one bulk UPDATE (its
        trigger takes the employees' sums in employee order), or one record at a time in
        transactions of their own, in opposite orders."""
        try:
            barrier.wait(timeout=30)
            mine = [pks[n] for pks in ids]
            with scopes_disabled():
                if n % 2:
                    DevelopmentRecord.objects.filter(pk__in=mine).update(status=V.VERIFIED)
                else:
                    for pk in reversed(mine):
                        with transaction.atomic():
                            DevelopmentRecord.objects.filter(pk=pk).update(status=V.VERIFIED)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=verify, args=(n,)) for n in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    with scopes_disabled():
        for person in people:
            expected = DevelopmentRecord.objects.filter(
                employee=person, status=V.VERIFIED
            ).aggregate(jp=Sum("jp"))["jp"]
            assert expected == Decimal("20")  # every record verified once
            row = VerifiedJpYear.objects.get(employee=person)
            assert (row.jp, row.records) == (expected, WORKERS)
