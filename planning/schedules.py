"""Default beat schedule of planning's periodic job, created after `migrate` (never
overwritten; see `kompetensi.schedules.ensure_periodic_tasks`)."""

from django.db import DEFAULT_DB_ALIAS

from kompetensi.schedules import ensure_periodic_tasks

DEFAULT_SCHEDULES = {
    "planning.tasks.needs_deadline_reminders": (
        "Pengingat batas usulan kebutuhan pengembangan kompetensi",
        {"crontab": {"minute": "45", "hour": "7"}},
        "Mengingatkan perencana unit yang usulannya belum diajukan, dalam beberapa hari "
        "sebelum batas akhir penjaringan kebutuhan.",
    ),
}


def ensure_default_schedules(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    return ensure_periodic_tasks(DEFAULT_SCHEDULES, using=using)


def create_default_schedules(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate receiver (connected in PlanningConfig.ready)."""
    ensure_default_schedules(using=using)
