"""Default beat schedules of regions' periodic jobs (the notification sweep), created after
`migrate` (django-celery-beat). Training's jobs have theirs in `training.schedules`.

A superuser sees and adjusts them in Django admin (Periodic tasks). Creation is idempotent and
never overwrites: a job that already has a periodic task (whatever its name, schedule or
enabled flag) is left alone. To switch a job off, disable its task rather than delete it; a
deleted one comes back at the next `migrate`. The creation itself is
`kompetensi.schedules.ensure_periodic_tasks`.
"""

from django.db import DEFAULT_DB_ALIAS

from kompetensi.schedules import ensure_periodic_tasks

# task name -> (title shown in admin, schedule, description)
DEFAULT_SCHEDULES = {
    "regions.tasks.sweep_deliveries": (
        "Kirim ulang notifikasi yang tertunda",
        {"interval": (2, "minutes")},
        "Mengantrekan kembali notifikasi yang belum terkirim (broker sempat mati, worker "
        "berhenti di tengah jalan).",
    ),
    "regions.tasks.audit_purge": (
        "Hapus jejak audit yang melewati masa simpan",
        {"crontab": {"minute": "30", "hour": "2"}},
        "Menghapus kejadian jejak audit yang lebih tua dari KOMPETENSI_AUDIT_RETENTION_DAYS.",
    ),
}


def ensure_default_schedules(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Create the missing periodic tasks; returns the task names created."""
    return ensure_periodic_tasks(DEFAULT_SCHEDULES, using=using)


def create_default_schedules(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate receiver (connected in RegionsConfig.ready)."""
    ensure_default_schedules(using=using)
