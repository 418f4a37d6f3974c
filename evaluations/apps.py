from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Evaluasi")

    def ready(self):
        from kompetensi.jobs import register_job
        from regions.demo_loaders import DemoLoader, register_demo_loader
        from regions.home import HomeSection, register_home_section
        from regions.imports import register_background_import
        from regions.notifications import register_kinds
        from training.certificate_gates import register_certificate_gate
        from training.panels import register_panel

        from . import jobs, notifications, panels, sync
        from .schedules import create_default_schedules
        from .services.jobs import employee_import_background_url

        register_kinds(*notifications.KINDS)
        register_job("surveys", jobs.survey_job, order=50)
        register_job("l3", jobs.l3_job, order=51)
        sync.register()
        register_panel("program_detail", panels.program_panel)
        register_panel("offering_detail", panels.offering_panel)
        register_panel("speaker_list", panels.speaker_panel)
        register_certificate_gate(panels.certificate_survey_gate)
        register_home_section(
            HomeSection(
                key="evaluations.waiting",
                slot="main",
                template="evaluations/evaluation/_home_waiting.html",
                context=panels.home_context,
            )
        )
        register_demo_loader(
            DemoLoader(label="evaluation", load="evaluations.demo.load_evaluation_demo")
        )
        # Large employee files go from the upload page to the background import.
        register_background_import(employee_import_background_url)
        post_migrate.connect(
            create_default_schedules, sender=self, dispatch_uid="evaluations_default_schedules"
        )
