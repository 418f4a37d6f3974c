"""Training's periodic jobs moved from regions: their Celery tasks are now `training.tasks.*`.

Renames the task of existing beat rows (django-celery-beat `PeriodicTask`), keeping each row's
name, schedule and enabled flag as a superuser left them, and tells a running beat that the
schedule changed. It runs before the post_migrate step that creates missing default schedules
(`training.schedules`), which therefore finds the renamed rows and creates no second one.
No schema change.
"""

from django.db import migrations
from django.utils import timezone

RENAMED = {
    "regions.tasks.session_reminders": "training.tasks.session_reminders",
    "regions.tasks.pending_approvals": "training.tasks.pending_approvals",
    "regions.tasks.window_closing": "training.tasks.window_closing",
    "regions.tasks.jp_target_alerts": "training.tasks.jp_target_alerts",
}


def _rename(apps, schema_editor, names: dict[str, str]) -> None:
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    db = schema_editor.connection.alias
    changed = 0
    for old, new in names.items():
        changed += PeriodicTask.objects.using(db).filter(task=old).update(task=new)
    if changed:
        # What PeriodicTask.save() does through its signal: a running beat reloads.
        PeriodicTasks.objects.using(db).update_or_create(
            ident=1, defaults={"last_update": timezone.now()}
        )


def forwards(apps, schema_editor):
    _rename(apps, schema_editor, RENAMED)


def backwards(apps, schema_editor):
    _rename(apps, schema_editor, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0002_reference_data"),
        ("django_celery_beat", "0001_initial"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
