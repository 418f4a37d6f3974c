from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Wilayah dan kepegawaian")

    def ready(self):
        # Registers the notification channel system check.
        from kompetensi.sync import install_after_migrate

        from . import (
            notification_channels,  # noqa: F401
            sync,
        )
        from .schedules import create_default_schedules

        # Sync markers: this app's tables, and the triggers of every app after each migrate.
        sync.register()
        post_migrate.connect(
            install_after_migrate, sender=self, dispatch_uid="kompetensi_sync_install"
        )

        post_migrate.connect(
            create_default_schedules, sender=self, dispatch_uid="regions_default_schedules"
        )
