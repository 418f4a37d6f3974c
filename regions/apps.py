from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Wilayah dan kepegawaian")

    def ready(self):
        # Registers the notification channel system check.
        from . import notifications  # noqa: F401
        from .schedules import create_default_schedules

        post_migrate.connect(
            create_default_schedules, sender=self, dispatch_uid="regions_default_schedules"
        )
