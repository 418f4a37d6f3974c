"""Default beat schedules of training's periodic jobs (`training.tasks`), created after
`migrate` (django-celery-beat).

A superuser sees and adjusts them in Django admin (Periodic tasks). Creation is idempotent and
never overwrites: a job that already has a periodic task (whatever its name, schedule or
enabled flag) is left alone. To switch a job off, disable its task rather than delete it; a
deleted one comes back at the next `migrate`. The creation itself is
`kompetensi.schedules.ensure_periodic_tasks`. Rows made when these tasks were called
`regions.tasks.*` are renamed by migration `training.0003_periodic_task_names` (which runs
before this post_migrate step), so they are kept, not doubled.
"""

from django.db import DEFAULT_DB_ALIAS

from kompetensi.schedules import ensure_periodic_tasks

# task name -> (title shown in admin, schedule, description)
DEFAULT_SCHEDULES = {
    "training.tasks.session_reminders": (
        "Pengingat sesi pelatihan (H-3 dan H-1)",
        {"crontab": {"minute": "0", "hour": "6-20"}},
        "Mengingatkan peserta terkonfirmasi 3 hari dan 1 hari sebelum sesi dimulai.",
    ),
    "training.tasks.pending_approvals": (
        "Pengingat persetujuan pendaftaran yang tertunda",
        {"crontab": {"minute": "30", "hour": "7"}},
        "Mengingatkan atasan atas permohonan pendaftaran yang menunggu lebih dari N hari "
        "(sekali seminggu per atasan).",
    ),
    "training.tasks.window_closing": (
        "Pendaftaran angkatan segera ditutup",
        {"crontab": {"minute": "0", "hour": "8"}},
        "Memberi tahu admin BKPSDM bila pendaftaran angkatan segera ditutup dan kursi masih "
        "tersisa.",
    ),
    "training.tasks.jp_target_alerts": (
        "Peringatan capaian target JP",
        {"crontab": {"minute": "15", "hour": "8"}},
        "Sekali sebulan sejak bulan KOMPETENSI_JP_ALERT_FROM_MONTH: PNS di bawah target JP, "
        "atasannya, dan admin BKPSDM.",
    ),
    "training.tasks.requeue_certificate_runs": (
        "Antrean ulang penerbitan sertifikat",
        {"crontab": {"minute": "*/10"}},
        "Mengantrekan lagi penerbitan sertifikat yang tertahan (broker mati atau worker berhenti).",
    ),
}


def ensure_default_schedules(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Create the missing periodic tasks; returns the task names created."""
    return ensure_periodic_tasks(DEFAULT_SCHEDULES, using=using)


def create_default_schedules(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate receiver (connected in TrainingConfig.ready)."""
    ensure_default_schedules(using=using)
