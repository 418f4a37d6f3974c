"""Default beat schedules of the evaluations app, created after `migrate` (django-celery-beat).

A superuser sees and adjusts them in Django admin (Periodic tasks). Creation is idempotent and
never overwrites: a task that already has a periodic task (whatever its name, schedule or
enabled flag) is left alone. To switch one off, disable it rather than delete it; a deleted one
comes back at the next `migrate`. The creation itself is
`kompetensi.schedules.ensure_periodic_tasks`.
"""

from django.db import DEFAULT_DB_ALIAS

from kompetensi.schedules import ensure_periodic_tasks

# task name -> (title shown in admin, schedule, description)
DEFAULT_SCHEDULES = {
    "evaluations.tasks.generate_monthly_reports": (
        "Laporan bulanan wilayah",
        # The first week of each month: the first run makes and emails the reports, the others
        # only catch up a region that failed (the run is idempotent).
        {"crontab": {"minute": "0", "hour": "2", "day_of_month": "1-7"}},
        "Membuat laporan bulanan (PDF) bulan sebelumnya untuk setiap wilayah aktif, "
        "menyimpannya, dan mengirimkannya sekali ke admin wilayah.",
    ),
    "evaluations.tasks.evaluation_surveys": (
        "Survei pasca pelatihan (level 1)",
        {"crontab": {"minute": "20", "hour": "6-20"}},
        "Membuka survei angkatan yang sudah selesai (undangan sekali per peserta) dan "
        "mengingatkan peserta yang belum mengisi menjelang survei ditutup.",
    ),
    "evaluations.tasks.l3_assessments": (
        "Evaluasi pasca pelatihan oleh atasan (level 3)",
        {"crontab": {"minute": "40", "hour": "7"}},
        "Membuat penilaian level 3 yang sudah jatuh tempo, memberi tahu atasan langsung "
        "sekali, dan mengingatkan yang belum mengisi sekali seminggu.",
    ),
    "evaluations.tasks.requeue_jobs": (
        "Antrekan ulang proses latar belakang yang tertunda",
        {"interval": (5, "minutes")},
        "Mengantrekan kembali ekspor, impor, atau laporan yang belum diambil worker "
        "(broker sempat mati) atau yang worker-nya berhenti di tengah jalan.",
    ),
}


def ensure_default_schedules(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Create the missing periodic tasks; returns the task names created."""
    return ensure_periodic_tasks(DEFAULT_SCHEDULES, using=using)


def create_default_schedules(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    """post_migrate receiver (connected in EvaluationsConfig.ready)."""
    ensure_default_schedules(using=using)
