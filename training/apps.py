from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Pelatihan")

    def ready(self):
        """Plug training into the registries of the layers below it."""
        from kompetensi.jobs import register_job
        from regions.demo_loaders import DemoLoader, register_demo_loader
        from regions.home import register_home_section
        from regions.notifications import register_kinds

        from . import checks, jobs, notifications, sync  # noqa: F401 (checks register)
        from .schedules import create_default_schedules
        from .views.home import HOME_SECTIONS

        register_kinds(*notifications.KINDS)
        sync.register()
        register_job("reminders", jobs.session_reminders)
        register_job("approvals", jobs.pending_approvals)
        register_job("window-closing", jobs.window_closing)
        register_job("jp-alerts", jobs.jp_target_alerts)
        register_job("certificates", jobs.certificate_runs)
        for section in HOME_SECTIONS:
            register_home_section(section)
        register_demo_loader(
            DemoLoader(
                label="training",
                load="training.demo.load_training_demo",
                prepare="training.demo.ensure_reference_data",
            )
        )
        register_demo_loader(
            DemoLoader(label="elearning", load="training.demo_elearning.load_elearning_demo")
        )
        post_migrate.connect(
            create_default_schedules, sender=self, dispatch_uid="training_default_schedules"
        )
