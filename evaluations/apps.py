from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Evaluasi")

    def ready(self):
        from .schedules import create_default_schedules

        post_migrate.connect(
            create_default_schedules, sender=self, dispatch_uid="evaluations_default_schedules"
        )
