from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Wilayah dan kepegawaian")

    def ready(self):
        from kompetensi.jobs import register_job

        # Importing the package registers the notification channel system check.
        from .notifications.delivery import sweep_deliveries
        from .schedules import create_default_schedules

        # Runs after the other apps' jobs (`run_jobs all`), as it always has.
        register_job("sweep", sweep_deliveries, order=100)
        post_migrate.connect(
            create_default_schedules, sender=self, dispatch_uid="regions_default_schedules"
        )
