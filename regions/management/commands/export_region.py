"""Write one region's data as JSON Lines (regions/region_export.py); load it with `import_region`.

python manage.py export_region semarang > semarang.jsonl
python manage.py export_region semarang --output semarang.jsonl
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from regions.models import Region
from regions.region_export import region_export


class Command(BaseCommand):
    help = "Export one region's data as JSON Lines (load it elsewhere with loaddata)."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, slug, output=None, **options):
        region = Region._base_manager.filter(slug=slug).first()
        if region is None:
            raise CommandError(f"No region with slug {slug!r}.")
        if output:
            with open(output, "w", encoding="utf-8") as stream:
                counts = region_export(region=region, stream=stream)
        else:
            counts = region_export(region=region, stream=sys.stdout)
        summary = ", ".join(f"{label} {n}" for label, n in counts.items())
        self.stderr.write(f"Exported {sum(counts.values())} rows: {summary}")
