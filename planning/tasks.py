"""Celery task of planning's periodic job (`planning.jobs`), run by beat (default schedule:
`planning.schedules`). Thin: it runs the registered job, which is idempotent (dedup keys)."""

from kompetensi.tasks import periodic_job_task

needs_deadline_reminders = periodic_job_task(
    "planning.tasks.needs_deadline_reminders",
    "needs-deadline",
    "Remind unit planners of a needs deadline in the next days.",
)
