"""Run periodic jobs now, in this process (the embedded set-up has no beat).

    manage.py run_jobs reminders
    manage.py run_jobs approvals window-closing
    manage.py run_jobs all --region semarang

The jobs are those the apps register with `kompetensi.jobs` (training: reminders, approvals,
window-closing, jp-alerts; regions: sweep). Safe to run at any time and as often as wanted:
every message has a deduplication key, so nothing is sent twice. Without a broker, deliveries are sent right here; with one, the worker
sends them.
"""

from django.core.management.base import BaseCommand, CommandError

from kompetensi.jobs import registered_jobs, run_job
from regions.models import Region


class Command(BaseCommand):
    @property
    def help(self):
        return "Run periodic jobs synchronously: " + ", ".join([*registered_jobs(), "all"])

    def add_arguments(self, parser):
        choices = ", ".join([*registered_jobs(), "all"])
        parser.add_argument("jobs", nargs="+", metavar="job", help=choices)
        parser.add_argument(
            "--region", action="append", dest="regions", metavar="SLUG", help="Only this region."
        )

    def handle(self, *args, jobs, regions=None, **options):
        known = registered_jobs()
        names = list(known) if "all" in jobs else jobs
        unknown = [name for name in names if name not in known]
        if unknown:
            raise CommandError(
                f"Unknown job(s): {', '.join(unknown)}. Choose from: {', '.join([*known, 'all'])}."
            )
        selected = None
        if regions:
            selected = list(Region.objects.filter(slug__in=regions))
            missing = set(regions) - {r.slug for r in selected}
            if missing:
                raise CommandError(f"Unknown region(s): {', '.join(sorted(missing))}.")
        for name in names:
            count = run_job(name, regions=selected)
            self.stdout.write(f"{name}: {count}")
