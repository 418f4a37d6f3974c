"""regions' Celery tasks, all of them notification delivery (`regions.notifications.tasks`).

Celery's autodiscovery imports `<app>.tasks`; this module makes it find the tasks that live in
the notifications package. Training's periodic jobs have their tasks in `training.tasks`.
"""

from .notifications.tasks import send_delivery, sweep_deliveries

__all__ = ["send_delivery", "sweep_deliveries"]
