"""Make and email the monthly region reports now, in this process (no beat needed).

    manage.py generate_reports                    # previous month, every active region
    manage.py generate_reports --period 2026-10 --region semarang

Safe to run again: a final report that was emailed is neither rebuilt nor sent twice.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_scopes import scope

from evaluations import selectors
from evaluations.services import reports
from regions.models import Region


class Command(BaseCommand):
    help = "Generate (and email once) the monthly region reports synchronously."

    def add_arguments(self, parser):
        parser.add_argument("--period", help="Month as YYYY-MM (default: the previous month).")
        parser.add_argument("--region", action="append", dest="regions", metavar="SLUG")

    def handle(self, *args, period=None, regions=None, **options):
        try:
            month = (
                dt.date.fromisoformat(f"{period}-01")
                if period
                else selectors.previous_month(timezone.localdate())
            )
        except ValueError:
            raise CommandError("--period must look like 2026-10.") from None
        selected = Region.objects.filter(is_active=True)
        if regions:
            selected = selected.filter(slug__in=regions)
            missing = set(regions) - set(selected.values_list("slug", flat=True))
            if missing:
                raise CommandError(f"Unknown region(s): {', '.join(sorted(missing))}.")
        for region in selected:
            with scope(region=region):
                report = reports.monthly_report_run(region=region, period=month)
            self.stdout.write(f"{region.slug} {month:%Y-%m}: {report.file.name}")
