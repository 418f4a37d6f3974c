from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Evaluasi")

    def ready(self):
        from regions.imports import register_background_import
        from regions.notifications import register_kinds

        from . import notifications
        from .schedules import create_default_schedules
        from .services.jobs import employee_import_background_url

        register_kinds(*notifications.KINDS)
        # Large employee files go from the upload page to the background import.
        register_background_import(employee_import_background_url)
        post_migrate.connect(
            create_default_schedules, sender=self, dispatch_uid="evaluations_default_schedules"
        )
