"""Recompute the verified JP per employee and year from the development records."""

from django.core.management.base import BaseCommand
from django.db import transaction

from training import jp_summary


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        with transaction.atomic(using=database):
            jp_summary.install(database)
            jp_summary.rebuild(database)
        self.stdout.write(self.style.SUCCESS("Verified JP per year recomputed."))
