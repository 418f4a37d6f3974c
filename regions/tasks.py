"""regions' Celery tasks: notification delivery (`regions.notifications.tasks`), the
background password-reset e-mail, the audit trail's retention purge and personal-data
exports.

Celery's autodiscovery imports `<app>.tasks`; this module makes it find the tasks that live in
the notifications package. Training's periodic jobs have their tasks in `training.tasks`.
"""

from celery import shared_task
from django.utils import translation

from kompetensi.tasks import periodic_job_task

from .notifications.tasks import send_delivery, sweep_deliveries

__all__ = [
    "audit_purge",
    "personal_data_export",
    "send_delivery",
    "send_password_reset",
    "sweep_deliveries",
]


@shared_task(name="regions.tasks.send_password_reset", acks_late=True, ignore_result=True)
def send_password_reset(email: str, language: str = "id") -> None:
    from . import services

    with translation.override(language):
        services.password_reset_send(email=email)


audit_purge = periodic_job_task(
    "regions.tasks.audit_purge",
    "audit-purge",
    "Delete audit events older than KOMPETENSI_AUDIT_RETENTION_DAYS.",
)


@shared_task(name="regions.tasks.personal_data_export", acks_late=True, ignore_result=True)
def personal_data_export(export_id: int) -> str:
    from . import privacy

    return privacy.personal_data_export_run(export_id=export_id)
