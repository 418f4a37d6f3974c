"""Integration: periodic jobs are registered by the app that owns them, and the beat rows of
training's jobs follow their move from `regions.tasks.*` to `training.tasks.*`."""

import importlib
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from evaluations import jobs as evaluation_jobs
from kompetensi.jobs import register_job, registered_jobs
from regions import audit
from regions import schedules as regions_schedules
from regions.notifications.delivery import sweep_deliveries
from training import jobs as training_jobs
from training import schedules as training_schedules

rename = importlib.import_module("training.migrations.0003_periodic_task_names")


def test_each_app_registers_its_jobs_and_the_sweep_runs_last():
    assert registered_jobs() == {
        "reminders": training_jobs.session_reminders,
        "approvals": training_jobs.pending_approvals,
        "window-closing": training_jobs.window_closing,
        "jp-alerts": training_jobs.jp_target_alerts,
        "audit-purge": audit.audit_purge,
        "certificates": training_jobs.certificate_runs,
        "surveys": evaluation_jobs.survey_job,
        "l3": evaluation_jobs.l3_job,
        "sweep": sweep_deliveries,
    }
    register_job("sweep", sweep_deliveries, order=100)  # again: harmless
    with pytest.raises(ValueError):
        register_job("sweep", training_jobs.session_reminders)


@pytest.mark.django_db
def test_run_jobs_all_runs_them_in_order(region):
    out = StringIO()
    call_command("run_jobs", "all", "--region", region.slug, stdout=out)
    names = [line.split(":")[0] for line in out.getvalue().splitlines()]
    assert names == [
        "reminders",
        "approvals",
        "window-closing",
        "jp-alerts",
        "certificates",
        "surveys",
        "l3",
        "audit-purge",
        "sweep",
    ]


@pytest.mark.django_db
def test_the_data_migration_renames_old_beat_rows_and_nothing_is_doubled():
    from django_celery_beat.models import PeriodicTask, PeriodicTasks

    # A database from before the move: beat rows under the old names, one adjusted by hand.
    PeriodicTask.objects.filter(task__in=rename.RENAMED.values()).delete()
    interval = PeriodicTask.objects.get(task="regions.tasks.sweep_deliveries").interval
    for old in rename.RENAMED:
        PeriodicTask.objects.create(name=f"lama {old}", task=old, interval=interval)
    PeriodicTask.objects.filter(task="regions.tasks.window_closing").update(enabled=False)
    before = PeriodicTasks.last_change()

    rename.forwards(apps, SimpleNamespace(connection=connection))

    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    assert not tasks & set(rename.RENAMED)
    assert tasks >= set(rename.RENAMED.values())
    assert PeriodicTask.objects.get(task="training.tasks.window_closing").enabled is False
    assert PeriodicTasks.last_change() != before  # a running beat reloads
    # The post_migrate step that follows creates nothing: every default exists.
    assert training_schedules.ensure_default_schedules() == []
    assert regions_schedules.ensure_default_schedules() == []
    for new in rename.RENAMED.values():
        assert PeriodicTask.objects.filter(task=new).count() == 1

    rename.backwards(apps, SimpleNamespace(connection=connection))
    assert set(PeriodicTask.objects.values_list("task", flat=True)) >= set(rename.RENAMED)
