from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Wilayah dan kepegawaian")

    def ready(self):
        from kompetensi.jobs import register_job
        from kompetensi.sync import install_after_migrate

        from . import audit, signals, sync
        from .models import ApiClient, Employee, Membership, Unit

        # Importing the package registers the notification channel system check.
        from .notifications.delivery import sweep_deliveries
        from .schedules import create_default_schedules

        # Runs after the other apps' jobs (`run_jobs all`), as it always has.
        register_job("sweep", sweep_deliveries, order=100)
        register_job("audit-purge", audit.audit_purge, order=90)
        # Audit trail (docs/security.md): this app's tracked models and the login signals.
        audit.track(Employee, label=_("Pegawai"), masked=["birth_date", "phone"])
        audit.track(Unit, label=_("Unit"))
        audit.track(
            Membership,
            label=_("Peran"),
            describe=lambda m: (
                f"{audit.cached(m, 'user', 'username')} @ {audit.cached(m, 'region')}"
            ),
        )
        audit.track(ApiClient, label=_("Klien API"), exclude=["last_used_at", "key_id"])
        signals.connect()
        post_migrate.connect(
            audit.install_after_migrate, sender=self, dispatch_uid="regions_audit_trigger"
        )
        # Sync markers: this app's tables, and the triggers of every app after each migrate.
        sync.register()
        post_migrate.connect(
            install_after_migrate, sender=self, dispatch_uid="kompetensi_sync_install"
        )
        post_migrate.connect(
            create_default_schedules, sender=self, dispatch_uid="regions_default_schedules"
        )
