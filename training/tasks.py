"""Celery tasks of training's periodic jobs (`training.jobs`), run by beat (default schedules:
`training.schedules`). Thin: each runs its registered job (`kompetensi.jobs.run_job`), which
walks the regions in their scopes; acks late, retries a database outage with back-off, and is
idempotent (dedup keys), so a redelivered or retried run sends nothing twice.

These tasks used to be called `regions.tasks.*`; the data migration
`training/migrations/0003_periodic_task_names.py` renames the beat rows.
"""

from celery import shared_task

from kompetensi.tasks import RegionTask, periodic_job_task
from training.services.certificates import certificate_run_execute

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
requeue_certificate_runs = periodic_job_task(
    "training.tasks.requeue_certificate_runs",
    "certificates",
    "Queue again certificate runs left queued or held by a dead worker.",
)


@shared_task(
    base=RegionTask,
    name="training.tasks.issue_certificates",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    time_limit=30 * 60,
    soft_time_limit=29 * 60,
)
def issue_certificates(region, run_id: int) -> None:
    """Number, render and announce the certificates of one run (its progress bar)."""
    certificate_run_execute(run_id=run_id)
