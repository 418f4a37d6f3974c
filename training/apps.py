from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Pelatihan")

    def ready(self):
        """Plug training into the registries of the layers below it."""
        from regions.notifications import register_kinds

        from . import notifications

        register_kinds(*notifications.KINDS)
