"""Load a region written by `export_region` into this (migrated) database.

    python manage.py import_region semarang.jsonl

`loaddata` in one transaction, with the region scopes lifted (tenant managers refuse queries
outside a region scope; a fixture spans one whole region). Rows keep their ids: load into a
database that does not hold this region yet.
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django_scopes import scopes_disabled


class Command(BaseCommand):
    help = "Load a region exported with export_region (JSON Lines) into this database."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        with scopes_disabled():
            call_command("loaddata", path, verbosity=options.get("verbosity", 1))
