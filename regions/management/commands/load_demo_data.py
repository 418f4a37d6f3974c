"""`manage.py load_demo_data`: the four demo regions, their units, a few hundred ASN and demo logins.

Safe to run again: what exists (region by slug, unit by code, employee by NIP) is kept, and the
second run creates nothing and prints the same logins.
"""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django_scopes import scopes_disabled

from regions import demo
from training.demo import load_training_demo
from training.models import Competency, CompetencyLevel, DevelopmentForm
from training.reference_data import sync_reference_data


class Command(BaseCommand):
    help = (
        "Load the demo regions (Tanjungbalai, Semarang, Binjai, Plaju) with units, employees, "
        f"one BKPSDM admin each and demo logins (password {demo.DEMO_PASSWORD}). Idempotent."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        logins = []
        today = timezone.localdate()
        # The national forms and competencies come with the migrations; make sure they are
        # there (a flushed test database, an edited dictionary) before programmes use them.
        with scopes_disabled():
            sync_reference_data(DevelopmentForm, Competency, CompetencyLevel)
        for plan in demo.build_plans():
            try:
                result = demo.load_region(plan)
                training = load_training_demo(region=result.region, today=today)
            except ValidationError as exc:
                raise CommandError(f"{plan.spec.name}: {'; '.join(exc.messages)}") from exc
            logins += result.logins
            self.stdout.write(
                f"{result.region.name:<13} "
                f"{'created' if result.regions_created else 'exists '}  "
                f"units +{result.units_created} (kept {result.units_existing})  "
                f"employees +{result.employees_created} (kept {result.employees_existing})  "
                f"training: {', '.join(f'{k} +{v}' for k, v in training.items()) or 'nothing new'}"
            )
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
