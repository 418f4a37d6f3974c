from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Perencanaan pengembangan kompetensi")

    def ready(self):
        """Plug the regional plan into the registries of the layers below it."""
        from kompetensi.jobs import register_job
        from regions import audit
        from regions.demo_loaders import DemoLoader, register_demo_loader
        from regions.mfa import register_mfa_role
        from regions.notifications import register_kinds
        from training.report_sections import ReportSection, register_report_section

        from . import jobs, notifications
        from .models import Plan, PlanApprover, UnitPlanner
        from .report import absorption_section as absorption
        from .schedules import create_default_schedules
        from .selectors.roles import user_is_approver

        register_kinds(*notifications.KINDS)
        audit.track(Plan, label=_("Rencana daerah"), describe=lambda p: f"{p.year}/{p.revision}")
        audit.track(UnitPlanner, label=_("Perencana unit"))
        audit.track(PlanApprover, label=_("Penyetuju rencana"))
        register_job("needs-deadline", jobs.needs_deadline_reminders)
        # A deployment may require a second factor of approvers: add "plan_approver" to
        # KOMPETENSI_MFA_REQUIRED_ROLES.
        register_mfa_role("plan_approver", user_is_approver)
        register_demo_loader(DemoLoader(label="planning", load="planning.demo.load_planning_demo"))
        register_report_section(
            ReportSection("planning.absorption", "planning/report/_absorption.html", absorption)
        )
        post_migrate.connect(
            create_default_schedules, sender=self, dispatch_uid="planning_default_schedules"
        )
