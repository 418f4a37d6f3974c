"""Celery tasks of training's periodic jobs (`training.jobs`), run by beat (default schedules:
`training.schedules`). Thin: each runs its registered job (`kompetensi.jobs.run_job`), which
walks the regions in their scopes; acks late, retries a database outage with back-off, and is
idempotent (dedup keys), so a redelivered or retried run sends nothing twice.

These tasks used to be called `regions.tasks.*`; the data migration
`training/migrations/0003_periodic_task_names.py` renames the beat rows.
"""

from kompetensi.tasks import periodic_job_task

session_reminders = periodic_job_task(
    "training.tasks.session_reminders",
    "reminders",
    "Remind confirmed participants 3 days and 1 day ahead.",
)
pending_approvals = periodic_job_task(
    "training.tasks.pending_approvals",
    "approvals",
    "Remind supervisors of enrolment requests left waiting.",
)
window_closing = periodic_job_task(
    "training.tasks.window_closing",
    "window-closing",
    "Tell admins of windows closing with seats left.",
)
jp_target_alerts = periodic_job_task(
    "training.tasks.jp_target_alerts",
    "jp-alerts",
    "Monthly JP target alerts to PNS, supervisors and admins.",
)
