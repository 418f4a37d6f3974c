"""Integration (PostgreSQL): the background import's progress is visible to the progress page
while the import's own all-or-nothing transaction is still open."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django_scopes import scopes_disabled

from evaluations.models import BackgroundJob
from evaluations.services.jobs import Progress

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _seen_by_another_session(job_id):
    other = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with other.cursor() as cursor:
            cursor.execute(
                f"SELECT total, done FROM {BackgroundJob._meta.db_table} WHERE id = %s", [job_id]
            )
            return cursor.fetchone()
    finally:
        other.close()


def test_progress_inside_a_transaction_is_seen_before_the_commit(on_postgres, region, admin):
    with scopes_disabled():
        job = BackgroundJob.objects.create(
            region=region, created_by=admin.user, kind="employee_import"
        )
    progress = Progress(job.pk)
    try:
        with transaction.atomic():
            progress.report_outside_transaction(0, 40)
            progress.report_outside_transaction(25, 40)
            assert _seen_by_another_session(job.pk) == (40, 25)
    finally:
        progress.close()
