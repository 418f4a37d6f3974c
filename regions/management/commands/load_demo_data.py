"""`manage.py load_demo_data`: the four demo regions, their units, a few hundred ASN and demo logins,
then each region's data of the other apps (their loaders, see `regions.demo_loaders`).

Safe to run again: what exists (region by slug, unit by code, employee by NIP) is kept, and the
second run creates nothing and prints the same logins.
"""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from regions import demo
from regions.demo_loaders import demo_loaders


def _summary(created: dict) -> str:
    return ", ".join(f"{what} +{count}" for what, count in created.items()) or "nothing new"


class Command(BaseCommand):
    help = (
        "Load the demo regions (Tanjungbalai, Semarang, Binjai, Plaju) with units, employees, "
        f"one BKPSDM admin each and demo logins (password {demo.DEMO_PASSWORD}). Idempotent."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        logins = []
        today = timezone.localdate()
        loaders = demo_loaders()
        for loader in loaders:
            loader.run_prepare()
        for plan in demo.build_plans():
            try:
                result = demo.load_region(plan)
                loaded = [
                    (loader.label, loader.run_load(region=result.region, today=today))
                    for loader in loaders
                ]
            except ValidationError as exc:
                raise CommandError(f"{plan.spec.name}: {'; '.join(exc.messages)}") from exc
            logins += result.logins
            columns = [
                f"{result.region.name:<13} {'created' if result.regions_created else 'exists '}",
                f"units +{result.units_created} (kept {result.units_existing})",
                f"employees +{result.employees_created} (kept {result.employees_existing})",
                *(f"{label}: {_summary(created)}" for label, created in loaded),
            ]
            self.stdout.write("  ".join(columns))
        viewer, _created = demo.load_national_viewer()
        logins.append(viewer)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f}s.")
        )
        self.stdout.write("")
        self.stdout.write("Demo logins (log in with the NIP or the email):")
        self._table(logins)

    def _table(self, logins):
        columns = [
            ("Wilayah", "region"),
            ("Peran", "role"),
            ("NIP / username", "login"),
            ("Email", "email"),
            ("Kata sandi", "password"),
        ]
        widths = [max(len(title), *(len(row[key]) for row in logins)) for title, key in columns]

        def line(cells):
            cells = zip(cells, widths, strict=True)
            return "  ".join(cell.ljust(width) for cell, width in cells).rstrip()

        self.stdout.write(line([title for title, _key in columns]))
        self.stdout.write(line(["-" * width for width in widths]))
        for row in logins:
            self.stdout.write(line([row[key] for _title, key in columns]))
