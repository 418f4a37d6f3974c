from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dasbor")

    def ready(self):
        """Register the built-in sections of each dashboard, the demo data and the background
        export of the region's people lists (a job kind of evaluations)."""
        from regions.demo_loaders import DemoLoader, register_demo_loader

        from . import builtin_sections, people, plugged_sections

        builtin_sections.register()
        plugged_sections.register()
        people.register()
        register_demo_loader(
            DemoLoader(label="dashboards", load="dashboards.demo.load_dashboards_demo")
        )
