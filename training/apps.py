from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Pelatihan")

    def ready(self):
        """Plug training into the registries of the layers below it."""
        from kompetensi.jobs import register_job
        from regions import audit
        from regions.demo_loaders import DemoLoader, register_demo_loader
        from regions.home import register_home_section
        from regions.notifications import register_kinds

        from . import checks, jobs, notifications, privacy, sync  # noqa: F401 (checks register)
        from .models import DevelopmentPlan, DevelopmentRecord, Enrolment, Offering, Program
        from .schedules import create_default_schedules
        from .views.home import HOME_SECTIONS

        register_kinds(*notifications.KINDS)
        # Audit trail (docs/security.md) and personal-data rights (regions.privacy).
        audit.track(Program, label=_("Program"))
        audit.track(Offering, label=_("Angkatan"), describe=lambda o: o.name)
        audit.track(
            Enrolment,
            label=_("Pendaftaran"),
            exclude=["idempotency_key"],
            describe=lambda e: f"{audit.cached(e, 'employee')} → {audit.cached(e, 'offering')}",
            status_actions={
                (Enrolment.Status.REQUESTED, Enrolment.Status.CONFIRMED): audit.Action.APPROVE,
                (Enrolment.Status.REQUESTED, Enrolment.Status.WAITLISTED): audit.Action.APPROVE,
                (Enrolment.Status.REQUESTED, Enrolment.Status.REJECTED): audit.Action.REJECT,
            },
        )
        audit.track(
            DevelopmentRecord,
            label=_("Riwayat JP"),
            describe=lambda r: f"{audit.cached(r, 'employee')}: {r.title}",
            status_actions={
                ("*", DevelopmentRecord.Status.VERIFIED): audit.Action.VERIFY,
                ("*", DevelopmentRecord.Status.REJECTED): audit.Action.REJECT,
            },
        )
        audit.track(
            DevelopmentPlan,
            label=_("Rencana pengembangan"),
            describe=lambda p: f"{audit.cached(p, 'employee')} · {p.year}",
            status_actions={
                ("*", DevelopmentPlan.Status.APPROVED): audit.Action.APPROVE,
                ("*", DevelopmentPlan.Status.RETURNED): audit.Action.REJECT,
            },
        )
        privacy.register()
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
        from .jp_summary import install_after_migrate

        post_migrate.connect(install_after_migrate, sender=self, dispatch_uid="training_jp_summary")
