"""Create default beat schedules (django-celery-beat) after `migrate`, shared by the apps.

Each app keeps its own defaults table, `{task name: (title shown in admin, schedule,
description)}`, where the schedule is `{"interval": (every, period)}` or `{"crontab": {...}}`
(missing crontab fields default to "*"). A superuser sees and adjusts the rows in Django admin
(Periodic tasks). Creation is idempotent and never overwrites: a task that already has a
periodic task (whatever its name, schedule or enabled flag) is left alone.
"""

import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction

logger = logging.getLogger(__name__)


def ensure_periodic_tasks(defaults: dict, *, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Create the missing periodic tasks of `defaults`; returns the task names created."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    if PeriodicTask._meta.db_table not in connections[using].introspection.table_names():
        return []
    created = []
    with transaction.atomic(using=using):
        for task, (title, schedule, description) in defaults.items():
            if PeriodicTask.objects.using(using).filter(task=task).exists():
                continue
            fields = {}
            if "interval" in schedule:
                every, period = schedule["interval"]
                fields["interval"], _ = IntervalSchedule.objects.using(using).get_or_create(
                    every=every, period=period
                )
            else:
                cron = {
                    "minute": "*",
                    "hour": "*",
                    "day_of_week": "*",
                    "day_of_month": "*",
                    "month_of_year": "*",
                    **schedule["crontab"],
                }
                fields["crontab"], _ = CrontabSchedule.objects.using(using).get_or_create(
                    timezone=settings.TIME_ZONE, **cron
                )
            name = title
            if PeriodicTask.objects.using(using).filter(name=name).exists():
                name = f"{title} ({task})"
            PeriodicTask.objects.using(using).create(
                name=name, task=task, description=description, **fields
            )
            created.append(task)
    if created:
        logger.info("Created default beat schedules: %s", ", ".join(created))
    return created
